"""t-based CIs of the mean and Welch CIs of a difference, checked against scipy."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from sim.results.stats import estimate_from_summary, mean_ci, paired_diff, welch_diff


def test_mean_ci_matches_scipy_t_interval() -> None:
    x = np.array([3.0, 5.0, 4.0, 8.0, 6.5])
    est = mean_ci(x)
    low, high = stats.t.interval(0.95, len(x) - 1, loc=x.mean(), scale=stats.sem(x))
    assert est.mean == pytest.approx(x.mean())
    assert (est.low, est.high) == pytest.approx((low, high))
    assert est.n == 5 and est.has_ci


def test_one_replication_has_no_ci_and_nans_are_dropped() -> None:
    est = mean_ci([7.0, math.nan])
    assert est.n == 1 and est.mean == 7.0
    assert not est.has_ci and math.isnan(est.low)
    assert mean_ci([]).n == 0


def test_welch_difference_matches_scipy() -> None:
    a, b = np.array([10.0, 12.0, 11.5, 9.0]), np.array([6.0, 7.5, 5.0, 8.0, 6.5, 7.0])
    diff = welch_diff(mean_ci(b), mean_ci(a))
    ci = stats.ttest_ind(b, a, equal_var=False).confidence_interval(0.95)
    assert diff.mean == pytest.approx(b.mean() - a.mean())
    assert (diff.low, diff.high) == pytest.approx((ci.low, ci.high))


def test_summary_entry_round_trips_the_sd_for_welch() -> None:
    a, b = np.array([1.0, 2.0, 4.0]), np.array([3.0, 5.0, 4.5, 6.0])
    ea, eb = mean_ci(a), mean_ci(b)
    from_summary = [estimate_from_summary({"mean": e.mean, "ci_low": e.low, "ci_high": e.high, "n": e.n}) for e in (ea, eb)]
    assert from_summary[0].sd == pytest.approx(a.std(ddof=1))
    d1, d2 = welch_diff(eb, ea), welch_diff(from_summary[1], from_summary[0])
    assert (d2.low, d2.high) == pytest.approx((d1.low, d1.high))


def test_summary_entry_with_null_ci_gives_no_difference_ci() -> None:
    one = estimate_from_summary({"mean": 4.0, "ci_low": None, "ci_high": None, "n": 1})
    other = estimate_from_summary({"mean": 5.0, "ci_low": 4.0, "ci_high": 6.0, "n": 3})
    d = welch_diff(other, one)
    assert d.mean == 1.0 and not d.has_ci


def test_paired_difference_matches_scipy_and_needs_two_shared_replications() -> None:
    a = {0: 10.0, 1: 12.0, 2: 9.0, 3: 11.5}
    b = {0: 11.0, 1: 12.5, 2: 10.2, 3: 12.1, 7: 99.0}  # replication 7 has no partner and is ignored
    d = paired_diff(b, a)
    keys = sorted(a)
    ci = stats.ttest_rel([b[k] for k in keys], [a[k] for k in keys]).confidence_interval(0.95)
    assert d is not None and d.n == 4
    assert (d.low, d.high) == pytest.approx((ci.low, ci.high))
    shifted = paired_diff({k: v + 5 for k, v in a.items()}, a)
    assert shifted is not None and shifted.low == shifted.high == pytest.approx(5.0)
    assert paired_diff({0: 1.0}, {0: 2.0, 1: 3.0}) is None
