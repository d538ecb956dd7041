"""`fedsim report RESULTS_DIR [-o FILE]` and `fedsim compare DIR_A DIR_B [...] [-o DIR]`: briefs from saved results.

Both read only the tables a run or sweep saved (see docs/reports.md). Unreadable input exits 2 with a
message naming the folder or file and what was expected. Registered with `fedsim` through the entry-point
group ``fedsim.commands``; `after_run` is this package's ``fedsim.after_run`` hook, which writes
report.html after `fedsim run` and `fedsim sweep` (the simulation package does not import this one).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from sim.cli.common import UsageError, long_lived_imports, say  # long_lived_imports: the collector paused


def register_report(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("report", help="write report.html (charts, key numbers, assumptions) from a results folder")
    p.add_argument("results_dir", help="a results folder written by `fedsim run` or `fedsim sweep`")
    p.add_argument("-o", "--output", help="the HTML file to write (default RESULTS_DIR/report.html)")
    p.add_argument("--sweep", help="a sweep folder over policy.alpr_retention_days for the exposure-vs-retention chart")
    p.add_argument("--loadtest", help="a `fedsim loadtest` output folder (or its loadtest.json) for the latency chart")
    p.add_argument("--world", help="a `fedsim world SCENARIO --json` summary for the sharing-reach charts "
                                   "(default RESULTS_DIR/world.json when present)")
    add_focus_args(p)
    p.set_defaults(func=report)


def add_focus_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--focus", metavar="STATE", help="lead the brief with one state (two-letter code, e.g. NC)")
    p.add_argument("--focus-agency", metavar="NAME", help="lead the brief with one agency (exact name) and its state")


def register_compare(sub: argparse._SubParsersAction) -> None:
    c = sub.add_parser("compare", help="write a side-by-side brief of results folders (the first is the baseline)")
    c.add_argument("results_dirs", nargs="+", metavar="RESULTS_DIR", help="two or more results folders")
    c.add_argument("-o", "--output", default="out/compare", help="output folder (default out/compare)")
    add_focus_args(c)
    c.set_defaults(func=compare)


def report(args: argparse.Namespace) -> int:
    with long_lived_imports("reports.report"):
        from reports import ReportInputError, write_report

    try:
        path = write_report(args.results_dir, args.output, sweep=args.sweep, loadtest=args.loadtest, world=args.world,
                            focus=args.focus, focus_agency=args.focus_agency)
    except ReportInputError as exc:
        raise UsageError(str(exc)) from None
    say(f"Report: {path}")
    return 0


def compare(args: argparse.Namespace) -> int:
    with long_lived_imports("reports.compare"):
        from reports import ReportInputError, write_compare

    if len(args.results_dirs) < 2:
        raise UsageError(f"compare needs at least two results folders, got {len(args.results_dirs)}")
    try:
        path = write_compare(args.results_dirs, args.output, focus=args.focus, focus_agency=args.focus_agency)
    except ReportInputError as exc:
        raise UsageError(str(exc)) from None
    say(f"Comparison: {path}")
    return 0


def after_run(results_dir: Path) -> str:
    """The post-run hook: write report.html into a fresh results folder; return its path."""
    with long_lived_imports("reports.report"):
        from reports import write_report

    return str(write_report(results_dir))
