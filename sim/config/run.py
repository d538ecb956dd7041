"""`run:` run control, kept apart from model parameters: duration, replications, seed, outputs."""

from __future__ import annotations

from typing import Any

from pydantic import Field, field_validator, model_validator

from sim.config.base import NonNegInt, PositiveInt, StrictModel


class RunControl(StrictModel):
    days: PositiveInt = Field(30, le=3650, description="simulated days recorded")
    warmup_days: NonNegInt = Field(0, le=365, description="simulated days run before recording")
    replications: PositiveInt = Field(1, le=10_000)
    seed: NonNegInt = 20251016
    output_dir: str | None = None
    report: bool = True


class Sweep(StrictModel):
    """Design points over dotted parameter paths: a full ``grid``, or an explicit list of ``points``."""

    grid: dict[str, list[Any]] = Field(default_factory=dict)
    points: list[dict[str, Any]] = Field(default_factory=list)

    @field_validator("grid")
    @classmethod
    def _non_empty_axes(cls, v: dict[str, list[Any]]) -> dict[str, list[Any]]:
        empty = [k for k, vals in v.items() if not vals]
        if empty:
            raise ValueError(f"grid axes {empty} have no values")
        return v

    @model_validator(mode="after")
    def _one_form(self) -> Sweep:
        if self.grid and self.points:
            raise ValueError("give either grid or points, not both")
        if not self.grid and not self.points:
            raise ValueError("a sweep needs a grid or a list of points")
        return self
