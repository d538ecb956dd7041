"""How a simulated user paces itself: think times, a fixed pace, Poisson arrivals or a constant throughput.

`Pacer.next_wait(now, hour)` returns the seconds to wait before the user's next task. ``between`` draws a
think time (closed loop, Locust's usual model). The other kinds keep a schedule of start times, so a task's
own duration does not slow the pace (open loop as far as one Locust user can be): ``pacing`` every `a`
seconds, ``throughput`` `a` tasks per second, ``poisson`` exponential gaps at `a` per second. Each rate is
multiplied by the hourly profile's weight at `hour` (mean 1). A user more than `MAX_BACKLOG` gaps behind
its schedule (the server is slower than the plan) drops the backlog instead of bursting, and counts it in
`dropped`: the run reports how often the offered load could not be kept.
"""

from __future__ import annotations

import numpy as np

from loadtest.plan import Wait, profile_multiplier

MAX_BACKLOG = 5
MIN_MULTIPLIER = 0.01  # an hour with zero weight still lets a user wake up and see the next hour


class Pacer:
    def __init__(self, wait: Wait, profile: list[float] | None, rng: np.random.Generator, now: float) -> None:
        self.wait, self.profile, self.rng = wait, profile, rng
        self.next_at = now
        self.dropped = 0

    def mean_gap(self, hour: int) -> float:
        """Seconds between a user's tasks on average at `hour` (pacing, throughput and Poisson alike)."""
        w = self.wait
        m = max(profile_multiplier(self.profile, hour), MIN_MULTIPLIER)
        return w.a / m if w.kind == "pacing" else 1.0 / (w.a * m)

    def next_wait(self, now: float, hour: int = 0) -> float:
        if self.wait.kind == "between":
            return float(self.rng.uniform(self.wait.a, self.wait.b))
        mean = self.mean_gap(hour)
        # the gap to the next task: the mean, drawn exponential under a Poisson wait
        self.next_at += float(self.rng.exponential(mean)) if self.wait.kind == "poisson" else mean
        # Behind by more than MAX_BACKLOG mean gaps, not drawn ones: a Poisson gap is often far shorter than its
        # mean, and a user a few milliseconds late after one of those counted as a dropped backlog (12 in a 60 s
        # run at 100 requests/s with the server 8% busy, which then warned of saturation).
        if self.next_at < now - MAX_BACKLOG * max(mean, 1e-3):
            self.dropped += 1
            self.next_at = now
        return max(0.0, self.next_at - now)
