"""The Python API: `run(scenario)` and `sweep(scenario)` write a results folder and return a handle on it.

    from sim import load_scenario, run, sweep
    result = run(load_scenario("scenarios/small.yaml"), output_dir="out/small")
    result.summary()["metrics"]["optin.rate"]["mean"]; result.metrics.head()

Both take a `Scenario` or a path (with optional ``path=value`` overrides), ``replications`` (a number, or
"auto" with ``metric``, ``target_halfwidth`` and ``max_replications``), an ``executor`` ("process" by
default, "inprocess" or "dask"), ``workers``, ``scheduler`` (Dask), ``resume`` and ``quiet``. The folder
defaults to ``run.output_dir`` or ``out/<scenario name>/``. See docs/running.md.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from sim.config import Scenario, ScenarioError, load_scenario, parse_override, with_overrides
from sim.config.resolve import content_hash, write_resolved
from sim.geo.states import FEDERAL_STATE, STATE_CODES
from sim.model.component import Component, check, name
from sim.model.metrics import Declared
from sim.model.platform import apply_calibration
from sim.model.policy_select import check_overrides
from sim.model.simulation import COMPONENTS
from sim.results import layout, state_metric
from sim.results.focus import FocusError, check_focus_in
from sim.results.state_metric import StateMetric, StateMetricError
from sim.runner import seeds
from sim.runner.design import DesignPoint, expand, single
from sim.runner.engine import Batch, Outcome, execute
from sim.runner.errors import AllRunsFailed, RunnerError
from sim.runner.executors import check_executor, unsafe_main
from sim.runner.outputs import WorldSummary, write_json, write_point
from sim.runner.parts import PartStore
from sim.runner.progress import Progress, wanted
from sim.runner.replicate import DEFAULT_CAP, DEFAULT_TARGET, Auto, Fixed, ReplicationRule
from sim.runner.results import Result, SweepResult
from sim.runner.sweep_tables import write_sweep_tables
from sim.runner.task import DEFAULT_WORLD
from sim.runner.worlds import WORLDS_DIR, BatchWorlds
from sim.world.build import build_world_cached
from sim.world.types import World

ScenarioLike = Scenario | str | os.PathLike[str]


def as_scenario(scenario: ScenarioLike, overrides: list[str] | None = None) -> Scenario:
    if isinstance(scenario, Scenario):
        if not overrides:
            return scenario
        values = dict(parse_override(text) for text in overrides)
        return with_overrides(scenario, values, source="--set").model_copy(update={"sweep": scenario.sweep})
    return load_scenario(scenario, overrides)


@dataclass
class Options:
    """How to run a batch; the keyword arguments of `run` and `sweep` (see docs/running.md)."""

    replications: int | str | None = None  # a number, "auto", or None for run.replications
    metric: str | None = None  # with "auto": the metric whose CI must be narrow (whole-run, or METRIC.ST: one state's)
    target_halfwidth: float = DEFAULT_TARGET  # with "auto": relative CI half-width to reach
    max_replications: int = DEFAULT_CAP  # with "auto": the cap
    executor: str | None = None  # "process", "inprocess" or "dask"; None: "inprocess" for one run, else "process"
    workers: int | None = None  # default: CPU count, at most the runs of the first round
    scheduler: str | None = None  # Dask: tcp://HOST:PORT of a running scheduler, else a LocalCluster
    resume: bool = False  # keep finished runs of the same batch in the output folder
    quiet: bool = False  # no progress bars
    progress: bool | None = None  # force bars on or off (default: on when stderr is a terminal and not quiet)
    crn: bool = False  # sweeps: common random numbers across design points
    components: tuple[type[Component], ...] = COMPONENTS  # model components (classes)
    world_factory: str = DEFAULT_WORLD  # "module:function" building the world
    world_summary: bool = True  # run: also write world.json (the default world builder only)
    # run: world.json's one-state agency graph shows this focus (`fedsim run --focus`): {"state": code} or
    # {"agency": exact name} (its state); None: the largest state that fits the drawing
    focus: dict[str, str] | None = None


def options(kw: dict[str, Any]) -> Options:
    allowed = [f.name for f in fields(Options)]
    unknown = sorted(set(kw) - set(allowed))
    if unknown:
        raise RunnerError(f"unknown option(s) {', '.join(unknown)}; allowed: {', '.join(allowed)}")
    return Options(**kw)


def policy_for(scenario: Scenario, replications: int | str | None, metric: str | None, target_halfwidth: float,
               max_replications: int) -> ReplicationRule:
    if replications == "auto":
        return Auto(metric or "", target_halfwidth, max_replications)
    if metric is not None:
        raise RunnerError("--metric is only used with --replications auto")
    if replications is None:
        return Fixed(scenario.run.replications)
    if isinstance(replications, str):
        if not replications.isdigit():
            raise RunnerError(f"--replications must be a whole number or 'auto', got {replications!r}")
        replications = int(replications)
    return Fixed(int(replications))


def plan(scenario: Scenario, points: list[DesignPoint], kind: str, crn: bool, components: tuple[type[Component], ...],
         world_factory: str) -> dict[str, Any]:
    """What identifies a batch for --resume: the model (not the replication count or folder), seed and points."""
    run = scenario.run.model_copy(update={"replications": 1, "output_dir": None, "report": True})
    return {
        "kind": kind,
        "scenario_hash": content_hash(scenario.model_copy(update={"run": run, "sweep": None})),
        "seed": scenario.run.seed,
        "crn": crn,
        "components": [name(c) for c in components],
        "world_factory": world_factory,
        "points": [p.values for p in points],
    }


def check_metric(metric: str, declared: Declared) -> StateMetric | None:
    """Before any run: ``--metric`` must be a whole-run metric the components declare (None), or one state's
    by_state figure written ``METRIC.ST`` (`sim.results.state_metric`; returned); see docs/metrics.md."""
    try:
        return state_metric.check("--metric", metric, declared, [m.name for m in declared])
    except StateMetricError as exc:
        raise RunnerError(str(exc)) from None


def reads_world_files(scenario: Scenario) -> bool:
    """Whether building the scenario's world reads data files (real portal or geography data, a folder)."""
    return scenario.world.source != "synthetic" or scenario.world.sharing.source != "synthetic"


