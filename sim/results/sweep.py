"""Reading a sweep folder: its design points, ``sweep.csv``, its points' run folders, a response curve.

The layout is `sim.results.layout`. `read_sweep` reads the two tables and the base scenario
(``resolved_scenario.yaml``) once into a `SweepTables`, which whatever draws or prints a sweep is given (a
report reads each file once). A response curve (`response`)
is a parameter's value against one metric's mean and 95% CI, read from ``sweep.csv`` (the runner's
per-point statistics, `sim.results.stats`): a design point with no row for the metric (all its runs failed)
is left out and listed, never filled in.

`check_same_scenario` refuses to draw a sweep into the report of another scenario: the report's resolved
scenario and the sweep's base scenario must agree on the world, the root seed (which draws the world) and
every model section (``policy``, ``behavior``, ``platform``), except the swept parameters. Run control
(days, replications) may differ.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from sim.results import layout, renamed
from sim.results.errors import ResultsError
from sim.results.read import read_scenario
from sim.results.tables import SWEEP_STATS

COMPARED = ("world", "policy", "behavior", "platform")
SHOWN = 3  # differences named in the refusal


@dataclass(frozen=True, eq=False)
class SweepTables:
    """A sweep folder's tables, as read once by `read_sweep`."""

    folder: Path
    points: pd.DataFrame  # design_points.csv: design_point and one column per swept dotted parameter
    table: pd.DataFrame | None  # sweep.csv (per design point and metric, `SWEEP_STATS`); None when absent
    random: bool = False  # a `fedsim sensitivity` folder: its parameters vary together at random
    scenario: dict[str, Any] | None = None  # resolved_scenario.yaml: the base scenario; None when absent


def read_sweep(folder: Path) -> SweepTables | None:
    """The sweep tables of `folder`; None when it is not a sweep folder (no design_points.csv)."""
    folder = Path(folder)
    points = read_design_points(folder)
    if points is None:
        return None
    return SweepTables(folder, points, read_sweep_table(folder), (folder / layout.SENSITIVITY).is_file(),
                       read_scenario(folder))


def read_design_points(folder: Path) -> pd.DataFrame | None:
    """design_points.csv (design_point as an integer); None when the folder is not a sweep."""
    path = Path(folder) / layout.DESIGN_POINTS
    if not path.is_file():
        return None
    df = pd.read_csv(path)
    if "design_point" not in df.columns:
        raise ResultsError(f"{path}: missing column 'design_point'; expected design_point plus parameter columns")
    df["design_point"] = pd.to_numeric(df["design_point"], errors="raise").astype(int)
    return df


def parameters(points: pd.DataFrame) -> list[str]:
    return [c for c in points.columns if c != "design_point"]


def read_sweep_table(folder: Path) -> pd.DataFrame | None:
    """sweep.csv; None when absent."""
    path = Path(folder) / layout.SWEEP
    if not path.is_file():
        return None
    df = pd.read_csv(path)
    missing = [c for c in ("design_point", "metric", *SWEEP_STATS) if c not in df.columns]
    if missing:
        raise ResultsError(f"{path}: missing column(s) {missing}; expected design_point, the parameters, metric, "
                           f"{', '.join(SWEEP_STATS)}")
    return renamed.renamed(df, "metric", renamed.METRICS)


def point_folders(sweep: SweepTables) -> list[tuple[int, Path]]:
    """(design point, run folder) of every point whose run folder exists, in design-point order."""
    out = [(int(dp), layout.point_dir(sweep.folder, int(dp))) for dp in sweep.points["design_point"]]
    return [(dp, path) for dp, path in out if path.is_dir()]


def response(sweep: SweepTables, parameter: str, metric: str) -> tuple[pd.DataFrame, list[str]] | None:
    """Rows (value of `parameter`, design_point, mean, ci_low, ci_high, n) sorted by parameter, and the design
    points left out (no results for `metric`). None when `sweep` is not over `parameter`."""
    points, table = sweep.points, sweep.table
    if parameter not in points.columns:
        return None
    if table is None:
        raise ResultsError(f"{sweep.folder / layout.SWEEP}: missing; a sweep folder written by `fedsim sweep` has it")
    rows = table[table["metric"] == metric].set_index("design_point")
    out, missing = [], []
    for dp, value in zip(points["design_point"], points[parameter], strict=True):
        if dp not in rows.index or not int(rows.loc[dp, "n"]):
            missing.append(str(dp))
            continue
        r = rows.loc[dp]
        out.append({parameter: value, "design_point": int(dp), "mean": float(r["mean"]), "ci_low": float(r["ci_low"]),
                    "ci_high": float(r["ci_high"]), "n": int(r["n"])})
    frame = pd.DataFrame(out, columns=[parameter, "design_point", "mean", "ci_low", "ci_high", "n"])
    return frame.sort_values(parameter).reset_index(drop=True), missing


def _flat(node: Any, prefix: str, out: dict[str, Any]) -> dict[str, Any]:
    if isinstance(node, dict):
        for key, value in node.items():
            _flat(value, f"{prefix}.{key}" if prefix else str(key), out)
    else:
        out[prefix] = node
    return out


def model_of(scenario: dict[str, Any]) -> dict[str, Any]:
    """The dotted values that define a scenario's results: its model sections and the root seed."""
    out = _flat({k: scenario.get(k) for k in COMPARED}, "", {})
    out["run.seed"] = (scenario.get("run") or {}).get("seed")
    return out


def require_sweep(folder: Path) -> SweepTables:
    """`read_sweep`, or `ResultsError` when `folder` is not a sweep folder."""
    sweep = read_sweep(folder)
    if sweep is None:
        raise ResultsError(f"{folder}: not a sweep folder (no {layout.DESIGN_POINTS})")
    return sweep


def check_same_scenario(report: dict[str, Any] | None, report_folder: Path, sweep: SweepTables) -> None:
    """`ResultsError` unless `sweep` was run on the scenario of the report (see module doc)."""
    sweep_folder, base = sweep.folder, sweep.scenario
    if base is None:
        raise ResultsError(f"{sweep_folder}: no {layout.RESOLVED}; cannot tell which scenario the sweep ran")
    if report is None:
        return
    swept = parameters(sweep.points)
    ours, theirs = model_of(report), model_of(base)
    diffs = [k for k in sorted(set(ours) | set(theirs))
             if ours.get(k) != theirs.get(k) and not any(k == p or k.startswith(p + ".") for p in swept)]
    if not diffs:
        return
    what = "world" if any(k.startswith("world.") or k == "run.seed" for k in diffs) else "scenario"
    named = "; ".join(f"{k} is {theirs.get(k)!r} in the sweep, {ours.get(k)!r} in {report_folder}" for k in diffs[:SHOWN])
    more = f" (and {len(diffs) - SHOWN} more)" if len(diffs) > SHOWN else ""
    raise ResultsError(
        f"{sweep_folder}: this sweep ran on a different {what} from {report_folder}: {named}{more}. A sweep is drawn "
        f"only into the report of its own scenario (same world, seed and model; only the swept "
        f"{', '.join(swept) or 'parameters'} may differ)")
