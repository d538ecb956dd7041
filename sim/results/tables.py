"""The schemas of every results table: metrics and flows (Arrow, fixed schemas), failures, sweep.csv.

``metrics``: scenario, design_point, replication, seed, day, metric, value (long format; day is the recorded
day index from 0, null for a whole-run value; seed is the root ``run.seed``: the run's own seed sequence is
``SeedSequence(entropy=seed, spawn_key=(design_point, replication))``, see `sim.runner.seeds`).
``flows``: scenario, design_point, replication, day, owner_type, searcher_type, relation, path, searches,
records (searches and records moving from an owner-agency type to a searcher type per day).
``flows_by_state``: scenario, design_point, replication, owner_state, searcher_state, owner_type,
searcher_type, relation, path, searches, owner_entries, records: the flows over the whole run, split by the
owner's and the searcher's state (``FED`` for federal units; what each column counts:
`sim.model.alpr_state_flows`).

One run's rows are sorted the same way whoever runs them: metrics by (metric, day) with the whole-run value
first, flows by (day, owner_type, searcher_type, relation, path), flows_by_state by its six keys. Tables travel as Parquet bytes
and are written with one fixed schema and no pandas metadata, so files are byte-identical for identical rows.

``by_state``, ``by_agency`` and ``audit_by_agency``: per state and per agency, `sim.results.places`.

``failures.csv``: `FAILURE_COLUMNS` (a sweep's invalid design point has an empty replication).
``sweep.csv``: `sweep_columns` (design_point, the swept parameters, metric, n and the other statistics of
``summary.json``), one row per design point and whole-run metric (`sweep_rows`). ``design_points.csv``:
design_point and one column per swept parameter (lists and mappings as JSON text).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from sim.results import renamed
from sim.results.places import ADDED_COLUMNS, AUDIT_BY_AGENCY_SCHEMA, BY_AGENCY_SCHEMA, BY_STATE_SCHEMA
from sim.results.plain_csv import csv_text
from sim.results.stats import FIELDS

METRICS_SCHEMA = pa.schema(
    [
        ("scenario", pa.string()),
        ("design_point", pa.int64()),
        ("replication", pa.int64()),
        ("seed", pa.int64()),
        ("day", pa.int64()),
        ("metric", pa.string()),
        ("value", pa.float64()),
    ]
)
FLOWS_SCHEMA = pa.schema(
    [
        ("scenario", pa.string()),
        ("design_point", pa.int64()),
        ("replication", pa.int64()),
        ("day", pa.int64()),
        ("owner_type", pa.string()),
        ("searcher_type", pa.string()),
        ("relation", pa.string()),
        ("path", pa.string()),
        ("searches", pa.float64()),
        ("records", pa.float64()),
    ]
)
FLOWS_BY_STATE_KEYS = ("owner_state", "searcher_state", "owner_type", "searcher_type", "relation", "path")
FLOWS_BY_STATE_SCHEMA = pa.schema(
    [("scenario", pa.string()), ("design_point", pa.int64()), ("replication", pa.int64())]
    + [(k, pa.string()) for k in FLOWS_BY_STATE_KEYS]
    + [("searches", pa.float64()), ("owner_entries", pa.float64()), ("records", pa.float64())]
)
SCHEMAS = {"metrics": METRICS_SCHEMA, "flows": FLOWS_SCHEMA, "flows_by_state": FLOWS_BY_STATE_SCHEMA,
           "by_state": BY_STATE_SCHEMA, "by_agency": BY_AGENCY_SCHEMA, "audit_by_agency": AUDIT_BY_AGENCY_SCHEMA}
RUN_TABLES: tuple[str, ...] = tuple(SCHEMAS)  # every table a run writes (by_state, by_agency: sim.results.places)
FAILURE_COLUMNS = ("scenario", "design_point", "replication", "error", "traceback")
SWEEP_STATS = ("n", *(f for f in FIELDS if f != "n"))


def sweep_columns(parameters: Sequence[str]) -> list[str]:
    return ["design_point", *parameters, "metric", *SWEEP_STATS]


def sweep_rows(design_point: int, parameters: dict[str, Any], summary: dict[str, Any]) -> list[dict[str, Any]]:
    """sweep.csv rows of one design point: its parameter cells and, per metric, its summary.json statistics."""
    return [{"design_point": design_point, **parameters, "metric": metric, **{k: stats[k] for k in SWEEP_STATS}}
            for metric, stats in summary["metrics"].items()]


def metrics_table(
    rows: Sequence[tuple[int | None, str, float]], scenario: str, design_point: int, replication: int, seed: int
) -> pa.Table:
    ordered = sorted(rows, key=lambda r: (r[1], -1 if r[0] is None else r[0]))
    n = len(ordered)
    return pa.table(
        {
            "scenario": [scenario] * n,
            "design_point": [design_point] * n,
            "replication": [replication] * n,
            "seed": [seed] * n,
            "day": [r[0] for r in ordered],
            "metric": [r[1] for r in ordered],
            "value": [float(r[2]) for r in ordered],
        },
        schema=METRICS_SCHEMA,
    )


def flows_table(
    rows: Sequence[tuple[int, str, str, str, str, float, float]], scenario: str, design_point: int, replication: int
) -> pa.Table:
    ordered = sorted(rows, key=lambda r: r[:5])
    n = len(ordered)
    cols = list(zip(*ordered, strict=True)) if ordered else [[] for _ in range(7)]
    return pa.table(
        {
            "scenario": [scenario] * n,
            "design_point": [design_point] * n,
            "replication": [replication] * n,
            "day": list(cols[0]),
            "owner_type": list(cols[1]),
            "searcher_type": list(cols[2]),
            "relation": list(cols[3]),
            "path": list(cols[4]),
            "searches": [float(v) for v in cols[5]],
            "records": [float(v) for v in cols[6]],
        },
        schema=FLOWS_SCHEMA,
    )


def flows_by_state_table(columns: dict[str, Any], scenario: str, design_point: int, replication: int) -> pa.Table:
    """`columns`: `sim.model.alpr_state_flows.COLUMNS` arrays, already sorted (absent: an empty table)."""
    n = len(columns["searches"]) if columns else 0
    data: dict[str, Any] = {"scenario": [scenario] * n, "design_point": [design_point] * n,
                            "replication": [replication] * n}
    for name in FLOWS_BY_STATE_SCHEMA.names[3:]:  # numpy arrays straight to Arrow (no Python object per cell)
        kind = str if name in FLOWS_BY_STATE_KEYS else np.float64
        data[name] = np.asarray(columns.get(name, []) if columns else [], dtype=kind)
    return pa.table(data, schema=FLOWS_BY_STATE_SCHEMA)


def to_parquet_bytes(table: pa.Table) -> bytes:
    buf = io.BytesIO()
    pq.write_table(table, buf)
    return buf.getvalue()


def added_missing(schema: pa.Schema, names: list[str] | pd.Index) -> list[str]:
    """The columns of `schema` added since older folders were written (`ADDED_COLUMNS`) that a table with columns
    `names` lacks: read as missing (null / NaN, never 0). Any other missing column is an error."""
    return [n for n in ADDED_COLUMNS if n in schema.names and n not in names]


def read_parquet(source: bytes | str | object, schema: pa.Schema) -> pa.Table:
    """Read a Parquet file or bytes and cast it to `schema` (drops any metadata); an older file's renamed columns
    (`sim.results.renamed.COLUMNS`) under their new names, the columns added since it was written (`ADDED_COLUMNS`) null. Any
    other column missing: the cast raises."""
    if isinstance(source, bytes):
        source = pa.BufferReader(source)
    table = pq.read_table(source)
    table = table.rename_columns([renamed.COLUMNS.get(n, n) for n in table.column_names])
    added = added_missing(schema, table.column_names)
    for name in added:
        table = table.append_column(schema.field(name), pa.nulls(len(table), schema.field(name).type))
    if added and set(schema.names) <= set(table.column_names):
        table = table.select(schema.names)  # in the schema's order, as the cast needs
    return table.cast(schema).replace_schema_metadata(None)


def to_pandas(table: pa.Table) -> pd.DataFrame:
    """A DataFrame with nullable integers, so a null day stays null instead of turning ints into floats."""
    return table.to_pandas(types_mapper={pa.int64(): pd.Int64Dtype()}.get)


def to_csv_text(table: pa.Table, header: bool) -> str:
    """A run table as CSV text, floats as plain decimals at full precision (`sim.results.plain_csv`)."""
    return csv_text(to_pandas(table), header=header)
