"""Sweep-level tables: ``design_points.csv``, ``sweep.csv``, ``failures.csv`` and the sweep's manifest.

Formats and layout in `sim.results.tables` and `sim.results.layout`: ``design_points.csv`` (design_point and
one column per dotted parameter), ``sweep.csv`` (per design point and whole-run metric, a response curve
with its CI is one metric's rows) and ``failures.csv`` (every failed run of every point, and every point
whose parameters did not validate, replication empty). Each point's own run folder is ``points/<point>/``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from sim.results import layout
from sim.results.plain_csv import csv_text
from sim.results.tables import sweep_columns, sweep_rows
from sim.runner.design import DesignPoint, cell, parameter_names
from sim.runner.outputs import write_failures
from sim.runner.parts import atomic_write


def design_table(points: list[DesignPoint]) -> pd.DataFrame:
    names = parameter_names(points)
    rows = [{"design_point": p.index, **{n: cell(p.values.get(n)) for n in names}} for p in points]
    return pd.DataFrame(rows, columns=["design_point", *names])


def sweep_table(points: list[DesignPoint], summaries: dict[int, dict[str, Any]]) -> pd.DataFrame:
    names = parameter_names(points)
    rows = []
    for p in points:
        summ = summaries.get(p.index)
        if summ is not None:
            rows += sweep_rows(p.index, {n: cell(p.values.get(n)) for n in names}, summ)
    frame = pd.DataFrame(rows, columns=sweep_columns(names))
    return frame.astype({"design_point": "int64", "n": "int64"})


def write_sweep_tables(
    root: Path, name: str, points: list[DesignPoint], summaries: dict[int, dict[str, Any]], failures: list[dict[str, Any]]
) -> None:
    atomic_write(root / layout.DESIGN_POINTS, csv_text(design_table(points)))
    atomic_write(root / layout.SWEEP, csv_text(sweep_table(points, summaries)))
    invalid = [
        {"scenario": name, "design_point": p.index, "replication": None, "error": p.error, "traceback": None}
        for p in points
        if p.error is not None
    ]
    rows = sorted(invalid + failures, key=lambda r: (r["design_point"], -1 if r["replication"] is None else r["replication"]))
    write_failures(root / layout.FAILURES, rows)
