"""One run as a unit of work: what a worker receives (`RunTask`) and sends back (`RunRecord`).

`run_task` takes the design point's world (the parent's, through `sim.runner.worlds`, or from a custom
factory; under ``run.world_per_replication`` the replication's own, `sim.runner.seeds.world_seed`), simulates
one replication under its own seed sequence, and returns the run's metric and flow tables as Parquet bytes
(and as CSV rows, so the parent merges without formatting) with its whole-run values, wall time, event count
and host. It never raises for a failing run: the exception and its traceback come back in the record, so one
bad run becomes a row and the batch goes on. The parent writes the record to ``parts/`` as soon as it arrives, so workers need
no shared filesystem (Dask workers on other machines; one that cannot read the parent's world file builds the
world itself and counts it in ``world_builds``).

Simulated-day progress goes to a per-process sink: a callback in the parent for the in-process executor, a
multiprocessing queue set by `init_worker` in pool workers, none on Dask.
"""

from __future__ import annotations

import importlib
import os
import socket
import time
import traceback
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

import pyarrow as pa

from sim.config import Scenario
from sim.model.component import Component
from sim.model.simulation import COMPONENTS, simulate
from sim.results import state_metric
from sim.results.tables import RUN_TABLES, flows_by_state_table, flows_table, metrics_table, to_csv_text, to_parquet_bytes
from sim.runner import seeds
from sim.runner.places import place_tables
from sim.runner.worlds import WorldRef, load_world
from sim.world import build

DEFAULT_WORLD = "sim.world:build_world_cached"
TABLE_FIELDS = tuple(k + s for s in ("", "_csv") for k in RUN_TABLES)  # a record's tables, kept out of its JSON
ProgressSink = Callable[[tuple[int, int, int, int]], None]
_sink: ProgressSink | None = None


@dataclass(frozen=True)
class RunTask:
    scenario: Scenario
    design_point: int
    replication: int
    seed: int
    crn: bool = False
    components: tuple[type[Component], ...] = COMPONENTS
    world_factory: str = DEFAULT_WORLD
    world: WorldRef | None = None  # the parent's world for the default factory (`sim.runner.worlds`)
    watch: tuple[str, ...] = ()  # per-state metrics (METRIC.ST, `sim.results.state_metric`) to report


@dataclass
class RunRecord:
    design_point: int
    replication: int
    ok: bool
    seed: dict[str, Any]
    wall_s: float
    world_s: float = 0.0
    world_builds: int = 0  # worlds this run built itself (0 when it used the parent's or a cached one)
    events: int = 0
    host: str = ""
    pid: int = 0
    totals: dict[str, float] = field(default_factory=dict)
    # the task's watched per-state metrics (METRIC.ST): their by_state rows, for --replications auto; not summary.json's
    state_totals: dict[str, float] = field(default_factory=dict)
    error: str | None = None
    traceback: str | None = None
    metrics: bytes | None = field(default=None, repr=False)
    flows: bytes | None = field(default=None, repr=False)
    # The same tables as CSV rows (UTF-8, no header), rendered by the worker: merging concatenates them, so the
    # batch's serial tail does no formatting (for 8 runs of 120 days it was ~0.5 s of the parent's CPU).
    metrics_csv: bytes | None = field(default=None, repr=False)
    flows_csv: bytes | None = field(default=None, repr=False)
    flows_by_state: bytes | None = field(default=None, repr=False)
    flows_by_state_csv: bytes | None = field(default=None, repr=False)
    by_state: bytes | None = field(default=None, repr=False)
    by_agency: bytes | None = field(default=None, repr=False)
    by_state_csv: bytes | None = field(default=None, repr=False)
    by_agency_csv: bytes | None = field(default=None, repr=False)
    audit_by_agency: bytes | None = field(default=None, repr=False)
    audit_by_agency_csv: bytes | None = field(default=None, repr=False)

    def to_json(self) -> dict[str, Any]:
        """The record without its tables (they go to their own Parquet and CSV part files)."""
        data = asdict(self)
        for key in TABLE_FIELDS:
            data.pop(key)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RunRecord:
        return cls(**data)


def set_progress_sink(sink: ProgressSink | None) -> None:
    global _sink
    _sink = sink


def init_worker(queue: Any | None) -> None:
    """Process-pool initializer: send simulated-day progress to `queue` (or nowhere), and run BLAS on one thread.

    Each worker is already one of the pool's parallel processes (Dask's workers are single-threaded the same
    way): with OpenBLAS's default of a thread per core, two workers on two cores ran four BLAS threads, whose
    spinning slowed each run ~18% when both were busy (sweep benchmark, 2026-11-28: a run 1.25 s alone, 1.48 s
    beside another; single-threaded 1.20 and 1.22 s). Results do not depend on it (flows never sum through BLAS).
    """
    from threadpoolctl import threadpool_limits

    set_progress_sink(None if queue is None else queue.put)
    threadpool_limits(limits=1, user_api="blas")


def watched_values(by_state: pa.Table, names: tuple[str, ...]) -> dict[str, float]:
    """The per-state metrics `names` (METRIC.ST) a run's by_state table has a row for."""
    if not names:
        return {}
    frame = by_state.to_pandas()
    found = {name: state_metric.value(frame, m) for name in names if (m := state_metric.parse(name)) is not None}
    return {name: v for name, v in found.items() if v is not None}


def resolve(path: str) -> Callable[..., Any]:
    """A "module:attribute" path to the object it names."""
    module, _, name = path.partition(":")
    return getattr(importlib.import_module(module), name)


def run_task(task: RunTask) -> RunRecord:
    started = time.perf_counter()
    seq = seeds.run_seed(task.seed, task.design_point, task.replication, task.crn)
    record = RunRecord(
        task.design_point, task.replication, False, seeds.describe(seq), 0.0, host=socket.gethostname(), pid=os.getpid()
    )
    sink = _sink
    progress = None
    if sink is not None:
        def progress(day: int, total: int) -> None:
            sink((task.design_point, task.replication, day, total))
    try:
        before = build.builds()
        if task.world is not None:
            world = load_world(task.world, task.scenario, task.seed)
        else:
            world_seq = seeds.world_seed(task.seed, seeds.world_index(task.scenario, task.replication))
            world = resolve(task.world_factory)(task.scenario, seed_seq=world_seq)
        record.world_builds = build.builds() - before
        record.world_s = time.perf_counter() - started
        out = simulate(task.scenario, world, seq, progress=progress, components=task.components)
        name = task.scenario.name
        metrics = metrics_table(out.metrics, name, task.design_point, task.replication, task.seed)
        flows = flows_table(out.flows, name, task.design_point, task.replication)
        tables = {"metrics": metrics, "flows": flows,
                  "flows_by_state": flows_by_state_table(out.flows_by_state, name, task.design_point, task.replication),
                  **place_tables(world, out.by_agency, name, task.design_point, task.replication, out.audit_by_agency)}
        for kind, csv in task.scenario.run.written():  # the tables `run.tables` and `run.csv` ask for
            setattr(record, kind, to_parquet_bytes(tables[kind]))
            if csv:
                setattr(record, f"{kind}_csv", to_csv_text(tables[kind], header=False).encode("utf-8"))
        record.totals = {m: float(v) for d, m, v in out.metrics if d is None}
        record.state_totals = watched_values(tables["by_state"], task.watch)
        record.events = out.events
        record.ok = True
    except Exception as exc:  # a failing run becomes a row; the batch goes on
        record.error = f"{type(exc).__name__}: {exc}"
        record.traceback = traceback.format_exc()
    record.wall_s = time.perf_counter() - started
    return record
