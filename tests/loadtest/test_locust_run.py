"""End to end: `fedsim loadtest` starts the service on 127.0.0.1, runs Locust for a few seconds, stops both,
and writes the folder; thresholds decide the exit status; bad input exits 2 before anything starts."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import psutil
import pytest

from sim.config import load_scenario
from sim.model.platform import apply_calibration
from tests.conftest import ROOT, SCENARIOS

pytestmark = pytest.mark.slow
RUN_TIMEOUT_S = 150  # bootstrap + wrk + 8 s of load + stops, with a wide margin on a busy machine
PCTS = ("p50", "p90", "p95", "p99")


def fedsim(*args: str, timeout: float = RUN_TIMEOUT_S) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "sim.cli.main", *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False
    )


def served_from(folder: Path) -> list[psutil.Process]:
    """Service processes still running on this run's database (there should be none)."""
    found = []
    for p in psutil.process_iter(["cmdline"]):
        cmd = " ".join(p.info["cmdline"] or [])
        if ("serve" in cmd or "loadtest.service" in cmd) and str(folder) in cmd:
            found.append(p)
    return found


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("lt")
    thresholds = folder / "thresholds.yaml"
    thresholds.write_text(
        'thresholds:\n  "POST /v1/alpr/reads": ["p95 < 5 s", "fail_ratio < 0.05"]\n'
        '  Aggregated: ["fail_ratio < 0.05", "min_rps 1"]\n'
    )
    out = folder / "out"
    proc = fedsim(
        "loadtest",
        "--users",
        "4",
        "--think-time",
        "0.2",
        "--run-time",
        "8s",
        "--wrk-seconds",
        "1",
        "--thresholds",
        str(thresholds),
        "-o",
        str(out),
    )
    return {"proc": proc, "out": out, "folder": folder}


def read(run: dict[str, Any], name: str) -> Any:
    return json.loads((run["out"] / name).read_text())


def test_the_run_passes_and_stops_what_it_started(run: dict[str, Any]) -> None:
    assert run["proc"].returncode == 0, run["proc"].stderr[-3000:]
    assert not served_from(run["out"])
    assert not (run["out"] / "service.db").exists()  # the temporary database is removed


def test_the_folder_has_locust_and_fedsim_outputs(run: dict[str, Any]) -> None:
    names = {p.name for p in run["out"].iterdir()}
    expected = {
        "locust_stats.csv",
        "locust_stats_history.csv",
        "locust_failures.csv",
        "locust.html",
        "locust.json",
        "loadtest.json",
        "verdicts.json",
        "calibration.json",
        "traffic.json",
        "tokens.json",
    }
    assert expected <= names


def test_summary_figures(run: dict[str, Any]) -> None:
    s = read(run, "loadtest.json")
    reads = s["endpoints"]["POST /v1/alpr/reads"]
    assert reads["count"] > 0 and reads["failures"] == 0
    values = [reads[p] for p in PCTS]
    assert values == sorted(values) and values[0] > 0
    assert reads["max"] >= reads["p50"]  # Locust rounds percentiles (to 2 significant digits), not the maximum
    assert s["endpoints"]["Aggregated"]["count"] >= sum(
        v["count"] for k, v in s["endpoints"].items() if k != "Aggregated" and not k.startswith("CHECK")
    )
    assert s["label"] == "client and server co-located"
    assert s["over_time"]["locust"] and max(r["users"] for r in s["over_time"]["locust"]) == 4
    assert s["cpu"]["server_cpu_s"] > 0 and s["cpu"]["client_cpu_ms_per_request"] > 0
    assert s["errors"]["by_status"] == {}
    if shutil.which("wrk"):  # .ci/run installs it: the /healthz ceiling is then measured in the same run
        assert s["ceiling"]["rps"] > 0 and s["ceiling"]["locust_share_of_ceiling"] > 0
    else:
        assert s["ceiling"]["rps"] is None and "not installed" in s["ceiling"]["note"]
    server = s["server"]["routes_ms"]["POST /v1/alpr/reads"]
    assert server["count"] >= reads["count"] and server["p50_ms"] <= server["p99_ms"]
    batch = read(run, "traffic.json")["batch_reads"]
    assert s["server"]["reads_ingested"] == pytest.approx(server["count"] * batch)


