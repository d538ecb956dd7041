"""`fedsim run SCENARIO [-o DIR]`: run a scenario's replications, write the results folder and the report.

DIR (default ``run.output_dir`` or ``out/<scenario name>/``) gets summary.json, metrics.csv/.parquet,
flows.csv/.parquet, failures.csv, resolved_scenario.yaml, manifest.json and, through the post-run hooks
(`sim.cli.after_run`: the reports package writes report.html), the brief (unless ``--no-report`` or
``run.report: false``). Prints the key whole-run metrics with their 95% CI. The runner
options here (replications, executor, workers, resume, quiet) are shared with `fedsim sweep`.
Exit status: 0 when every run succeeded, 1 when some failed (see failures.csv), 2 for bad input.
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path
from typing import Any

from sim.cli.after_run import run_hooks
from sim.cli.common import UsageError, add_scenario_args, freeze_at_exit, say, scenario_from_args
from sim.cli.focus_lines import agency_world_lines, focus_lines
from sim.results import layout
from sim.results.catalog import KEY_METRICS, info, metric_unit  # key metrics: shown first in the printout
from sim.results.focus import FocusError, check_focus, save_focus
from sim.results.read import read_scenario, read_table
from sim.results.state_metric import label_unit
from sim.results.state_metric import parse as parse_state_metric
from sim.results.stats import Estimate, bounded
from sim.runner import RunnerError, run
from sim.runner.errors import AllRunsFailed
from sim.runner.executors import KINDS
from sim.runner.replicate import DEFAULT_CAP, DEFAULT_TARGET

MAX_ROWS = 12


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("run", help="run a scenario's replications and write results to out/<name>/")
    add_scenario_args(p)
    add_runner_args(p)
    p.add_argument("--focus", metavar="STATE", help="the report leads with this state (two-letter code, e.g. NC)")
    p.add_argument("--focus-agency", metavar="NAME", help="the report leads with this agency (exact name) and its state")
    p.set_defaults(func=main)


METRIC_FORMS = "a whole-run metric, or one state's by_state figure as METRIC.ST (e.g. audit.records_received_proxy.TX)"


def add_runner_args(p: argparse.ArgumentParser,
                    metric_help: str = f"with --replications auto: the metric whose CI must be narrow: {METRIC_FORMS}",
                    ) -> None:
    p.add_argument("-o", "--output", help="output folder (default run.output_dir, else out/<scenario name>/)")
    p.add_argument("--replications", metavar="N|auto", help="replications per design point (default run.replications)")
    p.add_argument("--metric", help=metric_help)
    p.add_argument("--target-halfwidth", type=float, default=DEFAULT_TARGET,
                   help=f"with auto: relative CI half-width to reach (default {DEFAULT_TARGET})")
    p.add_argument("--max-replications", type=int, default=DEFAULT_CAP,
                   help=f"with auto: stop at this many replications (default {DEFAULT_CAP})")
    p.add_argument("--executor", choices=KINDS,
                   help="where runs execute (default: process, or inprocess when the batch is a single run)")
    p.add_argument("--workers", type=int, help="worker processes (default: CPU count, at most the number of runs)")
    p.add_argument("--scheduler", metavar="tcp://HOST:PORT", help="with --executor dask: an existing scheduler")
    p.add_argument("--resume", action="store_true", help="keep finished runs in the output folder; run the rest")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bars")
    p.add_argument("--no-report", action="store_true", help="do not write report.html (nor does run.report: false)")
    p.add_argument("--tables", metavar="LIST", help="per-place tables to write, comma-separated from flows_by_state, "
                   "by_state, by_agency, audit_by_agency, or all / none (default run.tables: all)")
    p.add_argument("--csv", metavar="LIST", help="tables also written as CSV beside their Parquet, comma-separated, "
                   "or all / none (default run.csv: metrics, flows, by_state, by_agency)")


def replications_arg(text: str | None) -> int | str | None:
    if text is None or text == "auto":
        return text
    if not text.isdigit() or int(text) < 1:
        raise UsageError(f"--replications must be a positive whole number or 'auto', got {text!r}")
    return int(text)


def ran_words(total: int, noun: str, batch: dict[str, Any]) -> str:
    """How a batch's runs came about: ``2 replication(s) on process x2 in 12.4 s``, or, with --resume, how many
    were resumed from the folder (``15 run(s), all resumed from the folder: none run now``)."""
    executor = batch.get("executor") or {}
    where = f"on {executor.get('kind')} x{executor.get('workers')} in {batch.get('wall_s', 0.0):.1f} s"
    executed = batch.get("runs_executed", total)  # absent in folders written before it was recorded
    if executed == 0:
        return f"{total} {noun}(s), all resumed from the folder: none run now"
    if executed < total:
        return f"{total} {noun}(s): {total - executed} resumed from the folder, {executed} run {where}"
    return f"{total} {noun}(s) {where}"


def world_words(redrawn: bool | str | None, runs: int) -> str:
    """What the terminal line adds about the worlds of `runs` runs: whether each replication drew its own
    (``run.world_per_replication``) or all ran on the seed's one world, whose spread the CIs then leave out."""
    if runs < 2:
        return ""
    if redrawn == "by point":
        return "; worlds: by design point (run.world_per_replication, see each point's manifest.json)"
    if redrawn:
        return "; a world drawn for each replication (run.world_per_replication)"
    return "; one world for all replications (CIs leave out the world's spread: run.world_per_replication)"


