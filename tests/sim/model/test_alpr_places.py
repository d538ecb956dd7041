"""The per-agency audit split (audit_by_agency and by_agency's channel columns) adds up to what each agency received.

- Per agency, audit_by_agency summed over searcher and reason is ``audit.records_received``; per channel it is
  the channel's column (local, state police, federal units, proxies), and the four columns add up to it.
- Reasons are the audited ones: proxy lookups are tagged ``immigration`` (``other`` under the offense-type
  drop-down), a reason moderation blocks reaches nobody, and without a required reason all are
  ``unspecified``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from sim.config.behavior_alpr import SEARCH_SCOPES
from sim.model.access import AccessTable
from sim.model.alpr_places import AgencyTally
from sim.model.policy_effects import policy_effects
from sim.model.simulation import simulate
from sim.runner import seeds
from sim.runner.places import place_tables
from sim.world.build import build_world_cached
from tests.validation.helpers import scenario

TWO_STATES = {"world.states": ["NC", "CA"], "world.agencies.local_police": 120,
              "behavior.searches.proxy_agency_share": 0.3, "run.days": 10}
CHANNEL_COLUMNS = {"local_police_sheriff": "audit.records_received_local_police_sheriff",
                   "state_police": "audit.records_received_state_police",
                   "federal_own": "audit.records_received_federal_own", "federal_proxy": "audit.records_received_proxy"}


def tables(values: dict[str, Any] | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    sc = scenario(TWO_STATES | (values or {}))
    world = build_world_cached(sc, seed_seq=seeds.world_seed(sc.run.seed))
    out = simulate(sc, world, seeds.run_seed(sc.run.seed, 0, 0))
    t = place_tables(world, out.by_agency, sc.name, 0, 0, out.audit_by_agency)
    return t["by_agency"].to_pandas(), t["audit_by_agency"].to_pandas()


@pytest.fixture(scope="module")
def base() -> tuple[pd.DataFrame, pd.DataFrame]:
    return tables()


def test_audit_rows_add_up_to_each_agencys_records(base: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    by_agency, audit = base
    assert (audit.searches > 0).all() and set(audit.searcher) == set(CHANNEL_COLUMNS)
    total = audit.groupby("agency").searches.sum().reindex(by_agency.agency, fill_value=0.0)
    pd.testing.assert_series_equal(total, by_agency.set_index("agency")["audit.records_received"], rtol=1e-12,
                                   check_names=False)
    per_channel = audit.groupby(["agency", "searcher"]).searches.sum().unstack(fill_value=0.0)
    for channel, column in CHANNEL_COLUMNS.items():
        got = per_channel[channel].reindex(by_agency.agency, fill_value=0.0)
        pd.testing.assert_series_equal(got, by_agency.set_index("agency")[column], rtol=1e-12, check_names=False)
    summed = by_agency[list(CHANNEL_COLUMNS.values())].sum(axis=1)
    pd.testing.assert_series_equal(summed, by_agency["audit.records_received"], rtol=1e-12, check_names=False)
    assert set(audit[audit.searcher == "federal_proxy"].reason) == {"immigration"}
    assert audit[audit.searcher == "local_police_sheriff"].reason.nunique() >= 8
    assert audit.equals(audit.sort_values(["agency"], kind="stable").reset_index(drop=True))


def test_under_paused_federal_entries_are_at_the_owners_granting_them_only(
        base: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    """``policy.federal_access: paused`` (the default) closes lookups to federal units; their own searches still
    run and reach the networks that grant them 1:1, so ``audit.records_received_federal_own`` is at those owners only.
    An entry is a line in a camera network's audit: a federal unit owns no cameras, so its own searches write none
    on its own row (they wrote one each, under every policy)."""
    by_agency, audit = base
    fed = by_agency["audit.records_received_federal_own"]
    granting = by_agency["federal.units_direct"] > 0
    assert fed[granting].sum() > 0 and (fed[~granting] == 0).all()
    camera_less = by_agency[by_agency.cameras == 0]
    assert len(camera_less) and (camera_less["audit.records_received"] == 0).all()
    assert not audit.agency.isin(camera_less.agency).any()


def test_moderation_and_reason_mode_show_in_the_reasons(base: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    _, before = base
    assert (before.reason == "theft").any()
    _, blocked = tables({"policy.moderation.blocked": ["theft"]})
    assert not (blocked.reason == "theft").any()
    _, offense = tables({"policy.reason_mode": "offense_type"})
    assert set(offense[offense.searcher == "federal_proxy"].reason) == {"other"}
    assert not offense.reason.isin(["immigration", "investigation"]).any()
    _, unspecified = tables({"policy.search_reason_required": False})
    assert set(unspecified.reason) == {"unspecified"}
    assert unspecified.searches.sum() == pytest.approx(before.searches.sum())


def test_deferred_counts_equal_daily_sums() -> None:
    """Searches kept as codes and counted at the end give what daily bincounts added up give, and a later day's
    searches are counted after an earlier read of the totals."""
    sc = scenario(TWO_STATES)
    world = build_world_cached(sc, seed_seq=seeds.world_seed(sc.run.seed))
    fx = policy_effects(world, sc.policy)
    reasons = ["a", "b", "c"]
    tally = AgencyTally(world, fx, AccessTable(world, fx), reasons)
    n = tally.n
    rng = np.random.default_rng(2)
    own = np.zeros((n, len(SEARCH_SCOPES), len(reasons)))
    prx = np.zeros_like(own)
    runs = np.zeros((6, n))
    for day in range(3):
        k = 500 + day
        s, reason = rng.integers(0, n, k), rng.integers(0, 3, k)
        scope = rng.integers(0, len(SEARCH_SCOPES), k).astype(np.int8)
        proxy, blocked, warned, unseen_b, unseen_w = (rng.uniform(size=(5, k)) < [[0.2], [0.1], [0.1], [0.1], [0.1]])
        tally.add_runs(s, proxy, blocked, warned, unseen_b, unseen_w)
        tally.add_searches(s[~blocked], scope[~blocked], proxy[~blocked], reason[~blocked])
        for row, sel in enumerate((~proxy, proxy, blocked, warned, unseen_b, unseen_w)):
            runs[row] += np.bincount(s[sel], minlength=n)
        run = ~blocked
        for target, sel in ((own, run & ~proxy), (prx, run & proxy)):
            np.add.at(target, (s[sel], scope[sel].astype(np.int64), reason[sel]), 1.0)
        assert np.array_equal(tally.runs, runs) and np.array_equal(tally.own_by_reason, own)
        assert np.array_equal(tally.proxy_by_reason, prx)


def held_run(values: dict[str, Any] | None = None) -> tuple[pd.DataFrame, float, np.ndarray]:
    """(by_agency, national storage.reads_held, each owner's retention days) of a two-state run."""
    sc = scenario(TWO_STATES | (values or {}))
    world = build_world_cached(sc, seed_seq=seeds.world_seed(sc.run.seed))
    out = simulate(sc, world, seeds.run_seed(sc.run.seed, 0, 0))
    t = place_tables(world, out.by_agency, sc.name, 0, 0, out.audit_by_agency)
    national = next(v for day, name, v in out.metrics if day is None and name == "storage.reads_held")
    return (t["by_agency"].to_pandas(), national,
            policy_effects(world, sc.policy).alpr_retention_days)


def test_reads_held_per_owner_add_up_and_follow_each_owners_retention() -> None:
    """by_agency's storage.reads_held sums over owners (private networks included) to the national value; an
    NC-only 7-day retention cuts NC's reads held by its expected ratio and leaves California's exactly unchanged:
    reads are drawn before retention applies (common random numbers, the same ring buffer length), so CA's
    held reads are the same numbers."""
    base, national, days = held_run()
    assert (base[base.type == "private"]["storage.reads_held"] > 0).all()
    assert np.isclose(base["storage.reads_held"].sum(), national, rtol=1e-12)
    nc7, national7, days7 = held_run({"policy.overrides": [{"where": {"state": "NC"},
                                                             "set": {"alpr_retention_days": 7}}]})
    assert np.isclose(nc7["storage.reads_held"].sum(), national7, rtol=1e-12)
    nc = (base.state == "NC").to_numpy()
    assert (days7[nc] == 7).all() and (days7[~nc] == days[~nc]).all() and (days[nc] > 7).all()
    # expected: each NC owner holds its daily reads times its retention; reads per day from the recorded days
    rate = base["alpr.reads"].to_numpy()[nc]
    expected = float((rate * 7).sum() / (rate * days[nc]).sum())
    got = nc7["storage.reads_held"][nc].sum() / base["storage.reads_held"][nc].sum()
    assert abs(got / expected - 1) < 0.01, (got, expected)
    assert (nc7["storage.reads_held"][~nc].to_numpy() == base["storage.reads_held"][~nc].to_numpy()).all()


def test_by_agency_says_where_each_search_rate_comes_from(base: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    """Every row states its rate and its source: drawn for police here (a synthetic world has no published counts),
    the configured units' own rates, none for private networks; searches run scatter around the rate."""
    by_agency, _ = base
    src = by_agency.set_index("name").search_rate_source
    assert set(by_agency[by_agency.type.isin(["local_police", "sheriff", "state_police"])].search_rate_source) == {"drawn"}
    assert src["USPIS"] == "unit" and src["FBI"] == "unit"
    private = by_agency[by_agency.type == "private"]
    assert len(private) and (private.search_rate_source == "none").all() and (private.search_rate_30d == 0).all()
    police = by_agency[by_agency.search_rate_source == "drawn"]
    expected = police.search_rate_30d.sum() * 10 / 30  # run.days = 10
    own = police["alpr.searches"] - police["alpr.searches_federal_proxy"]
    # 10 recorded days are not whole weeks (the weekly profile weights each day): within 15%, and agency by agency
    assert 0.85 < own.sum() / expected < 1.15
    assert np.corrcoef(own, police.search_rate_30d)[0, 1] > 0.95


def test_by_agency_names_a_published_count_first() -> None:
    """A published 30-day count (a 0 included) sets the rate, a federal unit's too: by_agency says ``portal`` and the
    count; a unit without one keeps its unit's rate, the others their draw, private networks none."""
    import copy

    sc = scenario(TWO_STATES | {"run.days": 1})
    world = copy.deepcopy(build_world_cached(sc, seed_seq=seeds.world_seed(sc.run.seed)))
    a = world.agencies
    uspis, fbi = (int(np.flatnonzero(a.unit == u)[0]) for u in ("USPIS", "FBI"))
    a.own_searches_30d = np.full(len(a), np.nan)
    a.own_searches_30d[[0, uspis]] = [0.0, 12.0]
    by_agency = simulate(sc, world, seeds.run_seed(sc.run.seed, 0, 0)).by_agency
    source, rate = by_agency["search_rate_source"], by_agency["search_rate_30d"]
    assert (source[0], source[uspis], source[1], source[fbi]) == ("portal", "portal", "drawn", "unit")
    assert (rate[0], rate[uspis]) == (0.0, 12.0)
    assert rate[fbi] == pytest.approx(sc.behavior.searches.federal_units["FBI"].per_30d)
    assert (source[a.n_searchers:] == "none").all() and (rate[a.n_searchers:] == 0).all()
