"""One state's federation for the report's drawing: which state, which nodes, which edges, sampling."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from sim.world.state_graph import state_graph
from sim.world.types import World

AGENCIES = [("A", "local_police", "NC"), ("B", "local_police", "NC"), ("C", "sheriff", "NC"), ("D", "local_police", "NC"),
            ("E", "local_police", "VA"), ("F", "sheriff", "VA"), ("G", "state_police", "VA"), ("ICE", "federal", "")]
EDGES = [(0, 1, "grant"), (1, 0, "grant"), (2, 3, "statewide"), (4, 5, "grant"), (5, 6, "statewide"), (4, 7, "grant"),
         (0, 4, "grant"), (3, 7, "grant")]


def test_the_largest_state_that_fits_is_drawn_whole(make_world: Callable[..., World]) -> None:
    world = make_world(AGENCIES, EDGES, national=[True, False, False, False, True, True, False, False])
    g = state_graph(world, np.random.default_rng(0), max_agencies=3)
    assert g["state"] == "VA" and not g["sampled"] and g["agencies_in_state"] == 3
    assert [n["name"] for n in g["nodes"]] == ["E", "F", "G", "ICE"]
    assert sorted(map(tuple, g["edges"])) == [(4, 5, "grant"), (4, 7, "grant"), (5, 6, "statewide")]
    assert [n["national_lookup"] for n in g["nodes"]] == [True, True, False, False]


def test_a_state_too_large_is_sampled_reproducibly(make_world: Callable[..., World]) -> None:
    world = make_world(AGENCIES, EDGES)
    a = state_graph(world, np.random.default_rng(5), max_agencies=2)
    b = state_graph(world, np.random.default_rng(5), max_agencies=2)
    assert a == b and a["state"] == "NC" and a["sampled"] and a["agencies_in_state"] == 4
    kept = {n["id"] for n in a["nodes"] if n["kind"] != "federal"}
    assert len(kept) == 2 and kept <= {0, 1, 2, 3}
    ids = {n["id"] for n in a["nodes"]}
    assert all(u in kept and v in ids for u, v, _ in a["edges"])
    assert (7 in ids) == (3 in kept)  # the federal unit appears only through a kept agency's grant


def test_a_focus_agency_is_drawn_with_its_in_state_partners_first(make_world: Callable[..., World]) -> None:
    """--focus-agency: a sampled state shows that agency and its in-state partners (either direction), whatever
    the random draw; without a focus the sample is the plain random one (the same as before)."""
    world = make_world(AGENCIES, EDGES)
    for seed in range(20):
        g = state_graph(world, np.random.default_rng(seed), max_agencies=2, state="NC", agency=3)
        kept = {n["id"] for n in g["nodes"] if n["kind"] != "federal"}
        assert kept == {2, 3} and g["focus_agency"] == 3  # C -> D is D's only in-state link
        g = state_graph(world, np.random.default_rng(seed), max_agencies=3, state="NC", agency=0)
        kept = {n["id"] for n in g["nodes"] if n["kind"] != "federal"}
        assert {0, 1} <= kept and len(kept) == 3  # A's partner B, then one at random
    plain = state_graph(world, np.random.default_rng(5), max_agencies=2)
    assert plain == state_graph(world, np.random.default_rng(5), max_agencies=2, agency=None)
    assert plain["focus_agency"] is None
    elsewhere = state_graph(world, np.random.default_rng(5), max_agencies=2, state="NC", agency=4)  # E is in VA
    assert elsewhere["focus_agency"] is None
