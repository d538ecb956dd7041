"""The batch loop: design points x replications onto an executor, each finished run written at once.

Rounds: every valid design point asks its replication policy how many replications it needs; the runs not
yet done are submitted through a bounded window (twice the worker count in flight, so the parent never
holds more than that many results), and each record is written to ``parts/`` as it arrives. After a round,
the policy looks at the whole-run values and either stops the point or asks for more (``auto``). A run that
raises comes back as a failed record (a row of ``failures.csv``) and the batch goes on. When a worker
process dies (out of memory, a crash), the pool is restarted (at most `MAX_RESTARTS` times) and the runs
it took down are retried once; a run lost twice is a failure, and past the restart limit the runs not yet
done become failures "not run". Ctrl-C stops submitting, keeps every finished part, and
returns an outcome marked interrupted so the caller can still merge what is done.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import time
import traceback
from collections import Counter, deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from threadpoolctl import threadpool_limits

from sim.model.component import Component
from sim.results import state_metric
from sim.runner import seeds
from sim.runner.design import DesignPoint
from sim.runner.errors import RunnerError
from sim.runner.executors import make_executor
from sim.runner.parts import PartStore
from sim.runner.progress import Progress
from sim.runner.replicate import Auto, ReplicationRule
from sim.runner.task import RunRecord, RunTask, run_task, set_progress_sink
from sim.runner.worlds import BatchWorlds

MAX_RESTARTS = 3


@dataclass
class Batch:
    root: Path
    points: list[DesignPoint]
    policy: ReplicationRule
    crn: bool
    components: tuple[type[Component], ...]
    world_factory: str
    worlds: BatchWorlds | None = None  # the default factory's worlds, built once in the parent
    watch: tuple[str, ...] = ()  # per-state metrics (METRIC.ST) each run reports from its by_state rows


@dataclass
class Outcome:
    replications: dict[int, int] = field(default_factory=dict)
    decisions: dict[int, dict[str, Any]] = field(default_factory=dict)
    executor: dict[str, Any] = field(default_factory=dict)
    wall_s: float = 0.0
    interrupted: bool = False
    world_builds: dict[int, int] = field(default_factory=dict)  # root seed -> worlds built (parent and workers)
    runs_executed: int = 0  # runs started by this call; the others of `replications` were resumed from the folder


def metric_values(store: PartStore, design_point: int, replications: int, metric: str) -> tuple[list[float], int]:
    """Whole-run values of `metric` (or of a per-state metric, METRIC.ST: `sim.results.state_metric`) over
    succeeded replications (in order), and how many succeeded."""
    values, ok = [], 0
    for rec in store.records(design_point, replications):
        if rec.ok:
            ok += 1
            value = rec.totals.get(metric, rec.state_totals.get(metric))
            if value is None:  # a run resumed from a batch that watched another metric: its by_state part
                value = store.state_value(design_point, rec.replication, metric)
            if value is not None:
                values.append(value)
    return values, ok


def missing_metric(store: PartStore, design_point: int, replications: int, metric: str) -> RunnerError:
    """The error when no succeeded run of a point has a value of `metric`."""
    found = state_metric.parse(metric)
    if found is not None:
        return RunnerError(f"--metric {metric!r}: the runs of design point {design_point} have no {found.state} row "
                           f"in their by_state table (no agency of {found.state} in its world)")
    return RunnerError(f"--metric {metric!r} is not a whole-run metric of this scenario; "
                       f"choose one of: {', '.join(available_metrics(store, design_point, replications))}")


def available_metrics(store: PartStore, design_point: int, replications: int) -> list[str]:
    for rec in store.records(design_point, replications):
        if rec.ok:
            return sorted(rec.totals)
    return []


class _Runner:
    def __init__(self, batch: Batch, store: PartStore, progress: Progress, make: Callable[[], cf.Executor]) -> None:
        self.batch = batch
        self.store = store
        self.progress = progress
        self.make = make
        self.executor: cf.Executor | None = None
        self.restarts = 0
        self.retried: set[tuple[int, int]] = set()
        self.world_builds: Counter[int] = Counter()  # root seed -> worlds the runs built themselves

    def task_for(self, point: DesignPoint, rep: int) -> RunTask:
        assert point.scenario is not None
        b = self.batch
        # the point's own run.seed: a sweep over run.seed varies the world as well as the streams
        seed = point.scenario.run.seed
        ref = None
        if b.worlds is not None:
            try:
                ref = b.worlds.ref(point.scenario, seed, rep)
            except Exception:  # noqa: BLE001 - the run builds it itself and records the error as its failure
                ref = None
        return RunTask(point.scenario, point.index, rep, seed, b.crn, b.components, b.world_factory, ref, b.watch)

    def _failed(self, task: RunTask, exc: BaseException) -> RunRecord:
        seq = seeds.run_seed(task.seed, task.design_point, task.replication, task.crn)
        text = "".join(traceback.format_exception(exc))
        return RunRecord(task.design_point, task.replication, False, seeds.describe(seq), 0.0,
                         error=f"{type(exc).__name__}: {exc}", traceback=text)

    def _finish(self, rec: RunRecord) -> None:
        self.store.write(rec)
        self.progress.on_run_done(rec.design_point, rec.replication, rec.ok)

    def run(self, tasks: Iterator[RunTask]) -> None:
        if self.executor is None:
            self.executor = self.make()
        window = 2 * getattr(self.executor, "workers", 1)
        inflight: dict[cf.Future, RunTask] = {}
        retry: deque[RunTask] = deque()
        while True:
            while len(inflight) < window:
                task = retry.popleft() if retry else next(tasks, None)
                if task is None:
                    break
                inflight[self.executor.submit(run_task, task)] = task
            if not inflight:
                return
            done, _ = cf.wait(inflight, return_when=cf.FIRST_COMPLETED)
            broken = False
            for fut in done:
                task = inflight.pop(fut)
                try:
                    rec = fut.result()
                    self.world_builds[task.seed] += rec.world_builds
                    self._finish(rec)
                except cf.process.BrokenProcessPool as exc:
                    broken = True
                    self._lost(task, exc, retry)
                except Exception as exc:  # the executor lost the task (e.g. a Dask worker died)
                    self._finish(self._failed(task, exc))
            if broken:
                for task in inflight.values():  # every run in flight went down with the pool
                    self._lost(task, cf.process.BrokenProcessPool("lost when the worker pool broke"), retry)
                inflight.clear()
                if not self._restart():
                    note = RuntimeError(f"not run: the worker pool broke {self.restarts} times (out of memory?)")
                    for task in [*retry, *tasks]:
                        self._finish(self._failed(task, note))
                    return

    def _lost(self, task: RunTask, exc: BaseException, retry: deque[RunTask]) -> None:
        """A run lost with a crashed pool is retried once on a fresh pool; lost again, it is a failure."""
        key = (task.design_point, task.replication)
        if key in self.retried:
            self._finish(self._failed(task, exc))
        else:
            self.retried.add(key)
            retry.append(task)

    def _restart(self) -> bool:
        self.restarts += 1
        assert self.executor is not None
        self.executor.shutdown(wait=False, cancel_futures=True)
        if self.restarts > MAX_RESTARTS:
            self.executor = None
            return False
        self.executor = self.make()
        return True

    def close(self, interrupted: bool) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=not interrupted, cancel_futures=True)


def execute(
    batch: Batch, store: PartStore, progress: Progress, kind: str, workers: int | None, scheduler: str | None
) -> Outcome:
    started = time.perf_counter()
    policy = batch.policy
    valid = [p for p in batch.points if p.scenario is not None]
    targets = {p.index: policy.initial() for p in valid}
    tried: set[tuple[int, int]] = set()
    active = {p.index for p in valid}
    outcome = Outcome(replications=targets, executor={"kind": kind, "workers": 0, "scheduler": scheduler})

    def make() -> cf.Executor:
        ex = make_executor(kind, workers, scheduler, progress.worker_queue)
        outcome.executor = {"kind": kind, "workers": getattr(ex, "workers", 1), "scheduler": scheduler}
        return ex

    runner = _Runner(batch, store, progress, make)
    limits = contextlib.ExitStack()
    if kind == "inprocess":
        set_progress_sink(progress.on_day)
        # One BLAS thread, as in a pool worker (`sim.runner.task.init_worker`): the run is one core's work, and
        # the other core is busy with the world summary (a forked child, which inherits the limit); an OpenBLAS
        # thread spinning there slowed both. Results do not depend on it (flows never sum through BLAS).
        limits.enter_context(threadpool_limits(limits=1, user_api="blas"))
    try:
        while active:
            pending = []
            for p in valid:
                if p.index not in active:
                    continue
                done = store.succeeded(p.index)
                pending += [(p, r) for r in range(targets[p.index]) if r not in done and (p.index, r) not in tried]
            if pending:
                progress.add_runs(len(pending))
                tried.update((p.index, r) for p, r in pending)
                runner.run(runner.task_for(p, r) for p, r in pending)
            for index in sorted(active):
                metric = policy.metric if isinstance(policy, Auto) else ""
                values, ok = metric_values(store, index, targets[index], metric)
                if isinstance(policy, Auto) and ok and not values:
                    raise missing_metric(store, index, targets[index], metric)
                new = policy.next(values, targets[index])
                outcome.decisions[index] = policy.describe(values, targets[index])
                if new is None:
                    active.discard(index)
                else:
                    targets[index] = new
    except KeyboardInterrupt:
        outcome.interrupted = True
    finally:
        limits.close()
        set_progress_sink(None)
        runner.close(outcome.interrupted)
        if batch.worlds is not None:
            runner.world_builds.update(batch.worlds.builds)
            batch.worlds.close()
        outcome.world_builds = dict(sorted(runner.world_builds.items()))
        outcome.runs_executed = len(tried)
    outcome.wall_s = time.perf_counter() - started
    return outcome
