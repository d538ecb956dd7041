"""`run:` run control, kept apart from model parameters: duration, replications, seed, outputs."""

from __future__ import annotations

import difflib
from typing import Any

from pydantic import Field, ValidationInfo, ValidatorFunctionWrapHandler, field_validator, model_validator

from sim.config.base import NonNegInt, PositiveInt, StrictModel

# The tables a run folder can hold (`sim.results.tables.RUN_TABLES`, tested equal): metrics and flows always,
# the per-place ones as `tables` chooses; each as Parquet, and as CSV too where `csv` names it.
ALWAYS_TABLES = ("metrics", "flows")
PLACE_TABLES = ("flows_by_state", "by_state", "by_agency", "audit_by_agency")
# CSV beside Parquet by default for all but the two big detail tables: as CSV they are 6-15x their Parquet
# (national baseline, 1 replication: audit_by_agency 4.1 MiB vs 0.27, flows_by_state 3.4 vs 0.55; docs/running.md).
CSV_DEFAULT = ("metrics", "flows", "by_state", "by_agency")


class RunControl(StrictModel):
    days: PositiveInt = Field(30, le=3650, description="simulated days recorded")
    warmup_days: NonNegInt = Field(0, le=365, description="simulated days run before recording")
    replications: PositiveInt = Field(1, le=10_000)
    seed: NonNegInt = 20251016
    # False: every replication runs on the one world of the seed (its CIs leave out the world's spread); True:
    # each replication builds its own world from a seed of its own (`sim.runner.seeds.world_seed`)
    world_per_replication: bool = False
    output_dir: str | None = None
    report: bool = True
    tables: list[str] = Field(default_factory=lambda: list(PLACE_TABLES))
    csv: list[str] = Field(default_factory=lambda: list(CSV_DEFAULT))

    @field_validator("tables", "csv", mode="wrap")
    @classmethod
    def _table_names(cls, v: object, handler: ValidatorFunctionWrapHandler, info: ValidationInfo) -> list[str]:
        """``all`` / ``none``, or a list of the field's tables (repeats dropped, order kept); an unknown name is
        refused naming the valid ones."""
        allowed = PLACE_TABLES if info.field_name == "tables" else ALWAYS_TABLES + PLACE_TABLES
        names: list[str] = handler(list(allowed) if v == "all" else [] if v == "none" else v)
        unknown = [t for t in names if t not in allowed]
        if unknown:
            close = difflib.get_close_matches(unknown[0], allowed, n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            raise ValueError(f"unknown table(s) {unknown} in run.{info.field_name}; {hint}valid: {', '.join(allowed)}, "
                             "or all / none")
        return list(dict.fromkeys(names))

    def written(self) -> list[tuple[str, bool]]:
        """Each table a run folder gets, with whether it gets a CSV beside its Parquet, in the tables' order."""
        return [(t, t in self.csv) for t in ALWAYS_TABLES + PLACE_TABLES if t in ALWAYS_TABLES or t in self.tables]


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
