"""Pacing: the schedule delivers the planned rate whatever the task takes, follows the hourly profile, and
drops (and counts) a backlog instead of bursting."""

from __future__ import annotations

import numpy as np
import pytest

from loadtest.pacing import MAX_BACKLOG, Pacer
from loadtest.plan import Wait


def run(pacer: Pacer, n: int, task_s: float, hour: int = 0) -> float:
    """Simulated clock: wait, then spend `task_s` on the task, `n` times; the elapsed time."""
    now = 0.0
    for _ in range(n):
        now += pacer.next_wait(now, hour) + task_s
    return now


def test_fixed_pace_ignores_task_time_while_it_fits() -> None:
    pacer = Pacer(Wait("pacing", 2.0), None, np.random.default_rng(1), 0.0)
    assert run(pacer, 100, task_s=1.5) == pytest.approx(99 * 2.0 + 2.0 + 1.5)
    assert pacer.dropped == 0


def test_poisson_rate_and_profile() -> None:
    profile = [1.0] * 12 + [3.0] * 12  # mean 2: hours 0-11 at half the rate, 12-23 at 1.5 times
    slow = run(Pacer(Wait("poisson", 4.0), profile, np.random.default_rng(2), 0.0), 20_000, 0.0, hour=3)
    fast = run(Pacer(Wait("poisson", 4.0), profile, np.random.default_rng(2), 0.0), 20_000, 0.0, hour=15)
    assert 20_000 / slow == pytest.approx(2.0, rel=0.03)
    assert 20_000 / fast == pytest.approx(6.0, rel=0.03)


def test_a_slow_server_drops_the_backlog() -> None:
    pacer = Pacer(Wait("throughput", 10.0), None, np.random.default_rng(3), 0.0)
    elapsed = run(pacer, 50, task_s=1.0)  # each task takes 10 gaps
    assert pacer.dropped > 0
    assert elapsed == pytest.approx(50.0, rel=0.1)  # no burst of catch-up tasks at zero wait
    assert pacer.next_at >= elapsed - 1.0 - MAX_BACKLOG * 0.1


def test_think_time_is_uniform() -> None:
    pacer = Pacer(Wait("between", 0.5, 1.5), None, np.random.default_rng(4), 0.0)
    waits = [pacer.next_wait(0.0) for _ in range(5000)]
    assert 0.5 <= min(waits) and max(waits) <= 1.5 and np.mean(waits) == pytest.approx(1.0, rel=0.02)


def test_a_poisson_user_that_keeps_up_drops_nothing() -> None:
    """The backlog is counted in mean gaps: a short Poisson draw followed by a task of a few per cent of the mean
    gap is no backlog (it was counted as one, ~0.7% of tasks, and the run warned of a saturated server)."""
    pacer = Pacer(Wait("poisson", 2.0), None, np.random.default_rng(5), 0.0)
    elapsed = run(pacer, 20_000, task_s=0.02)
    assert pacer.dropped == 0
    assert 20_000 / elapsed == pytest.approx(2.0, rel=0.03)
