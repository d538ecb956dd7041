"""A results folder as reports see it: the tables read by `sim.results` (the one reader), plus a load test.

A run folder's layout and formats are `sim.results.layout` (resolved scenario, metrics and flows tables,
summary.json, world.json); a sweep folder adds ``design_points.csv``, ``sweep.csv`` and ``points/<point>/``.
A load test's figures (``loadtest.json`` of a `fedsim loadtest` folder, or of a run folder's ``loadtest/``;
`sim.results.read.read_loadtest`, which also reads an older folder's ``summary.json`` of that kind) are read
by the latency chart. Missing files are None, never invented; malformed
files raise `ReportInputError` (`sim.results.errors.ResultsError`) naming file and column.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.results import layout
from sim.results import summary as summary_json
from sim.results.errors import ResultsError
from sim.results.read import (
    daily,
    is_loadtest_figures,
    read_by_agency,
    read_flows,
    read_json,
    read_loadtest,
    read_metrics,
    read_scenario,
    whole_run_by_rep,
)
from sim.results.stats import Estimate, estimate_from_summary, mean_ci
from sim.results.sweep import SweepTables, read_sweep

ReportInputError = ResultsError  # what `fedsim report` and `fedsim compare` turn into exit status 2
__all__ = ["ReportInputError", "Results", "load_results", "read_json"]


@dataclass
class Results:
    """One results folder: the tables as saved, plus helpers that reduce them to estimates."""

    folder: Path
    scenario: dict[str, Any] | None
    metrics: pd.DataFrame | None
    summary: dict[str, Any] | None
    flows: pd.DataFrame | None
    world: dict[str, Any] | None
    loadtest: dict[str, Any] | None = None
    loadtest_path: Path | None = None
    sweep: SweepTables | None = None  # the folder's own sweep tables, or those of `fedsim report --sweep DIR`
    alias: str | None = None  # a display name that tells apart results of same-named scenarios

    @property
    def name(self) -> str:
        if self.alias:
            return self.alias
        if self.summary and self.summary.get("scenario"):
            return str(self.summary["scenario"])
        if self.scenario and self.scenario.get("name"):
            return str(self.scenario["name"])
        return self.folder.name

    @cached_property
    def by_agency(self) -> pd.DataFrame | None:
        """The folder's by_agency table (`sim.results.read.read_by_agency`; None without one), read the first time a
        brief asks and kept: a comparison focused on an agency asked for it three times per folder (its focus,
        its agency table, the note on federal units' share of police audit entries)."""
        return read_by_agency(self.folder)

    @property
    def meta(self) -> dict[str, Any]:
        return dict((self.scenario or {}).get("meta") or {})

    @property
    def replications(self) -> int:
        if self.metrics is not None and len(self.metrics):
            return int(self.metrics["replication"].nunique())
        if self.summary and self.summary.get("replications"):
            return int(self.summary["replications"])
        return 0

    @property
    def days_text(self) -> str | None:
        """The recorded days (``run.days``; warm-up days are not recorded) as text, ``30``; None when the saved
        scenario does not say. Every sentence giving a count's period reads it here."""
        days = self.param("run.days")
        return f"{days:g}" if isinstance(days, int | float) else None

    def param(self, dotted: str) -> Any:
        node: Any = self.scenario or {}
        for key in dotted.split("."):
            if not isinstance(node, dict) or key not in node:
                return None
            node = node[key]
        return node

    def whole_run(self, metric: str) -> np.ndarray:
        """One whole-run value per replication (explicit whole-run rows; else the sum of daily rows)."""
        return np.array(list(self.whole_run_by_rep(metric).values()), dtype=float)

    def whole_run_wide(self, metrics: list[str]) -> pd.DataFrame:
        """Whole-run values, one row per replication and one column per metric (missing cells NaN)."""
        if self.metrics is None:
            return pd.DataFrame(columns=metrics)
        cols = {m: pd.Series(self.whole_run_by_rep(m)) for m in metrics}
        return pd.DataFrame(cols)

    def whole_run_by_rep(self, metric: str) -> dict[int, float]:
        return whole_run_by_rep(self.metrics, metric)

    def estimate(self, metric: str) -> Estimate | None:
        """Mean and 95% CI across replications, from metrics if present, else from ``summary.json``."""
        values = self.whole_run(metric)
        if len(values):
            return mean_ci(values)
        entry = ((self.summary or {}).get("metrics") or {}).get(metric)
        if entry:
            return estimate_from_summary(entry)
        return None

    def daily(self, metric: str) -> pd.DataFrame:
        """Daily rows of one metric: columns replication, day, value (empty when none)."""
        return daily(self.metrics, metric)

    def metric_names(self) -> list[str]:
        names: set[str] = set()
        if self.metrics is not None:
            names |= set(self.metrics["metric"].unique())
        names |= set(((self.summary or {}).get("metrics") or {}).keys())
        return sorted(names)


def load_results(folder: str | Path) -> Results:
    """Read a results folder; raise `ReportInputError` if it is not one."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ReportInputError(f"{folder}: no such results folder")
    summary = read_json(folder / layout.SUMMARY)
    loadtest, loadtest_path = read_loadtest(folder)  # a load-test folder itself
    if is_loadtest_figures(summary):  # an older load-test folder: its summary.json is the load test's figures
        summary = None
    else:
        summary = None if summary is None else summary_json.check(summary, folder / layout.SUMMARY)
    if loadtest is None and (folder / layout.LOADTEST_DIR).is_dir():
        loadtest, loadtest_path = read_loadtest(folder / layout.LOADTEST_DIR)
    sweep = read_sweep(folder)  # a sweep folder's tables hold its resolved scenario: read once
    res = Results(
        folder=folder,
        scenario=sweep.scenario if sweep is not None else read_scenario(folder),
        metrics=read_metrics(folder),
        summary=summary,
        flows=read_flows(folder),
        world=read_json(folder / layout.WORLD),
        loadtest=loadtest,
        loadtest_path=loadtest_path,
        sweep=sweep,
    )
    if all(x is None for x in (res.scenario, res.metrics, res.summary, res.flows, res.world, res.loadtest)):
        if res.sweep is not None:
            return res
        raise ReportInputError(
            f"{folder}: not a results folder; expected resolved_scenario.yaml, metrics.parquet or metrics.csv, "
            "summary.json, flows.parquet or flows.csv, or world.json (as written by `fedsim run`)"
        )
    return res
