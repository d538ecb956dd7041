"""`fedsim validate FILE...` and `fedsim schema`: check scenario files (and each point of a ``sweep:`` section, as
`fedsim sweep` would build it); print the JSON Schema."""

from __future__ import annotations

import argparse
import json
import sys

from sim.cli.common import dropped_by_set, print_warnings
from sim.config import Scenario, ScenarioError, load_scenario
from sim.config.errors import Problem
from sim.config.load import origin_of
from sim.model.platform import apply_calibration
from sim.model.policy_select import check_overrides
from sim.runner import seeds
from sim.runner.design import expand
from sim.world.build import build_world_cached


def register_validate(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("validate", help="check scenario files; exit 0 when all are valid, 2 otherwise")
    p.add_argument("files", nargs="+", help="scenario YAML files")
    p.add_argument("--set", dest="overrides", action="append", default=[], metavar="PATH=VALUE")
    p.set_defaults(func=validate)


def register_schema(sub: argparse._SubParsersAction) -> None:
    s = sub.add_parser("schema", help="print the JSON Schema of scenario files")
    s.set_defaults(func=schema)


def validate(args: argparse.Namespace) -> int:
    failed = 0
    for name in args.files:
        try:
            scenario = load_scenario(name, args.overrides)
            apply_calibration(scenario.platform)  # a missing, malformed or unstable load-test file fails `run` too
        except ScenarioError as exc:
            failed += 1
            print(str(exc), file=sys.stderr)
            continue
        try:
            if any(o.where.agency is not None for o in scenario.policy.overrides):
                # names are checked against the built world, as `fedsim run` does before its runs (it refused
                # 'Houston PD' where validate said ok): only these scenarios pay for the build
                check_overrides(build_world_cached(scenario, seeds.world_seed(scenario.run.seed)), scenario.policy)
        except ScenarioError as exc:  # its lines name the override, not the file: the file is this one
            failed += 1
            print("\n".join(f"{name}: {line.removeprefix('policy: ')}" for line in str(exc).splitlines()),
                  file=sys.stderr)
            continue
        problems = ended_problems(scenario, name, args.overrides)
        if problems:  # `fedsim world` / `run` would refuse them only once the world is built, located "scenario:"
            failed += 1
            print(str(ScenarioError(problems)), file=sys.stderr)
            continue
        bad_points = [p for p in expand(scenario) if p.error is not None] if scenario.sweep is not None else []
        if bad_points:  # each point is validated like a file: `fedsim sweep` would make each a failure row
            failed += 1
            for p in bad_points:
                print(f"{name}: {p.error}", file=sys.stderr)
            continue
        print(f"{name}: ok ({scenario.name})", flush=True)  # before its warnings (standard error)
        print_warnings(scenario, name)
        for note in dropped_by_set(name, args.overrides, scenario):
            print(f"WARNING: {name}: {note}", file=sys.stderr)
    return 2 if failed else 0


def ended_problems(scenario: Scenario, name: str, overrides: list[str]) -> list[Problem]:
    """``world.flock.ended_before_period``'s names that are no agency of the 2026 lists (`world.flock.data`: the
    shipped data/flock_2026 or a folder), at the file's line: the lists' names only, no world built (~0.1 s). A folder
    whose lists cannot be read is left to the world's build, which says why."""
    flock = scenario.world.flock
    if scenario.world.source != "flock-2026" or not flock.ended_before_period:
        return []
    from sim.world.flock_2026_data import data_dir, read_nodes
    from sim.world.flock_2026_zeros import ENDED_FIELD, unknown_ended

    try:
        names = set(read_nodes(data_dir(flock.data)).name.tolist())
    except (OSError, ValueError):
        return []
    source, line = origin_of(name, overrides, ENDED_FIELD)
    return unknown_ended(flock.ended_before_period, names, source, line)


def schema(args: argparse.Namespace) -> int:
    from sim.config.schema import scenario_schema

    print(json.dumps(scenario_schema(), indent=2))
    return 0
