"""Private networks of the real-geography world: the OSM cameras of private operators, 1:1 with their area's agency."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from sim.config import load_scenario
from sim.geo.states import STATE_CODES
from sim.model.alpr_searches import SearchGenerator
from sim.model.policy_effects import policy_effects
from sim.rng import Streams
from sim.world import build_world
from sim.world.flock_2026_data import SHIPPED, read_cameras
from sim.world.flock_2026_operators import classify
from sim.world.geo import to_xy
from sim.world.sharing import GRANT, edge_arrays, edge_how
from sim.world.types import PRIVATE, is_police
from tests.conftest import SCENARIOS

SCENARIO = SCENARIOS / "flock-2026-real.yaml"


@pytest.fixture(scope="module")
def worlds():
    on = load_scenario(SCENARIO, ["world.households.count=5000"])
    off = load_scenario(SCENARIO, ["world.households.count=5000", "world.private.enabled=false"])
    return on, build_world(on), build_world(off)


@pytest.fixture(scope="module")
def named_only():
    """The world with the OSM-named private networks only (world.flock.unmapped_private 0)."""
    return build_world(load_scenario(SCENARIO, ["world.households.count=5000", "world.flock.unmapped_private=0"]))


def _network_keys(world) -> dict[int, tuple[str, int]]:
    """private row -> (operator key from its name, its grantee) (area_grant_share 1: exactly one grant each)."""
    a = world.agencies
    src, dst = edge_arrays(world.sharing)
    private = a.kind == PRIVATE
    out = {}
    for s, d in zip(src[private[src]].tolist(), dst[private[src]].tolist(), strict=True):
        name = str(a.name[s])
        suffix = f" ({a.name[d]})"
        assert name.endswith(suffix) and s not in out
        out[s] = (name[: -len(suffix)], d)
    return out


def test_private_networks_own_exactly_the_classified_cameras(named_only) -> None:
    w = named_only
    a, c = w.agencies, w.cameras
    osm = read_cameras(SHIPPED)
    x, y = to_xy(osm.lat, osm.lon)
    cls = [classify(op) for op in osm.operator.tolist()]
    want = Counter((k, round(float(xi), 3), round(float(yi), 3))
                   for (kind, k), xi, yi in zip(cls, x, y, strict=True) if kind == "private")
    nets = _network_keys(w)
    mine = np.flatnonzero(a.kind[c.owner] == PRIVATE)
    got = Counter((nets[int(o)][0], round(float(xi), 3), round(float(yi), 3))
                  for o, xi, yi in zip(c.owner[mine], c.x_m[mine], c.y_m[mine], strict=True))
    assert not got - want  # every private camera is an OSM camera of that operator
    f = w.source_figures
    missing = f["cameras"]["unassigned"].get("private operator, no police agency of its state within "
                                             "world.flock.nearest_radius_m", 0)
    assert sum(got.values()) == sum(want.values()) - missing == f["private_networks"]["cameras"] > 1_500
    assert f["cameras"]["routes"]["private"] == len(mine)
    assert (a.cameras == np.bincount(c.owner, minlength=len(a))).all() and np.all(np.diff(c.owner) >= 0)
    # one network per operator and area agency, in its agency's state, an HOA or a business site
    assert len(set(nets.values())) == len(nets) == f["private_networks"]["networks"] == (a.kind == PRIVATE).sum()
    assert all(a.state[r] == a.state[g] for r, (_, g) in nets.items())
    assert f["private_networks"]["top_operators"]["Lowe's"] > 700


def test_private_networks_grant_their_area_agency_open_lookups_and_never_search(worlds) -> None:
    sc, w, _ = worlds
    a = w.agencies
    private = a.kind == PRIVATE
    src, dst = edge_arrays(w.sharing)
    assert not private[dst].any() and np.count_nonzero(private[src]) == private.sum()
    assert is_police(a.kind[dst[private[src]]]).all()
    assert (edge_how(w.sharing, src[private[src]], dst[private[src]]) == GRANT).all()
    assert a.national_lookup[private].all()  # world.private.national_lookup_share 1
    assert a.n_searchers == len(a) - private.sum()
    g = SearchGenerator(w, sc.behavior.searches, policy_effects(w, sc.policy), Streams(np.random.SeedSequence(3)))
    assert len(g.rate_per_day) == a.n_searchers
    searchers = np.concatenate([g.day(d).searcher for d in range(2)])
    assert len(searchers) and not private[searchers].any()


def test_totals_are_unchanged_and_only_owners_move(worlds, named_only) -> None:
    sc, _, off = worlds
    on = named_only
    assert len(on.cameras) == len(off.cameras) == sc.world.alpr.total
    assert on.agencies.n_searchers == len(off.agencies) and not (off.agencies.kind == PRIVATE).any()
    assert np.array_equal(on.agencies.name[: len(off.agencies)], off.agencies.name)
    k = len(STATE_CODES)
    per_state = [np.bincount(w.agencies.state[w.cameras.owner], minlength=k) for w in (on, off)]
    assert abs(per_state[0] - per_state[1]).sum() <= 0.01 * len(on.cameras)  # the fill rebalances a little
