"""Result folders: run parts merged into tidy tables, summaries, failures, the resolved scenario, a manifest.

A run folder (`fedsim run`, or ``points/<point>/`` of a sweep) holds ``metrics.csv``/``metrics.parquet``,
``flows.csv``/``flows.parquet``, ``summary.json``, ``failures.csv``, ``resolved_scenario.yaml`` and
``manifest.json`` (layout, schemas and the summary format: `sim.results`). Tables are merged from the
per-run parts one run at a time, in replication order, so memory stays bounded by one run's rows and the
bytes do not depend on which worker ran what, or when.
Every file except ``manifest.json`` (wall times, host) is byte-identical for the same seed.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import platform
import socket
import threading
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as pq

from sim.config import Scenario, ScenarioError
from sim.config.checks import scenario_warnings
from sim.config.resolve import content_hash, fedsim_version, git_commit, write_resolved
from sim.forking import ForkedResult, fork_is_safe
from sim.model.overload import overload_warnings
from sim.model.platform import apply_calibration, calibration_warnings
from sim.results import layout
from sim.results import summary as summary_json
from sim.results.plain_csv import csv_text
from sim.results.tables import FAILURE_COLUMNS, RUN_TABLES, SCHEMAS, read_parquet, to_csv_text
from sim.rng import name_key
from sim.runner import seeds
from sim.runner.parts import PartStore, atomic_write
from sim.runner.task import RunRecord
from sim.world.types import World

VERSIONED = ("numpy", "scipy", "simpy", "pandas", "pyarrow", "pydantic", "networkx", "dask", "distributed")


def clean(value: Any) -> Any:
    """NaN and infinities as null, recursively, so JSON stays standard."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean(v) for v in value]
    return value


def json_text(data: Any) -> str:
    return json.dumps(clean(data), indent=2, allow_nan=False) + "\n"


def write_json(path: Path, data: Any) -> None:
    atomic_write(path, json_text(data))


def merge_table(store: PartStore, design_point: int, replications: Iterable[int], kind: str, folder: Path,
                csv: bool = True) -> int:
    """Append the parts of `replications` (in order) into ``<kind>.parquet`` and, with `csv`, ``<kind>.csv``;
    return rows. A CSV the scenario no longer asks for (`run.csv`) is removed, not left stale."""
    schema = SCHEMAS[kind]
    csv_tmp = folder / f"{kind}.csv.tmp"
    pq_tmp = folder / f"{kind}.parquet.tmp"
    rows = 0
    if kind not in ("metrics", "flows") and not all(store.path(design_point, r, kind).is_file() for r in replications):
        drop(folder, kind)
        return 0  # a store written before this table existed (--resume), or `run.tables` left it out
    with contextlib.ExitStack() as files:
        out = files.enter_context(open(csv_tmp, "w", encoding="utf-8", newline="")) if csv else None
        writer = files.enter_context(pq.ParquetWriter(pq_tmp, schema))
        if out is not None:
            out.write(",".join(schema.names) + "\n")
        for rep in replications:
            table = read_parquet(str(store.path(design_point, rep, kind)), schema)
            if table.num_rows == 0:
                continue
            writer.write_table(table)
            if out is not None:
                rows_csv = store.path(design_point, rep, f"{kind}_csv")
                out.write(rows_csv.read_bytes().decode("utf-8") if rows_csv.is_file() else to_csv_text(table, header=False))
            rows += table.num_rows
    if csv:
        csv_tmp.replace(folder / f"{kind}.csv")
    else:
        (folder / f"{kind}.csv").unlink(missing_ok=True)
    pq_tmp.replace(folder / f"{kind}.parquet")
    return rows


def drop(folder: Path, kind: str) -> None:
    """Remove table `kind`'s files from a run folder (a table this run does not write)."""
    for suffix in ("parquet", "csv"):
        (folder / f"{kind}.{suffix}").unlink(missing_ok=True)


def summary(name: str, records: list[RunRecord]) -> dict[str, Any]:
    """summary.json (`sim.results.summary`) of the records' succeeded replications."""
    ok = [r for r in records if r.ok]
    values: dict[str, list[float]] = {}
    for rec in ok:
        for metric, value in rec.totals.items():
            values.setdefault(metric, []).append(value)
    return summary_json.build(name, values, len(ok), len(records) - len(ok))


