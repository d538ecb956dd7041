"""Shared pieces of the `fedsim` command line: errors that exit 2, scenario loading, output folders."""

from __future__ import annotations

import argparse
import atexit
import gc
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sim.config import Scenario, load_scenario
from sim.config.checks import scenario_warnings


class UsageError(Exception):
    """Bad input on the command line: printed without a traceback, exit status 2."""


@contextmanager
def long_lived_imports(module: str) -> Iterator[None]:
    """A command's first import of `module` (a command's package: for `fedsim run` the runner, the model, pandas
    and pyarrow; for ``reports.report`` matplotlib and the charts; ~100,000-150,000 objects that live until the
    process exits), with the cyclic garbage collector paused; then what exists is frozen.

    Speed trick (measured with `gc.callbacks` and the process's CPU time): collecting while those objects are
    created finds nothing to free, yet took 0.08-0.10 s of CPU while `fedsim run` loaded its command (two full
    collections), 0.09-0.13 s of `fedsim report`'s ~1 s of imports and a further full collection (0.045 s)
    while it read the tables. Frozen objects are left out of every later collection: in this process, in the
    forked chart workers (the use `gc.freeze` documents before a fork), and in the ones the interpreter runs at
    exit. Nothing is frozen when `module` was imported before (a test session, a program calling `write_report`
    or the CLI's functions): there it would gain nothing and could keep uncollected garbage for good."""
    if module in sys.modules:
        yield
        return
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()


def freeze_at_exit() -> None:
    """Freeze every object when the interpreter exits (`atexit`), so that its exit collections do not walk them.

    Speed trick: after `fedsim run --no-report` (or a sweep), the collections the interpreter runs while it
    tears down its modules walked the whole national world and the run's objects: the process took 0.35-0.37 s
    CPU after its last `atexit` call, 0.07-0.08 s with the freeze (national baseline, 1 replication; rusage at
    `atexit` against the process's total as its parent saw it). The run's files are written and closed by
    then; what the freeze skips is freeing memory the process gives back anyway (and finalizers of objects in
    reference cycles, which Python does not promise to run at exit). Registered once, and only at exit: a test
    session or a program calling `main()` many times keeps its collector as it is meanwhile. After `fedsim run`
    with its report, `long_lived_imports` has already frozen the world."""
    atexit.unregister(gc.freeze)
    atexit.register(gc.freeze)


def add_scenario_args(parser: argparse.ArgumentParser, *, with_set: bool = True) -> None:
    parser.add_argument("scenario", help="scenario YAML file")
    if with_set:
        parser.add_argument(
            "--set",
            dest="overrides",
            action="append",
            default=[],
            metavar="PATH=VALUE",
            help="override one parameter, e.g. --set policy.alpr_retention_days=7 (repeatable)",
        )


def scenario_from_args(args: argparse.Namespace) -> Scenario:
    """The scenario the command names, with its --set overrides; its warnings printed (`sim.config.checks`)."""
    overrides = list(getattr(args, "overrides", []))
    for flag in ("tables", "csv"):  # --tables / --csv: shorthands for --set run.tables=[...] / run.csv=[...]
        given = getattr(args, flag, None)
        if given is not None:
            overrides.append(f"run.{flag}={given}" if given in ("all", "none") else f"run.{flag}=[{given}]")
    scenario = load_scenario(args.scenario, overrides)
    print_warnings(scenario)
    for note in dropped_by_set(args.scenario, overrides, scenario):
        print(f"WARNING: {note}", file=sys.stderr)
    return scenario


def _set_paths(overrides: list[str]) -> set[str]:
    return {o.split("=", 1)[0].strip() for o in overrides}


def dropped_by_set(path: str, overrides: list[str], scenario: Scenario) -> list[str]:
    """What a ``--set`` of a list dropped from the scenario's (lists replace): ``policy.state_laws=[TX]`` (a user
    adding Texas) silently removed California's and Illinois's laws; ``policy.overrides=[...]`` on nc-ban.yaml its
    North Carolina ban. Says what was dropped and how to keep it."""
    notes: list[str] = []
    paths = _set_paths(overrides)
    if "policy.state_laws" in paths:
        below = load_scenario(path, [o for o in overrides if _set_paths([o]) != {"policy.state_laws"}]).policy
        dropped = [s for s in below.state_laws if s not in scenario.policy.state_laws]
        keep = ", ".join(dict.fromkeys([*below.state_laws, *scenario.policy.state_laws]))
        if dropped:
            notes.append(f"--set policy.state_laws replaces the scenario's list {below.state_laws} (lists replace): "
                         f"{', '.join(dropped)} no longer {'has' if len(dropped) == 1 else 'have'} a state law in this "
                         f"run. To add states and keep them: --set 'policy.state_laws=[{keep}]', or one state's law as "
                         "an override (policy.overrides: {where: {state: TX}, set: {state_law: true}}, as "
                         "scenarios/nc-ban.yaml does)")
    if "policy.overrides" in paths:
        below = load_scenario(path, [o for o in overrides if _set_paths([o]) != {"policy.overrides"}]).policy
        dropped = [o for o in below.overrides if o not in scenario.policy.overrides]
        if dropped:
            given = "; ".join(f"{{where: {o.where.model_dump(exclude_none=True)}, set: {o.set.given()}}}" for o in dropped)
            notes.append(f"--set policy.overrides replaces the scenario's list (lists replace): {len(dropped)} "
                         f"override(s) dropped from this run: {given}. To add one, give the list with them")
    return notes


def print_warnings(scenario: Scenario, source: str = "") -> None:
    """`scenario`'s warnings on standard error: valid, so the command goes on, but likely not what was meant;
    each names `source` (the file) when given, as `fedsim validate` of several files needs."""
    where = f"{source}: " if source else ""
    # imported here: sim.model loads numpy and simpy, which `fedsim --help` and the commands' registration do not need
    from sim.model.platform import calibration_warnings

    for warning in scenario_warnings(scenario) + calibration_warnings(scenario.platform):
        print(f"WARNING: {where}{warning}", file=sys.stderr)


def output_dir(scenario: Scenario, explicit: str | None) -> Path:
    """`-o DIR`, else `run.output_dir`, else `out/<scenario name>/`."""
    if explicit:
        return Path(explicit)
    if scenario.run.output_dir:
        return Path(scenario.run.output_dir)
    return Path("out") / scenario.name


def say(msg: str, *, quiet: bool = False) -> None:
    if not quiet:
        print(msg, file=sys.stdout, flush=True)
