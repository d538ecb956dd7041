"""world.flock.portal_reads: a portal stating both cameras and vehicles captured carries its own vehicles per
camera-day (`Agencies.own_vehicles_per_camera_day`), under the zero rules of `sim.world.flock_2026_zeros`."""

from __future__ import annotations

import numpy as np

from sim.config import load_scenario
from sim.rng import Streams
from sim.world.flock_2026_agencies import flock_agencies
from sim.world.flock_2026_data import SHIPPED, read_nodes, read_states
from sim.world.flock_2026_zeros import reads_stated
from tests.conftest import SCENARIOS


def agencies(portal_reads: bool, notes: list[str]):
    sc = load_scenario(SCENARIOS / "flock-2026-real.yaml",
                       ["world.states=[OR, WA, NC]", f"world.flock.portal_reads={str(portal_reads).lower()}"])
    return flock_agencies(sc.world, Streams(np.random.SeedSequence(1)), read_nodes(SHIPPED), read_states(SHIPPED),
                          notes)


def test_only_a_stated_pair_above_zero_sets_a_rate() -> None:
    portal = np.array([True, True, True, True, False, True])
    idle = np.array([False, False, False, True, False, False])
    cameras = np.array([10, -1, 10, 0, -1, 0])  # -1: not stated (a 0 beside activity); idle's 0 is stated
    vehicles = np.array([9_000.0, 9_000.0, 0.0, 0.0, np.nan, 9_000.0])
    assert reads_stated(portal, idle, cameras, vehicles).tolist() == [True, False, False, False, False, False]


def test_portals_carry_their_own_vehicles_per_camera_day_only_when_asked() -> None:
    notes: list[str] = []
    fa = agencies(True, notes)
    on = fa.agencies
    own = on.own_vehicles_per_camera_day
    stated = on.portal & (fa.portal_cameras > 0) & (on.vehicles_30d > 0)
    assert stated.sum() > 20
    # the portal's own pair: its vehicles captured over its stated cameras (not the world's), over 30 days
    assert np.allclose(own[stated], on.vehicles_30d[stated] / fa.portal_cameras[stated] / 30.0)
    assert np.isnan(own[~stated]).all()
    asheville = on.name.tolist().index("Asheville NC PD")  # 352,228 vehicles beside 0 cameras: not stated
    assert on.vehicles_30d[asheville] > 0 and np.isnan(own[asheville])
    eugene = on.name.tolist().index("Eugene OR PD")  # an idle portal: every figure 0
    assert np.isnan(own[eugene])
    assert any("read at it (world.flock.portal_reads)" in n for n in notes)
    off = agencies(False, []).agencies
    assert np.isnan(off.own_vehicles_per_camera_day).all()
    assert np.array_equal(off.vehicles_30d, on.vehicles_30d, equal_nan=True)  # the data itself is kept either way


def test_both_real_geography_sides_read_at_the_portals() -> None:
    """On in flock-2026-real.yaml and so in flock-2026-real-rules.yaml (it extends it): one camera world, one set of
    read rates, on both sides of a 2025-2026 comparison; off by default."""
    assert load_scenario(SCENARIOS / "flock-2026-real.yaml").world.flock.portal_reads
    assert load_scenario(SCENARIOS / "flock-2026-real-rules.yaml").world.flock.portal_reads
    assert not load_scenario(SCENARIOS / "small.yaml").world.flock.portal_reads
