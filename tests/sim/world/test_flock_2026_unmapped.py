"""Unmapped private networks of the real-geography world: at OSM cameras of unnamed operators, sized like the named."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest
from scipy.spatial import cKDTree

from sim.config import load_scenario
from sim.geo.states import STATE_CODES
from sim.world import build_world
from sim.world.alpr import SITE_JITTER_M
from sim.world.flock_2026_data import SHIPPED, read_cameras
from sim.world.flock_2026_operators import classify
from sim.world.flock_2026_unmapped import network_sizes, unmapped_networks
from sim.world.geo import to_xy
from sim.world.private_networks import HOA_SHARE
from sim.world.types import PRIVATE, SITE_TYPES
from tests.conftest import SCENARIOS

SCENARIO = SCENARIOS / "flock-2026-real.yaml"


@pytest.fixture(scope="module")
def real():
    scenario = load_scenario(SCENARIO, ["world.households.count=3000"])
    return scenario, build_world(scenario)


@pytest.fixture(scope="module")
def unnamed_osm() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """x, y and state code of the OSM cameras whose operator the data do not name (unknown or vendor)."""
    osm = read_cameras(SHIPPED)
    keep = np.array([classify(op)[0] in ("unknown", "vendor") for op in osm.operator.tolist()])
    x, y = to_xy(osm.lat, osm.lon)
    return x[keep], y[keep], np.asarray(osm.state)[keep]


def _unmapped_rows(world) -> np.ndarray:
    a = world.agencies
    return np.flatnonzero((a.kind == PRIVATE) & np.char.startswith(a.name.astype(str), "Unmapped "))


def _named_sizes(world) -> set[int]:
    a = world.agencies
    named = np.flatnonzero((a.kind == PRIVATE) & ~np.char.startswith(a.name.astype(str), "Unmapped "))
    return set(a.cameras[named].tolist())


def test_unmapped_networks_stand_at_unnamed_osm_cameras_sized_like_the_named(real, unnamed_osm) -> None:
    scenario, w = real
    a, c = w.agencies, w.cameras
    rows = _unmapped_rows(w)
    f = w.source_figures["private_networks"]
    drawn = scenario.world.flock.unmapped_private
    assert f["unmapped_networks"] == len(rows) and 0.9 * drawn < len(rows) <= drawn  # a few fall outside every area
    assert f["unmapped_cameras"] == a.cameras[rows].sum() == w.source_figures["cameras"]["routes"]["private_unmapped"]
    assert len(c) == scenario.world.alpr.total  # their cameras count in the fleet, not on top of it
    # each camera within SITE_JITTER_M of an OSM camera of an unnamed operator
    mine = np.isin(c.owner, rows)
    x, y, _ = unnamed_osm
    d, _ = cKDTree(np.column_stack([x, y])).query(np.column_stack([c.x_m[mine], c.y_m[mine]]))
    assert d.max() <= SITE_JITTER_M + 1e-6
    # sizes drawn from the OSM-named networks' sizes; about their mean
    assert set(a.cameras[rows].tolist()) <= _named_sizes(w)
    named_mean = f["cameras"] / f["networks"]
    assert abs(a.cameras[rows].mean() / named_mean - 1) < 0.15
    # HOAs with the 2023 share, by name and site
    hoa = np.char.startswith(a.name[rows].astype(str), "Unmapped HOA ")
    assert abs(hoa.mean() - HOA_SHARE) < 0.02 and f["unmapped_hoa_networks"] == hoa.sum()
    site = Counter(SITE_TYPES[s] for s in c.site[mine])
    assert site["hoa"] == a.cameras[rows[hoa]].sum() and site["business"] == a.cameras[rows[~hoa]].sum()


def test_unmapped_networks_follow_unnamed_cameras_by_state_and_share_like_named_ones(real, unnamed_osm) -> None:
    scenario, w = real
    a = w.agencies
    rows = _unmapped_rows(w)
    _, _, state = unnamed_osm
    share = Counter(state.tolist())
    got = Counter(STATE_CODES[s] for s in a.state[rows])
    n = scenario.world.flock.unmapped_private
    total = sum(v for k, v in share.items() if k in STATE_CODES)
    for code in ("CA", "TX", "GA", "FL"):  # the states with most unnamed cameras: within 4 binomial sd of the draw
        p = share[code] / total
        assert abs(got[code] - n * p) < 4 * np.sqrt(n * p * (1 - p)) + 0.05 * n * p, code
    assert a.national_lookup[rows].all()  # world.private.national_lookup_share 1, as the named ones


def test_a_world_of_some_states_keeps_the_draws_that_fall_in_it(unnamed_osm) -> None:
    scenario = load_scenario(SCENARIO, ["world.states=[NC,SC]", "world.households.count=1000"])
    w = build_world(scenario)
    rows = _unmapped_rows(w)
    _, _, state = unnamed_osm
    n = scenario.world.flock.unmapped_private
    p = np.isin(state, ["NC", "SC"]).sum() / np.isin(state, STATE_CODES).sum()
    assert abs(len(rows) - n * p) < 4 * np.sqrt(n * p * (1 - p)) + 2
    assert set(STATE_CODES[s] for s in w.agencies.state[rows]) <= {"NC", "SC"}


def test_the_world_builds_deterministically(real) -> None:
    scenario, w1 = real
    w2 = build_world(scenario)
    assert np.array_equal(w1.agencies.name, w2.agencies.name) and np.array_equal(w1.cameras.owner, w2.cameras.owner)
    assert np.array_equal(w1.cameras.x_m, w2.cameras.x_m) and np.array_equal(w1.agencies.cameras, w2.agencies.cameras)
    assert w1.sharing.number_of_edges() == w2.sharing.number_of_edges()


def test_unmapped_networks_draw_sites_without_replacement_and_drop_those_without_an_area() -> None:
    rng = np.random.default_rng(1)
    cand = np.arange(10)
    area = np.where(cand < 8, cand % 3, -1)  # the last two cameras have no police agency
    cx, cy = np.arange(10) * 1000.0, np.zeros(10)
    u = unmapped_networks(6, cand, area, cx, cy, np.array([1, 2, 5]), rng)
    assert u.drawn == 6 and u.dropped + len(u.area) == 6 and (u.area >= 0).all()
    assert len(u.x_m) == u.sizes.sum() and set(u.sizes.tolist()) <= {1, 2, 5}
    assert len(set(u.keys.tolist())) == len(u.keys)
    site = np.rint(u.x_m / 1000.0)
    assert (np.abs(u.x_m - 1000.0 * site) <= SITE_JITTER_M).all()
    none = unmapped_networks(6, cand, area, cx, cy, np.zeros(0, np.int64), rng)  # no named network to size them
    assert none.drawn == 0 and not len(none.area)
    assert sorted(network_sizes(np.array(["A", "A", "B", "A"], dtype=object), np.array([1, 1, 1, 2])).tolist()) == [1, 1, 2]


def test_without_named_networks_none_are_built_and_the_notes_say_why() -> None:
    scenario = load_scenario(SCENARIO, ["world.households.count=1000", "world.flock.private_operators=false"])
    w = build_world(scenario)
    assert scenario.world.flock.unmapped_private > 0 and not len(_unmapped_rows(w))
    assert w.source_figures["cameras"]["routes"]["private_unmapped"] == 0
    assert any("none built: no OSM-named private network in the world" in n for n in w.notes)
    assert len(w.cameras) == scenario.world.alpr.total  # the fill takes their cameras' place