def check_focus_in_world(world: World, focus: dict[str, str]) -> None:
    """`fedsim run --focus STATE` / `--focus-agency NAME` must name a state with agencies / an agency of the world
    that is not a federal unit (else the runs went ahead and only the report failed, exit 1): the report's check
    (`sim.results.focus.check_focus_in`), asked of the built world."""
    a = world.agencies
    codes = [STATE_CODES[int(s)] if s >= 0 else FEDERAL_STATE for s in a.state]
    try:
        check_focus_in(focus, "this scenario's world", codes, zip(a.name, codes, strict=True))
    except FocusError as exc:
        raise RunnerError(str(exc)) from None


def check_state_in_world(world: World, watched: StateMetric, where: str) -> None:
    """``--metric METRIC.ST`` must name a state with agencies in the world (else every run lacks its value)."""
    codes = [STATE_CODES[int(s)] if s >= 0 else FEDERAL_STATE for s in world.agencies.state]
    try:
        state_metric.present("--metric", watched, codes, where)
    except StateMetricError as exc:
        raise RunnerError(str(exc)) from None


def check_named_metric(scenario: Scenario, name: str,
                       components: tuple[type[Component], ...] = COMPONENTS) -> StateMetric | None:
    """A metric named outside the auto rule (``fedsim sensitivity --metric``): `check_metric`, and a per-state
    metric's state in the scenario's world (built and cached here: a sweep on the same world reuses it)."""
    found = check_metric(name, Declared.of(components))
    if found is not None:
        world = build_world_cached(scenario, seeds.world_seed(scenario.run.seed, seeds.world_index(scenario, 0)))
        check_state_in_world(world, found, "this scenario's world")
    return found


def preflight(points: list[DesignPoint], single_run: bool, worlds: BatchWorlds | None = None,
              focus: dict[str, str] | None = None, watched: StateMetric | None = None) -> None:
    """Catch what every run of a point would fail on (an unreadable calibration file, an override naming an
    agency the world lacks, a data folder without the expected files, a focus the world lacks, a state metric
    `watched` by ``--replications auto`` in a state the world lacks) before running it, so a bad input leaves the
    output folder as it was."""
    for p in points:
        if p.scenario is None:
            continue
        try:
            apply_calibration(p.scenario.platform)
            names = any(o.where.agency is not None for o in p.scenario.policy.overrides)
            state = watched is not None and worlds is not None  # a custom world factory's world is not known here
            if names or state or (single_run and worlds is not None and (reads_world_files(p.scenario) or focus)):
                # names need the world (built once and cached: the batch reuses it); under run.world_per_replication
                # replication 0's: every replication's world has the same agencies, only their draws differ
                seed, index = p.scenario.run.seed, seeds.world_index(p.scenario, 0)
                world = (worlds.world(p.scenario, seed, index) if worlds is not None
                         else build_world_cached(p.scenario, seeds.world_seed(seed, index)))
                if names:
                    check_overrides(world, p.scenario.policy)
                if focus and single_run:
                    check_focus_in_world(world, focus)
                if state and watched is not None:
                    check_state_in_world(world, watched, "this scenario's world" if single_run
                                         else f"the world of design point {p.index}")
        except ScenarioError as exc:
            if single_run:
                raise
            p.scenario, p.error = None, str(exc)


