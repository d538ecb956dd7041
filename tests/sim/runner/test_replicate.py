"""Replication policies: fixed counts and the auto rule's decisions."""

from __future__ import annotations

import math

import pytest

from sim.results.stats import relative_halfwidth, summarize
from sim.runner.errors import RunnerError
from sim.runner.replicate import PILOT, Auto, Fixed


def test_fixed_runs_once() -> None:
    assert Fixed(3).initial() == 3
    assert Fixed(3).next([1.0, 2.0, 3.0], 3) is None
    with pytest.raises(RunnerError):
        Fixed(0)


def test_auto_stops_when_narrow_enough() -> None:
    values = [100.0, 101.0, 99.0, 100.5, 99.5]
    assert relative_halfwidth(values) < 0.05
    assert Auto("m", 0.05, 50).next(values, len(values)) is None


def test_auto_asks_for_the_square_law_estimate() -> None:
    values = [80.0, 120.0, 90.0, 110.0, 100.0]
    rel = relative_halfwidth(values)
    auto = Auto("m", 0.05, 1000)
    expected = -(-len(values) * (rel / 0.05) ** 2 // 1)
    assert auto.next(values, len(values)) == int(expected) > len(values)


def test_auto_respects_the_cap_and_counts_failures() -> None:
    values = [80.0, 120.0, 90.0, 110.0, 100.0]
    assert Auto("m", 0.01, 12).next(values, 5) == 12
    assert Auto("m", 0.01, 12).next(values, 12) is None
    # two failed runs among seven attempted: the estimate for successes is topped up by the failures
    n_ok = Auto("m", 0.05, 1000).next(values, 5)
    assert Auto("m", 0.05, 1000).next(values, 7) == n_ok + 2


def test_auto_with_no_success_stops_and_rejects_bad_options() -> None:
    assert Auto("m").next([], PILOT) is None
    assert Auto("m").next([1.0], PILOT) == PILOT + 1
    for bad in (dict(metric=""), dict(metric="m", target=0.0), dict(metric="m", cap=1)):
        with pytest.raises(RunnerError):
            Auto(**bad)


def test_auto_describes_the_mean_summary_json_gives_and_no_estimate_with_a_nan() -> None:
    """The estimate is `mean_ci`'s: its mean is summary.json's to the last digit (a hand-summed mean differed by one
    unit in the last place for 12 replications of alpr.reads_per_camera_day); a NaN value leaves it unknown."""
    values = [8242.526742857142, 8142.536285714285, 8425.075542857143, 8417.02, 8413.307428571428, 8432.420742857143,
              8183.423542857143, 8346.8308, 8249.857142857143, 8233.771657142857, 8267.275142857143, 8259.916057142857]
    described = Auto("m", 0.05, 50).describe(values, len(values))
    stats = summarize(values)
    assert (described["mean"], described["ci_low"], described["ci_high"]) == (stats["mean"], stats["ci_low"],
                                                                              stats["ci_high"])
    unknown = Auto("m", 0.05, 50).describe([1.0, math.nan, 2.0], 3)
    assert unknown["mean"] is None and unknown["ci_low"] is None and not unknown["converged"]
    one = Auto("m", 0.05, 50).describe([5.0], 1)
    assert one["mean"] == 5.0 and one["ci_low"] is None
