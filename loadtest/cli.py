"""`fedsim loadtest`: drive the reference service with Locust and write one folder of results.

    fedsim loadtest --users 20 --run-time 60s -o out/lt                    # closed-loop mix
    fedsim loadtest --scenario scenarios/baseline.yaml --scale 0.01 -o out/lt-baseline
    fedsim loadtest --shape step --thresholds loadtest/thresholds/default.yaml
    fedsim loadtest --soak -o out/soak                                     # step run, then 10 min at 80%
    fedsim loadtest --find-capacity --slo "p95<250ms,errors<1%" --run-time 90s -o out/capacity
    fedsim loadtest --arrival-rate 100 --run-time 60s                      # open model: Poisson arrivals

Exit status: 0 pass, 1 request failures, 3 threshold breach, 2 harness error or bad input. See docs/loadtest.md.
Registered with `fedsim` through the entry-point group ``fedsim.commands``.
"""

from __future__ import annotations

import argparse
import importlib.util
import re
import signal
import sys
from pathlib import Path

from loadtest.traffic import WEEKDAYS
from sim.cli.common import UsageError
from sim.results.layout import LOADTEST

RUN_TIME_RE = re.compile(r"^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+(?:\.\d+)?)s?)?$")


def parse_run_time(text: str) -> float:
    """Locust's run-time syntax: 90, 90s, 2m, 1h30m -> seconds."""
    m = RUN_TIME_RE.match(text.strip())
    if not text.strip() or not m or not any(m.groups()):
        raise UsageError(f"--run-time: expected a duration such as 30s, 2m or 1h30m, got {text!r}")
    h, mins, s = (float(g) if g else 0.0 for g in m.groups())
    total = h * 3600 + mins * 60 + s
    if total <= 0:
        raise UsageError(f"--run-time must be longer than 0 s, got {text!r}")
    return total


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("loadtest", help="load-test the reference service with Locust (docs/loadtest.md)")
    p.add_argument("-u", "--users", type=int, default=10, help="concurrent users of the closed-loop mix (default 10)")
    p.add_argument("-r", "--spawn-rate", type=float, help="users started per second (default: all at once)")
    p.add_argument("-t", "--run-time", help="how long, e.g. 30s, 2m (default 30s; 60s with --scenario; a shape's length)")
    p.add_argument("--scenario", help="derive traffic from this scenario's rates (with --scale)")
    p.add_argument("--scale", type=float, default=None,
                   help="with --scenario: share of the scenario's platform-wide rates (default 0.01)")
    p.add_argument("--weekday", choices=WEEKDAYS, help="with --scenario: play this day of the week's searches and "
                   "requests (the scenario's weekly profiles) instead of an average day's; wed is the baseline's busiest")
    p.add_argument("--shape", help="a shape file, or ramp/step/spike/soak from loadtest/shapes/")
    p.add_argument("--thresholds", metavar="FILE", help="k6-style thresholds YAML; a breach exits 3")
    p.add_argument("--db", help="database URL for the service (default: a temporary SQLite file in the output folder)")
    p.add_argument("-o", "--output", default="out/loadtest", help="output folder (default out/loadtest)")
    p.add_argument("--processes", type=int, default=1, help="Locust processes (-1: one per core; default 1)")
    p.add_argument("--think-time", type=float, default=1.0, help="mean seconds between a user's tasks (0 = back to back)")
    p.add_argument("--server-workers", type=int, default=1, help="service worker processes (default 1)")
    p.add_argument("--world", help="scenario whose world seeds the database (default scenarios/small.yaml)")
    p.add_argument("--wrk-seconds", type=float, default=3.0, help="seconds of the wrk /healthz ceiling (0 to skip)")
    p.add_argument("--no-rate-limits", action="store_true", help="turn the service's per-token rate limits off")
    p.add_argument("--rate-scale", type=float, default=None, metavar="X",
                   help="multiply the service's per-token rate limits by X (default 1; 0 turns them off)")
    p.add_argument("--keep-db", action="store_true", help="keep the temporary SQLite database")
    p.add_argument("--prefill-reads", type=int, default=0, metavar="N",
                   help="write N synthetic ALPR reads over the retention window before the run (default 0)")
    p.add_argument("--soak", action="store_true", help="step run to measure capacity, then 10 min at 80%% of it")
    p.add_argument("--find-capacity", action="store_true",
                   help="step the offered load up until the SLO breaks, then bisect: capacity.json, step table, chart "
                        "(--run-time is the search's budget, default 90s)")
    p.add_argument("--slo", default=None, metavar="SPEC",
                   help="with --find-capacity: e.g. p95<250ms,errors<1%% (the default)")
    p.add_argument("--step-seconds", type=float, metavar="S", help="with --find-capacity: seconds per step "
                                                                   "(default: the budget / 11, 6 to 30)")
    p.add_argument("--start-rate", type=float, default=None, metavar="REQ_PER_S",
                   help="with --find-capacity: the first step's offered load (default 8 req/s)")
    p.add_argument("--arrival-rate", type=float, metavar="REQ_PER_S",
                   help="open model: Poisson arrivals at this total rate, whatever the server does (warns when the "
                        "generator could not keep it)")
    p.set_defaults(func=loadtest)


