"""`fedsim world SCENARIO [--json]`: build the world and summarise it (filled in by the world builder)."""

from __future__ import annotations

import argparse
import sys

from sim.cli.common import add_scenario_args, scenario_from_args


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("world", help="build a scenario's world and print a summary")
    add_scenario_args(p)
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    p.set_defaults(func=world)


def world(args: argparse.Namespace) -> int:
    scenario_from_args(args)
    print("fedsim world: the world builder is not implemented yet (issue 3); the scenario is valid.", file=sys.stderr)
    return 1
