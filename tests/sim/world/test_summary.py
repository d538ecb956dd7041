"""The world summary's choices that depend on a run's focus: which state's agency graph world.json holds."""

from __future__ import annotations

import contextlib
import io
from collections.abc import Callable

from sim.config import load_scenario
from sim.world.summary import drawn_state_graph, focus_state
from sim.world.types import World
from tests.conftest import SCENARIOS
from tests.sim.world.test_state_graph import AGENCIES, EDGES


def test_a_focus_names_a_state_directly_or_through_an_agency(make_world: Callable[..., World]) -> None:
    world = make_world(AGENCIES, EDGES)
    assert focus_state(world, {"state": "NC"}) == "NC"
    assert focus_state(world, {"agency": "F"}) == "VA"
    assert focus_state(world, {"agency": "ICE"}) is None  # a federal unit has no state
    assert focus_state(world, {"agency": "nobody"}) is None and focus_state(world, None) is None


def test_the_focus_state_is_drawn_when_it_has_agencies_else_the_default(make_world: Callable[..., World]) -> None:
    world = make_world(AGENCIES, EDGES)
    scenario = load_scenario(SCENARIOS / "small.yaml")
    default = drawn_state_graph(world, scenario, None)
    assert default is not None and default["state"] == "NC"  # the largest state that fits
    assert drawn_state_graph(world, scenario, "VA")["state"] == "VA"
    assert drawn_state_graph(world, scenario, "WA") == default  # no agency in WA: the default drawing


def test_the_reach_rows_of_fedsim_world_line_up_whatever_the_scope_names() -> None:
    from sim.cli.main import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["world", str(SCENARIOS / "small.yaml")]) == 0
    lines = out.getvalue().splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("reach per agency"))
    rows = [line for line in lines[start + 1:] if line.startswith("  ") and " / " in line][:3]
    assert [r.split()[0] for r in rows] == ["local", "in_state_shared", "national"]
    assert len({r.index(" / ") for r in rows}) == 1, rows  # the slashes in one column
    assert len({len(r) for r in rows}) == 1, rows
