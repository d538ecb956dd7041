"""CI, percentiles and relative half-width against scipy and numpy."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from sim.results.stats import halfwidth, mean_ci, relative_halfwidth, summarize


@pytest.mark.parametrize("n", [2, 3, 7, 30])
def test_ci_matches_scipy_t_interval(n: int) -> None:
    x = np.random.default_rng(n).normal(10.0, 3.0, n)
    low, high = stats.t.interval(0.95, n - 1, loc=x.mean(), scale=stats.sem(x))
    s = summarize(x)
    assert s["ci_low"] == pytest.approx(low, rel=1e-12)
    assert s["ci_high"] == pytest.approx(high, rel=1e-12)
    assert s["halfwidth"] == pytest.approx((high - low) / 2, rel=1e-12)
    assert s["mean"] == pytest.approx(x.mean())
    assert s["median"] == pytest.approx(np.median(x))
    assert (s["p5"], s["p95"]) == pytest.approx(tuple(np.percentile(x, [5, 95])))
    assert s["n"] == n


def test_one_replication_has_no_interval() -> None:
    s = summarize([4.0])
    assert s["mean"] == 4.0 and s["n"] == 1
    assert math.isnan(s["ci_low"]) and math.isnan(s["halfwidth"])
    assert math.isnan(relative_halfwidth([4.0]))


def test_relative_halfwidth_edges() -> None:
    assert relative_halfwidth([2.0, 2.0, 2.0]) == 0.0
    assert relative_halfwidth([-1.0, 1.0]) == math.inf
    x = [9.0, 10.0, 11.0]
    assert relative_halfwidth(x) == pytest.approx(halfwidth(x) / 10.0)


def test_empty_values_are_refused() -> None:
    with pytest.raises(ValueError):
        summarize([])


def test_mean_ci_drops_or_propagates_a_value_that_is_not_finite() -> None:
    values = [1.0, 2.0, math.nan, 3.0]
    dropped = mean_ci(values)
    assert (dropped.mean, dropped.n) == (2.0, 3) and math.isfinite(dropped.low)
    kept = mean_ci(values, nan="propagate")
    assert math.isnan(kept.mean) and math.isnan(kept.low) and math.isnan(kept.high) and kept.n == 4
    assert mean_ci([1.0, math.inf], nan="propagate").mean == math.inf
    assert mean_ci([1.0, 2.0, 3.0], nan="propagate") == mean_ci([1.0, 2.0, 3.0])
