"""Private networks: one per business and HOA place, owning cameras, sharing with their area's agency, never searching."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from sim.config import Scenario, load_scenario, with_overrides
from sim.model.alpr_searches import SearchGenerator
from sim.model.policy_effects import policy_effects
from sim.rng import Streams
from sim.world import build_world
from sim.world.alpr import SITE_JITTER_M
from sim.world.sharing import GRANT, edge_arrays, edge_how
from sim.world.types import PRIVATE, SITE_TYPES, World, is_police
from tests.conftest import SCENARIOS


def world_of(values: dict[str, Any] | None = None) -> tuple[Scenario, World]:
    sc = with_overrides(load_scenario(SCENARIOS / "small.yaml"), {"world.hoas": 40, "world.businesses": 160}
                        | (values or {}), "test")
    return sc, build_world(sc)


def test_every_business_and_hoa_owns_one_network_after_the_agencies() -> None:
    sc, w = world_of()
    a = w.agencies
    private = a.kind == PRIVATE
    assert private.sum() == len(w.businesses) + len(w.hoas) == 200
    assert a.n_searchers == len(a) - 200 and not private[:a.n_searchers].any()  # private owners are the last rows
    rows = np.flatnonzero(private)
    places = np.concatenate([w.businesses.x_m, w.hoas.x_m])
    assert np.array_equal(a.x_m[rows], places)  # each stands at its place, in its place's state
    assert np.array_equal(a.state[rows], np.concatenate([w.businesses.state, w.hoas.state]))
    assert all(" Business " in n for n in a.name[rows[:160]]) and all(" HOA " in n for n in a.name[rows[160:]])
    off_sc, off = world_of({"world.private.enabled": False})
    assert not (off.agencies.kind == PRIVATE).any() and len(off.agencies) == a.n_searchers


def test_cameras_sum_to_the_fleet_and_stand_at_their_places() -> None:
    sc, w = world_of()
    a, cams = w.agencies, w.cameras
    assert int(a.cameras.sum()) == len(cams) == sc.world.alpr.total  # private cameras are part of the fleet
    assert (a.cameras[a.kind == PRIVATE] >= 1).all()
    mine = a.kind[cams.owner] == PRIVATE
    d = np.hypot(cams.x_m[mine] - a.x_m[cams.owner[mine]], cams.y_m[mine] - a.y_m[cams.owner[mine]])
    assert mine.any() and d.max() <= SITE_JITTER_M + 1e-6
    first = a.n_searchers
    business = cams.owner[mine] < first + len(w.businesses)
    assert (cams.site[mine][business] == SITE_TYPES.index("business")).all()
    assert (cams.site[mine][~business] == SITE_TYPES.index("hoa")).all()


def test_private_networks_grant_their_area_agency_and_nobody_else() -> None:
    sc, w = world_of()
    a = w.agencies
    src, dst = edge_arrays(w.sharing)
    private = a.kind == PRIVATE
    from_private = private[src]
    assert not private[dst].any()  # nobody grants a private network: it never searches
    area = np.concatenate([w.businesses.agency, w.hoas.agency])
    assert np.array_equal(np.sort(src[from_private]), np.flatnonzero(private))  # one grant each (share 1)
    order = np.argsort(src[from_private])
    assert np.array_equal(dst[from_private][order], area)
    assert is_police(a.kind[area]).all()
    assert (edge_how(w.sharing, src[from_private], dst[from_private]) == GRANT).all()
    assert a.national_lookup[private].all()  # national_lookup_share 1 (the fit, docs/MODEL.md)
    half_sc, half = world_of({"world.private.area_grant_share": 0.5, "world.private.national_lookup_share": 0.5})
    hs, _ = edge_arrays(half.sharing)
    hp = half.agencies.kind == PRIVATE
    se = 4 * math.sqrt(0.25 / 200)
    assert abs(np.count_nonzero(hp[hs]) / 200 - 0.5) < se
    assert abs(half.agencies.national_lookup[hp].mean() - 0.5) < se
    # a smaller share keeps a subset of the larger one's opted-in networks (one uniform draw per network)
    assert not (half.agencies.national_lookup[hp] & ~a.national_lookup[private]).any()


def test_private_networks_never_search() -> None:
    sc, w = world_of()
    fx = policy_effects(w, sc.policy)
    g = SearchGenerator(w, sc.behavior.searches, fx, Streams(np.random.SeedSequence(5)))
    assert len(g.rate_per_day) == w.agencies.n_searchers  # no rows for private owners
    searchers = np.concatenate([g.day(d).searcher for d in range(3)])
    assert len(searchers) and (w.agencies.kind[searchers] != PRIVATE).all()


def test_names_given_are_one_per_place() -> None:
    """flock-2026's operators pass their own names: one per place, else the owner rows would not line up."""
    from sim.world.private_networks import append_private, private_places

    sc, w = world_of()
    places = private_places(sc.world, w.businesses, w.hoas)
    police = w.agencies.n_searchers
    searchers = type(w.agencies)(**{k: np.asarray(v)[:police] for k, v in vars(w.agencies).items()})
    streams = Streams(np.random.SeedSequence(1))
    named, _, _ = append_private(searchers, places, sc.world, streams, names=[f"n{i}" for i in range(200)])
    assert list(named.name[police:]) == [f"n{i}" for i in range(200)]
    with np.testing.assert_raises_regex(ValueError, "199 names for 200 places"):
        append_private(searchers, places, sc.world, streams, names=[f"n{i}" for i in range(199)])
