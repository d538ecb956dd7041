"""Read a sweep folder into one response table: a parameter's value against a metric's mean and 95% CI.

A sweep folder (written by `fedsim sweep`) holds ``design_points.csv`` (column ``design_point`` plus one
column per swept dotted parameter, e.g. ``policy.alpr_retention_days``) and either a folder-level
``metrics.csv``/``metrics.parquet`` with a ``design_point`` column or one run folder per point under
``points/<design_point>/``. A point without metrics falls back to its ``summary.json``; a failed point
(no tables) is left out and listed, never filled in.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from reports.stats import estimate_from_summary, mean_ci
from reports.tables import ReportInputError, read_json, read_metrics


def read_design_points(folder: Path) -> pd.DataFrame | None:
    path = folder / "design_points.csv"
    if not path.is_file():
        return None
    df = pd.read_csv(path, dtype={"design_point": str})
    if "design_point" not in df.columns:
        raise ReportInputError(f"{path}: missing column 'design_point'; expected design_point plus parameter columns")
    return df


def response(folder: Path, parameter: str, metric: str) -> tuple[pd.DataFrame, list[str]] | None:
    """Rows (value of `parameter`, mean, ci_low, ci_high, n) sorted by parameter, and the points left out.

    None when `folder` is not a sweep over `parameter`.
    """
    points = read_design_points(folder)
    if points is None or parameter not in points.columns:
        return None
    top = read_metrics(folder)
    rows, missing = [], []
    for _, point in points.iterrows():
        dp = str(point["design_point"])
        est = None
        metrics = top[top["design_point"] == dp] if top is not None else read_metrics(folder / "points" / dp)
        if metrics is not None:
            sel = metrics[metrics["metric"] == metric]
            whole = sel[sel["day"].isna()]
            if len(whole):
                est = mean_ci(whole.groupby("replication")["value"].mean().to_numpy(dtype=float))
        if est is None:
            entry = ((read_json(folder / "points" / dp / "summary.json") or {}).get("metrics") or {}).get(metric)
            est = estimate_from_summary(entry) if entry else None
        if est is None or est.n == 0:
            missing.append(dp)
            continue
        rows.append({parameter: point[parameter], "design_point": dp, "mean": est.mean, "ci_low": est.low,
                     "ci_high": est.high, "n": est.n})
    table = pd.DataFrame(rows, columns=[parameter, "design_point", "mean", "ci_low", "ci_high", "n"])
    return table.sort_values(parameter).reset_index(drop=True), missing
