"""`fedsim world SCENARIO [--json] [-o DIR]`: build the scenario's world and summarise it.

Prints counts by type, the sharing federation's degree distributions, national-lookup opt-in, reach
per scope under the scenario's policy, each federal unit's reach and the households notified per
request (see sim/world/summary.py and docs/world.md). ``--focus STATE`` (or ``--focus-agency NAME``, its
state) adds the state's lines: owners, federal reach by channel, sharing links by the searchers' state; the
JSON's ``state_graph`` then draws that state. ``--focus-agency NAME`` first adds the agency's own lines
(`sim.world.summary_agency`: its cameras and where they come from, its portal's figures, its sharing).
Writes nothing unless ``-o DIR`` is given, then DIR/world.json
holds the same summary as ``--json``.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from sim.cli.common import UsageError, add_scenario_args, scenario_from_args
from sim.results import layout
from sim.results.focus import FocusError, check_focus


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("world", help="build a scenario's world and print a summary")
    add_scenario_args(p)
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    p.add_argument("-o", "--output", help="also write the summary to DIR/world.json")
    p.add_argument("--focus", metavar="STATE", help="also summarise this state (two-letter code, e.g. TX)")
    p.add_argument("--focus-agency", metavar="NAME",
                   help="also summarise this agency (its cameras and where they come from, its portal's figures, its "
                        "sharing) and its state (exact name)")
    p.set_defaults(func=world)


def world(args: argparse.Namespace) -> int:
    from sim.model.access import reach_summary
    from sim.model.policy_effects import policy_effects
    from sim.runner.api import check_focus_in_world
    from sim.runner.errors import RunnerError
    from sim.world import build_world
    from sim.world.summary import focus_agency, focus_state, focus_text, format_text, summarise
    from sim.world.summary_agency import agency_text

    scenario = scenario_from_args(args)
    try:
        focus = check_focus(args.focus, args.focus_agency)
    except FocusError as exc:
        raise UsageError(str(exc)) from None
    if args.output and ((Path(args.output) / layout.SUMMARY).is_file() or layout.is_sweep(Path(args.output))):
        # a run's world.json is the one its report draws (sharing maps, state graph, federal reach): keep it
        raise UsageError(f"-o {args.output} holds a run's or sweep's results, whose world.json its report reads; "
                         "write this summary to another folder (-o DIR)")
    t0 = time.perf_counter()
    built = build_world(scenario)
    build_s = time.perf_counter() - t0
    if focus is not None:
        try:
            check_focus_in_world(built, focus)
        except RunnerError as exc:
            raise UsageError(str(exc)) from None
    state = focus_state(built, focus)
    reach = reach_summary(built, policy_effects(built, scenario.policy))
    summary = summarise(built, scenario, reach, state, focus_agency(built, focus)) | {"build_seconds": round(build_s, 3)}
    if args.output:
        out = Path(args.output)
        try:
            out.mkdir(parents=True, exist_ok=True)
            (out / "world.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"cannot write {out / 'world.json'}: {exc.strerror}") from None
    if args.json:
        print(json.dumps(summary, indent=2))
    else:
        print(format_text(summary))
        if "agency" in summary:
            print(agency_text(summary["agency"]))
        if state is not None:
            print(focus_text(summary, state))
        print(f"built in {build_s:.2f} s")
    return 0
