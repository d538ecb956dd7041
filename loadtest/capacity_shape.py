"""The capacity search inside Locust: a `LoadTestShape` that steps the offered load up, then bisects.

Every user of an open plan (`loadtest.plan.open_plan`) keeps Poisson arrivals at `per_user_rps`, so the
offered rate is users x `per_user_rps` requests per second and the shape sets it by setting the users.
Each step holds a user count for `step_s` seconds; the first `settle_s` (users starting) are left out and
the rest is measured from Locust's own statistics (the difference of every endpoint's response-time
histogram between the window's ends, so a step's percentiles are its own, not the run's). A step holds the
SLO when its aggregate percentile and error share stay under the limits and the achieved throughput is at
least `min_kept` of the offered rate (less three standard deviations of a Poisson count, so chance alone
does not break a short step at a low rate). The search doubles the users until a step breaks the SLO, bisects
between the last step that held and the first that broke until they are within `resolution` of each other,
then runs the best held level `repeats` more times (the interval in capacity.json comes from those). It
stops early when the time budget (Locust's --run-time) cannot fit another step.

Each finished step is appended to ``capacity_steps.jsonl`` in the run folder (``--cpu-dir``), with wall
times, so the harness can put the server's and the generator's CPU beside it. Times in seconds; latencies
in milliseconds (Locust's unit).
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from locust import LoadTestShape

from loadtest.capacity_search import STEPS_LOG, Search, snapshot, verdict, window
from loadtest.users import run_state

SPAWN_S = 1.0  # users of a new step are started within about a second


class CapacityShape(LoadTestShape):
    use_common_options = True  # reads --run-time: the search's time budget

    def __init__(self) -> None:
        super().__init__()
        self.search = Search()
        self.users = 0
        self.started_at = 0.0
        self.base: dict[str, Any] | None = None
        self.base_t = 0.0

    def params(self) -> dict[str, Any]:
        return run_state(self.runner.environment).plan.capacity or {}

    def tick(self) -> tuple[int, float] | None:
        from loadtest.shape_classes import run_time_limit

        p = self.params()
        t = self.get_run_time()
        if self.search.phase == "done":
            return None
        if self.users == 0:  # the first step
            self.begin(int(p["start_users"]), t)
        elif self.base is None and t - self.started_at >= p["settle_s"]:
            self.base, self.base_t = snapshot(self.runner.stats), time.time()
        elif self.base is not None and t - self.started_at >= p["step_s"]:
            held = self.finish(p)
            steps_left = int((run_time_limit(self) - t) // p["step_s"])
            nxt = self.search.next_users(held, self.users, p["resolution"], p["repeats"], p["max_users"], steps_left)
            if nxt is None or steps_left < 1:
                self.search.phase = "done"
                return None
            self.begin(nxt, t)
        return self.users, float(max(self.users / SPAWN_S, 1.0))

    def begin(self, users: int, t: float) -> None:
        self.users, self.started_at, self.base = users, t, None

    def finish(self, p: dict[str, Any]) -> bool:
        t1 = time.time()
        seconds = t1 - self.base_t
        measured = window(self.base or {}, snapshot(self.runner.stats), seconds)
        offered = self.users * p["per_user_rps"]
        held, why = verdict(measured, offered, seconds, p["slo"])
        state = run_state(self.runner.environment)
        record = {"step": len(self.search.steps), "phase": self.search.phase, "users": self.users,
                  "offered_rps": offered, "t0": self.base_t, "t1": t1, "seconds": seconds, "held": held,
                  "reason": why, "dropped_backlogs": sum(x.dropped for x in state.pacers), "endpoints": measured}
        self.search.steps.append(record)
        folder = getattr(self.runner.environment.parsed_options, "cpu_dir", "")
        if folder:
            with Path(folder, STEPS_LOG).open("a", encoding="utf-8") as f:
                f.write(json.dumps(record) + "\n")
        return held
