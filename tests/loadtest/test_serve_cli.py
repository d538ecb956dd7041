"""`fedsim serve`: usage errors exit 2 without a traceback; bootstrap-only seeds and writes tokens; several
workers answer on one port and /metrics adds up their counts."""

from __future__ import annotations

import argparse
import json
import socket
import subprocess
import sys
import time

import httpx2 as httpx
import pytest

from loadtest.service.cli import add_arguments, check
from sim.cli.common import UsageError
from sim.cli.main import main
from tests.loadtest.test_durability import ROOT, free_port


def test_a_nan_rate_scale_is_refused():
    """One check of --rate-scale for `fedsim serve` and `fedsim loadtest` (NaN passed `< 0` before)."""
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    with pytest.raises(UsageError, match="--rate-scale nan: use 0"):
        check(parser.parse_args(["--rate-scale", "nan"]))


def test_a_port_in_use_exits_2_before_seeding(tmp_path, capsys):
    """A port another server holds is refused at once with exit 2 (it was uvicorn's exit 3 after the seed)."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        argv = ["serve", "--db", str(tmp_path / "s.db"), "--port", str(port), "--bootstrap", "scenarios/small.yaml",
                "--tokens", str(tmp_path / "t.json")]
        assert main(argv) == 2
    err = capsys.readouterr().err
    assert f"--port {port}: cannot listen on 127.0.0.1:{port}" in err and "Traceback" not in err
    assert not (tmp_path / "t.json").exists() and not (tmp_path / "s.db").exists()


@pytest.mark.parametrize(
    "argv, needle",
    [
        (["serve", "--bootstrap", "scenarios/small.yaml"], "--tokens"),
        (["serve", "--tokens", "x.json"], "--bootstrap"),
        (["serve", "--bootstrap-only"], "--bootstrap"),
        (["serve", "--port", "70000"], "--port 70000"),
        (["serve", "--workers", "0"], "--workers 0"),
        (["serve", "--db", "mysql://x"], "--db 'mysql://x'"),
        (["serve", "--rate-scale", "-1"], "--rate-scale"),
    ],
)
def test_usage_errors_exit_2(argv, needle, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert needle in err and "Traceback" not in err


def test_a_missing_scenario_exits_2_before_the_db_folder_is_made(tmp_path, capsys):
    """--bootstrap nosuch.yaml said 'created .../out/service/ for --db' before failing on the scenario."""
    folder = tmp_path / "new"
    code = main(["serve", "--db", str(folder / "x.db"), "--bootstrap", str(tmp_path / "nosuch.yaml"), "--tokens",
                 str(tmp_path / "t.json"), "--bootstrap-only"])
    err = capsys.readouterr().err
    assert code == 2 and "nosuch.yaml" in err and "created" not in err and not folder.exists()


def test_bad_scenario_exits_2(tmp_path, capsys, scenarios_dir):
    seed = ["--bootstrap", str(scenarios_dir / "small.yaml"), "--tokens", str(tmp_path / "t.json"), "--bootstrap-only"]
    code = main(["serve", "--db", str(tmp_path / "x.db"), *seed, "--set", "policy.alpr_retention_days=-3"])
    assert code == 2 and "alpr_retention_days" in capsys.readouterr().err


@pytest.mark.slow
def test_bootstrap_then_two_workers(tmp_path):
    db, tokens = f"sqlite:///{tmp_path}/s.db", tmp_path / "tokens.json"
    serve = [sys.executable, "-m", "sim.cli.main", "serve", "--db", db]
    seed = [*serve, "--bootstrap", "scenarios/small.yaml", "--tokens", str(tokens), "--bootstrap-only", "--bootstrap-limit", "50"]
    subprocess.run(seed, cwd=ROOT, check=True, timeout=120)
    assert len(json.loads(tokens.read_text())["cameras"]) == 50
    port = free_port()
    proc = subprocess.Popen([*serve, "--port", str(port), "--workers", "2"], cwd=ROOT)
    try:
        deadline = time.monotonic() + 90
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=5) as client:
            while True:
                try:
                    if client.get("/healthz").status_code == 200:
                        break
                except httpx.HTTPError:
                    assert time.monotonic() < deadline and proc.poll() is None, "the server did not start"
                    time.sleep(0.2)
            for _ in range(30):
                assert client.get("/healthz", headers={"Connection": "close"}).status_code == 200
            time.sleep(2.5)  # each worker snapshots its metrics once a second
            text = client.get("/metrics").text
        count = next(
            line
            for line in text.splitlines()
            if line.startswith('fedsim_http_server_duration_seconds_count{method="GET",route="/healthz"}')
        )
        assert float(count.rsplit(" ", 1)[1]) >= 31
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_a_db_in_a_missing_folder_is_created_and_said(tmp_path, capsys, scenarios_dir):
    """`--db /nonexistent/dir/x.db` made the folders silently; it still makes them (as fedsim run makes its
    output folder) and says where, and a folder it cannot make is exit 2 naming --db."""
    db = tmp_path / "new" / "deeper" / "x.db"
    seed = ["--bootstrap", str(scenarios_dir / "small.yaml"), "--tokens", str(tmp_path / "t.json"), "--bootstrap-only",
            "--bootstrap-limit", "5"]
    assert main(["serve", "--db", str(db), *seed]) == 0
    assert f"fedsim serve: created {db.parent}/ for --db" in capsys.readouterr().err and db.is_file()
    assert main(["serve", "--db", str(db), *seed]) == 0
    assert "created" not in capsys.readouterr().err  # an existing folder is not news
    blocker = tmp_path / "file"
    blocker.write_text("")
    assert main(["serve", "--db", str(blocker / "x.db"), *seed]) == 2
    err = capsys.readouterr().err
    assert f"--db sqlite:///{blocker}/x.db: cannot create its folder {blocker}" in err and "Traceback" not in err