def check_folder_kind(root: Path, kind: str) -> None:
    """Refuse to write a run into a sweep's folder or a sweep into a run's: the two layouts would mix (a run's
    report would draw the sweep's curves and tornado, its manifest would replace the sweep's)."""
    if kind == "run" and layout.is_sweep(root):
        raise RunnerError(f"{root} holds a sweep ({layout.DESIGN_POINTS}, {layout.POINTS}/); a run written there "
                          "would mix with it: give the run another output folder (-o DIR) or remove this one")
    if kind == "sweep" and (root / layout.SUMMARY).is_file() and not layout.is_sweep(root):
        raise RunnerError(f"{root} holds a run ({layout.SUMMARY}); a sweep written there would mix with it: give "
                          "the sweep another output folder (-o DIR) or remove this one")


def _execute(scenario: Scenario, points: list[DesignPoint], kind: str, output_dir: str | os.PathLike[str] | None,
             opts: Options, on_world: Callable[[Scenario, int, World], None] | None = None,
             ) -> tuple[Path, Outcome, dict[str, Any]]:
    root = Path(output_dir or scenario.run.output_dir or Path("out") / scenario.name)
    policy = policy_for(scenario, opts.replications, opts.metric, opts.target_halfwidth, opts.max_replications)
    # The default world is built once per root seed in the parent and handed to the runs (sim.runner.worlds);
    # preflight may build it first (override names are checked against it), and that build is the batch's.
    worlds = BatchWorlds(None, on_world) if opts.world_factory == DEFAULT_WORLD else None
    try:
        components = check(tuple(opts.components))
    except TypeError as exc:
        raise RunnerError(str(exc)) from None
    # a per-state metric (METRIC.ST) is read from each run's by_state rows: the runs are told to keep its value
    watched = check_metric(policy.metric, Declared.of(components)) if isinstance(policy, Auto) else None
    preflight(points, kind == "run", worlds, opts.focus, watched)
    if not any(p.scenario is not None for p in points):
        raise RunnerError("no design point is valid:\n" + "\n".join(f"point {p.index}: {p.error}" for p in points))
    if opts.executor is None:
        # A batch of one run gains nothing from a pool: starting one (~1.6 s on 2 cores) and handing its worker
        # the world (a ~55 MB pickle, ~0.4 s to load) cost more than the run's whole tail. The bytes written are
        # the same on every executor (tests/sim/runner/test_end_to_end.py).
        runs = policy.initial() * sum(p.scenario is not None for p in points)
        opts.executor = "inprocess" if isinstance(policy, Fixed) and runs == 1 else "process"
    check_executor(opts.executor, opts.workers, opts.scheduler)
    if opts.executor in ("process", "dask") and not opts.scheduler:
        reason = unsafe_main()
        if reason is not None:
            print(f"fedsim: running in this process: {reason}", file=sys.stderr)
            opts.executor = "inprocess"
    world_factory, crn = opts.world_factory, opts.crn
    workers = opts.workers
    if workers is None and opts.executor == "process":  # no more processes than runs in the first round
        workers = max(1, min(os.cpu_count() or 1, policy.initial() * sum(p.scenario is not None for p in points)))
    check_folder_kind(root, kind)
    store = PartStore(root)
    store.prepare(plan(scenario, points, kind, crn, components, world_factory), opts.resume)
    if worlds is not None and opts.executor != "inprocess":
        worlds.folder = store.dir / WORLDS_DIR  # worker processes load the world from a file there
    batch = Batch(root, points, policy, crn, components, world_factory, worlds,
                  (watched.name,) if watched is not None else ())
    enabled = wanted(opts.quiet) if opts.progress is None else bool(opts.progress)
    progress = Progress(enabled, scenario.run.warmup_days + scenario.run.days)
    started = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    try:
        outcome = execute(batch, store, progress, opts.executor, workers, opts.scheduler)
    finally:
        progress.close()
    info = {
        "started_utc": started,
        "wall_s": outcome.wall_s,
        "runs_executed": outcome.runs_executed,
        "executor": outcome.executor,
        "interrupted": outcome.interrupted,
        "seeds": {"run_spawn_key": "(0, replication)" if crn else "(design_point, replication)", "crn": crn},
        "world_builds": sum(outcome.world_builds.values()),
        "world_builds_by_seed": {str(seed): n for seed, n in outcome.world_builds.items()},
    }
    return root, outcome, info