def runner_kwargs(args: argparse.Namespace) -> dict[str, Any]:
    return dict(
        output_dir=args.output,
        replications=replications_arg(args.replications),
        metric=args.metric,
        target_halfwidth=args.target_halfwidth,
        max_replications=args.max_replications,
        executor=args.executor,
        workers=args.workers,
        scheduler=args.scheduler,
        resume=args.resume,
        quiet=args.quiet,
    )


def fmt(x: float | None) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "n/a"
    if abs(x) >= 1000:  # one way from 1,000 up: a column read "[1243, 30,035]"
        return f"{x:,.0f}"
    return f"{x:.4g}"


def _num(x: float | None) -> float:
    return math.nan if x is None else float(x)


def estimate_line(decision: dict[str, Any]) -> str:
    """The auto rule's metric, mean with its 95% CI: a per-state metric (METRIC.ST) is in no summary table, and a
    national one may be none of the key metrics printed."""
    name = decision["metric"]
    found = parse_state_metric(name)
    # a by_state value is a count or an input echo of one (cameras, agencies): never below 0
    unit = "count" if found is not None else metric_unit(name)
    est = bounded(Estimate(_num(decision.get("mean")), _num(decision.get("ci_low")), _num(decision.get("ci_high")),
                           int(decision["replications"])), unit)
    where = f" ({label_unit(found)[0]}, by_state)" if found is not None else ""
    ci = f"[{fmt(est.low)}, {fmt(est.high)}]" if est.has_ci else "n/a"
    return f"  {name}: {fmt(est.mean)}, 95% CI {ci}{where}"


def summary_lines(summary: dict[str, Any]) -> list[str]:
    metrics = summary["metrics"]
    names = [m for m in KEY_METRICS if m in metrics] or sorted(metrics)[:MAX_ROWS]
    width = max([len(m) for m in names] + [6])
    # the declared unit beside each figure: "footage.bytes 38,847,310,306" and "optin.rate 0.03463" stood bare
    units = {m: (d.unit if (d := info(m)) is not None else "") for m in names}
    uw = max([len(u) for u in units.values()] + [4])
    lines = [f"  {'metric':<{width}}  {'unit':<{uw}}  {'mean':>14}  95% CI"]
    echoes = False
    for m in names:
        s = metrics[m]
        declared = info(m)
        # cut to the metric's range, as the report does: a count's t interval of 2 replications read [-1.678, 112.7]
        cut = bounded(Estimate(s["mean"], _num(s["ci_low"]), _num(s["ci_high"]), s["n"]), metric_unit(m))
        ci = "n/a (1 replication)" if s["n"] < 2 else f"[{fmt(cut.low)}, {fmt(cut.high)}]"
        echo = declared is not None and declared.kind == "input_echo"
        echoes |= echo
        lines.append(f"  {m:<{width}}  {units[m]:<{uw}}  {fmt(s['mean']):>14}  {ci}{'  (input echo)' if echo else ''}")
    if echoes:
        lines.append("  (input echo: a scenario input played back, a check on the model, not a finding; docs/metrics.md)")
    if len(metrics) > len(names):
        lines.append(f"  ({len(metrics) - len(names)} more metrics in summary.json)")
    return lines


