"""The one reader of a run folder: its tables as typed DataFrames, its JSON and YAML files, and reductions.

Every reader of results (the runner's `Result` handles, reports, compare, calibration) reads through these
functions; the layout is `sim.results.layout`, the table schemas `sim.results.tables`, summary.json
`sim.results.summary`. Tables come back with the schema's columns and pandas' nullable integers
(``design_point``, ``replication``, ``seed``, ``day``: a whole-run value has a null day). Parquet is read
when present, else the CSV beside it. A missing file is None, never invented; a malformed one raises
`ResultsError` naming the file and what was expected.

A load test's figures (``loadtest.json``, `read_loadtest`) are read here too, an older folder's
``summary.json`` of that kind included.

Reductions: `whole_run_by_rep` gives one whole-run value per replication (its whole-run row; a declared
daily count without one sums its days, a level never does); `daily` gives one metric's daily rows.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import yaml

from sim.config.renamed import rename_keys
from sim.results import layout, renamed
from sim.results.catalog import DECLARED
from sim.results.errors import ResultsError
from sim.results.summary import read_json
from sim.results.tables import (
    FAILURE_COLUMNS,
    SCHEMAS,
    added_missing,
    read_parquet,
    to_pandas,
)

__all__ = ["ResultsError", "daily", "read_audit_by_agency", "read_by_agency", "read_by_state",
           "read_failures", "read_flows", "read_flows_by_state", "read_json", "read_loadtest", "read_manifest",
           "read_metrics", "read_scenario", "read_table", "whole_run_by_rep"]
INTEGERS = ("design_point", "replication", "seed", "day", "agency")


def read_table(folder: Path, kind: str) -> pd.DataFrame | None:
    """Table `kind` ("metrics", "flows", "flows_by_state", "by_state", "by_agency" or
    "audit_by_agency") of a run folder, Parquet preferred; None
    when neither file exists."""
    schema = SCHEMAS[kind]
    pq_path, csv_path = Path(folder) / f"{kind}.parquet", Path(folder) / f"{kind}.csv"
    if pq_path.is_file():
        try:
            return to_pandas(read_parquet(str(pq_path), schema))
        except Exception as exc:  # pyarrow raises several types for a damaged or foreign file
            raise ResultsError(f"{pq_path}: not a {kind} table ({type(exc).__name__}: {exc}); "
                               f"expected columns {schema.names}") from None
    if not csv_path.is_file():
        return None
    try:
        df = pd.read_csv(csv_path, dtype={n: str for n in schema.names if pa.types.is_string(schema.field(n).type)})
    except (OSError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise ResultsError(f"{csv_path}: not a readable CSV table ({exc})") from None
    df = df.rename(columns=renamed.COLUMNS)
    for name in added_missing(schema, df.columns):  # added since an older folder was written: NaN, never 0
        df[name] = float("nan")
    missing = [c for c in schema.names if c not in df.columns]
    if missing:
        raise ResultsError(f"{csv_path}: missing column(s) {missing}; expected {schema.names}")
    df = df[schema.names]
    for col in schema.names:
        if col in INTEGERS:
            df[col] = pd.to_numeric(df[col], errors="coerce").astype("Int64")
        elif not pa.types.is_string(schema.field(col).type):
            df[col] = pd.to_numeric(df[col], errors="coerce").astype(float)
    return df


def read_metrics(folder: Path) -> pd.DataFrame | None:
    """The metrics table, an older folder's renamed metrics under their new names (`sim.results.renamed.METRICS`)."""
    df = read_table(folder, "metrics")
    return None if df is None else renamed.renamed(df, "metric", renamed.METRICS)


def read_flows(folder: Path) -> pd.DataFrame | None:
    return read_table(folder, "flows")


def read_flows_by_state(folder: Path) -> pd.DataFrame | None:
    """flows_by_state (`sim.model.alpr_state_flows`): whole-run flows by owner and searcher state; None in
    folders written before it."""
    return read_table(folder, "flows_by_state")


def read_by_state(folder: Path) -> pd.DataFrame | None:
    """by_state (`sim.results.places`): state x metric x replication, an older folder's renamed metrics under their
    new names (`sim.results.renamed.BY_STATE`), the metrics added since it was written (`sim.results.places.ADDED_COLUMNS`)
    without rows; None in folders written before it."""
    df = read_table(folder, "by_state")
    return None if df is None else renamed.renamed(df, "metric", renamed.BY_STATE)


