"""Read a sweep folder into one response table: a parameter's value against a metric's mean and 95% CI.

A sweep folder (written by `fedsim sweep`) holds ``design_points.csv`` (column ``design_point`` plus one
column per swept dotted parameter, e.g. ``policy.alpr_retention_days``) and either a folder-level
``metrics.csv``/``metrics.parquet`` with a ``design_point`` column or one run folder per point under
``points/<design_point>/`` (the runner zero-pads the folder name: ``points/0003/``). A point without metrics
falls back to its ``summary.json``, then to its rows of ``sweep.csv`` (per point and metric: n, mean, ci_low,
ci_high); a failed point (no results anywhere) is left out and listed, never filled in.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from reports.stats import Estimate, estimate_from_summary, mean_ci
from reports.tables import ReportInputError, read_json, read_metrics


def read_design_points(folder: Path) -> pd.DataFrame | None:
    path = folder / "design_points.csv"
    if not path.is_file():
        return None
    df = pd.read_csv(path, dtype={"design_point": str})
    if "design_point" not in df.columns:
        raise ReportInputError(f"{path}: missing column 'design_point'; expected design_point plus parameter columns")
    return df


def point_folder(folder: Path, design_point: str) -> Path:
    """``points/<design_point>/``, or the runner's zero-padded ``points/0003/``."""
    plain = folder / "points" / design_point
    if not plain.is_dir() and design_point.isdigit():
        padded = folder / "points" / f"{int(design_point):04d}"
        if padded.is_dir():
            return padded
    return plain


def _from_sweep_csv(folder: Path, metric: str) -> dict[str, Estimate]:
    path = folder / "sweep.csv"
    if not path.is_file():
        return {}
    df = pd.read_csv(path, dtype={"design_point": str})
    if not {"design_point", "metric", "mean"} <= set(df.columns):
        return {}
    rows = df[df["metric"] == metric]
    return {str(r["design_point"]): estimate_from_summary(r.to_dict()) for _, r in rows.iterrows()}


def response(folder: Path, parameter: str, metric: str) -> tuple[pd.DataFrame, list[str]] | None:
    """Rows (value of `parameter`, mean, ci_low, ci_high, n) sorted by parameter, and the points left out.

    None when `folder` is not a sweep over `parameter`.
    """
    points = read_design_points(folder)
    if points is None or parameter not in points.columns:
        return None
    top = read_metrics(folder)
    table_rows = _from_sweep_csv(folder, metric)
    rows, missing = [], []
    for _, point in points.iterrows():
        dp = str(point["design_point"])
        est = None
        here = point_folder(folder, dp)
        metrics = top[top["design_point"] == dp] if top is not None else read_metrics(here)
        if metrics is not None:
            sel = metrics[metrics["metric"] == metric]
            whole = sel[sel["day"].isna()]
            if len(whole):
                est = mean_ci(whole.groupby("replication")["value"].mean().to_numpy(dtype=float))
        if est is None:
            entry = ((read_json(here / "summary.json") or {}).get("metrics") or {}).get(metric)
            est = estimate_from_summary(entry) if entry else table_rows.get(dp)
        if est is None or est.n == 0:
            missing.append(dp)
            continue
        rows.append({parameter: point[parameter], "design_point": dp, "mean": est.mean, "ci_low": est.low,
                     "ci_high": est.high, "n": est.n})
    table = pd.DataFrame(rows, columns=[parameter, "design_point", "mean", "ci_low", "ci_high", "n"])
    return table.sort_values(parameter).reset_index(drop=True), missing
