"""`fedsim sweep SCENARIO [-o DIR]`: run every design point of the scenario's ``sweep:`` section.

DIR (default ``run.output_dir`` or ``out/<scenario name>/``) gets ``design_points.csv``, ``sweep.csv``
(per point and metric: n, mean, 95% CI, median, p5, p95), ``failures.csv``, ``manifest.json``,
``resolved_scenario.yaml``, ``report.html`` (unless ``--no-report`` or ``run.report: false``) and one run
folder per point under ``points/<point>/``. A failed run is a row of
failures.csv and the sweep goes on; ``--resume`` keeps finished runs. Exit status: 0 when every run
succeeded, 1 when some failed, 2 for bad input.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from sim.cli.cmd_run import add_runner_args, after_run, fmt, ran_words, runner_kwargs, world_words
from sim.cli.common import UsageError, add_scenario_args, freeze_at_exit, scenario_from_args
from sim.results.sweep import read_sweep
from sim.results.sweep_response import table_text
from sim.runner import RunnerError, sweep


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("sweep", help="run a scenario's design points x replications; results per point")
    add_scenario_args(p)
    add_runner_args(p)
    p.add_argument("--crn", action="store_true",
                   help="common random numbers: replication r uses the same streams at every design point")
    p.set_defaults(func=main)


def _summary(result: Any, point: int) -> dict[str, Any]:
    try:
        return result.point(point).summary()
    except (KeyError, OSError, ValueError):  # a point whose runs all failed has no summary
        return {}


def main(args: argparse.Namespace) -> int:
    freeze_at_exit()  # speed: the interpreter's exit collections skip the world (`freeze_at_exit`)
    scenario = scenario_from_args(args)
    try:
        result = sweep(scenario, crn=args.crn, **runner_kwargs(args))
    except RunnerError as exc:
        raise UsageError(str(exc)) from None
    info = result.manifest
    runs = sum(info["replications"].values())
    worlds = world_words(info.get("world_per_replication"), runs)
    print(f"fedsim sweep: {scenario.name}: {info['points']} design point(s), {ran_words(runs, 'run', info)}{worlds}")
    for key, decision in info["decisions"].items():
        if decision.get("mode") == "auto":
            print(f"  point {key}: {decision['replications']} replications, relative half-width of "
                  f"{decision['metric']} {fmt(decision['achieved_halfwidth'])}"
                  f"{'' if decision['converged'] else ' (cap reached)'}")
    tables = read_sweep(result.output_dir)  # sweep.csv as the sweep wrote it, read once for the table and the check below
    text = table_text(tables) if tables is not None else ""
    if text:  # the outcome metrics the sweep moves most, mean [95% CI] per design point
        print(text)
    print(f"results: {result.output_dir}/ (sweep.csv, design_points.csv, failures.csv, points/<point>/)")
    summaries = [_summary(result, i) for i in range(info["points"])]  # each point's summary.json, read once
    overloaded = [i for i, summ in enumerate(summaries) if summ.get("warnings")]
    if overloaded:
        print(f"WARNING: unstable queue at design point(s) {', '.join(map(str, overloaded))}: offered load reaches a "
              "queue's capacity, so its waits are meaningless (see points/<point>/summary.json 'warnings')",
              file=sys.stderr)
    for i, summ in enumerate(summaries):  # a swept value can itself be one (the base scenario's were printed at load)
        for warning in summ.get("scenario_warnings") or []:
            print(f"WARNING: design point {i}: {warning}", file=sys.stderr)
    failed = len(result.failures)
    status = 0
    if failed:
        print(f"{failed} failure row(s); see {result.output_dir / 'failures.csv'}", file=sys.stderr)
        status = 1
    if args.no_report or not scenario.run.report or tables is None or tables.table is None or tables.table.empty:
        return status  # no sweep.csv rows: every run failed, nothing to report
    return status if after_run(result.output_dir) else 1
