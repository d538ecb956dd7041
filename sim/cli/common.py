"""Shared pieces of the `fedsim` command line: errors that exit 2, scenario loading, output folders."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sim.config import Scenario, load_scenario
from sim.config.checks import scenario_warnings


class UsageError(Exception):
    """Bad input on the command line: printed without a traceback, exit status 2."""


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
    for note in dropped_state_laws(args.scenario, overrides, scenario):
        print(f"WARNING: {note}", file=sys.stderr)
    return scenario


def dropped_state_laws(path: str, overrides: list[str], scenario: Scenario) -> list[str]:
    """A ``--set policy.state_laws=[...]`` replaces the list (lists replace): a user adding Texas with ``[TX]``
    silently removed California's and Illinois's laws. Say which states the --set dropped, and how to keep them."""
    if not any(o.split("=", 1)[0].strip() == "policy.state_laws" for o in overrides):
        return []
    below = load_scenario(path, [o for o in overrides if o.split("=", 1)[0].strip() != "policy.state_laws"])
    dropped = [s for s in below.policy.state_laws if s not in scenario.policy.state_laws]
    if not dropped:
        return []
    keep = ", ".join(dict.fromkeys([*below.policy.state_laws, *scenario.policy.state_laws]))
    return [f"--set policy.state_laws replaces the scenario's list {below.policy.state_laws} (lists replace): "
            f"{', '.join(dropped)} no longer {'has' if len(dropped) == 1 else 'have'} a state law in this run. To add "
            f"states and keep them: --set 'policy.state_laws=[{keep}]', or one state's law as an override "
            "(policy.overrides: {where: {state: TX}, set: {state_law: true}}, as scenarios/nc-ban.yaml does)"]


def print_warnings(scenario: Scenario, source: str = "") -> None:
    """`scenario`'s warnings on standard error: valid, so the command goes on, but likely not what was meant;
    each names `source` (the file) when given, as `fedsim validate` of several files needs."""
    where = f"{source}: " if source else ""
    for warning in scenario_warnings(scenario):
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
