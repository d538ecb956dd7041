"""What `sim.run` and `sim.sweep` return: handles on a results folder, its tables loaded on demand.

`Result` (one scenario): ``.metrics`` and ``.flows`` (pandas DataFrames, the long tables), ``.table(kind)`` for
any table of the run folder (``by_state``, ``by_agency``, ``audit_by_agency``, ``flows_by_state``), ``.summary()``
(exactly the data of ``summary.json``), ``.failures``, ``.manifest``, ``.output_dir`` and, for
``--replications auto``, ``.decision`` (how many replications it took). `SweepResult`: ``.design_points``,
``.summary()`` (``sweep.csv`` as a DataFrame), ``.failures`` and ``.point(i)``, the `Result` of point i.
Everything is read through `sim.results` (the one reader of the layout in `sim.results.layout`).
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd

from sim.results import layout
from sim.results import summary as summary_json
from sim.results.errors import ResultsError
from sim.results.read import read_failures, read_flows, read_manifest, read_metrics, read_table
from sim.results.sweep import read_design_points, read_sweep_table
from sim.results.tables import SCHEMAS


def _required(value: Any, path: Path) -> Any:
    if value is None:
        raise ResultsError(f"{path}: missing")
    return value


class _Folder:
    """What every results folder has: its path, whether the batch was interrupted, failures and manifest."""

    def __init__(self, output_dir: Path, interrupted: bool = False) -> None:
        self.output_dir = Path(output_dir)
        self.interrupted = interrupted

    @cached_property
    def failures(self) -> pd.DataFrame:
        return read_failures(self.output_dir)

    @cached_property
    def manifest(self) -> dict[str, Any]:
        return _required(read_manifest(self.output_dir), self.output_dir / layout.MANIFEST)


class Result(_Folder):
    def __init__(self, output_dir: Path, decision: dict[str, Any] | None = None, interrupted: bool = False) -> None:
        super().__init__(output_dir, interrupted)
        self.decision = decision or {}

    def __repr__(self) -> str:
        return f"Result({str(self.output_dir)!r}, replications={self.replications})"

    @cached_property
    def metrics(self) -> pd.DataFrame:
        return _required(read_metrics(self.output_dir), self.output_dir / layout.METRICS_PARQUET)

    @cached_property
    def flows(self) -> pd.DataFrame:
        return _required(read_flows(self.output_dir), self.output_dir / layout.FLOWS_PARQUET)

    def table(self, kind: str) -> pd.DataFrame:
        """The run folder's table `kind` (a name of `sim.results.tables.SCHEMAS`), read each time it is asked."""
        if kind not in SCHEMAS:
            raise ResultsError(f"no table {kind!r}; the tables of a run folder: {', '.join(SCHEMAS)}")
        return _required(read_table(self.output_dir, kind), self.output_dir / f"{kind}.parquet")

    def summary(self) -> dict[str, Any]:
        """The data of summary.json: scenario, replications, failed, and per metric its statistics."""
        return _required(summary_json.read(self.output_dir), self.output_dir / layout.SUMMARY)

    @property
    def replications(self) -> int:
        return int(self.summary()["replications"])


class SweepResult(_Folder):
    def __init__(self, output_dir: Path, decisions: dict[int, dict[str, Any]] | None = None,
                 interrupted: bool = False) -> None:
        super().__init__(output_dir, interrupted)
        self.decisions = decisions or {}

    def __repr__(self) -> str:
        return f"SweepResult({str(self.output_dir)!r}, points={len(self.design_points)})"

    @cached_property
    def design_points(self) -> pd.DataFrame:
        return _required(read_design_points(self.output_dir), self.output_dir / layout.DESIGN_POINTS)

    def summary(self) -> pd.DataFrame:
        """sweep.csv: per design point and whole-run metric, n, mean, CI, median, p5 and p95."""
        return _required(read_sweep_table(self.output_dir), self.output_dir / layout.SWEEP)

    def point(self, design_point: int) -> Result:
        folder = layout.point_dir(self.output_dir, design_point)
        if not folder.is_dir():
            raise KeyError(f"design point {design_point} has no results in {self.output_dir}")
        return Result(folder, self.decisions.get(design_point))
