"""Replication policies: fixed counts and the auto rule's decisions."""

from __future__ import annotations

import pytest

from sim.results.stats import relative_halfwidth
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