def read_by_agency(folder: Path) -> pd.DataFrame | None:
    """by_agency (`sim.results.places`): one row per agency and replication, the columns added since an older folder
    was written (`sim.results.places.ADDED_COLUMNS`) NaN; None in older folders."""
    return read_table(folder, "by_agency")


def read_audit_by_agency(folder: Path) -> pd.DataFrame | None:
    """audit_by_agency (`sim.results.places`): per agency, searcher channel and audited reason, the searches
    touching its networks, an older folder's channels under their new names (`sim.results.renamed.SEARCHERS`);
    None in older folders."""
    df = read_table(folder, "audit_by_agency")
    return None if df is None else renamed.renamed(df, "searcher", renamed.SEARCHERS)


def read_scenario(folder: Path) -> dict[str, Any] | None:
    """resolved_scenario.yaml as plain data, a key renamed since the folder was written under its new name (an
    older folder's ``policy.state_rules.<ST>.national_lookup`` as ``may_run_national_lookup``:
    `sim.config.renamed`); None when absent."""
    path = Path(folder) / layout.RESOLVED
    if not path.is_file():
        return None
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ResultsError(f"{path}: not readable YAML ({exc})") from None
    if not isinstance(data, dict):
        raise ResultsError(f"{path}: expected a mapping of scenario sections")
    rename_keys(data, (), str(path))
    return data


def read_manifest(folder: Path) -> dict[str, Any] | None:
    return read_json(Path(folder) / layout.MANIFEST)


def is_loadtest_figures(data: dict[str, Any] | None) -> bool:
    """Whether JSON data is a load test's figures (per-endpoint statistics, a history), not a run's summary."""
    return bool(data) and "metrics" not in data and any(k in data for k in ("endpoints", "over_time", "timeline", "history"))


def read_loadtest(path: Path) -> tuple[dict[str, Any] | None, Path | None]:
    """A load test's figures and the file they came from: `path` is the file, or a folder holding
    ``loadtest.json`` (or, written before the rename, a ``summary.json`` of that kind); (None, None) when the
    folder holds neither. A file that is not a load test's figures (a run's summary.json) is refused."""
    path = Path(path)
    if path.is_dir():
        data = read_json(path / layout.LOADTEST)
        if data is not None:
            return _checked_loadtest(data, path / layout.LOADTEST), path / layout.LOADTEST
        old = read_json(path / layout.SUMMARY)  # a folder from before loadtest.json
        return (old, path / layout.SUMMARY) if is_loadtest_figures(old) else (None, None)
    data = read_json(path)
    return (None, None) if data is None else (_checked_loadtest(data, path), path)


def _checked_loadtest(data: dict[str, Any], path: Path) -> dict[str, Any]:
    if not is_loadtest_figures(data):
        what = "a run's summary" if isinstance(data, dict) and "metrics" in data else "not a load test's figures"
        raise ResultsError(f"{path}: {what}; a load test writes {layout.LOADTEST} (`fedsim loadtest -o DIR`), "
                           "with endpoints and over_time")
    return data


def read_failures(folder: Path) -> pd.DataFrame:
    """failures.csv (no rows when the folder has none)."""
    path = Path(folder) / layout.FAILURES
    if not path.is_file():
        return pd.DataFrame({c: pd.Series(dtype="Int64" if c in INTEGERS else object) for c in FAILURE_COLUMNS})
    return pd.read_csv(path, keep_default_na=True, dtype={"design_point": "Int64", "replication": "Int64"})


def whole_run_by_rep(metrics: pd.DataFrame | None, metric: str) -> dict[int, float]:
    """One whole-run value of `metric` per replication: its whole-run row (a declared count without one: its
    days summed; never a level's)."""
    if metrics is None:
        return {}
    rows = metrics[metrics["metric"] == metric]
    whole = rows[rows["day"].isna()]
    if len(whole):
        agg = whole.groupby("replication")["value"].mean()
    else:
        declared = DECLARED.get(metric)
        if declared is not None and declared.series != "count":
            return {}
        agg = rows.groupby("replication")["value"].sum()
    return {int(k): float(v) for k, v in agg.items()}


def daily(metrics: pd.DataFrame | None, metric: str) -> pd.DataFrame:
    """Daily rows of one metric: columns replication, day, value (empty when none)."""
    if metrics is None:
        return pd.DataFrame(columns=["replication", "day", "value"])
    rows = metrics[(metrics["metric"] == metric) & metrics["day"].notna()]
    return rows[["replication", "day", "value"]].astype({"replication": int, "day": int}).reset_index(drop=True)
