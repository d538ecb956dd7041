"""The world summary's choices that depend on a run's focus: which state's agency graph world.json holds."""

from __future__ import annotations

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
