"""Locust `LoadTestShape`s: a stage list from a shape file, and a compressed scenario day.

`StageShape` plays `loadtest.shapes` stages (users and spawn rate until each stage's end time, then stop, or
at Locust's --run-time, which Locust itself does not apply to shapes).
`ScenarioShape` holds the plan's fixed user counts for one compressed day (`TrafficPlan.day_s` seconds)
and broadcasts the hour of that day to every Locust process (message ``fedsim_hour``), where the users
multiply their rates by their class's hourly profile. The locustfile binds one of them only when
``FEDSIM_SHAPE`` names a shape file, ``scenario`` or ``capacity`` (`loadtest.capacity_shape`: the capacity
search); Locust uses any shape class it finds in the file.
"""

from __future__ import annotations

import os

from locust import LoadTestShape

from loadtest.plan import TrafficPlan
from loadtest.shapes import Stage, load_shape, resolve_shape_path, stage_at
from loadtest.users import run_state

HOUR_MESSAGE = "fedsim_hour"
REBROADCAST_S = 5.0  # workers that join late learn the hour within this many seconds


def run_time_limit(shape: LoadTestShape) -> float:
    """Locust's --run-time in seconds (inf when not given): Locust does not apply it to shapes by itself."""
    env = shape.runner.environment if shape.runner is not None else None
    limit = getattr(env.parsed_options, "run_time", None) if env is not None and env.parsed_options else None
    return float(limit) if limit else float("inf")


class StageShape(LoadTestShape):
    use_common_options = True  # reads --run-time
    stages: list[Stage] = []

    def tick(self) -> tuple[int, float] | None:
        t = self.get_run_time()
        stage = stage_at(self.stages, t)
        return None if stage is None or t >= run_time_limit(self) else (stage.users, stage.spawn_rate)


class ScenarioShape(LoadTestShape):
    use_common_options = True

    def __init__(self) -> None:
        super().__init__()
        self._hour = -1
        self._sent_at = -REBROADCAST_S

    def tick(self) -> tuple[int, float] | None:
        plan: TrafficPlan = run_state(self.runner.environment).plan
        t = self.get_run_time()
        day_s = plan.day_s or 86_400.0
        if t >= min(day_s, run_time_limit(self)):
            return None
        hour = int(t / (day_s / 24.0)) % 24
        if self.runner is not None and (hour != self._hour or t - self._sent_at >= REBROADCAST_S):
            self.runner.send_message(HOUR_MESSAGE, hour)
            self._hour, self._sent_at = hour, t
        users = plan.users()
        return users, float(max(users, 1))


def shape_from_env() -> type[LoadTestShape] | None:
    """The shape class ``FEDSIM_SHAPE`` asks for: ``scenario``, a shape file or a shipped shape name; else None."""
    name = os.environ.get("FEDSIM_SHAPE", "").strip()
    if not name:
        return None
    if name == "scenario":
        return ScenarioShape
    if name == "capacity":
        from loadtest.capacity_shape import CapacityShape

        return CapacityShape
    StageShape.stages = load_shape(resolve_shape_path(name))
    return StageShape
