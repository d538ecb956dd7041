"""`fedsim loadtest`: start the service, seed it, run Locust headless, stop everything, write one folder.

Order of a run (every step bounded in time; the service and Locust are always stopped):
1. check the inputs (shape, thresholds, scenario files) before anything starts (bad input: exit 2);
2. start `fedsim serve` on 127.0.0.1 and a free port with a temporary SQLite database in the folder (or
   `--db`), seeded from the world scenario (tokens.json);
3. measure the trivial-endpoint ceiling with `wrk` (if installed) and probe search times (with `wrk_after`,
   the ceiling is measured again after the run and the higher figure kept);
4. run Locust with the traffic plan (closed loop, constant rate, or the scenario's rates and compressed
   day), watching client and server CPU and server memory;
5. probe again, scrape `/metrics`, stop the service, and write loadtest.json (the load test's figures,
   `loadtest.summary`; not a run's summary.json), verdicts.json, calibration.json and traffic.json beside
   Locust's CSV, HTML and JSON.

Exit status: 0 pass, 1 some requests failed, 3 a threshold was breached (takes precedence over 1),
2 harness error or bad input.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from loadtest import summary as summary_mod
from loadtest.ceiling import wrk_ceiling
from loadtest.locust_run import LocustRun
from loadtest.plan import ACTOR_CLASSES, TrafficPlan, closed_plan, open_plan, rate_plan, user_behavior
from loadtest.procs import Monitor
from loadtest.prom import route_table
from loadtest.server import HarnessError, Service
from loadtest.service.settings import Settings, normalise_db_url
from loadtest.service_time_windows import Scraper, per_window, stability, window_seconds
from loadtest.service_times import calibration, utilization
from loadtest.shapes import Stage, load_shape, resolve_shape_path, shipped_shapes, stage_at, total_s
from loadtest.thresholds import Condition, evaluate, load_thresholds
from loadtest.traffic import proxy_shares, scenario_plan
from sim.config import Scenario, load_scenario
from sim.results.errors import ResultsError
from sim.results.layout import LOADTEST, SUMMARY
from sim.results.read import is_loadtest_figures, read_json

DEFAULT_WORLD = str(Path(__file__).resolve().parent.parent / "scenarios" / "small.yaml")
LOOPBACK = "127.0.0.1"
SETTLE_S = 0.5
READ_CONNECTIONS = Settings().read_connections  # pooled read connections per service worker (searches)
EXIT_PASS, EXIT_FAILURES, EXIT_HARNESS, EXIT_THRESHOLDS = 0, 1, 2, 3


class InputError(ValueError):
    """Options that cannot work together: exit status 2 with the message."""


@dataclass
class Options:
    out: Path
    users: int = 10
    spawn_rate: float | None = None
    run_time_s: float | None = None
    scenario: str | None = None
    scale: float = 0.01
    shape: str | None = None
    thresholds: str | None = None
    db: str | None = None
    processes: int = 1
    think_s: float = 1.0
    class_rates: dict[str, tuple[int, float]] | None = None  # hold each actor class at (users, requests/s): soak
    server_workers: int = 1
    world: str = DEFAULT_WORLD
    wrk_s: float = 3.0
    wrk_after: bool = False  # measure the ceiling after the run too and keep the higher (benchmarks)
    keep_db: bool = False
    rate_scale: float = 1.0  # multiplies the service's per-token rate limits; 0: off (capacity runs with back-to-back users)
    prefill_reads: int = 0  # synthetic ALPR reads written when the database is seeded (a soak at steady-state size)
    arrival_rate: float | None = None  # open model: Poisson arrivals at this many requests/s in all (--arrival-rate)
    capacity: dict[str, Any] | None = None  # the capacity search's settings (loadtest.capacity): shape "capacity"
    service_module: str = "loadtest.service"  # what `python -m` runs as the service (tests: a slowed variant)
    weekday: str | None = None  # --scenario: play this day of the week (loadtest.traffic.WEEKDAYS), not an average day


@dataclass
class Inputs:
    stages: list[Stage] | None
    conditions: list[Condition]
    scenario: Scenario | None
    run_time_s: float
    world: Scenario  # seeds the database; its behaviour is the users' unless --scenario gives one


def check_inputs(o: Options) -> Inputs:
    """Validate every input file before starting anything; `ScenarioError` or `ValueError` -> exit 2."""
    if o.shape and o.scenario:
        raise InputError("--shape and --scenario cannot be combined: the scenario's daily profile is the shape")
    for flag, on in (("--arrival-rate", o.arrival_rate is not None), ("--find-capacity", o.capacity is not None)):
        if on and (o.shape or o.scenario or o.class_rates is not None):
            raise InputError(f"{flag} sets the load itself: it cannot be combined with --shape, --scenario or --soak")
    if o.arrival_rate is not None and o.capacity is not None:
        raise InputError("--arrival-rate and --find-capacity cannot be combined: the search chooses the rates")
    if o.arrival_rate is not None and o.arrival_rate <= 0:
        raise InputError(f"--arrival-rate must be > 0 requests/s, got {o.arrival_rate}")
    if o.scale <= 0:
        raise InputError(f"--scale must be > 0, got {o.scale}")
    if o.weekday is not None and not o.scenario:
        raise InputError(f"--weekday {o.weekday}: only with --scenario (the day's weights are the scenario's)")
    if o.db is not None:
        try:  # here, not in the service: a bad --db must not clear an earlier run's files from the folder first
            normalise_db_url(o.db)
        except ValueError as exc:
            raise InputError(str(exc)) from None
    shape = resolve_shape_path(o.shape) if o.shape else None
    if shape is not None and not shape.exists():
        raise InputError(f"--shape {o.shape!r}: neither a shipped shape ({', '.join(shipped_shapes())}) nor a file")
    stages = load_shape(shape) if shape is not None else None
    conditions = load_thresholds(o.thresholds) if o.thresholds else []
    scenario = load_scenario(o.scenario) if o.scenario else None
    world = load_scenario(o.world)  # the world that seeds the database must be valid too
    if stages:
        run_time = min(total_s(stages), o.run_time_s or float("inf"))
    else:
        run_time = o.run_time_s or (60.0 if scenario else 30.0)
    return Inputs(stages, conditions, scenario, run_time, world)


def make_plan(o: Options, inputs: Inputs, tokens: dict[str, Any]) -> TrafficPlan:
    plan = _plan(o, inputs, tokens)
    if inputs.stages and inputs.run_time_s < total_s(inputs.stages):  # --run-time cuts the shape: say how far it got
        played = [s for s in inputs.stages if s.end_s - 1e-9 <= inputs.run_time_s]
        last = stage_at(inputs.stages, inputs.run_time_s - 1e-9) or inputs.stages[-1]
        plan.notes.append(f"--run-time {inputs.run_time_s:g}s plays the first {inputs.run_time_s:g} s of the shape's "
                          f"{total_s(inputs.stages):g} s ({len(played)} of {len(inputs.stages)} stages finished; up to "
                          f"{max([s.users for s in played] + [last.users])} of {max(s.users for s in inputs.stages)} "
                          "users); leave --run-time out to play all of it")
    return plan


def _plan(o: Options, inputs: Inputs, tokens: dict[str, Any]) -> TrafficPlan:
    counts = {
        "agency": len(tokens.get("agencies", {})),
        "resident": len(tokens.get("residents", {})),
        "camera": len(tokens.get("cameras", {})),
    }
    if inputs.scenario is not None:
        # the scenario's users under the rules the database was seeded with (the world's policy): the service
        # refuses a search without a case number, or with a free-text reason under an offense-type drop-down
        # proxy lookups only for the agencies whose token allows them (the seeded world's policy, as the model)
        return scenario_plan(inputs.scenario, o.scale, inputs.run_time_s, counts, inputs.world.policy,
                             inputs.world.platform.routing, o.weekday, proxy_shares(tokens.get("agencies", {})))
    behavior = user_behavior(inputs.world)
    if o.capacity is not None:
        plan = open_plan(None, o.capacity["per_user_rps"], behavior)
        plan.capacity = o.capacity
        return plan
    if o.arrival_rate is not None:
        return open_plan(o.arrival_rate, behavior=behavior)
    if o.class_rates is not None:
        return rate_plan(o.class_rates, behavior=behavior)
    return closed_plan(o.think_s, behavior=behavior)


def exit_code(verdicts: dict[str, Any], failures: int) -> int:
    if not verdicts["passed"]:
        return EXIT_THRESHOLDS
    return EXIT_FAILURES if failures else EXIT_PASS


def _write(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, indent=2, default=str) + "\n")


def run(o: Options) -> dict[str, Any]:
    """One load test; returns {"exit_code", "folder", "loadtest" (what loadtest.json holds), "verdicts", "calibration"}."""
    inputs = check_inputs(o)
    o.out.mkdir(parents=True, exist_ok=True)
    clear_earlier(o.out)
    _remove_temp_db(o, force=True)  # a fresh database: the service keeps event tables across seedings
    try:
        return _run(o, inputs)
    finally:
        _remove_temp_db(o)


def clear_earlier(out: Path) -> None:
    """Remove an earlier load test's files from `out`: a failed run must not leave that run's results behind.
    An older load test's figures were called summary.json; a run's summary.json in the same folder stays."""
    for pattern in ("locust*", LOADTEST, "verdicts.json", "calibration.json", "traffic.json", "tokens.json"):
        for stale in out.glob(pattern):
            if stale.is_file():
                stale.unlink()
    old = out / SUMMARY
    try:
        if is_loadtest_figures(read_json(old)):
            old.unlink()
    except ResultsError:  # not JSON: not a load test's either
        pass


def _remove_temp_db(o: Options, force: bool = False) -> None:
    if o.db is None and (force or not o.keep_db):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{o.out / 'service.db'}{suffix}").unlink(missing_ok=True)


def _run(o: Options, inputs: Inputs) -> dict[str, Any]:
    with Service(o.out, o.db, o.server_workers, o.world, o.rate_scale, o.prefill_reads, o.service_module) as svc:
        svc.start()
        tokens = svc.tokens()
        plan = make_plan(o, inputs, tokens)
        plan_path = plan.write(o.out / "traffic.json")
        ceiling = (wrk_ceiling(f"{svc.url}/healthz", o.wrk_s, server_pid=svc.proc.pid) if o.wrk_s > 0
                   else {"rps": None, "note": "skipped"})
        time.sleep(SETTLE_S)  # requests wrk left queued finish before the first scrape
        probe_before = svc.probe_search(plan.seed, plan.behavior)
        scrape0 = svc.scrape()  # after the probe, so the run's figures leave the probe searches out
        reads0 = scrape0.total("fedsim_alpr_reads_ingested_total")
        shape = "scenario" if inputs.scenario is not None else (str(resolve_shape_path(o.shape)) if o.shape else None)
        shape = "capacity" if o.capacity is not None else shape
        classes = tuple(ACTOR_CLASSES[a] for a, p in plan.actors.items() if p.fixed_count or p.weight)
        run_ = LocustRun(
            svc.url, o.out, svc.tokens_path, plan_path, inputs.run_time_s, plan.users() or o.users, o.spawn_rate, o.processes,
            shape, classes,
        )
        monitor = Monitor()
        monitor.watch("server", svc.proc.pid)
        monitor.start()
        window_s = window_seconds(inputs.run_time_s)
        scraper = Scraper(svc.scrape, window_s, limit=int(inputs.run_time_s / window_s) + 4)
        t_start = time.monotonic()
        scraper.start()
        try:
            code, wall_s, client_cpu_s = run_.run(monitor)
        finally:
            samples = monitor.stop()
            windows = scraper.stop()
        scrape1 = svc.scrape()
        windows = [(t_start, scrape0), *windows, (time.monotonic(), scrape1)]
        reads1 = scrape1.total("fedsim_alpr_reads_ingested_total")
        probe_after = svc.probe_search(plan.seed + 1, plan.behavior)
        final = svc.scrape()
        if o.wrk_after and o.wrk_s > 0 and ceiling.get("rps"):  # again, on the warm server the run left behind
            after = wrk_ceiling(f"{svc.url}/healthz", o.wrk_s, server_pid=svc.proc.pid)
            ceiling = ceiling | {"rps_before": ceiling["rps"], "rps_after": after.get("rps")}
            if (after.get("rps") or 0.0) > ceiling["rps"]:  # the higher measurement, with its own CPU figures
                ceiling |= {k: after[k] for k in ("rps", "p50_ms", "requests", "server_cpu_s",
                                                  "server_cpu_ms_per_request") if k in after}
    if code not in (0, 1) or not Path(f"{run_.prefix}_stats.csv").exists():
        raise HarnessError(f"Locust exited with status {code}; see {o.out / 'locust.log'}")
    diff = scrape1.minus(scrape0)
    duration = max(min(inputs.run_time_s, wall_s), 1.0)
    cores = os.cpu_count() or 1
    probe = {"before_ms": probe_before, "after_ms": probe_after, "reads_between": reads1 - reads0}
    offered = _offered(plan)
    sqlite = o.db is None or o.db.startswith("sqlite")
    # On SQLite a search and its audit record commit through the one group writer; on PostgreSQL each search
    # holds one of the worker's pooled connections.
    workers = {"server_workers": o.server_workers, "search_workers": 1 if sqlite else o.server_workers * READ_CONNECTIONS,
               "packaging_workers": o.server_workers, "writers": 1 if sqlite else o.server_workers}
    table = (float(o.prefill_reads + reads0), float(o.prefill_reads + reads1)) if reads1 >= reads0 else None
    calib = calibration(diff, duration_s=duration, **workers, probe=probe, offered_per_s=offered, reads_in_table=table)
    reports = summary_mod.locust_reports(o.out)
    extra = {
        "label": "client and server co-located" if LOOPBACK in svc.url else "client and server on different machines",
        "host": svc.url,
        "cores": cores,
        "locust_exit_code": code,
        "locust_processes": o.processes,
        "client_cpu_total_s": client_cpu_s,
        "client_cpu_test_s": (reports or {}).get("cpu_s"),
        "paced_backlogs_dropped": (reports or {}).get("dropped_backlogs"),
        "plan": {
            "mode": plan.mode,
            "users": plan.users() or o.users,
            "batch_reads": plan.batch_reads,
            "offered_per_s": plan.offered_per_s,
            "notes": plan.notes,
        },
        "ceiling": ceiling,
        "server": {
            "routes_ms": route_table(diff),
            "db_ms": route_table(diff, "fedsim_db_batch_duration_seconds"),
            "reads_ingested": reads1 - reads0 if reads1 >= reads0 else None,
            "reads_per_s": (reads1 - reads0) / duration,
            "packages_built": final.minus(scrape0).total("fedsim_packages_built_total"),
        },
    }
    summ = summary_mod.build(run_.prefix, samples, cores, duration, extra)
    agg = summ["endpoints"].get("Aggregated", {})
    summ["ceiling"]["locust_share_of_ceiling"] = agg.get("rps", 0) / ceiling["rps"] if ceiling.get("rps") else None
    server_share = summ["cpu"].get("server_cpu_share")
    summ["utilization"] = utilization(calib, server_share)
    ingest_rows = summary_mod.history(run_.prefix).get("POST /v1/alpr/reads", [])
    summ["over_time"]["reads_per_s"] = [{"t": r["t"], "reads_per_s": r["rps"] * plan.batch_reads} for r in ingest_rows]
    calib["measured"]["utilization"] = summ["utilization"]
    verdict = stability(per_window(windows, **workers), table)
    calib = {"stable": verdict["stable"], "why": verdict["why"], **calib,
             "windows": {"window_s": window_s, "queues": verdict["queues"]}}
    exceptions = len(summary_mod.read_csv(Path(f"{run_.prefix}_exceptions.csv")))
    summ["exceptions"] = exceptions
    if plan.mode == "open" and o.arrival_rate is not None:
        summ["open_model"] = summary_mod.open_model(o.arrival_rate, agg.get("rps") or 0.0, extra["paced_backlogs_dropped"])
    verdicts = evaluate(inputs.conditions, summ["endpoints"], o.thresholds or "")
    failures = int(agg.get("failures", 0)) + exceptions
    result = exit_code(verdicts, failures)
    summ["exit_code"] = result
    _write(o.out / LOADTEST, summ)
    _write(o.out / "verdicts.json", verdicts)
    _write(o.out / "calibration.json", calib)
    return {"exit_code": result, "folder": o.out, "loadtest": summ, "verdicts": verdicts, "calibration": calib}


def _offered(plan: TrafficPlan) -> dict[str, float]:
    """Planned arrival rates per queue (scenario plans only; other modes use the observed rates)."""
    if plan.mode != "scenario":
        return {}
    o = plan.offered_per_s
    return {
        "search": o.get("search_plate", 0.0) + o.get("search_vehicle", 0.0),
        "reads": o.get("reads", 0.0),
        "packaging": o.get("submit_clips", 0.0),
    }