def _rate_scale(args: argparse.Namespace) -> float:
    """The factor on the service's per-token rate limits: --rate-scale X, or 0 for --no-rate-limits."""
    if args.rate_scale is None:
        return 0.0 if args.no_rate_limits else 1.0
    if args.no_rate_limits:
        raise UsageError("--no-rate-limits and --rate-scale cannot be combined (--no-rate-limits is --rate-scale 0)")
    from loadtest.service.cli import checked_rate_scale

    return checked_rate_scale(args.rate_scale)


def options(args: argparse.Namespace):  # -> loadtest.harness.Options
    from loadtest.harness import DEFAULT_WORLD, Options

    for name, value, low in (("--users", args.users, 1), ("--server-workers", args.server_workers, 1),
                             ("--prefill-reads", args.prefill_reads, 0)):
        if value < low:
            raise UsageError(f"{name} must be at least {low}, got {value}")
    if args.processes == 0 or args.processes < -1:
        raise UsageError(f"--processes must be -1 or at least 1, got {args.processes}")
    if args.spawn_rate is not None and args.spawn_rate <= 0:
        raise UsageError(f"--spawn-rate must be > 0, got {args.spawn_rate}")
    if args.think_time < 0:
        raise UsageError(f"--think-time must be >= 0, got {args.think_time}")
    if args.wrk_seconds < 0:
        raise UsageError(f"--wrk-seconds must be >= 0 (0 skips the wrk ceiling), got {args.wrk_seconds}")
    if args.scale is not None and not args.scenario:  # it was ignored without a word: the closed loop has no rates
        raise UsageError(f"--scale {args.scale}: only with --scenario (it multiplies the scenario's platform-wide "
                         "rates); without one the load is set by --users and --think-time")
    for flag, path in (("--scenario", args.scenario), ("--thresholds", args.thresholds), ("--world", args.world)):
        if path and not Path(path).is_file():
            raise UsageError(f"{flag}: no such file {path!r}")
    if Path(args.output).exists() and not Path(args.output).is_dir():
        raise UsageError(f"-o {args.output!r} is a file: the load test writes a folder of files there")
    return Options(
        out=Path(args.output),
        users=args.users,
        spawn_rate=args.spawn_rate,
        run_time_s=parse_run_time(args.run_time) if args.run_time else None,
        scenario=args.scenario,
        **({"scale": args.scale} if args.scale is not None else {}),  # else the Options default (0.01)
        shape=args.shape,
        thresholds=args.thresholds,
        db=args.db,
        processes=args.processes,
        think_s=args.think_time,
        server_workers=args.server_workers,
        world=args.world or DEFAULT_WORLD,
        wrk_s=args.wrk_seconds,
        keep_db=args.keep_db,
        rate_scale=_rate_scale(args),
        prefill_reads=args.prefill_reads,
        arrival_rate=args.arrival_rate,
        weekday=args.weekday,
    )


# What a load test runs beside the service: the `loadtest` extra (pyproject.toml).
EXTRA_MODULES = ("locust", "fastapi", "uvicorn")


def require_extra() -> None:
    """Say plainly, before anything starts, that the `loadtest` extra is missing (not a child's traceback)."""
    missing = []
    for name in EXTRA_MODULES:
        try:
            found = importlib.util.find_spec(name) is not None
        except (ImportError, ValueError):
            found = False
        if not found:
            missing.append(name)
    if missing:
        raise UsageError(f"needs {', '.join(missing)}, part of the optional `loadtest` extra, which is not installed: "
                         "run `make install-all` or `pip install -e '.[loadtest]'`")


def loadtest(args: argparse.Namespace) -> int:
    require_extra()
    opts = options(args)
    # SIGTERM as SystemExit, so the service and Locust (own sessions) are stopped on the way out; the previous
    # handler comes back when the load test returns (a caller in the same process keeps its own).
    def stop(*_: object) -> None:  # said, as Ctrl-C's "interrupted" is: a killed run otherwise ended in silence
        print(f"fedsim loadtest: stopped by SIGTERM; stopping the service and Locust (no {LOADTEST}; what Locust "
              f"wrote so far stays in {opts.out}/)", file=sys.stderr, flush=True)
        sys.exit(128 + signal.SIGTERM)

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        return _loadtest(args, opts)
    finally:
        signal.signal(signal.SIGTERM, previous)


