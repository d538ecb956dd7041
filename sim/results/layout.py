"""The layout of a results folder: what a run folder and a sweep folder hold, and where.

A **run folder** (`fedsim run`, and ``points/<point>/`` of a sweep) holds:

- ``metrics.parquet`` and ``metrics.csv``: the long metrics table (`sim.results.tables.METRICS_SCHEMA`);
- ``flows.parquet`` and ``flows.csv``: the data-flow table (`sim.results.tables.FLOWS_SCHEMA`);
- ``flows_by_state.parquet``/``.csv``: the flows over the whole run by owner and searcher state
  (`sim.results.tables.FLOWS_BY_STATE_SCHEMA`);
- ``by_state.parquet``/``.csv`` and ``by_agency.parquet``/``.csv``: results per state and per agency
  (`sim.results.places`); ``audit_by_agency.parquet``/``.csv``: per agency, searcher channel and reason, the
  searches touching its networks;
- ``summary.json``: per whole-run metric its statistics over replications (`sim.results.summary`);
- ``failures.csv``: failed runs (`sim.results.tables.FAILURE_COLUMNS`);
- ``resolved_scenario.yaml``: the scenario as run; ``manifest.json``: seeds, versions, host, wall times;
- optionally ``world.json`` (`fedsim world --json` of the world the runs used) and ``report.html``;
- optionally ``focus.json``: the state or agency its report leads with (`fedsim run --focus`; `sim.results.focus`);
- optionally ``loadtest/``, a load-test folder whose latency the report draws.

A **load-test folder** (`fedsim loadtest -o DIR`) holds ``loadtest.json``: the load test's figures (per-endpoint
percentiles, Locust's per-second history, CPU; `loadtest.summary`), beside Locust's own files. Folders written
before it was renamed call it ``summary.json``, the name of a run's summary: `sim.results.read.read_loadtest`
still reads those.

A **sweep folder** (`fedsim sweep`) holds ``design_points.csv`` (design_point and one column per swept dotted
parameter), ``sweep.csv`` (per design point and whole-run metric: the parameters and the statistics of
``summary.json``; `sim.results.tables.sweep_columns`), ``failures.csv``, ``resolved_scenario.yaml`` (the
base scenario with its ``sweep:`` section), ``manifest.json`` and one run folder per point under
``points/<index, zero-padded to 4 digits>/`` (`point_dir`).

A **sensitivity folder** (`fedsim sensitivity`) is a sweep folder that also holds ``sensitivity.csv`` (per
outcome metric and varied parameter, its index; `sim.sensitivity.analysis.COLUMNS`) and ``sensitivity.json``
(method, runs, seed, the parameters with their ranges and reasons).
"""

from __future__ import annotations

from pathlib import Path

METRICS_PARQUET, METRICS_CSV = "metrics.parquet", "metrics.csv"
FLOWS_PARQUET, FLOWS_CSV = "flows.parquet", "flows.csv"
FLOWS_BY_STATE_PARQUET, FLOWS_BY_STATE_CSV = "flows_by_state.parquet", "flows_by_state.csv"
BY_STATE_PARQUET, BY_STATE_CSV = "by_state.parquet", "by_state.csv"
BY_AGENCY_PARQUET, BY_AGENCY_CSV = "by_agency.parquet", "by_agency.csv"
AUDIT_BY_AGENCY_PARQUET, AUDIT_BY_AGENCY_CSV = "audit_by_agency.parquet", "audit_by_agency.csv"
SUMMARY = "summary.json"
FAILURES = "failures.csv"
RESOLVED = "resolved_scenario.yaml"
MANIFEST = "manifest.json"
WORLD = "world.json"
FOCUS = "focus.json"  # `fedsim run --focus STATE` / `--focus-agency NAME`: what the folder's report leads with
LOADTEST = "loadtest.json"  # a load-test folder's figures (`fedsim loadtest`)
LOADTEST_DIR = "loadtest"  # a run folder's load test, if one is kept there
DESIGN_POINTS = "design_points.csv"
SWEEP = "sweep.csv"
POINTS = "points"
SENSITIVITY = "sensitivity.csv"  # `fedsim sensitivity`: beside its sweep tables
SENSITIVITY_MANIFEST = "sensitivity.json"


def point_label(index: int) -> str:
    """Folder name of design point `index`: zero-padded so folders sort in order."""
    return f"{index:04d}"


def point_dir(root: Path, index: int) -> Path:
    return Path(root) / POINTS / point_label(index)


def is_sweep(folder: Path) -> bool:
    return (Path(folder) / DESIGN_POINTS).is_file()
