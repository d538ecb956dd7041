"""Reach by flow category: the pool-plus-delta decomposition equals the AccessTable, levers, look-back windows."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from sim.config import load_scenario, with_overrides
from sim.config.behavior_alpr import SEARCH_SCOPES, SEARCH_TYPES
from sim.config.policy import Policy
from sim.model.access import ACCESS_SCOPES, AccessTable
from sim.model.alpr_reach import DIRECT, FED_REL, IN_STATE, LOOKUP, N_CAT, PATHS, SAME, Reach, category_parts, scope_mask
from sim.model.policy_effects import policy_effects
from sim.world.build import build_world_cached
from sim.world.sharing import edge_arrays
from sim.world.types import FEDERAL, PRIVATE
from tests.conftest import PRE_2025_RULES, SCENARIOS


def build(values: dict[str, Any] | None = None, windows: tuple[int, ...] = (1, 7, 14, 30),
          retention: np.ndarray | None = None) -> tuple[Reach, AccessTable, Any]:
    sc = with_overrides(load_scenario(SCENARIOS / "small.yaml"),
                        {"world.states": ["NC", "CA"], "world.agencies.local_police": 120} | (values or {}), "test")
    world = build_world_cached(sc)
    access = AccessTable(world, policy_effects(world, sc.policy))
    ret = np.full(len(world.agencies), 30) if retention is None else retention
    fx = access.effects
    return Reach(world, access, ret, windows, fx.national_lookup, fx.federal_lookup, fx.federal_admitted), access, world


@pytest.mark.parametrize("values", [{}, {"policy.federal_firewall": True}, {"policy.sharing_scope": "in_state"},
                                    {"policy.national_lookup": False}, {"policy.sharing_scope": "none"},
                                    {"policy.overrides": [
                                        {"where": {"state": "NC", "type": "sheriff"}, "set": {"sharing_scope": "in_state"}},
                                        {"where": {"cameras_min": 5}, "set": {"federal_grants": False,
                                                                              "statewide_sharing": False}},
                                        {"where": {"state": "CA"}, "set": {"national_lookup": True, "state_law": False}},
                                    ]}])
def test_decomposition_reproduces_access_table(values: dict[str, Any]) -> None:
    reach, access, world = build(values)
    fed = world.agencies.kind == FEDERAL
    assert set(ACCESS_SCOPES) & set(SEARCH_SCOPES) == {"local", "national"}  # the names both use mean the same:
    assert reach.n_s < reach.n  # the world has private owners: columns only (they never search)
    for s in range(reach.n_s):
        counts = reach.category_counts(s)
        assert counts.min() >= 0 and counts.sum(axis=0).max() <= 1  # every pair in exactly one category
        assert np.array_equal(reach.owners(s, "national"), access.owners(s, "national"))
        assert np.array_equal(reach.owners(s, "local"), access.owners(s, "local"))
        if not fed[s]:  # the AccessTable's in_state_shared scope: the search scope shared, in state
            shared, statewide = reach.owners(s, "shared"), reach.owners(s, "statewide")
            in_state = world.agencies.state == world.agencies.state[s]
            assert np.array_equal(shared[in_state[shared]], access.owners(s, "in_state_shared"))
            lookup = np.setdiff1d(reach.owners(s, "national"), shared)
            assert np.array_equal(statewide, np.union1d(shared, lookup[in_state[lookup]]))
    cams = world.agencies.cameras > 0
    nat = access.matrix["national"]
    assert np.array_equal(reach.networks.sum(axis=1), (nat @ cams.astype(float))[:reach.n_s])
    for scope in ACCESS_SCOPES:  # the table's per-searcher sums are those of its own matrix
        m = access.matrix[scope]
        assert np.array_equal(access.networks[scope], m @ cams.astype(np.int64))
        assert np.array_equal(access.cameras[scope], m @ world.agencies.cameras.astype(np.int64))
    private = world.agencies.kind == PRIVATE
    assert np.array_equal(np.diff(nat.indptr)[private], np.ones(int(private.sum())))  # their own reads only
    if not values:
        assert nat[:reach.n_s][:, np.flatnonzero(private)].nnz > 0  # and searchers reach them


def test_paths_follow_the_sharing_graph() -> None:
    reach, access, world = build()
    src, dst = edge_arrays(world.sharing)
    edges = set(zip(dst.tolist(), src.tolist(), strict=True))
    _, rel, path = category_parts(np.arange(N_CAT))
    for s in range(0, reach.n_s, 7):
        counts = reach.category_counts(s)
        for c, a in zip(*np.nonzero(counts), strict=True):
            if rel[c] == SAME:
                assert a == s and path[c] == DIRECT
            elif path[c] == DIRECT:
                assert (s, a) in edges
            else:
                assert path[c] == LOOKUP and (s, a) not in edges and world.agencies.national_lookup[a]


def test_federal_firewall_closes_compliant_owners_to_federal_units() -> None:
    open_, _, world = build(PRE_2025_RULES)
    closed, _, _ = build(PRE_2025_RULES | {"policy.federal_firewall": True})
    compliant = policy_effects(world, Policy()).law_compliant  # the small scenario's compliance share is the default
    for f in np.flatnonzero(world.agencies.kind == FEDERAL):
        reached = closed.owners(int(f), "national")
        assert not compliant[reached].any()
        assert len(open_.owners(int(f), "national")) > len(reached)
        relations = category_parts(np.flatnonzero(closed.category_counts(int(f)).any(axis=1)))[1]
        assert set(relations.tolist()) <= {FED_REL, SAME}


def test_state_law_closes_california_owners_to_out_of_state_searchers() -> None:
    reach, _, world = build()
    a = world.agencies
    ca = a.state == a.state[np.flatnonzero(a.name == "CA PD 0001")[0]]
    closed = ca & policy_effects(world, Policy()).law_compliant
    for s in np.flatnonzero(~ca & (a.kind != FEDERAL))[:20]:
        assert not closed[reach.owners(int(s), "national")].any()


def test_windows_are_sliding_sums_of_daily_reads() -> None:
    reach, _, world = build(windows=(1, 7))
    n = reach.n
    rng = np.random.default_rng(3)
    days = [rng.poisson(1000, n).astype(float) for _ in range(12)]
    reach.prefill(np.array(days[:7][::-1]))  # ages 1..7 before the first pushed day
    s = int(np.argmax(reach.networks.sum(axis=1)))
    owners = reach.owners(s, "national")
    for d in range(7, 12):
        a_w, b_w = reach.push(days[d])
        f = 0.25
        got = (a_w[1, s] + f * b_w[1, s]).sum()
        want = sum(days[d - j][owners].sum() for j in range(1, 7)) + f * days[d][owners].sum() \
            + (1 - f) * days[d - 7][owners].sum()
        assert np.isclose(got, want)


def test_short_retention_caps_the_window() -> None:
    reach_world = build()[2]
    ret = np.full(len(reach_world.agencies), 2)
    reach, _, _ = build(windows=(1, 7), retention=ret)
    ones = np.ones(reach.n)
    reach.prefill(np.array([ones] * 7))
    a_w, b_w = reach.push(ones)
    s = int(np.argmax(reach.networks.sum(axis=1)))
    assert np.isclose(a_w[1, s].sum(), 2 * len(reach.owners(s, "national")))  # 7-day window, 2 days held
    assert np.isclose(a_w[0, s].sum(), len(reach.owners(s, "national")))


@pytest.mark.parametrize("days_held", [30, 2])  # 2: look-backs 7, 14 and 30 share one difference (k = 2)
def test_one_class_push_matches_the_general_path_bytes(days_held: int) -> None:
    """`push`'s one-retention-class path (a speed trick) gives the general path's windows and sums, bit for bit."""
    n_agencies = len(build()[2].agencies)
    fast, _, _ = build(retention=np.full(n_agencies, days_held))
    general, _, _ = build(retention=np.full(n_agencies, days_held))
    assert fast.one_class
    general.one_class = False  # push takes the general loop over retention classes
    rng = np.random.default_rng(5)
    history = rng.poisson(500, (30, fast.n)).astype(float)
    fast.prefill(history)
    general.prefill(history)
    for _ in range(35):  # past the ring's length, so every slot is overwritten
        reads = rng.poisson(500, fast.n).astype(float)
        (a1, b1), (a2, b2) = fast.push(reads), general.push(reads)
        assert a1.tobytes() == a2.tobytes() and b1.tobytes() == b2.tobytes()
    assert all(fast.sums[k].tobytes() == general.sums[k].tobytes() for k in fast.ks)


def test_window_index_is_the_binary_search() -> None:
    reach = build(windows=(1, 7, 14, 30))[0]
    w = np.array([1, 7, 14, 30, 30, 1, 14])
    assert reach.window_index[w].tolist() == np.searchsorted(reach.windows, w).tolist() == [0, 1, 2, 3, 3, 0, 2]


def test_a_look_back_beyond_an_owner_s_retention_finds_only_what_it_holds() -> None:
    """A 90-day look-back finds min(90, retention) days of each owner's reads: all of a 365-day owner's 90 days, a
    30-day owner's 30 (Okaloosa ran such searches and found nothing older). With every owner at 30 days, it finds
    what the 30-day window finds, byte for byte, and the ring holds 31 days, not 91."""
    n_agencies = len(build()[2].agencies)
    flat, _, _ = build(windows=(7, 30, 90))
    assert len(flat.ring) == 31
    ret = np.where(np.arange(n_agencies) % 2 == 0, 30, 365)
    mixed, _, _ = build(windows=(7, 30, 90), retention=ret)
    assert len(mixed.ring) == 91
    ones = np.ones(flat.n)
    flat.prefill(np.array([ones] * 30))
    mixed.prefill(np.array([ones] * 365))
    a_flat, b_flat = flat.push(ones)
    a_mix, _ = mixed.push(ones)
    assert a_flat[2].tobytes() == a_flat[1].tobytes() and b_flat[2].tobytes() == b_flat[1].tobytes()
    s = int(np.argmax(mixed.networks.sum(axis=1)))
    owners = mixed.owners(s, "national")
    long = ret[owners] == 365
    assert np.isclose(a_mix[2, s].sum(), 90 * long.sum() + 30 * (~long).sum())
    assert np.isclose(a_mix[1, s].sum(), 30 * len(owners))


def test_the_lookup_path_is_named_for_statewide_and_national_lookups_alike() -> None:
    """flows' path for owners reached only through their lookup opt-in read ``national_lookup``, though a
    statewide lookup reaches in-state owners on it too: the name said one of the two scopes (and ``lookup`` is a
    search type, Flock's Lookup tool)."""
    _, rel, path = category_parts(np.arange(N_CAT))
    statewide = scope_mask()[0, SEARCH_SCOPES.index("statewide")]
    assert (statewide & (path == LOOKUP) & (rel == IN_STATE)).any()
    assert PATHS[LOOKUP] == "opted_in" and PATHS[DIRECT] == "direct"
    assert not set(PATHS) & set(SEARCH_TYPES)


@pytest.mark.parametrize("values", [{}, {"policy.national_lookup": False}])
def test_kept_categories_are_the_full_product_s_columns_and_the_rest_are_zeros(values: dict[str, Any]) -> None:
    """The daily windows keep `layout.cols` (a speed trick): those columns of the full product, byte for byte, and
    every other category exactly +0.0 for every searcher (no entry in the reach)."""
    reach = build(values, retention=np.where(np.arange(len(build()[2].agencies)) % 3 == 0, 7, 30))[0]
    assert reach.n_cls == 2 and reach.layout.width < N_CAT
    x = np.random.default_rng(8).poisson(300.0, (reach.n, 3)).astype(float)
    full, kept = reach.product(x), reach.product(x, kept=True)
    assert kept.tobytes() == np.ascontiguousarray(full[:, reach.layout.cols]).tobytes()
    dropped = np.setdiff1d(np.arange(N_CAT), reach.layout.cols)
    assert not full[:, dropped].any() and not np.signbit(full[:, dropped]).any()
