"""The builder: counts and distributions match the scenario; the same seed gives an identical world."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from sim.config import Scenario, ScenarioError, with_overrides
from sim.geo.states import STATE_CODES
from sim.world import build_world, build_world_cached
from sim.world.sharing import edge_arrays, split_lognormal
from sim.world.types import FEDERAL, LOCAL, OWNER_TYPES, SHERIFF, SITE_TYPES, STATE_POLICE, World, is_police


@pytest.fixture(scope="module")
def mid(small_scenario: Scenario) -> Scenario:
    """Three states, 900 agencies, a 60% in-state grant share and no statewide sharers."""
    return with_overrides(small_scenario, {
        "world.states": ["NC", "SC", "GA"], "world.agencies.local_police": 700, "world.agencies.sheriff": 200,
        "world.agencies.state_police": 3, "world.households.count": 60000, "world.alpr.total": 30000,
        "world.sharing.out_degree_median": 60.0, "world.sharing.out_degree_max": 400,
        "world.sharing.in_state_share": 0.6, "world.sharing.statewide_share": 0.0,
    })


@pytest.fixture(scope="module")
def mid_world(mid: Scenario) -> World:
    return build_world(mid)


def arrays(world: World) -> dict[str, np.ndarray]:
    out = {}
    for part in ("agencies", "neighborhoods", "hoas", "businesses", "households", "cameras"):
        for f in dataclasses.fields(getattr(world, part)):
            out[f"{part}.{f.name}"] = getattr(getattr(world, part), f.name)
    src, dst = edge_arrays(world.sharing)
    out["edges"] = np.sort(src.astype(np.int64) * len(world.agencies) + dst)
    return out


def test_counts_match_the_scenario(small_world: World, small_scenario: Scenario) -> None:
    w, cfg = small_world, small_scenario.world
    kind = w.agencies.kind
    assert [int((kind == k).sum()) for k in (LOCAL, SHERIFF, STATE_POLICE)] == [160, 40, 1]
    assert list(w.agencies.name[kind == FEDERAL]) == cfg.agencies.federal_units
    assert set(w.agencies.state[kind != FEDERAL].tolist()) == {STATE_CODES.index("NC")}
    assert (w.agencies.state[kind == FEDERAL] == -1).all()
    assert (len(w.neighborhoods), len(w.hoas), len(w.businesses)) == (cfg.neighborhoods, cfg.hoas, cfg.businesses)
    assert len(w.households) == cfg.households.count
    assert len(w.cameras) == cfg.alpr.total == int(w.agencies.cameras.sum())
    assert (w.agencies.cameras[kind != FEDERAL] >= 1).all()
    np.testing.assert_array_equal(np.bincount(w.cameras.owner, minlength=len(w.agencies)), w.agencies.cameras)
    assert w.sharing.number_of_nodes() == len(w.agencies)
    assert (w.households.agency == w.neighborhoods.agency[w.households.neighborhood]).all()


def test_same_seed_gives_an_identical_world(small_scenario: Scenario, small_world: World) -> None:
    again = build_world(small_scenario)
    a, b = arrays(small_world), arrays(again)
    assert a.keys() == b.keys()
    for key in a:
        np.testing.assert_array_equal(a[key], b[key], err_msg=key)
    other = build_world(small_scenario, np.random.SeedSequence(1))
    assert not np.array_equal(other.households.x_m, small_world.households.x_m)


def test_a_changed_share_leaves_other_streams_alone(small_scenario: Scenario, small_world: World) -> None:
    changed = build_world(with_overrides(small_scenario, {"world.sharing.national_lookup_share": 0.4}))
    np.testing.assert_array_equal(changed.households.x_m, small_world.households.x_m)
    np.testing.assert_array_equal(changed.cameras.x_m, small_world.cameras.x_m)
    np.testing.assert_array_equal(changed.agencies.compliance_draw, small_world.agencies.compliance_draw)
    # one uniform per agency: lowering the share gives a subset (common random numbers)
    assert (changed.agencies.national_lookup <= small_world.agencies.national_lookup).all()
    assert changed.agencies.national_lookup.sum() < small_world.agencies.national_lookup.sum()


def test_household_distributions(mid_world: World, mid: Scenario) -> None:
    h, cfg = mid_world.households, mid.world.households
    n = len(h)
    mean_cams = 1 + cfg.extra_cameras_mean
    assert abs(h.cameras.mean() - mean_cams) < 4 * math.sqrt(cfg.extra_cameras_mean / n)
    p = cfg.paid_plan_share
    assert abs(h.paid.mean() - p) < 4 * math.sqrt(p * (1 - p) / n)
    assert (h.retention_days[~h.paid] == 0).all()
    paid_days = h.retention_days[h.paid]
    total = sum(cfg.retention_days.values())
    for days, weight in cfg.retention_days.items():
        q = weight / total
        assert abs((paid_days == days).mean() - q) < 4 * math.sqrt(q * (1 - q) / len(paid_days)) + 1e-9
    nb = mid_world.neighborhoods
    off = np.concatenate([h.x_m - nb.x_m[h.neighborhood], h.y_m - nb.y_m[h.neighborhood]])
    assert abs(off.std() / cfg.neighborhood_spread_m - 1) < 0.02


def test_the_world_holds_no_policy(small_scenario: Scenario, small_world: World) -> None:
    """Every policy lever leaves the built world identical: policy takes effect in the model."""
    levers = {"policy.alpr_retention_days": 7, "policy.ring_retention_days_max": 14, "policy.state_law_compliance": 0.3,
              "policy.state_laws": ["NC"], "policy.federal_firewall": True, "policy.national_lookup": False}
    other = arrays(build_world(with_overrides(small_scenario, levers)))
    for key, value in arrays(small_world).items():
        np.testing.assert_array_equal(other[key], value, err_msg=key)
    assert (small_world.agencies.retention_days == 0).all()  # synthetic agencies: no retention of their own
    assert small_world.households.retention_days.max() == 180  # the households' choice, uncapped


def test_alpr_counts_and_sites(mid_world: World, mid: Scenario) -> None:
    a, cfg = mid_world.agencies, mid.world.alpr
    counts = a.cameras[a.kind != FEDERAL]
    assert counts.sum() == cfg.total
    # scaling keeps the lognormal shape: the log-sd of counts is close to per_agency_sigma
    assert abs(np.log(counts).std() / cfg.per_agency_sigma - 1) < 0.15
    site = mid_world.cameras.site
    arterial = (site == SITE_TYPES.index("arterial")).mean()
    assert arterial >= cfg.sites["arterial"] - 0.02  # non-arterial fall back to arterial without a place
    for name in ("neighborhood", "business", "hoa"):
        assert (site == SITE_TYPES.index(name)).mean() <= cfg.sites[name] + 0.02
    own = mid_world.cameras.owner
    d = np.hypot(mid_world.cameras.x_m - a.x_m[own], mid_world.cameras.y_m - a.y_m[own])
    art = site == SITE_TYPES.index("arterial")
    radius = np.array([cfg.placement_radius_m.get(t, 0.0) for t in OWNER_TYPES])[a.kind[own]]
    police = is_police(a.kind[own])
    assert (d[art & police] <= radius[art & police] + 1e-6).all()  # arterial: the disc of its owner's type
    assert d[~art].max() <= mid.world.places_radius_m + 100.0 + 1e-6  # at a place: its disc plus the jitter


def test_sharing_degrees_match_the_scenario(mid_world: World, mid: Scenario) -> None:
    a, s = mid_world.agencies, mid.world.sharing
    owners = np.flatnonzero(is_police(a.kind))  # police agencies: private networks' grants are their own draw
    src, dst = edge_arrays(mid_world.sharing)
    local_edges = is_police(a.kind[src]) & (a.kind[dst] != FEDERAL)
    out_deg = np.bincount(src[local_edges], minlength=len(a))[owners]
    se = 1.25 * s.out_degree_sigma / math.sqrt(len(owners))
    assert abs(math.log(np.median(out_deg)) - math.log(s.out_degree_median)) < 4 * se + 0.02
    # Quartiles of the split lognormal: log-sd `out_degree_sigma_low` below the median, `out_degree_sigma` above
    # (standard error of a log-quartile ~ sqrt(3/16 / n) / phi(0.674) x sigma).
    for q, sigma, sign in ((25, s.out_degree_sigma_low, -1), (75, s.out_degree_sigma, 1)):
        expected = math.log(s.out_degree_median) + sign * 0.6745 * sigma
        se_q = math.sqrt(3 / 16 / len(owners)) / 0.3178 * sigma
        assert abs(math.log(np.percentile(out_deg, q)) - expected) < 4 * se_q + 0.02, q
    assert out_deg.max() <= s.out_degree_max
    same = a.state[src[local_edges]] == a.state[dst[local_edges]]
    assert abs(same.mean() - s.in_state_share) < 0.02
    assert not (src == dst).any()
    for unit, share in s.federal_grant_share.items():
        f = int(np.flatnonzero(a.name == unit)[0])
        assert mid_world.sharing.in_degree(f) == round(share * len(owners))
    assert abs(a.national_lookup[owners].mean() - s.national_lookup_share) < 4 * math.sqrt(0.25 / len(owners))
    share = mid.policy.state_law_compliance
    assert abs((a.compliance_draw[owners] < share).mean() - share) < 4 * math.sqrt(0.25 / len(owners))
    assert (a.compliance_draw[a.kind == FEDERAL] == 1.0).all()
    assert not a.national_lookup[a.kind == FEDERAL].any()


def test_statewide_sharers_reach_their_whole_state(small_world: World) -> None:
    g = small_world.sharing
    a = small_world.agencies
    statewide = {u for u, _, how in g.edges(data="how") if how == "statewide"}
    assert statewide
    in_state = set(np.flatnonzero(is_police(a.kind)).tolist())  # the agencies (private networks never search)
    for u in statewide:
        assert {v for v in g.successors(u) if g[u][v]["how"] == "statewide"} == in_state - {u}


def test_graph_attributes(small_world: World) -> None:
    g = small_world.sharing
    assert g.nodes[0]["kind"] == "local_police" and g.nodes[0]["state"] == "NC"
    fed = int(np.flatnonzero(small_world.agencies.kind == FEDERAL)[0])
    assert g.nodes[fed]["kind"] == "federal" and g.nodes[fed]["state"] == ""
    u, v = next(iter(g.edges()))
    with pytest.raises(TypeError):
        g[u][v]["how"] = "national"
    copy = g.copy()
    copy[u][v]["how"] = "changed"
    assert g[u][v]["how"] in ("grant", "statewide")


def test_cache_reuses_the_world(small_scenario: Scenario) -> None:
    first = build_world_cached(small_scenario)
    assert build_world_cached(small_scenario) is first
    assert build_world_cached(with_overrides(small_scenario, {"policy.federal_firewall": True})) is first
    for lever, value in (("policy.alpr_retention_days", 7), ("policy.ring_retention_days_max", 14),
                         ("policy.state_law_compliance", 0.5), ("behavior.searches.per_agency_sigma", 0.5)):
        assert build_world_cached(with_overrides(small_scenario, {lever: value})) is first, lever
    assert build_world_cached(small_scenario, np.random.SeedSequence(5)) is not first
    assert build_world_cached(with_overrides(small_scenario, {"world.households.count": 100})) is not first


def test_split_lognormal() -> None:
    plain = np.random.default_rng(3).lognormal(math.log(125.0), 0.68, 5000)
    assert np.array_equal(split_lognormal(np.random.default_rng(3), 125.0, 0.68, 0.68, 5000), plain)
    split = split_lognormal(np.random.default_rng(3), 125.0, 1.1, 0.68, 200_000)
    q25, q50, q75 = np.log(np.percentile(split, [25, 50, 75]))
    assert q50 == pytest.approx(math.log(125.0), abs=0.01)
    assert q25 == pytest.approx(math.log(125.0) - 0.6745 * 1.1, abs=0.015)
    assert q75 == pytest.approx(math.log(125.0) + 0.6745 * 0.68, abs=0.01)


def test_settings_a_source_does_not_read_leave_its_world_alone() -> None:
    """`NOT_READ`: a report says these are not used in such a world, so changing them must change nothing in it;
    the control (a setting the source does read) must."""
    from sim.config import load_scenario
    from sim.config.world import NOT_READ
    from tests.conftest import SCENARIOS

    real = load_scenario(SCENARIOS / "flock-2026-real.yaml", ["world.households.count=2000", "world.states=[VT]"])
    assert real.world.source in NOT_READ
    base = arrays(build_world(real))
    changed = {"world.agencies.local_police": 7, "world.agencies.sheriff": 3, "world.agencies.state_police": 9,
               "world.alpr.per_agency_median": 40.0, "world.alpr.per_agency_sigma": 0.3,
               "world.sharing.out_degree_median": 20.0, "world.sharing.out_degree_sigma": 0.2,
               "world.sharing.out_degree_max": 30}
    # world.sharing.source cannot be changed there: the scenario is refused, so it always holds the default
    assert set(changed) == set(NOT_READ[real.world.source]) - {"world.sharing.source"}
    with pytest.raises(ScenarioError, match="leave world.sharing.source unset"):
        with_overrides(real, {"world.sharing.source": "private_eyes"})
    other = arrays(build_world(with_overrides(real, changed)))
    for key in base:
        np.testing.assert_array_equal(base[key], other[key], err_msg=key)
    control = arrays(build_world(with_overrides(real, {"world.sharing.national_lookup_share": 0.2})))
    assert not np.array_equal(base["agencies.national_lookup"], control["agencies.national_lookup"])