def _loadtest(args: argparse.Namespace, opts) -> int:  # opts: loadtest.harness.Options
    from loadtest import harness, soak

    capacity_only = [f for f, v in (("--slo", args.slo), ("--step-seconds", args.step_seconds),
                                    ("--start-rate", args.start_rate)) if v is not None]
    if capacity_only and not args.find_capacity:
        raise UsageError(f"{', '.join(capacity_only)} only work{'s' if len(capacity_only) == 1 else ''} "
                         "with --find-capacity")
    if args.find_capacity and args.soak:
        raise UsageError("--find-capacity and --soak cannot be combined")
    if args.start_rate is not None and args.start_rate <= 0:
        raise UsageError(f"--start-rate must be > 0 requests/s, got {args.start_rate}")
    try:
        if args.find_capacity:
            from loadtest import capacity

            result = capacity.run(opts, args.slo or capacity.DEFAULT_SLO, args.step_seconds,
                                  args.start_rate or capacity.START_RPS)
        else:
            result = soak.run(opts) if args.soak else harness.run(opts)
    except harness.InputError as exc:
        raise UsageError(str(exc)) from None
    except harness.HarnessError as exc:
        print(f"fedsim loadtest: {exc}", file=sys.stderr)
        return harness.EXIT_HARNESS
    folder = result["folder"]
    if args.find_capacity:
        _print_capacity(result)
    elif args.soak:
        r = result["report"]
        print(
            f"soak: capacity {r['capacity_rps']:.1f} req/s, held {r['achieved_rps'] or 0:.1f} req/s "
            f"(target {r['target_rps']:.1f}), {r['failures']} failures; report {folder / 'soak_report.json'}"
        )
    else:
        _print_result(result)
    return int(result["exit_code"])


def _print_capacity(result: dict) -> None:
    from loadtest.capacity import format_table

    doc, folder = result["capacity"], result["folder"]
    print(format_table(result["rows"]))
    if doc.get("capacity_rps"):
        interval = doc.get("interval_rps")
        ci = f", achieved {doc['achieved_mean_rps']:.1f} req/s" + (
            f" (95% CI {interval[0]:.1f} to {interval[1]:.1f} over {doc['runs_at_capacity']} runs)" if interval else "")
        print(f"fedsim loadtest: capacity {doc['capacity_rps']:.0f} req/s offered within {doc['slo']['text']}{ci}")
    else:
        print(f"fedsim loadtest: no offered load held {doc['slo']['text']}")
    if doc.get("first_breach"):
        b = doc["first_breach"]
        print(f"  first breach at {b['offered_rps']:.0f} req/s: {b['reason']}; limited by {doc['limited_by']}")
    if doc.get("note"):
        print(f"  note: {doc['note']}")
    print(f"  results in {folder}/ (capacity.json, capacity_steps.csv, capacity.png, {LOADTEST})")


def _print_result(result: dict) -> None:
    s, v = result["loadtest"], result["verdicts"]
    agg = s["endpoints"].get("Aggregated", {})
    print(
        f"fedsim loadtest: {agg.get('count', 0)} requests, {agg.get('failures', 0)} failed, "
        f"{agg.get('rps', 0):.1f} req/s, p95 {agg.get('p95')} ms ({s['label']})"
    )
    if s["ceiling"].get("rps"):
        print(
            f"  wrk /healthz ceiling {s['ceiling']['rps']:.0f} req/s; Locust reached "
            f"{s['ceiling']['locust_share_of_ceiling']:.1%} of it"
        )
    print(
        f"  Locust CPU {s['cpu'].get('client_cpu_ms_per_request') or 0:.2f} ms per request; "
        f"server CPU {100 * (s['cpu'].get('server_cpu_share') or 0):.0f}% of {s['cores']} cores"
    )
    for queue, u in s["utilization"].items():
        if u.get("predicted") is not None:
            print(
                f"  {queue}: model utilization {u['predicted']:.3f} at the offered load, measured busy {u['measured_busy']:.3f}"
            )
    calib = result["calibration"]
    if calib.get("stable"):
        q = calib["windows"]["queues"]
        parts = [f"{n} {e['mean']:.4g} {e['unit']} [{e['interval'][0]:.4g}, {e['interval'][1]:.4g}]"
                 for n, e in q.items() if e.get("interval")]
        print(f"  calibration: stable over {calib['windows']['window_s']:.0f} s windows ({'; '.join(parts)}; 95% CI)")
    else:
        print("  calibration: NOT stable (calibration.json says stable: false; the model will refuse it):")
        for why in calib.get("why", []):
            print(f"    - {why}")
    for check in v["checks"]:
        mark = "ok  " if check["passed"] else "FAIL"
        print(f"  {mark} {check['endpoint']}: {check['text']} (actual {check['actual']})")
    for note in s["plan"]["notes"]:
        print(f"  note: {note}")
    if s.get("open_model", {}).get("warning"):
        print(f"  WARNING: {s['open_model']['warning']}")
    print(f"  results in {result['folder']}/ ({LOADTEST}, verdicts.json, calibration.json, locust.html)")
