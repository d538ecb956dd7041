"""The calibration table: a results folder's outputs beside the input figures they should reproduce.

`calibration_table(results_dir, period)` reads only saved files, through `sim.results`: ``summary.json``
(required), ``world.json`` (optional; without it the sharing out-degree and federal grant rows have no model
value) and ``resolved_scenario.yaml`` (optional; the input parameters and the reads basis). One row per
`sim.calibration.targets.TARGETS` entry that compares with the run (`targets_for`: its period and its world's
data), columns `COLUMNS`:

- ``target``: the published figure; ``model``: the mean over replications (``ci_low``/``ci_high``: its
  95% t-interval, NaN with one replication or for world statistics);
- ``gap`` = model - target and ``gap_rel`` = gap / target (NaN when the model value is missing: the verdict is
  then "n/a" and ``note`` says why, also printed below the table);
- ``tolerance`` (text: +-x% of the target, or +-x points) and ``ok`` (|gap| within it; False without a
  model value); ``fitted``: a parameter was set from the figure (a miss is a calibration failure) or not
  (an independent check; a miss is a disagreement reported in docs/MODEL.md);
- ``inputs``: the scenario parameters that drive the row, with their values; ``source`` and ``note``.
The period (2024, 2025 or 2026) picks the real figures that depend on it (`sim.calibration.observed`).
`to_json(table)` gives the rows as plain dicts (`fedsim calibration-report --json`).

`write_calibration(table, folder)` writes ``calibration_report.csv`` and ``calibration_report.md``;
`format_text(table)` gives aligned lines for a terminal. The reports package can show the table as a
section of report.html by calling `calibration_table` on the run folder.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pandas as pd

from sim.calibration.observed import PERIODS
from sim.calibration.target import Saved
from sim.calibration.targets import targets_for
from sim.results import layout
from sim.results.errors import ResultsError
from sim.results.plain_csv import write_csv
from sim.results.read import read_json, read_scenario
from sim.results.summary import read as read_summary

COLUMNS = ("key", "figure", "unit", "target", "model", "ci_low", "ci_high", "gap", "gap_rel", "tolerance", "ok",
           "fitted", "inputs", "source", "note")
JSON_FIELDS = ("key", "figure", "unit", "target", "model", "tolerance", "ok", "fitted", "source")
NOT_COMPARED = "not compared"  # a row whose model reading says why it cannot be compared
CSV_NAME = "calibration_report.csv"
MD_NAME = "calibration_report.md"


class CalibrationError(ResultsError):
    """A results folder that cannot be read (missing or malformed summary.json)."""


def load_saved(results_dir: str | Path, period: str = "2025") -> Saved:
    """The saved tables of a results folder (`fedsim run` or `fedsim calibration-report` output), read through
    `sim.results` (summary.json required, world.json and resolved_scenario.yaml optional), compared with the
    real figures of `period`."""
    if period not in PERIODS:
        raise CalibrationError(f"period must be one of {list(PERIODS)}, got {period!r}")
    folder = Path(results_dir)
    try:
        summary = read_summary(folder)
        if summary is None:
            raise CalibrationError(f"{folder}: no summary.json; give a results folder written by `fedsim run`")
        return Saved(summary=summary, world=read_json(folder / layout.WORLD), scenario=read_scenario(folder) or {},
                     period=period)
    except ResultsError as exc:
        raise CalibrationError(str(exc)) from None


def _show(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_show(v)}" for k, v in value.items()) + "}"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _inputs(saved: Saved, paths: tuple[str, ...]) -> str:
    return "; ".join(f"{p}={_show(saved.param(p))}" for p in paths if saved.param(p) is not None)


def table_from_saved(saved: Saved) -> pd.DataFrame:
    rows = []
    for t in targets_for(saved.period, str((saved.world or {}).get("source", ""))):
        target = t.target(saved)
        est = t.model(saved)
        model, lo, hi = est if isinstance(est, tuple) else (math.nan, math.nan, math.nan)
        gap = model - target
        if isinstance(est, str):  # the row cannot be compared: the reading says why
            note = f"{NOT_COMPARED}: {est}"
        elif est is None:
            note = "not in the saved results" + (
                " (no world.json: run `fedsim world SCENARIO -o DIR`)" if t.inputs[0].startswith("world.") else "")
        else:
            note = t.note_for(saved) if t.note_for is not None else t.note
        rows.append({
            "key": t.key, "figure": t.figure, "unit": t.unit, "target": target, "model": model, "ci_low": lo,
            "ci_high": hi, "gap": gap, "gap_rel": gap / target if target else math.nan,
            "tolerance": _tolerance_text(t.tolerance, t.absolute, t.unit), "ok": t.ok(target, model),
            "fitted": t.fitted, "inputs": _inputs(saved, t.inputs), "source": t.source, "note": note,
        })
    return pd.DataFrame(rows, columns=list(COLUMNS))


def _tolerance_text(tol: float, absolute: bool, unit: str) -> str:
    if not absolute:
        return f"+-{tol:.0%}"
    return f"+-{100 * tol:g} pp" if unit == "share" else f"+-{tol:g}"


def calibration_table(results_dir: str | Path, period: str = "2025") -> pd.DataFrame:
    """The calibration table of a results folder against the real figures of `period` (2024, 2025, 2026;
    see the module docstring for the columns)."""
    return table_from_saved(load_saved(results_dir, period))


def to_json(table: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as plain JSON values (`JSON_FIELDS`; NaN -> null), for `fedsim calibration-report --json`."""
    def plain(v: Any) -> Any:
        if isinstance(v, float) and math.isnan(v):
            return None
        return v.item() if hasattr(v, "item") else v

    return [{k: plain(r[k]) for k in JSON_FIELDS} for _, r in table.iterrows()]


