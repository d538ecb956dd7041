"""`fedsim calibration-report SCENARIO [--set ...] [-o DIR] [--replications N] [--period P] [--json]`.

Runs the scenario's replications (the runner of `fedsim run`, so DIR is an ordinary results folder),
writes the world's summary (``world.json``, as `fedsim world -o`), then prints the calibration table and
writes it as ``calibration_report.csv`` and ``calibration_report.md`` (`sim.calibration`): reads per
camera-day, hotlist hits per vehicle detected, searches per agency per 30 days, sharing out-degree
quantiles, requests per agency-year, households notified per request and the response rate, each with
its source, the gap, its tolerance and verdict; and the search rows of the period (``--period`` 2024,
2025 or 2026; default the scenario's own ``period``, 2025 when it declares none, said on stderr as is a
``--period`` other than the declared one): portal quantiles of searches per agency, scope shares and cameras
per search of the Eugene OR PD audit log, networks per search of the Okaloosa County SO log, federal 1:1 grants.
``--json`` prints the rows as a JSON list (``figure``, ``target``, ``model``, ``tolerance``, ``ok``, ...)
on stdout instead of the text table (progress and notes go to stderr). DIR defaults to
``out/<scenario name>-calibration/``.
Exit status: 0, or 1 when some runs failed, 2 for bad input.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from sim.cli.common import UsageError, add_scenario_args, say, scenario_from_args
from sim.config.scenario import PERIODS
from sim.runner.executors import KINDS

UNDECLARED = "2025"  # the period a scenario that declares none is compared with: the defaults' (the baseline's)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("calibration-report", help="run a scenario and compare its outputs with the sourced figures")
    add_scenario_args(p)
    p.add_argument("-o", "--output", help="output folder (default out/<scenario name>-calibration/)")
    p.add_argument("--replications", metavar="N", help="replications (default run.replications)")
    p.add_argument("--workers", metavar="N", help="worker processes (default: CPU count, at most N replications)")
    p.add_argument("--executor", choices=KINDS, default="process", help="where runs execute (default process)")
    p.add_argument("--period", choices=[str(p) for p in PERIODS],
                   help="which period's real figures to compare with (default: the scenario's period; 2025 when it "
                        "declares none)")
    p.add_argument("--json", action="store_true", help="print the rows as JSON on stdout")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bars")
    p.set_defaults(func=main)


def positive(text: str | None, flag: str) -> int | None:
    if text is None:
        return None
    if not text.isdigit() or int(text) < 1:
        raise UsageError(f"{flag} must be a positive whole number, got {text!r}")
    return int(text)


def compared_period(asked: str | None, declared: int | None) -> tuple[str, str]:
    """The period whose figures the run is compared with (`asked` by --period, else the scenario's `declared`
    period, else 2025) and a note when it is not the declared one ('' when it is)."""
    if asked is None and declared is None:
        return UNDECLARED, (f"the scenario declares no period (period: {', '.join(map(str, PERIODS))}); comparing "
                            f"with {UNDECLARED}'s figures")
    period = asked or str(declared)
    if declared is None or period == str(declared):
        return period, ""
    return period, f"comparing with {period}'s figures; the scenario declares {declared}"


def main(args: argparse.Namespace) -> int:
    from sim.calibration import calibration_table, format_text, to_json, write_calibration
    from sim.runner import RunnerError, run

    scenario = scenario_from_args(args)
    replications = positive(args.replications, "--replications")
    workers = positive(args.workers, "--workers")
    out = Path(args.output) if args.output else Path("out") / f"{scenario.name}-calibration"
    if out.exists() and not out.is_dir():
        raise UsageError(f"-o {out}: exists and is not a folder")
    say(f"calibration-report: running {scenario.name} into {out}/", quiet=args.quiet or args.json)
    try:
        result = run(scenario, output_dir=out, replications=replications, workers=workers,
                     executor=args.executor, quiet=args.quiet or args.json)
    except RunnerError as exc:
        raise UsageError(str(exc)) from None
    except OSError as exc:
        raise UsageError(f"cannot write results to {out}: {exc.strerror or exc}") from None
    summary = result.summary()
    period, note = compared_period(args.period, scenario.period)
    if note:
        print(f"calibration-report: {note}", file=sys.stderr)
    table = calibration_table(out, period)
    csv_path, md_path = write_calibration(table, out, title=f"Calibration: {scenario.name} ({period})")
    if args.json:
        print(json.dumps(to_json(table), indent=1))
    else:
        print(f"calibration of {scenario.name} against {period}: {summary['replications']} replication(s) of "
              f"{scenario.run.days} days")
        print(format_text(table))
        print(f"written: {csv_path}, {md_path} (sources and inputs per row in the CSV)")
    if summary["failed"]:
        print(f"{summary['failed']} run(s) failed; see {out / 'failures.csv'}", file=sys.stderr)
        return 1
    return 0
