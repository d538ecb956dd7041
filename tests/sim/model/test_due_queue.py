"""DueQueue: the same callbacks at the same times, in the same order, one event each, with a short SimPy heap."""

from __future__ import annotations

import numpy as np
import pytest

from sim.model.due_queue import DueQueue
from sim.model.simulation import CountingEnvironment


def _run(use_queue: bool, seed: int = 3) -> tuple[list[tuple[float, int]], int, int]:
    """Posts every ~10 s for a day add 0-3 callbacks each, hours ahead; returns (fired, events, max heap)."""
    rng = np.random.default_rng(seed)
    env = CountingEnvironment()
    queue = DueQueue(env)
    fired: list[tuple[float, int]] = []
    peak = [0]
    label = iter(range(10**9))

    def later(n: int) -> None:
        fired.append((env.now, n))

    def post() -> None:
        now = env.now
        for delay in rng.exponential(3 * 3600.0, size=rng.integers(0, 4)).tolist():
            n = next(label)
            if use_queue:
                queue.add(now + delay, lambda n=n: later(n))
            else:
                env.timeout(delay).callbacks.append(lambda _e, n=n: later(n))
        peak[0] = max(peak[0], len(env._queue))

    def poster():
        for gap in rng.exponential(10.0, size=8_000).tolist():
            yield env.timeout(gap)
            post()

    env.process(poster())
    env.run()
    return fired, env.events_processed, peak[0]


def test_same_callbacks_same_times_same_order_same_event_count() -> None:
    plain, plain_events, plain_peak = _run(use_queue=False)
    queued, queued_events, queued_peak = _run(use_queue=True)
    assert len(plain) > 10_000
    assert queued == plain  # exact times (no delay recomputed) and order
    assert queued_events == plain_events  # one event per callback
    assert plain_peak > 1_000 and queued_peak < plain_peak / 20  # what the queue is for


def test_equal_times_fire_in_insertion_order_and_nested_adds_work() -> None:
    env = CountingEnvironment()
    queue = DueQueue(env)
    fired: list[str] = []
    queue.add(5.0, lambda: fired.append("a"))
    queue.add(5.0, lambda: fired.append("b"))
    queue.add(2.0, lambda: (fired.append("c"), queue.add(2.0, lambda: fired.append("d"))))
    env.run()
    assert fired == ["c", "d", "a", "b"] and env.now == 5.0 and len(queue) == 0


def test_a_time_in_the_past_is_refused() -> None:
    env = CountingEnvironment()
    env.run(until=10.0)
    with pytest.raises(ValueError, match="before now"):
        DueQueue(env).add(9.0, lambda: None)
