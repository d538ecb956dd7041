"""Idle portals of the real-geography world (every 30-day figure 0: a stopped program).

Austin TX PD's portal (April 2026) states 0 cameras, searches, vehicles and hotlist hits (its program ended in June
2025); the world used to read its 0 cameras as "not stated" and fill it with 469 cameras by its population, which a
city's brief then gave as "who can search its 469 cameras".
"""

from __future__ import annotations

import numpy as np
import pytest

from sim.config import load_scenario
from sim.world import build_world
from sim.world.flock_2026_agencies import idle_portals, name_key
from sim.world.flock_2026_data import SHIPPED, read_cameras
from tests.conftest import SCENARIOS

SCENARIO = SCENARIOS / "flock-2026-real.yaml"


@pytest.fixture(scope="module")
def tx_nc():
    scenario = load_scenario(SCENARIO, ["world.states=[TX, NC]", "world.households.count=2000"])
    return scenario, build_world(scenario)


def test_idle_portals_are_those_whose_every_figure_is_0() -> None:
    portal = np.array([True, True, True, False, True])
    cams, veh = np.array([0, 0, 5, 0, 0]), np.array([0, 352_228, 0, 0, 0])
    hits, searches = np.zeros(5, dtype=int), np.array([0, 0, 0, 0, 13])
    # Austin-like, Asheville-like (cameras not stated beside vehicles), a stated count, no portal, searches only
    assert idle_portals(portal, cams, veh, hits, searches).tolist() == [True, False, False, False, False]


def test_a_stopped_program_owns_only_what_osm_names_it_the_operator_of(tx_nc) -> None:
    scenario, world = tx_nc
    a = world.agencies
    names = a.name.tolist()
    per = world.source_figures["per_agency"]
    routes = per["cameras_by_route"]
    austin, dallas, asheville = (names.index(n) for n in ("Austin TX PD", "Dallas TX PD", "Asheville NC PD"))
    assert a.cameras[austin] == 0 and per["portal_cameras"][austin] == 0  # was 469, all filled
    assert per["osm_nearby"][austin] > 50  # the map still has cameras around it: others own them
    osm = read_cameras(SHIPPED)
    named = sum(1 for op, st in zip(osm.operator.tolist(), osm.state.tolist(), strict=True)
                if st == "TX" and op and name_key(op, "TX") == name_key("Dallas TX PD", "TX"))
    assert named == 50
    assert routes["operator"][dallas] == named and routes["nearest"][dallas] == routes["filled"][dallas] == 0
    # a portal listing 0 cameras beside 352,228 vehicles captured has cameras: its 0 is "not stated"
    assert per["portal_cameras"][asheville] == -1 and a.cameras[asheville] > 0
    n = len(per["connections"])
    own = sum(routes[k] for k in ("operator", "nearest", "portal", "filled"))
    assert (own == a.cameras[:n]).all()  # the routes account for every agency's own camera