def run(scenario: ScenarioLike, *, overrides: list[str] | None = None,
        output_dir: str | os.PathLike[str] | None = None, **kw: Any) -> Result:
    """Run the scenario's replications (one design point) and write its results folder; `kw`: `Options`."""
    sc = as_scenario(scenario, overrides)
    opts = options(kw)
    opts.crn = False
    world = WorldSummary(sc, opts.focus) if opts.world_summary and opts.world_factory == DEFAULT_WORLD else None

    def on_world(scenario: Scenario, seed: int, built: World) -> None:
        # summarise it beside the runs (the executor is settled by now: _execute may have chosen it)
        if world is not None:
            world.start(scenario, seed, built, in_process=opts.executor == "inprocess")

    try:
        root, outcome, info = _execute(sc, single(sc), "run", output_dir, opts, on_world)
        decision = outcome.decisions.get(0, {})
        summ, _ = write_point(root, PartStore(root), sc, 0, outcome.replications[0],
                              {**info, "replication_policy": decision})
        if world is not None and summ["replications"] and not outcome.interrupted:
            world.write(root)
    finally:
        if world is not None:
            world.cancel()  # a summary still computing when the runs failed or were interrupted
    if outcome.interrupted:
        raise KeyboardInterrupt(f"interrupted; {summ['replications']} finished run(s) are merged in {root}; the same "
                                "command with --resume runs the rest")
    result = Result(root, decision)
    if not summ["replications"]:
        fails = result.failures
        first = f"; the first (replication {fails.iloc[0].replication}): {fails.iloc[0].error}" if len(fails) else ""
        raise AllRunsFailed(f"every replication of {sc.name!r} failed ({len(fails)} run(s)){first}; "
                            f"errors and tracebacks in {root / 'failures.csv'}", result)
    return result


def worlds_redrawn(points: list[DesignPoint]) -> bool | str:
    """A sweep's ``world_per_replication``: its valid points' ``run.world_per_replication``, or "by point" when a
    sweep sets it differently at different points (each point's manifest.json says which)."""
    values = {p.scenario.run.world_per_replication for p in points if p.scenario is not None}
    return values.pop() if len(values) == 1 else "by point"


def sweep(scenario: ScenarioLike, *, overrides: list[str] | None = None,
          output_dir: str | os.PathLike[str] | None = None, **kw: Any) -> SweepResult:
    """Run every design point of the scenario's ``sweep:`` section (results per point under ``points/``)."""
    sc = as_scenario(scenario, overrides)
    if sc.sweep is None:
        raise RunnerError(f"scenario {sc.name!r} has no sweep: section (a grid or a list of points) to sweep")
    points = expand(sc)
    root, outcome, info = _execute(sc, points, "sweep", output_dir, options(kw))
    store = PartStore(root)
    summaries, failures = {}, []
    for p in points:
        if p.scenario is None:
            continue
        batch = {**info, "replication_policy": outcome.decisions.get(p.index, {})}
        folder = layout.point_dir(root, p.index)
        summaries[p.index], fails = write_point(folder, store, p.scenario, p.index, outcome.replications[p.index],
                                                 batch, p.values)
        failures += fails
    write_sweep_tables(root, sc.name, points, summaries, failures)
    write_resolved(sc, root / layout.RESOLVED)
    write_json(root / layout.MANIFEST, {
        "scenario": sc.name,
        "kind": "sweep",
        "points": len(points),
        "invalid_points": [p.index for p in points if p.scenario is None],
        "replications": {str(k): v for k, v in sorted(outcome.replications.items())},
        "decisions": {str(k): v for k, v in sorted(outcome.decisions.items())},
        "runs_failed": len(failures),
        "world_per_replication": worlds_redrawn(points),
        **info,
    })
    if outcome.interrupted:
        raise KeyboardInterrupt(f"interrupted; finished runs are merged in {root}; the same command with --resume "
                                "runs the rest")
    return SweepResult(root, outcome.decisions)
