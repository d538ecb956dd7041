"""The capacity search: its logic (bounds, bisection, repeats, per-step windows, verdicts, the SLO syntax) and,
end to end, a deliberately slowed endpoint gives a lower capacity than the plain service."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from loadtest.capacity import parse_slo, summarise
from loadtest.capacity_search import Search, percentile, verdict, window

SLO = {"percentile": "p95", "latency_ms": 250.0, "error_ratio": 0.01, "min_kept": 0.9}


def test_the_search_doubles_then_bisects_then_repeats_the_best_level() -> None:
    s, capacity_users = Search(), 37  # a server that holds up to 37 users
    users, seen = 4, []
    while users is not None and len(seen) < 40:
        seen.append(users)
        users = s.next_users(users <= capacity_users, users, 0.1, 2, 2000)
    assert seen[:5] == [4, 8, 16, 32, 64]
    assert s.lo <= capacity_users < s.hi and s.hi - s.lo <= max(1, 0.1 * s.lo)
    assert seen[-2:] == [s.lo, s.lo] and seen.count(s.lo) == 3  # held once in the search, then two repeats


def test_the_search_keeps_room_for_the_repeats_and_handles_a_first_breach() -> None:
    s = Search()
    assert s.next_users(True, 4, 0.1, 2, 2000) == 8
    assert s.next_users(False, 8, 0.1, 2, 2000, steps_left=2) == 4  # no room to bisect: repeat 4 now
    first = Search()
    assert first.next_users(False, 4, 0.1, 2, 2000) == 2 and first.next_users(False, 2, 0.1, 2, 2000) == 1
    assert first.next_users(False, 1, 0.1, 2, 2000) is None and first.lo == 0


def test_a_window_has_its_own_percentiles_not_the_runs() -> None:
    before = {"GET /v1/feed": (100, 0, {10: 100})}
    after = {"GET /v1/feed": (200, 5, {10: 100, 300: 100}), "POST /v1/searches": (10, 0, {20: 10})}
    w = window(before, after, 10.0)
    assert w["GET /v1/feed"]["requests"] == 100 and w["GET /v1/feed"]["p50_ms"] == 300.0
    assert w["all"]["requests"] == 110 and w["all"]["failures"] == 5 and w["all"]["rps"] == 11.0
    assert percentile({5: 90, 500: 10}, 0.95) == 500.0 and percentile({}, 0.5) is None


def test_the_verdict_names_the_limit_broken() -> None:
    ok = {"all": {"requests": 1000, "failures": 0, "rps": 100.0, "p95_ms": 40.0}}
    assert verdict(ok, 100.0, 10.0, SLO) == (True, "held")
    slow = {"all": ok["all"] | {"p95_ms": 400.0}}
    assert "p95 400.0 ms >= 250 ms" in verdict(slow, 100.0, 10.0, SLO)[1]
    errors = {"all": ok["all"] | {"failures": 20}}
    assert "errors 2.00%" in verdict(errors, 100.0, 10.0, SLO)[1]
    short = {"all": ok["all"] | {"requests": 700, "rps": 70.0}}
    assert "achieved 70.0 req/s" in verdict(short, 100.0, 10.0, SLO)[1]
    noisy = {"all": ok["all"] | {"requests": 28, "rps": 7.0}}  # 28 of 40 expected: within Poisson noise
    assert verdict(noisy, 8.0, 5.0, SLO)[0]


def test_a_p90_slo_is_judged_on_the_windows_p90() -> None:
    """--slo p90<250ms, which the syntax accepts, broke every step ('p90 None ms >= 250 ms'): a window had no
    p90, so no load could hold it."""
    before = {"GET /v1/feed": (0, 0, {})}
    after = {"GET /v1/feed": (100, 0, {10: 92, 400: 8})}  # p90 10 ms, p95 400 ms
    w = window(before, after, 10.0)
    assert w["all"]["p90_ms"] == 10.0
    assert verdict(w, 10.0, 10.0, parse_slo("p90<250ms")) == (True, "held")
    assert not verdict(w, 10.0, 10.0, parse_slo("p95<250ms"))[0]


def test_the_slo_syntax_and_its_errors() -> None:
    slo = parse_slo("p99<0.5s, errors<2%")
    assert slo["percentile"] == "p99" and slo["latency_ms"] == 500.0 and slo["error_ratio"] == 0.02
    with pytest.raises(ValueError, match="p95 or p99"):
        parse_slo("p95<fast")


def test_the_capacity_is_the_highest_held_level_with_an_interval() -> None:
    steps = [{"step": i, "users": u, "offered_rps": 2.0 * u, "held": h, "reason": "held" if h else "p95"}
             for i, (u, h) in enumerate([(4, True), (8, True), (16, False), (12, True), (14, False), (12, True), (12, True)])]
    rows = [{"step": s["step"], "endpoint": "all", "achieved_rps": 2.0 * s["users"] + (s["step"] % 3) * 0.5,
             "p95_ms": 50.0, "generator_cpu_share": 0.1, "server_cpu_share": 0.5} for s in steps]
    params = {"slo": SLO | {"text": "p95<250ms"}, "step_s": 6.0, "per_user_rps": 2.0}
    doc = summarise(steps, rows, params)
    assert doc["capacity_rps"] == 24.0 and doc["runs_at_capacity"] == 3 and doc["held_at_capacity"] == 3
    low, high = doc["interval_rps"]
    assert low < doc["achieved_mean_rps"] < high
    assert doc["first_breach"]["offered_rps"] == 28.0 and doc["limited_by"].startswith("server")


def _doc(levels: list[tuple[int, bool]]) -> dict:
    steps = [{"step": i, "users": u, "offered_rps": 2.0 * u, "held": h, "reason": "held" if h else "p95"}
             for i, (u, h) in enumerate(levels)]
    rows = [{"step": s["step"], "endpoint": "all", "achieved_rps": 2.0 * s["users"], "p95_ms": 50.0,
             "generator_cpu_share": 0.1, "server_cpu_share": 0.2} for s in steps]
    return summarise(steps, rows, {"slo": SLO | {"text": "p95<250ms"}, "step_s": 6.0, "per_user_rps": 2.0,
                                   "resolution": 0.1, "repeats": 2})


def test_a_search_the_budget_cut_short_says_its_bracket_and_missing_repeats() -> None:
    """`--find-capacity --run-time 45s` here: 7 doubling steps of 6 s used the budget (held 256 req/s, broke at
    512, one run); capacity.json said 256 with no word that it lies anywhere up to 512 and has no interval."""
    doc = _doc([(4, True), (8, True), (16, True), (32, True), (64, True), (128, True), (256, False)])
    assert doc["capacity_rps"] == 256.0 and doc["upper_bound_rps"] == 512.0 and doc["interval_rps"] is None
    assert "between 256 (held) and 512 req/s (broke), a 100% bracket" in doc["note"]
    assert "ran 1 time(s) of 3, so no interval" in doc["note"] and "raise --run-time" in doc["note"]
    assert doc["search_finished"] is False


def test_a_search_that_never_broke_the_slo_says_its_capacity_is_a_lower_bound() -> None:
    """--slo p90<60ms --run-time 36s: five steps held up to 128 req/s and the budget ended; the terminal printed
    'capacity 128 req/s' with no word that nothing broke."""
    doc = _doc([(4, True), (8, True), (16, True), (32, True), (64, True)])
    assert doc["capacity_rps"] == 128.0 and doc["search_finished"] is False and "upper_bound_rps" not in doc
    assert "the capacity is at least 128 req/s, not a measured limit" in doc["note"]


def test_a_finished_search_has_no_budget_note() -> None:
    doc = _doc([(4, True), (8, True), (16, False), (12, True), (14, False), (13, False), (12, True), (12, True)])
    assert doc["capacity_rps"] == 24.0 and doc["upper_bound_rps"] == 26.0 and "note" not in doc
    assert doc["search_finished"] is True


def test_capacity_json_says_what_mix_its_requests_are_of() -> None:
    """A capacity in requests/s is of the closed loop's mix (20.7% camera batches, 19.4% searches at 256 req/s
    here), not the national platform's: capacity.json gives the shares at the capacity level's steps."""
    steps = [{"step": i, "users": u, "offered_rps": 2.0 * u, "held": h, "reason": "held" if h else "p95"}
             for i, (u, h) in enumerate([(4, True), (8, False), (4, True)])]
    rows = [{"step": st, "endpoint": e, "requests": n, "achieved_rps": n / 6.0, "p95_ms": 50.0,
             "generator_cpu_share": 0.1, "server_cpu_share": 0.2}
            for st, e, n in [(0, "all", 40), (0, "POST /v1/alpr/reads", 10), (0, "POST /v1/searches", 30),
                             (1, "all", 90), (1, "POST /v1/alpr/reads", 90),
                             (2, "all", 40), (2, "POST /v1/alpr/reads", 30), (2, "POST /v1/searches", 10)]]
    doc = summarise(steps, rows, {"slo": SLO | {"text": "p95<250ms"}, "step_s": 6.0, "per_user_rps": 2.0})
    assert doc["mix_at_capacity"] == {"POST /v1/alpr/reads": 0.5, "POST /v1/searches": 0.5}


@pytest.mark.slow
def test_a_slowed_endpoint_finds_a_lower_capacity(tmp_path: Path) -> None:
    from loadtest.capacity import run
    from loadtest.harness import Options

    found = {}
    for name, module in (("plain", "loadtest.service"), ("slowed", "tests.loadtest.slow_service")):
        out = tmp_path / name
        result = run(Options(out=out, run_time_s=50.0, service_module=module), "p95<250ms,errors<1%", step_s=5.0,
                     start_rps=16.0)
        doc = json.loads((out / "capacity.json").read_text())
        assert doc == json.loads(json.dumps(result["capacity"]))
        assert (out / "capacity.png").stat().st_size > 0 and (out / "capacity.svg").exists()
        with (out / "capacity_steps.csv").open() as f:
            rows = list(csv.DictReader(f))
        assert {"all", "GET /v1/feed"} <= {r["endpoint"] for r in rows}
        assert {r["step"] for r in rows} == {str(i) for i in range(doc["steps"])}
        found[name] = doc["capacity_rps"] or 0.0
    assert found["plain"] > 0
    assert found["slowed"] < found["plain"], found


def test_bad_capacity_options_exit_2_before_anything_starts(tmp_path: Path, capsys) -> None:
    from sim.cli.main import main

    out = tmp_path / "cap"
    assert main(["loadtest", "--find-capacity", "--slo", "p95<soon", "-o", str(out)]) == 2
    assert "--slo: cannot read 'p95<soon'" in capsys.readouterr().err
    assert main(["loadtest", "--slo", "p95<100ms", "-o", str(out)]) == 2
    assert "--slo only works with --find-capacity" in capsys.readouterr().err
    assert main(["loadtest", "--find-capacity", "--arrival-rate", "50", "-o", str(out)]) == 2
    assert "cannot be combined" in capsys.readouterr().err
    assert not (out / "service.db").exists() and not (out / "locust.log").exists()


def test_the_load_test_gives_back_the_callers_sigterm_handler(tmp_path: Path) -> None:
    """`fedsim loadtest` turns SIGTERM into SystemExit while it runs (to stop the service and Locust on the
    way out); a caller in the same process gets its own handler back afterwards (it leaked into every later
    fork of a test process before)."""
    import signal

    from sim.cli.main import main

    def mine(*_) -> None:
        return None

    previous = signal.signal(signal.SIGTERM, mine)
    try:
        assert main(["loadtest", "--slo", "p95<100ms", "-o", str(tmp_path / "cap")]) == 2
        assert signal.getsignal(signal.SIGTERM) is mine
    finally:
        signal.signal(signal.SIGTERM, previous)


def test_a_load_test_stopped_by_sigterm_says_so_and_stops_its_children(tmp_path: Path) -> None:
    """SIGTERM ended `fedsim loadtest` with status 143 and not a word (Ctrl-C says 'interrupted')."""
    import os
    import signal
    import subprocess
    import sys
    import time

    import psutil

    out = tmp_path / "lt"
    proc = subprocess.Popen([sys.executable, "-m", "sim.cli.main", "loadtest", "-u", "1", "--run-time", "60s",
                             "--wrk-seconds", "0", "-o", str(out)], stderr=subprocess.PIPE, text=True,
                            cwd=Path(__file__).resolve().parents[2])
    try:
        deadline = time.monotonic() + 120
        while not (out / "locust.log").exists() and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.5)  # Locust has started: the service and Locust are both running
        children = psutil.Process(proc.pid).children(recursive=True)
        assert children, "the load test started no service or Locust"
        os.kill(proc.pid, signal.SIGTERM)
        _, err = proc.communicate(timeout=90)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 128 + signal.SIGTERM
    assert "fedsim loadtest: stopped by SIGTERM; stopping the service and Locust" in err and "Traceback" not in err
    _, alive = psutil.wait_procs(children, timeout=10)
    assert not alive


def test_a_bad_rate_scale_exits_2_naming_the_option(tmp_path: Path, capsys) -> None:
    from sim.cli.main import main

    out = tmp_path / "rs"
    assert main(["loadtest", "--rate-scale", "-1", "-o", str(out)]) == 2
    assert "--rate-scale -1.0: use 0 (off) or a positive factor" in capsys.readouterr().err
    assert main(["loadtest", "--rate-scale", "0.5", "--no-rate-limits", "-o", str(out)]) == 2
    assert "cannot be combined" in capsys.readouterr().err
    assert not (out / "service.db").exists()
