"""`fedsim run SCENARIO [-o DIR]`: run replications of a scenario and write results and the report."""

from __future__ import annotations

import argparse
import sys

from sim.cli.common import add_scenario_args, output_dir, scenario_from_args
from sim.config.resolve import write_resolved


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("run", help="run a scenario and write results to out/<name>/")
    add_scenario_args(p)
    p.add_argument("-o", "--output", help="output folder (default out/<scenario name>/)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    scenario = scenario_from_args(args)
    out = output_dir(scenario, args.output)
    write_resolved(scenario, out / "resolved_scenario.yaml")
    print(
        f"fedsim run: the simulation model is not implemented yet (issues 4 and 5); "
        f"wrote only {out / 'resolved_scenario.yaml'}",
        file=sys.stderr,
    )
    return 1
