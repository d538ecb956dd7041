"""Per-run part files under ``DIR/parts/``: written as each run finishes, read back to merge and to resume.

Layout: ``parts/plan.json`` (what the batch is: scenario hash, seed, components) and, per design point,
``parts/<point>/r<replication>.metrics.parquet``, ``.flows.parquet`` (and the per-place tables the scenario's
``run.tables`` asks for), the same rows as ``.metrics.csv`` etc. for the tables ``run.csv`` asks for (no header;
removed once merged into the run folder, absent in stores written before them) and ``.json`` (the run record: seed,
wall time, events, host, whole-run values, or the exception of a failed run). Every file is written to a
temporary name and renamed, and the record last, so a record on disk means the run's files are complete:
an interrupted batch keeps every finished run, and ``resume`` skips the runs that succeeded.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from sim.results import state_metric
from sim.results.tables import RUN_TABLES, SCHEMAS, read_parquet
from sim.runner.errors import RunnerError
from sim.runner.task import TABLE_FIELDS, RunRecord


def atomic_write(path: Path, data: bytes | str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    if isinstance(data, str):
        data = data.encode("utf-8")
    with open(tmp, "wb") as fh:
        fh.write(data)
    os.replace(tmp, path)


class PartStore:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.dir = self.root / "parts"

    def point_dir(self, design_point: int) -> Path:
        return self.dir / f"{design_point:04d}"

    def path(self, design_point: int, replication: int, kind: str) -> Path:
        """`kind`: "record", "metrics" or "flows" (Parquet), "metrics_csv" or "flows_csv" (CSV rows)."""
        if kind == "record":
            suffix = "json"
        elif kind.endswith("_csv"):
            suffix = f"{kind.removesuffix('_csv')}.csv"
        else:
            suffix = f"{kind}.parquet"
        return self.point_dir(design_point) / f"r{replication:05d}.{suffix}"

    def prepare(self, plan: dict[str, Any], resume: bool) -> None:
        """Start a fresh store, or check that an existing one belongs to the same plan when resuming."""
        plan_path = self.dir / "plan.json"
        if self.dir.exists():
            if not plan_path.is_file():
                raise RunnerError(f"{self.dir} exists but was not written by fedsim; choose another output folder")
            old = json.loads(plan_path.read_text())
            if resume:
                if old != plan:
                    changed = sorted(k for k in plan.keys() | old.keys() if plan.get(k) != old.get(k))
                    raise RunnerError(
                        f"{self.root} holds results of a different batch (differs in: {', '.join(changed)}); "
                        "drop --resume to start over or choose another output folder"
                    )
                return
            shutil.rmtree(self.dir)
        self.dir.mkdir(parents=True)
        atomic_write(plan_path, json.dumps(plan, indent=2, sort_keys=True))

    def write(self, record: RunRecord) -> None:
        self.point_dir(record.design_point).mkdir(parents=True, exist_ok=True)
        rec = self.path(record.design_point, record.replication, "record")
        if rec.exists():
            rec.unlink()
        if record.ok:
            for kind in TABLE_FIELDS:
                data = getattr(record, kind)
                if data is not None or kind in ("metrics", "flows"):  # others optional (merge renders CSV rows)
                    atomic_write(self.path(record.design_point, record.replication, kind), data or b"")
        atomic_write(rec, json.dumps(record.to_json(), sort_keys=True))

    def drop_csv(self, design_point: int, replications: Iterable[int]) -> None:
        """Remove the CSV rows of these runs (merged into the run folder; `merge_table` renders them again from
        the Parquet parts when a resumed batch merges anew)."""
        for rep in replications:
            for kind in RUN_TABLES:
                self.path(design_point, rep, f"{kind}_csv").unlink(missing_ok=True)

    def read(self, design_point: int, replication: int) -> RunRecord | None:
        path = self.path(design_point, replication, "record")
        if not path.is_file():
            return None
        return RunRecord.from_json(json.loads(path.read_text()))

    def records(self, design_point: int, replications: int) -> Iterator[RunRecord]:
        """Records of replications 0..replications-1 that exist, in replication order."""
        for rep in range(replications):
            rec = self.read(design_point, rep)
            if rec is not None:
                yield rec

    def state_value(self, design_point: int, replication: int, name: str) -> float | None:
        """Per-state metric `name` (METRIC.ST) from a finished run's by_state part (a run whose record predates the
        metric being watched, resumed), or None without that part or row."""
        found = state_metric.parse(name)
        path = self.path(design_point, replication, "by_state")
        if found is None or not path.is_file():
            return None
        return state_metric.value(read_parquet(str(path), SCHEMAS["by_state"]).to_pandas(), found)

    def succeeded(self, design_point: int) -> set[int]:
        """Replications of a point whose run finished without error."""
        folder = self.point_dir(design_point)
        if not folder.is_dir():
            return set()
        done = set()
        for path in folder.glob("r*.json"):
            rec = json.loads(path.read_text())
            if rec.get("ok"):
                done.add(int(rec["replication"]))
        return done
