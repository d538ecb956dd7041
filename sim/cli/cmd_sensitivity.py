"""`fedsim sensitivity SCENARIO [--params auto|a,b,c] [--samples N] [--method morris|lhs] -o DIR`.

Varies the parameters docs/MODEL.md marks "assumption" over their declared ranges (`sim.sensitivity.ranges`)
and asks which ones move each outcome metric, and how much (`sim.sensitivity.analysis`). The runs are an
ordinary sweep on the runner (workers, Dask, progress bar, ``--resume``) written into DIR (default
``out/<scenario name>-sensitivity/``, beside the scenario's run folder); DIR also gets
``sensitivity.csv`` and ``sensitivity.json``, then the report (which draws the tornado chart from the table).
``--metric NAME`` puts one metric first in the table and the printout, whatever its kind: a whole-run metric, or
one state's figure written METRIC.ST (``audit.records_received_proxy.TX``, `sim.results.state_metric`), read from
each point's by_state table; an unknown name, or a state the world lacks, exits 2 before the runs.
Exit status: 0 when every run succeeded, 1 when some failed, 2 for bad input.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

from sim.cli.cmd_run import METRIC_FORMS, add_runner_args, after_run, runner_kwargs
from sim.cli.common import UsageError, add_scenario_args, output_dir, scenario_from_args
from sim.config.run import Sweep
from sim.results import layout
from sim.results.catalog import KEY_METRICS
from sim.results.plain_csv import write_csv
from sim.runner import RunnerError, sweep
from sim.runner.api import check_named_metric
from sim.sensitivity import analysis as A

TOP = 3  # parameters printed per metric
MAX_METRICS = 8  # metrics printed (headline metrics first); the table has them all


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("sensitivity", help="which assumptions move the outcome metrics (Morris or LHS, via SALib)")
    add_scenario_args(p)
    add_runner_args(p, f"a metric to analyse first, whatever its kind: {METRIC_FORMS}")
    p.add_argument("--params", default="auto",
                   help="'auto' (every declared range the scenario uses) or comma-separated dotted paths")
    p.add_argument("--samples", type=int, default=64, help="model runs to spend (Morris: samples // (k+1) "
                   "trajectories, at least 2; LHS: points) (default 64)")
    p.add_argument("--method", default="morris", help="morris (elementary effects) or lhs (rank correlations)")
    p.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    if args.samples < 1:
        raise UsageError(f"--samples must be a positive whole number, got {args.samples}")
    if args.replications not in (None, "1"):
        raise UsageError(f"--replications: a sensitivity design runs 1 replication per point (common random "
                         f"numbers), got {args.replications!r}")
    scenario = scenario_from_args(args)
    try:
        ranges = A.select(scenario, args.params)
        design = A.design(scenario, ranges, args.samples, args.method)
    except A.SensitivityError as exc:
        raise UsageError(str(exc)) from None
    named = args.metric  # analysed first, besides the outcome metrics; a state's figure is read from by_state
    if named is not None:
        try:
            state = check_named_metric(scenario, named)
        except RunnerError as exc:
            raise UsageError(str(exc)) from None
        if state is not None and "by_state" not in scenario.run.tables:
            raise UsageError(f"--metric {named!r} is read from each point's by_state table, which run.tables "
                             f"{scenario.run.tables} leaves out: add it (--tables "
                             f"{','.join([*scenario.run.tables, 'by_state'])})")
    if len(design.X) > args.samples:  # Morris's floor of 2 trajectories: said before the runs, not after
        print(f"fedsim sensitivity: --samples {args.samples} is fewer runs than Morris needs for {len(ranges)} "
              f"parameters (at least 2 trajectories of {len(ranges) + 1} runs): running {len(design.X)} runs; "
              "name fewer parameters with --params to run fewer", file=sys.stderr)
    planned = scenario.model_copy(update={"sweep": Sweep(points=design.points())})
    kw = runner_kwargs(args)
    kw["replications"], kw["metric"] = 1, None  # --metric here names what to analyse, not an auto rule's metric
    if kw["output_dir"] is None:  # beside the scenario's run folder, not in it (`fedsim run` writes out/<name>/)
        base = output_dir(scenario, None)
        kw["output_dir"] = base.with_name(f"{base.name}-sensitivity")
    try:
        result = sweep(planned, crn=True, **kw)
    except RunnerError as exc:
        raise UsageError(str(exc)) from None
    out = Path(result.output_dir)
    ys = A.responses(result.summary(), len(design.X))
    if named is not None:
        ys = {named: A.named_response(out, result.summary(), len(design.X), named), **ys}
    table = A.analyze(design, ys, A.seed_of(scenario))
    write_csv(table, out / layout.SENSITIVITY)
    (out / layout.SENSITIVITY_MANIFEST).write_text(json.dumps({
        "scenario": scenario.name, "method": design.method, "runs": int(len(design.X)), "metric": named,
        "seed": A.seed_of(scenario),
        "parameters": [{"path": r.path, "low": r.low, "high": r.high, "reason": r.reason} for r in ranges],
    }, indent=2), encoding="utf-8")
    info = result.manifest
    print(f"fedsim sensitivity: {scenario.name}: {design.method}, {len(ranges)} parameters, {len(design.X)} runs "
          f"in {info['wall_s']:.1f} s")
    shown = [m for m in KEY_METRICS if m in set(table["metric"])] or sorted(set(table["metric"]))[:MAX_METRICS]
    if named is not None:
        shown = [named, *(m for m in shown if m != named)]
        if named not in set(table["metric"]):
            y = ys[named]
            why = ("a run failed, and an elementary effect needs both ends of its step" if not np.isfinite(y).all()
                   else "the same value at every point: none of these assumptions moves it")
            print(f"  {named}: no row ({why})")
    for metric in shown[:MAX_METRICS]:
        rows = table[table["metric"] == metric]
        top = rows.sort_values("rank").head(TOP)
        print(f"  {metric}: " + "; ".join(f"{p} {v:.3g} [{lo:.3g}, {hi:.3g}]" for p, v, lo, hi in
                                         zip(top["parameter"], top["value"], top["low"], top["high"], strict=True)))
    print(f"results: {out}/ ({layout.SENSITIVITY}, {layout.SENSITIVITY_MANIFEST}, sweep.csv, points/<point>/)")
    status = 0
    if len(result.failures):
        print(f"{len(result.failures)} failure row(s); see {out / 'failures.csv'}", file=sys.stderr)
        status = 1
    if args.no_report or not scenario.run.report:
        return status
    return status if after_run(out) else 1