def after_run(out: Path) -> bool:
    """Run the post-run hooks (the report) and print their lines; False when one failed."""
    ok = True
    for line, worked in run_hooks(out):
        print(line, file=sys.stdout if worked else sys.stderr)
        ok = ok and worked
    return ok


def failure_status(result: Any) -> int:
    """0 when no run failed; 1 when some did; 2 when every run failed on the scenario itself (bad input)."""
    fails = result.failures
    if fails.empty:
        return 0
    first = fails.iloc[0]
    print(f"{len(fails)} run(s) failed, the first (replication {first.replication}) with {first.error}; "
          f"see {result.output_dir / 'failures.csv'}", file=sys.stderr)
    bad_input = result.summary()["replications"] == 0 and fails.error.str.startswith("ScenarioError:").all()
    return 2 if bad_input else 1


def main(args: argparse.Namespace) -> int:
    freeze_at_exit()  # speed: the interpreter's exit collections skip the world (`freeze_at_exit`)
    scenario = scenario_from_args(args)
    try:  # the focus the report leads with (saved as focus.json), checked before the runs
        focus = check_focus(getattr(args, "focus", None), getattr(args, "focus_agency", None))
    except FocusError as exc:
        raise UsageError(str(exc)) from None
    needed = [] if focus is None else ["by_state", "by_agency"] if "agency" in focus else ["by_state"]
    missing = [t for t in needed if t not in scenario.run.tables]
    if missing:  # else the runs went ahead and only the brief failed ("no by_state table"), exit 1
        option = "--focus-agency" if "agency" in (focus or {}) else "--focus"
        raise UsageError(f"{option} needs the {' and '.join(missing)} table(s), which run.tables "
                         f"{scenario.run.tables} leaves out: add them (--tables {','.join([*scenario.run.tables, *missing])})")
    if scenario.sweep is not None:
        say("note: this scenario has a sweep: section; `fedsim sweep` runs its design points", quiet=args.quiet)
    try:
        result = run(scenario, **runner_kwargs(args), focus=focus)  # world.json draws the focus state's agencies
    except AllRunsFailed as exc:  # the folder is written: report it below like any failed runs
        result = exc.result
    except RunnerError as exc:
        raise UsageError(str(exc)) from None
    summary = result.summary()
    ran = ran_words(summary['replications'], 'replication', result.manifest['batch'])
    worlds = world_words(result.manifest.get("world_per_replication"), summary["replications"])
    print(f"fedsim run: {summary['scenario']}: {ran}{worlds}")
    decision = result.decision
    if decision.get("mode") == "auto":
        how = "reached" if decision["converged"] else "stopped at the cap without reaching"
        print(f"auto replications: {decision['metric']} {how} a relative CI half-width of {decision['target_halfwidth']} "
              f"after {decision['replications']} replications (achieved {fmt(decision['achieved_halfwidth'])})")
        print(estimate_line(decision))
    if summary["metrics"]:
        print("\n".join(summary_lines(summary)))
    if focus is not None and summary["replications"]:
        for line in focus_lines(focus, read_table(result.output_dir, "by_state"),
                                read_table(result.output_dir, "by_agency"), scenario.run.days,
                                read_scenario(result.output_dir)):
            print(line)
        for line in agency_world_lines(result.output_dir, focus["agency"]) if "agency" in focus else []:
            print(line)
    shown = [n for n in ("summary.json", "metrics.csv", "flows.csv", "by_state.csv") if (result.output_dir / n).is_file()]
    print(f"results: {result.output_dir}/ ({', '.join([*shown, '*.parquet', 'manifest.json'])}, ...)")
    for warning in summary.get("warnings") or []:
        print(f"WARNING: {warning}", file=sys.stderr)
    status = failure_status(result)
    if focus is not None:
        save_focus(result.output_dir, focus)  # read by the reports package (reports.focus.asked)
    elif not args.resume:  # an earlier run's focus would lead this run's report
        (result.output_dir / layout.FOCUS).unlink(missing_ok=True)
    if status == 2 or not summary["replications"] or args.no_report or not scenario.run.report:
        return status
    return status if after_run(result.output_dir) else 1
