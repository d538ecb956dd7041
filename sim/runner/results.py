"""What `sim.run` and `sim.sweep` return: handles on a results folder, its tables loaded on demand.

`Result` (one scenario): ``.metrics`` and ``.flows`` (pandas DataFrames, the long tables), ``.summary()``
(exactly the data of ``summary.json``), ``.failures``, ``.manifest``, ``.output_dir`` and, for
``--replications auto``, ``.decision`` (how many replications it took). `SweepResult`: ``.design_points``,
``.summary()`` (``sweep.csv`` as a DataFrame), ``.failures`` and ``.point(i)``, the `Result` of point i.
"""

from __future__ import annotations

import json
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd

from sim.runner.tables import SCHEMAS, read_parquet, to_pandas


def _read_csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, keep_default_na=True, dtype={"design_point": "Int64", "replication": "Int64"})


class _Folder:
    """What every results folder has: its path, whether the batch was interrupted, failures and manifest."""

    def __init__(self, output_dir: Path, interrupted: bool = False) -> None:
        self.output_dir = Path(output_dir)
        self.interrupted = interrupted

    @cached_property
    def failures(self) -> pd.DataFrame:
        return _read_csv(self.output_dir / "failures.csv")

    @cached_property
    def manifest(self) -> dict[str, Any]:
        return json.loads((self.output_dir / "manifest.json").read_text())


class Result(_Folder):
    def __init__(self, output_dir: Path, decision: dict[str, Any] | None = None, interrupted: bool = False) -> None:
        super().__init__(output_dir, interrupted)
        self.decision = decision or {}

    def __repr__(self) -> str:
        return f"Result({str(self.output_dir)!r}, replications={self.replications})"

    @cached_property
    def metrics(self) -> pd.DataFrame:
        return to_pandas(read_parquet(str(self.output_dir / "metrics.parquet"), SCHEMAS["metrics"]))

    @cached_property
    def flows(self) -> pd.DataFrame:
        return to_pandas(read_parquet(str(self.output_dir / "flows.parquet"), SCHEMAS["flows"]))

    def summary(self) -> dict[str, Any]:
        """The data of summary.json: scenario, replications, failed, and per metric its statistics."""
        return json.loads((self.output_dir / "summary.json").read_text())

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
        return pd.read_csv(self.output_dir / "design_points.csv")

    def summary(self) -> pd.DataFrame:
        """sweep.csv: per design point and whole-run metric, n, mean, CI, median, p5 and p95."""
        return pd.read_csv(self.output_dir / "sweep.csv")

    def point(self, design_point: int) -> Result:
        folder = self.output_dir / "points" / f"{design_point:04d}"
        if not folder.is_dir():
            raise KeyError(f"design point {design_point} has no results in {self.output_dir}")
        return Result(folder, self.decisions.get(design_point))
