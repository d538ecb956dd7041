"""world.flock.portal_searches: agencies with a published 30-day search count carry it as their own rate."""

from __future__ import annotations

import numpy as np

from sim.config import load_scenario
from sim.rng import Streams
from sim.world.flock_2026_agencies import flock_agencies
from sim.world.flock_2026_data import SHIPPED, read_nodes, read_states
from sim.world.types import FEDERAL
from tests.conftest import SCENARIOS


def agencies(portal_searches: bool, notes: list[str]):
    sc = load_scenario(SCENARIOS / "flock-2026-real.yaml",
                       ["world.states=[OR, WA]", f"world.flock.portal_searches={str(portal_searches).lower()}"])
    fa = flock_agencies(sc.world, Streams(np.random.SeedSequence(1)), read_nodes(SHIPPED), read_states(SHIPPED),
                        notes)
    return fa.agencies


def test_portals_carry_their_own_count_only_when_asked() -> None:
    notes: list[str] = []
    on = agencies(True, notes)
    portal = on.portal
    assert portal.sum() > 20 and (~portal).sum() > 20
    # the portal's own figure, zeros kept (Eugene OR PD's April 2026 portal shows 0 searches)
    # a 0 beside other activity is a left-out figure (sim.world.flock_2026_zeros): drawn, NaN here
    stated = portal & (on.searches_30d > 0)
    assert np.array_equal(on.own_searches_30d[stated], on.searches_30d[stated])
    left_out = portal & (on.searches_30d == 0) & ((on.vehicles_30d > 0) | (on.hotlist_hits_30d > 0))
    assert left_out.sum() > 0 and np.isnan(on.own_searches_30d[left_out]).all()
    assert np.isnan(on.own_searches_30d[~portal]).all()
    eugene = on.name.tolist().index("Eugene OR PD")
    assert on.own_searches_30d[eugene] == 0.0
    assert not np.isnan(on.own_searches_30d[on.kind != FEDERAL]).all()
    assert any("search at it (world.flock.portal_searches" in n for n in notes)
    off = agencies(False, [])
    assert np.isnan(off.own_searches_30d).all()
    assert np.array_equal(off.searches_30d, on.searches_30d, equal_nan=True)  # the data itself is kept either way


def test_the_2026_side_uses_the_portal_figures_and_the_2025_side_does_not() -> None:
    assert load_scenario(SCENARIOS / "flock-2026-real-rules.yaml").world.flock.portal_searches
    assert not load_scenario(SCENARIOS / "flock-2026-real.yaml").world.flock.portal_searches
