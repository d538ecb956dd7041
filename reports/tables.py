"""Read a results folder's saved tables: the only input of every chart and report.

A run folder holds ``resolved_scenario.yaml`` (scenario + ``meta``), ``metrics.parquet``/``metrics.csv``
(long format: scenario, design_point, replication, seed, day, metric, value; ``day`` empty for whole-run
values), ``summary.json`` (per metric mean and t-based 95% CI across replications), ``flows.csv`` (searches and
records by owner type, searcher type, relation and path per day) and optionally ``world.json`` (the
``fedsim world --json`` summary). A sweep folder adds ``design_points.csv`` and ``points/<design_point>/``.
A load-test folder holds a ``summary.json`` with per-endpoint percentiles (read by `reports.loadtest`).
Missing files are None, never invented; malformed files raise `ReportInputError` naming file and column.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from reports.stats import Estimate, estimate_from_summary, mean_ci

METRIC_COLUMNS = ("replication", "day", "metric", "value")
FLOW_COLUMNS = ("replication", "day", "owner_type", "searcher_type", "relation", "path", "searches", "records")


class ReportInputError(ValueError):
    """A results folder or table that cannot be read; the message names the file and what was expected."""


def _require(df: pd.DataFrame, columns: tuple[str, ...], path: Path) -> None:
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ReportInputError(f"{path}: missing column(s) {missing}; expected at least {list(columns)}")


def read_metrics(folder: Path) -> pd.DataFrame | None:
    """The long metrics table (parquet preferred, CSV otherwise), typed; None when absent."""
    pq, csv = folder / "metrics.parquet", folder / "metrics.csv"
    if pq.is_file():
        path, df = pq, pd.read_parquet(pq)
    elif csv.is_file():
        path, df = csv, pd.read_csv(csv, dtype={"design_point": str, "scenario": str})
    else:
        return None
    _require(df, METRIC_COLUMNS, path)
    if "design_point" not in df.columns:
        df["design_point"] = "0"
    df["design_point"] = df["design_point"].fillna("0").astype(str)
    df["day"] = pd.to_numeric(df["day"], errors="coerce")
    df["value"] = pd.to_numeric(df["value"], errors="coerce")
    return df


def read_flows(folder: Path) -> pd.DataFrame | None:
    path = folder / "flows.csv"
    if not path.is_file():
        return None
    df = pd.read_csv(path, dtype={"design_point": str})
    _require(df, FLOW_COLUMNS, path)
    for col in ("searches", "records"):
        df[col] = pd.to_numeric(df[col], errors="coerce").fillna(0.0)
    return df


def read_json(path: Path) -> dict[str, Any] | None:
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ReportInputError(f"{path}: not valid JSON ({exc.msg} at line {exc.lineno})") from None
    if not isinstance(data, dict):
        raise ReportInputError(f"{path}: expected a JSON object at the top level")
    return data


def read_scenario(folder: Path) -> dict[str, Any] | None:
    path = folder / "resolved_scenario.yaml"
    if not path.is_file():
        return None
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ReportInputError(f"{path}: expected a mapping of scenario sections")
    return data


def is_loadtest_summary(data: dict[str, Any] | None) -> bool:
    return bool(data) and "metrics" not in data and any(k in data for k in ("endpoints", "over_time", "timeline", "history"))


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
    sweep_dir: Path | None = None
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
        if self.metrics is None:
            return {}
        rows = self.metrics[self.metrics["metric"] == metric]
        whole = rows[rows["day"].isna()]
        src = whole if len(whole) else rows
        agg = src.groupby("replication")["value"].mean() if len(whole) else src.groupby("replication")["value"].sum()
        return {int(k): float(v) for k, v in agg.items()}

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
        if self.metrics is None:
            return pd.DataFrame(columns=["replication", "day", "value"])
        rows = self.metrics[(self.metrics["metric"] == metric) & self.metrics["day"].notna()]
        return rows[["replication", "day", "value"]].astype({"day": int}).reset_index(drop=True)

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
    summary = read_json(folder / "summary.json")
    loadtest, loadtest_path = None, None
    if is_loadtest_summary(summary):
        loadtest, summary, loadtest_path = summary, None, folder / "summary.json"
    else:
        loadtest_path = folder / "loadtest" / "summary.json"
        loadtest = read_json(loadtest_path)
    res = Results(
        folder=folder,
        scenario=read_scenario(folder),
        metrics=read_metrics(folder),
        summary=summary,
        flows=read_flows(folder),
        world=read_json(folder / "world.json"),
        loadtest=loadtest,
        loadtest_path=loadtest_path if loadtest is not None else None,
        sweep_dir=folder if (folder / "design_points.csv").is_file() else None,
    )
    if all(x is None for x in (res.scenario, res.metrics, res.summary, res.flows, res.world, res.loadtest)):
        if res.sweep_dir is not None:
            return res
        raise ReportInputError(
            f"{folder}: not a results folder; expected resolved_scenario.yaml, metrics.csv or metrics.parquet, "
            "summary.json, flows.csv or world.json (as written by `fedsim run`)"
        )
    return res

