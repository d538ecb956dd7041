"""Stage-list load shapes (ramp, step, spike, soak, or explicit stages) read from a small YAML file.

A shape file names a `kind` and that kind's fields; every duration is in seconds, users are concurrent
Locust users, spawn rates are users started (or stopped) per second. Examples ship in `loadtest/shapes/`:

    kind: step            # start_users, then + step_users every step_s, `steps` times
    start_users: 2
    step_users: 2
    step_s: 15
    steps: 5
    spawn_rate: 10

Each shape compiles to `Stage`s (end time since the start, users, spawn rate); the Locust side
(`loadtest.shape_classes`) plays them. This module imports nothing from Locust, so the `fedsim` process can
validate a file (unknown keys, wrong kinds or impossible values exit 2 naming the field) without
monkey-patching itself with gevent.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from loadtest.yamlfile import read_yaml, validate
from sim.config.errors import Problem, ScenarioError

Users = Annotated[int, Field(ge=0, le=100_000)]
Seconds = Annotated[float, Field(gt=0, le=7 * 86400)]
Rate = Annotated[float, Field(gt=0, le=10_000)]
SHAPES_DIR = Path(__file__).resolve().parent / "shapes"


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    description: str = ""


class StageSpec(_Spec):
    duration_s: Seconds
    users: Users
    spawn_rate: Rate = 10.0


class Stages(_Spec):
    kind: Literal["stages"]
    stages: list[StageSpec] = Field(min_length=1, max_length=1000)


class Ramp(_Spec):
    """Linear change from `from_users` to `to_users` over `ramp_s`, then `hold_s` at `to_users`."""

    kind: Literal["ramp"]
    from_users: Users = 1
    to_users: Users
    ramp_s: Seconds
    hold_s: Annotated[float, Field(ge=0, le=7 * 86400)] = 0.0

    @model_validator(mode="after")
    def _users(self) -> Ramp:
        if self.to_users == self.from_users:
            raise ValueError("to_users must differ from from_users (use kind: soak for a constant load)")
        return self


class Step(_Spec):
    """`start_users` for `step_s`, then `step_users` more every `step_s`, `steps` stages in all."""

    kind: Literal["step"]
    start_users: Annotated[int, Field(ge=1, le=100_000)]
    step_users: Annotated[int, Field(ge=1, le=100_000)]
    step_s: Seconds
    steps: Annotated[int, Field(ge=1, le=100)]
    spawn_rate: Rate = 10.0


class Spike(_Spec):
    """`base_users` for `before_s`, `spike_users` for `spike_s`, back to `base_users` for `after_s`."""

    kind: Literal["spike"]
    base_users: Users
    spike_users: Annotated[int, Field(ge=1, le=100_000)]
    before_s: Seconds
    spike_s: Seconds
    after_s: Seconds
    spawn_rate: Rate = 100.0

    @model_validator(mode="after")
    def _spike(self) -> Spike:
        if self.spike_users <= self.base_users:
            raise ValueError(f"spike_users ({self.spike_users}) must exceed base_users ({self.base_users})")
        return self


class Soak(_Spec):
    """`users` held for `duration_s` after a ramp of `ramp_s`."""

    kind: Literal["soak"]
    users: Annotated[int, Field(ge=1, le=100_000)]
    ramp_s: Seconds = 10.0
    duration_s: Seconds


MODELS: dict[str, type[_Spec]] = {"stages": Stages, "ramp": Ramp, "step": Step, "spike": Spike, "soak": Soak}
KINDS = tuple(MODELS)


@dataclass(frozen=True)
class Stage:
    end_s: float  # since the start of the test
    users: int
    spawn_rate: float


def compile_stages(spec: _Spec) -> list[Stage]:
    """The shape as consecutive stages with cumulative end times."""
    if isinstance(spec, Stages):
        plan = [(s.duration_s, s.users, s.spawn_rate) for s in spec.stages]
    elif isinstance(spec, Ramp):
        rate = abs(spec.to_users - spec.from_users) / spec.ramp_s
        plan = [(1.0, spec.from_users, max(spec.from_users, 1.0)), (spec.ramp_s, spec.to_users, rate)]
        if spec.hold_s > 0:
            plan.append((spec.hold_s, spec.to_users, rate))
    elif isinstance(spec, Step):
        plan = [(spec.step_s, spec.start_users + i * spec.step_users, spec.spawn_rate) for i in range(spec.steps)]
    elif isinstance(spec, Spike):
        plan = [
            (spec.before_s, spec.base_users, spec.spawn_rate),
            (spec.spike_s, spec.spike_users, spec.spawn_rate),
            (spec.after_s, spec.base_users, spec.spawn_rate),
        ]
    else:
        plan = [(spec.ramp_s + spec.duration_s, spec.users, max(spec.users / spec.ramp_s, 0.01))]
    stages, t = [], 0.0
    for duration, users, rate in plan:
        t += duration
        stages.append(Stage(round(t, 6), int(users), float(rate)))
    return stages


def load_shape(path: str | Path) -> list[Stage]:
    """Read and validate a shape file; `ScenarioError` (exit 2) names the file, line and field."""
    source = str(path)
    data, lines = read_yaml(path, "shape")
    if not isinstance(data, dict):
        raise ScenarioError([Problem(source, "", "a shape file must be a mapping with a 'kind' key")])
    kind = data.get("kind")
    if kind not in KINDS:
        raise ScenarioError([Problem(source, "kind", f"must be one of {', '.join(KINDS)}", lines.get(("kind",)), kind, True)])
    spec = validate(MODELS[kind], data, source, lines)
    return compile_stages(spec)


def resolve_shape_path(name: str) -> Path:
    """A path as given, or the name of a shipped shape (`step` -> loadtest/shapes/step.yaml)."""
    p = Path(name)
    if p.exists() or p.suffix in {".yaml", ".yml"}:
        return p
    shipped = SHAPES_DIR / f"{name}.yaml"
    return shipped if shipped.exists() else p


def shipped_shapes() -> list[str]:
    """The names `--shape` takes besides a file: the shapes in loadtest/shapes/."""
    return sorted(p.stem for p in SHAPES_DIR.glob("*.yaml"))


def total_s(stages: list[Stage]) -> float:
    return stages[-1].end_s if stages else 0.0


def stage_at(stages: list[Stage], t: float) -> Stage | None:
    """The stage playing at `t` seconds, or None when the shape has ended."""
    for stage in stages:
        if t < stage.end_s:
            return stage
    return None
