"""SearchStats.totals: each group's figures are those of the searches of that type (and scope, reason, hour block),
whatever the order of the days and searches they came in; a group without searches gives 0, a type without agencies
no searches per agency (NaN: not measured)."""

from __future__ import annotations

import numpy as np
import pytest

from sim.config.behavior_alpr import SEARCH_SCOPES
from sim.geo.states import STATE_CODES
from sim.model.alpr_search_stats import HOUR_BLOCKS, THRESHOLDS, SearchStats
from sim.model.context import WEEKDAYS
from sim.world.types import AGENCY_TYPES, FEDERAL


def test_group_figures_are_the_masked_selections() -> None:
    rng = np.random.default_rng(4)
    reasons = ["theft", "investigation", "immigration"]
    stats = SearchStats(reasons)
    days = []
    for _ in range(3):
        k = 4000
        kind = rng.integers(0, len(AGENCY_TYPES) - 1, k)  # no federal searches at all: their groups are empty
        scope = rng.integers(1, len(SEARCH_SCOPES), k).astype(np.int8)  # nor local ones
        networks = np.floor(rng.lognormal(4, 2, k))
        cameras = np.floor(rng.lognormal(6, 2, k))
        proxy = rng.uniform(size=k) < 0.05
        hour = rng.integers(0, 24, k)
        reason = rng.choice([0, 2], k)  # no "investigation": its shares are 0
        stats.add(kind, scope, networks, cameras, proxy, hour, reason)
        days.append((kind[~proxy], scope[~proxy], networks[~proxy].astype(np.float32),
                     cameras[~proxy].astype(np.float32), hour[~proxy], reason[~proxy]))
    kind, scope, networks, cameras, hour, reason = (np.concatenate(x) for x in zip(*days, strict=True))
    out = stats.totals(np.zeros(10, dtype=np.int64), np.arange(10.0), 30)
    for t, tname in enumerate(AGENCY_TYPES):
        of_type = kind == t
        n = int(of_type.sum())
        assert (n == 0) == (t == FEDERAL)
        for i, sname in enumerate(SEARCH_SCOPES):
            x = cameras[of_type & (scope == i)]
            assert out[f"search.cameras_median.{tname}.{sname}"] == (float(np.median(x)) if len(x) else 0.0)
            assert out[f"search.scope_share.{tname}.{sname}"] == (float(len(x)) / n if n else 0.0)
        for key, k in THRESHOLDS.items():
            want = float((networks[of_type] >= k).sum()) / n if n else 0.0
            assert out[f"search.networks_share.{tname}.{key}"] == want
        for i, rname in enumerate(reasons):
            assert out[f"search.purpose_share.{tname}.{rname}"] == (float((reason[of_type] == i).sum()) / n if n else 0.0)
        for b, block in enumerate(HOUR_BLOCKS):
            in_block = (hour[of_type] >= 4 * b) & (hour[of_type] < 4 * b + 4)
            assert out[f"search.hour_share.{tname}.{block}"] == (float(in_block.sum()) / n if n else 0.0)
        if n:
            assert out[f"search.purpose_share.{tname}.investigation"] == 0.0
            assert sum(out[f"search.hour_share.{tname}.{b}"] for b in HOUR_BLOCKS) == pytest.approx(1.0)
    for i, sname in enumerate(SEARCH_SCOPES):
        x = cameras[(kind != FEDERAL) & (scope == i)]
        assert out[f"search.cameras_median.all.{sname}"] == (float(np.median(x)) if len(x) else 0.0)
    assert out["search.cameras_median.all.local"] == 0.0


def test_statewide_medians_per_state_are_the_local_police_statewide_lookups_of_that_state() -> None:
    rng = np.random.default_rng(9)
    stats = SearchStats(["theft"])
    k = 5000
    kind = rng.integers(0, len(AGENCY_TYPES), k)
    scope = rng.integers(0, len(SEARCH_SCOPES), k).astype(np.int8)
    cameras = np.floor(rng.lognormal(6, 1, k))
    state = rng.integers(0, 3, k).astype(np.int16)
    proxy = rng.uniform(size=k) < 0.05
    stats.add(kind, scope, np.ones(k), cameras, proxy, np.zeros(k), np.zeros(k, dtype=np.int64), state)
    out = stats.totals(np.zeros(3, dtype=np.int64), np.ones(3), 30)
    statewide = (kind == 0) & (scope == SEARCH_SCOPES.index("statewide")) & ~proxy
    for code in range(3):
        want = float(np.median(cameras[statewide & (state == code)].astype(np.float32)))
        assert out[f"search.cameras_median_statewide.{STATE_CODES[code]}"] == want
    assert not any(k.endswith(f".{STATE_CODES[3]}") for k in out)  # no searches, no row


def test_weekday_shares_count_each_day_of_week_per_recorded_day() -> None:
    """Five Mondays and four Tuesdays of 10 local police searches each are an average week's half and half, not 5:4;
    a recorded day without searches still counts; proxies are not the searcher's own; a day not recorded is 0."""
    stats = SearchStats(["theft"])
    police, sheriff = AGENCY_TYPES.index("local_police"), AGENCY_TYPES.index("sheriff")
    for day in range(9):
        wd = (0, 1)[day % 2]
        stats.count_day(wd)
        kind = np.array([police] * 10 + [sheriff] * (3 if wd == 0 else 0) + [police] * 4)
        proxy = np.arange(len(kind)) >= len(kind) - 4  # 4 proxy lookups a day, left out
        k = len(kind)
        stats.add(kind, np.zeros(k, np.int8), np.ones(k), np.ones(k), proxy, np.zeros(k), np.zeros(k, np.int64),
                  weekday=wd)
    stats.count_day(2)  # a Wednesday with no searches at all
    out = stats.totals(np.zeros(3, dtype=np.int64), np.ones(3), 10)
    got = [out[f"search.weekday_share.local_police.{d}"] for d in WEEKDAYS]
    assert got == [0.5, 0.5, 0.0, 0.0, 0.0, 0.0, 0.0]
    assert out["search.weekday_share.sheriff.mon"] == 1.0 and out["search.weekday_share.federal.mon"] == 0.0


def test_searches_per_agency_of_a_type_without_agencies_are_not_measured() -> None:
    """A world without state police reported their p25 .. p90 and mean searches per agency as 0.0 ('a median of 0
    searches'), and the calibration compared that 0; now NaN (not measured), as are the pooled figures without police."""
    stats = SearchStats(["theft"])
    kinds = np.array([0, 0, 1, 1])  # local police and sheriffs only
    out = stats.totals(kinds, np.array([10.0, 20.0, 30.0, 40.0]), 30)
    for name in ("p25", "median", "p75", "p90", "mean"):
        assert np.isnan(out[f"alpr.searches_per_agency_30d_by_type.state_police.{name}"])
        assert np.isfinite(out[f"alpr.searches_per_agency_30d_by_type.sheriff.{name}"])
    assert out["alpr.searches_per_agency_30d_by_type.sheriff.median"] == 35.0
    assert out["alpr.searches_per_agency_30d_median"] == 25.0
    none = stats.totals(np.full(2, FEDERAL), np.array([5.0, 6.0]), 30)  # federal units only: no police at all
    assert all(np.isnan(none[f"alpr.searches_per_agency_30d_{name}"]) for name in ("p25", "median", "p90", "mean"))