def test_verdicts_pass(run: dict[str, Any]) -> None:
    v = read(run, "verdicts.json")
    assert v["passed"] and v["checked"] == 4
    assert {c["endpoint"] for c in v["checks"]} == {"POST /v1/alpr/reads", "Aggregated"}


def test_calibration_feeds_a_scenario(run: dict[str, Any]) -> None:
    doc = read(run, "calibration.json")
    assert {"search", "ingest"} <= set(doc["queues"])
    assert doc["queues"]["search"]["service_time"]["mean_s"] > 0
    assert isinstance(doc["stable"], bool) and (doc["stable"] or doc["why"])  # a verdict, with reasons when false
    assert "search" in doc["windows"]["queues"]
    util = doc["measured"]["utilization"]
    assert 0 < util["ingest"]["measured_busy"] < 1 and util["ingest"]["predicted"] > 0
    # The model takes a stable file's queues (this 8-second run is marked stable here; its own verdict may refuse it).
    stable = run["folder"] / "stable-calibration.json"
    stable.write_text(json.dumps(doc | {"stable": True}))
    scenario_file = run["folder"] / "calibrated.yaml"
    scenario_file.write_text(f"name: calibrated\nextends: {SCENARIOS / 'small.yaml'}\nplatform:\n  calibration: {stable}\n")
    assert fedsim("validate", str(scenario_file), timeout=60).returncode == 0
    platform = apply_calibration(load_scenario(scenario_file).platform)
    assert platform.ingest.capacity_reads_per_s == pytest.approx(doc["queues"]["ingest"]["capacity_reads_per_s"])
    assert platform.search.service_time.dist == doc["queues"]["search"]["service_time"]["dist"]


def test_a_breached_threshold_exits_3_with_scenario_traffic(tmp_path: Path) -> None:
    thresholds = tmp_path / "strict.yaml"
    thresholds.write_text('thresholds:\n  "POST /v1/alpr/reads": ["max < 0.001 ms"]\n')
    out = tmp_path / "out"
    proc = fedsim(
        "loadtest",
        "--scenario",
        str(SCENARIOS / "small.yaml"),
        "--scale",
        "0.5",
        "--run-time",
        "4s",
        "--wrk-seconds",
        "0",
        "--thresholds",
        str(thresholds),
        "-o",
        str(out),
    )
    assert proc.returncode == 3, proc.stderr[-3000:]
    v = json.loads((out / "verdicts.json").read_text())
    assert not v["passed"] and v["checks"][0]["actual"] > 0.001
    plan = json.loads((out / "traffic.json").read_text())
    assert plan["mode"] == "scenario" and plan["actors"]["camera"]["profile"]
    assert not served_from(out)


@pytest.mark.parametrize(
    ("flag", "text", "needle"),
    [
        ("--shape", "kind: step\nstart_users: 1\nstep_users: 1\nstep_s: 5\n", "steps"),
        ("--thresholds", 'thresholds:\n  "POST /v1/searches": ["p95 << 5"]\n', "thresholds.POST /v1/searches"),
    ],
)
def test_bad_files_exit_2_before_anything_starts(tmp_path: Path, flag: str, text: str, needle: str) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(text)
    out = tmp_path / "out"
    proc = fedsim("loadtest", flag, str(bad), "-o", str(out), timeout=60)
    assert proc.returncode == 2
    assert needle in proc.stderr and str(bad) in proc.stderr and "Traceback" not in proc.stderr
    assert not out.exists()


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--db", "mysql://x"], "--db 'mysql://x': use a file path, sqlite:///PATH or postgresql://"),
        (["--shape", "wiggle"], "--shape 'wiggle': neither a shipped shape (ramp, soak, spike, step) nor a file"),
        # both ran a whole closed-loop test: --scale was ignored without --scenario, a negative --wrk-seconds skipped
        (["--scale", "0.5"], "--scale 0.5: only with --scenario"),
        (["--wrk-seconds", "-1"], "--wrk-seconds must be >= 0"),
    ],
)
def test_bad_options_exit_2_and_leave_an_earlier_load_tests_files(tmp_path: Path, args: list[str], needle: str) -> None:
    """A bad --db was found by the service after the folder was cleared: the earlier load test's loadtest.json,
    verdicts and Locust reports were gone and only service.log remained."""
    out = tmp_path / "out"
    out.mkdir()
    earlier = {"loadtest.json": "{}", "verdicts.json": "{}", "locust_stats.csv": "x"}
    for name, text in earlier.items():
        (out / name).write_text(text)
    proc = fedsim("loadtest", *args, "-o", str(out), timeout=60)
    assert proc.returncode == 2 and needle in proc.stderr and "Traceback" not in proc.stderr
    assert {p.name: p.read_text() for p in out.iterdir()} == earlier