def failure_rows(name: str, records: Iterable[RunRecord]) -> list[dict[str, Any]]:
    return [
        {"scenario": name, "design_point": r.design_point, "replication": r.replication, "error": r.error,
         "traceback": r.traceback}
        for r in records
        if not r.ok
    ]


def write_failures(path: Path, rows: list[dict[str, Any]]) -> None:
    frame = pd.DataFrame(rows, columns=list(FAILURE_COLUMNS))
    frame["design_point"] = frame["design_point"].astype("Int64")
    frame["replication"] = frame["replication"].astype("Int64")
    atomic_write(path, csv_text(frame))


def versions() -> dict[str, str | None]:
    out: dict[str, str | None] = {"fedsim": fedsim_version(), "python": platform.python_version()}
    for name in VERSIONED:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = None
    return out


def host() -> dict[str, Any]:
    return {"name": socket.gethostname(), "platform": platform.platform(), "cpus": os.cpu_count()}


def run_entry(rec: RunRecord, scenario: Scenario) -> dict[str, Any]:
    """A run's line in manifest.json; under ``run.world_per_replication`` with the seed its world was built from."""
    own = seeds.world_index(scenario, rec.replication)
    world = {} if own is None else {"world_seed": seeds.describe(seeds.world_seed(scenario.run.seed, own))}
    return {
        "design_point": rec.design_point,
        "replication": rec.replication,
        "seed": rec.seed,
        "ok": rec.ok,
        "wall_s": rec.wall_s,
        "world_s": rec.world_s,
        "events": rec.events,
        "host": rec.host,
        "pid": rec.pid,
        **world,
    }


def queue_warnings(metrics: dict[str, Any], scenario: Scenario) -> list[str]:
    """summary.json's ``warnings``: the queues whose offered load reaches capacity (`sim.model.overload`)."""
    try:
        platform = apply_calibration(scenario.platform)
    except ScenarioError:  # an unusable calibration file: every run failed on it and failures.csv says why
        return []
    return overload_warnings(metrics, platform)


def write_point(
    folder: Path,
    store: PartStore,
    scenario: Scenario,
    design_point: int,
    replications: int,
    batch: dict[str, Any],
    parameters: dict[str, Any] | None = None,
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Write one run folder from the parts of replications 0..replications-1; return its summary and failures."""
    folder.mkdir(parents=True, exist_ok=True)
    records = list(store.records(design_point, replications))
    ok = [r.replication for r in records if r.ok]
    written = dict(scenario.run.written())  # table -> with a CSV (`run.tables`, `run.csv`)
    for kind in RUN_TABLES:
        if kind in written:
            merge_table(store, design_point, ok, kind, folder, csv=written[kind])
        else:
            drop(folder, kind)
    # The CSV parts are the merged CSVs' rows again: gone once merged (the Parquet parts stay for --resume,
    # which renders their CSV rows again, byte-identical). Retention sweep: 11.4 of its parts' 12.7 MB.
    store.drop_csv(design_point, ok)
    summ = summary(scenario.name, records)
    summ["warnings"] = queue_warnings(summ["metrics"], scenario)
    if advice := scenario_warnings(scenario) + calibration_warnings(scenario.platform):  # valid, likely not meant
        summ["scenario_warnings"] = advice
    write_json(folder / layout.SUMMARY, summ)
    failures = failure_rows(scenario.name, records)
    write_failures(folder / layout.FAILURES, failures)
    write_resolved(scenario, folder / layout.RESOLVED)
    manifest = {
        "scenario": scenario.name,
        "design_point": design_point,
        "parameters": parameters or {},
        "content_hash": content_hash(scenario),
        "git_commit": git_commit(),
        "versions": versions(),
        "host": host(),
        # whether each replication drew its own world (then `runs` gives each one's seed), or all shared this one
        "world_per_replication": scenario.run.world_per_replication,
        "seeds": {
            "root": scenario.run.seed,
            "world": world_seeds(scenario),
            **batch.get("seeds", {}),
        },
        "replications": {"planned": replications, "succeeded": len(ok), "failed": len(records) - len(ok)},
        "wall_s_runs": sum(r.wall_s for r in records),
        "events": sum(r.events for r in records),
        "batch": {k: v for k, v in batch.items() if k != "seeds"},
        "runs": [run_entry(r, scenario) for r in records],
    }
    write_json(folder / layout.MANIFEST, manifest)
    return summ, failures


def world_seeds(scenario: Scenario) -> dict[str, Any]:
    """manifest.json's ``seeds.world``: the one world's seed sequence, or, under ``run.world_per_replication``,
    the form of each replication's (`sim.runner.seeds.world_seed`; each run's is in its ``runs`` entry)."""
    if not scenario.run.world_per_replication:
        return seeds.describe(seeds.world_seed(scenario.run.seed))
    return {"entropy": scenario.run.seed, "spawn_key": [*name_key(seeds.WORLD_STREAM), "replication"],
            "per_replication": True}


def world_summary(scenario: Scenario, world: World | None = None, focus: dict[str, str] | None = None) -> dict[str, Any]:
    """The `fedsim world --json` summary of the world the runs used (built from the root seed unless given), or,
    under ``run.world_per_replication``, of replication 0's world (the summary's ``world_replication`` says so);
    its one-state agency graph is of `focus`'s state where it has agencies."""
    from sim.model.access import reach_summary
    from sim.model.policy_effects import policy_effects
    from sim.world.build import build_world_cached
    from sim.world.summary import focus_agency, focus_state, summarise

    index = seeds.world_index(scenario, 0)
    if world is None:
        world = build_world_cached(scenario, seed_seq=seeds.world_seed(scenario.run.seed, index))
    out = summarise(world, scenario, reach_summary(world, policy_effects(world, scenario.policy)),
                    graph_state=focus_state(world, focus), graph_agency=focus_agency(world, focus))
    if index is None:
        return out
    placed: dict[str, Any] = {}
    for key, value in out.items():  # which of the run's worlds this is, next to the seed (absent: the one world)
        placed[key] = value
        if key == "seed":
            placed["world_replication"] = index
    return placed