def fmt(x: float, unit: str = "") -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "n/a"
    if unit == "share":
        return f"{x:.3%}" if abs(x) < 0.01 else f"{x:.2%}"
    if x == round(x) or abs(x) >= 1000:
        return f"{x:,.0f}"
    return f"{x:.3g}" if abs(x) < 10 else f"{x:.1f}"


def fmt_gap(x: float, unit: str = "") -> str:
    """A gap with its sign; shares in percentage points."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "n/a"
    if unit == "share":
        return f"{100 * x:+.3f} pp"
    return ("+" if x > 0 else "") + fmt(x, unit)


def _ci(row: pd.Series) -> str:
    if math.isnan(row["ci_low"]):
        return ""
    return f"[{fmt(row['ci_low'], row['unit'])}, {fmt(row['ci_high'], row['unit'])}]"


def _rel(x: float) -> str:
    return "n/a" if math.isnan(x) else f"{x:+.1%}"


def display_rows(table: pd.DataFrame) -> list[list[str]]:
    """Header and rows with numbers formatted for people (shares as percentages)."""
    out = [["figure", "target", "model", "95% CI", "gap", "gap %", "tolerance", "verdict", "source"]]
    for _, r in table.iterrows():
        verdict = "ok" if r["ok"] else "n/a" if math.isnan(r["model"]) else ("MISS" if r["fitted"] else "differs")
        out.append([r["figure"], fmt(r["target"], r["unit"]), fmt(r["model"], r["unit"]), _ci(r),
                    fmt_gap(r["gap"], r["unit"]), _rel(r["gap_rel"]), r["tolerance"], verdict, r["source"]])
    return out


def format_text(table: pd.DataFrame) -> str:
    rows = [r[:-1] for r in display_rows(table)]  # sources are long: in the files, not the terminal
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = []
    for k, r in enumerate(rows):
        cells = [r[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(r[1:], widths[1:], strict=True)]
        lines.append("  ".join(cells).rstrip())
        if k == 0:
            lines.append("  ".join("-" * w for w in widths))
    lines += [f"n/a: {r['figure']}: {r['note']}" for _, r in table.iterrows() if math.isnan(r["model"])]
    return "\n".join(lines)


def to_markdown(table: pd.DataFrame, title: str = "Calibration") -> str:
    rows = display_rows(table)

    def line(cells: list[str]) -> str:
        return "| " + " | ".join(c.replace("|", "/") for c in cells) + " |"

    out = [f"# {title}", "", "Model outputs (mean over replications, 95% CI) beside the figures they should reproduce;",
           "gap = model - target. Inputs and notes per row are in calibration_report.csv.", "",
           line(rows[0]), line(["---"] * len(rows[0]))]
    out += [line(r) for r in rows[1:]]
    missing = [f"- n/a: {r['figure']}: {r['note']}" for _, r in table.iterrows() if math.isnan(r["model"])]
    out += ["", *missing] if missing else []
    return "\n".join(out) + "\n"


def write_calibration(table: pd.DataFrame, folder: str | Path, title: str = "Calibration") -> tuple[Path, Path]:
    """Write calibration_report.csv and calibration_report.md into `folder`; return their paths."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    csv_path, md_path = folder / CSV_NAME, folder / MD_NAME
    write_csv(table, csv_path)
    md_path.write_text(to_markdown(table, title), encoding="utf-8")
    return csv_path, md_path