def test_an_output_that_is_a_file_exits_2(tmp_path: Path) -> None:
    a_file = tmp_path / "notes.txt"
    a_file.write_text("mine")
    proc = fedsim("loadtest", "-o", str(a_file), timeout=60)
    assert proc.returncode == 2 and "is a file: the load test writes a folder" in proc.stderr
    assert "Traceback" not in proc.stderr and a_file.read_text() == "mine"


def test_a_stage_shape_stops_at_the_run_time(tmp_path: Path) -> None:
    out = tmp_path / "out"
    proc = fedsim("loadtest", "--shape", "spike", "--run-time", "4s", "--wrk-seconds", "0", "-o", str(out))
    assert proc.returncode == 0, proc.stderr[-3000:]
    history = json.loads((out / "loadtest.json").read_text())["over_time"]["locust"]
    assert history and history[-1]["t"] - history[0]["t"] <= 8  # the spike shape alone lasts 70 s
    assert max(r["users"] for r in history) <= 4  # still in the shape's first stage (base_users: 4)


def test_request_failures_exit_1(tmp_path: Path) -> None:
    """Back-to-back residents exceed the service's per-token rate limit: 429s are failures. The limits are scaled to
    a tenth (2 requests/s per resident token) so that even a generator slowed by a busy box exceeds them."""
    out = tmp_path / "out"
    proc = fedsim("loadtest", "--users", "6", "--think-time", "0", "--run-time", "4s", "--wrk-seconds", "0",
                  "--rate-scale", "0.1", "-o", str(out))
    assert proc.returncode == 1, proc.stderr[-3000:]
    s = json.loads((out / "loadtest.json").read_text())
    assert s["errors"]["by_status"].get("429", 0) > 0
    assert s["endpoints"]["Aggregated"]["failures"] == sum(s["errors"]["by_status"].values())


def test_locust_logs_its_users_per_class(run: dict[str, Any]) -> None:
    lines = (run["out"] / "locust_users.jsonl").read_text().splitlines()
    last = json.loads(lines[-1])
    assert last["users"] == 4 == sum(last["classes"].values())
    assert set(last["classes"]) <= {"AgencyUser", "ResidentUser", "CameraUser", "PortalVisitor"}


@pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk not installed (apt-get install -y wrk; .ci/run installs it)")
def test_the_ceiling_measured_before_and_after_keeps_the_higher(tmp_path: Path) -> None:
    from loadtest.harness import Options
    from loadtest.harness import run as harness_run

    result = harness_run(Options(out=tmp_path / "lt", users=2, run_time_s=3, think_s=0.0, wrk_s=1, wrk_after=True))
    c = result["loadtest"]["ceiling"]
    assert c["rps_before"] > 0 and c["rps_after"] > 0
    assert c["rps"] == max(c["rps_before"], c["rps_after"])
    # The server's CPU per trivial request, over the kept measurement: positive and below the wall time per request
    # on all cores (16 connections keep the server busy).
    assert 0 < c["server_cpu_ms_per_request"] < 1000 * (os.cpu_count() or 1) / c["rps"]
    assert c["requests"] >= c["rps"] * 0.5
    cpu = result["loadtest"]["cpu"]
    assert cpu["server_cpu_ms_per_request"] > 0