class WorldSummary:
    """``world.json`` for a run folder, computed beside the runs instead of after them.

    The parent builds the batch's world before the runs (`sim.runner.worlds`); summarising it (reach under the
    policy, sample requests, one state's graph: ~1.5 s of CPU for the national baseline) needs only that world
    and the scenario, so `start` begins it at once on the other core:
    - when the runs execute in worker processes, on a thread of the parent, which otherwise only waits;
    - when they execute in this process (a single run, `--executor inprocess`), in a forked child
      (`sim.forking.ForkedResult`: the world reaches it through copy-on-write memory, not a pickle), because
      a thread would contend for the interpreter lock with the run itself. Where forking is not safe (another
      thread alive, not Linux) it is computed when written, after the runs.
    Without a `start` call (a world the parent did not build) it is computed when written. It depends only on
    the scenario and its seed, so it is the same bytes every way.
    """

    def __init__(self, scenario: Scenario, focus: dict[str, str] | None = None) -> None:
        self._scenario = scenario
        self._focus = focus
        self._text: str | None = None
        self._error: BaseException | None = None
        self._thread: threading.Thread | None = None
        self._child: ForkedResult | None = None

    def start(self, scenario: Scenario, seed: int, world: World, in_process: bool) -> None:
        """Summarise `world` beside the runs if it is the world of this run's scenario and seed."""
        if self._thread is not None or self._child is not None or seed != self._scenario.run.seed:
            return
        if not in_process:
            self._thread = threading.Thread(target=self._compute, args=(world,), name="fedsim-world-summary",
                                            daemon=True)
            self._thread.start()
        elif fork_is_safe():
            try:
                self._child = ForkedResult(
                    lambda: json_text(world_summary(self._scenario, world, self._focus)).encode("utf-8"))
            except OSError:  # no fork (out of memory, process limit): computed when written
                self._child = None

    def _compute(self, world: World | None = None) -> None:
        try:
            self._text = json_text(world_summary(self._scenario, world, self._focus))
        except BaseException as exc:  # raised again in write(), in the caller's thread
            self._error = exc

    def write(self, folder: Path) -> Path:
        if self._thread is not None:
            self._thread.join()
        elif self._child is not None:
            data = self._child.result()
            if data is not None:
                self._text = data.decode("utf-8")
        if self._text is None and self._error is None:  # not started, or the child failed: here, errors and all
            self._compute()
        if self._error is not None:
            raise self._error
        path = folder / layout.WORLD
        atomic_write(path, self._text)
        return path

    def cancel(self) -> None:
        """The runs were interrupted: no world.json; end a child still summarising."""
        if self._child is not None:
            self._child.cancel()
            self._child = None
