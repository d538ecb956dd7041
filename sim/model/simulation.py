"""One simulation run: the SimPy environment, the components, the clock and the probes.

Time is in seconds of simulated time; a day is 86,400 s. The run lasts ``run.warmup_days + run.days``;
nothing is recorded during warm-up and recorded day 0 starts at the end of warm-up. Components
(`sim.model.requests.RequestsModel`, `sim.model.alpr.AlprModel`) are wired here around one `SimContext`:
each gets the environment, the scenario, the world, named random streams and the metric recorders, starts
its processes in `start()` and writes its whole-run metrics in `finish()`.
"""

from __future__ import annotations

import importlib
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np
import simpy

from sim.config import Scenario
from sim.model.metrics import FlowTable, Recorder
from sim.model.platform import apply_calibration
from sim.model.rng import Streams
from sim.world.types import World

DAY_S = 86_400.0
_COUNT = re.compile(r"count\((\d+)\)")
COMPONENTS = ("sim.model.requests:RequestsModel", "sim.model.alpr:AlprModel")


class CountingEnvironment(simpy.Environment):
    """A SimPy environment that tells how many events it has processed (event-count guard, benchmarks).

    Every scheduled event takes the next id from SimPy's event-id counter, so processed events are the
    ids handed out minus the events still queued: no cost per event (overriding `step` to count cost
    about a tenth of the national run's event time).
    """

    @property
    def events_processed(self) -> int:
        match = _COUNT.fullmatch(repr(self._eid))
        if match is None:  # pragma: no cover - a SimPy without an itertools.count event-id counter
            raise RuntimeError(f"cannot read SimPy's event-id counter {self._eid!r}")
        return int(match.group(1)) - len(self._queue)


@dataclass
class SimContext:
    env: CountingEnvironment
    scenario: Scenario
    world: World
    streams: Streams
    metrics: Recorder
    flows: FlowTable
    warmup_s: float
    horizon_s: float
    platform: object = field(default=None)
    bulk_s: float = 0.0  # wall seconds of vectorised work done inside events (see `bulk`)

    @contextmanager
    def bulk(self) -> Iterator[None]:
        """Time a block of vectorised work run inside an event (a day's reads, searches, incidents).

        Benchmarks subtract it from the time in the event loop to measure the cost of event handling alone.
        """
        started = time.perf_counter()
        try:
            yield
        finally:
            self.bulk_s += time.perf_counter() - started

    def day_of(self, t: float | np.ndarray) -> int | np.ndarray:
        """Recorded day index of time `t` (negative during warm-up)."""
        if isinstance(t, np.ndarray):
            return np.floor((t - self.warmup_s) / DAY_S).astype(np.int64)
        return int((t - self.warmup_s) // DAY_S)

    def recording(self, t: float) -> bool:
        return self.warmup_s <= t < self.horizon_s


@dataclass
class RunOutput:
    metrics: list[tuple[int | None, str, float]]
    flows: list[tuple[int, str, str, str, str, float, float]]
    events: int
    wall_s: float
    event_loop_s: float = 0.0  # wall seconds inside the SimPy event loop (env.run)
    bulk_s: float = 0.0  # of which vectorised work inside events (SimContext.bulk)


def _component(path: str) -> type:
    module, _, name = path.partition(":")
    return getattr(importlib.import_module(module), name)


def simulate(
    scenario: Scenario,
    world: World,
    seed_seq: np.random.SeedSequence,
    progress: Callable[[int, int], None] | None = None,
    components: tuple[str, ...] = COMPONENTS,
) -> RunOutput:
    """Run one replication; `progress(day_done, total_days)` is called once per simulated day.

    `components` are "module:Class" paths; the default wires the full model.
    """
    started = time.perf_counter()
    run = scenario.run
    env = CountingEnvironment()
    warmup_s = run.warmup_days * DAY_S
    horizon_s = (run.warmup_days + run.days) * DAY_S
    ctx = SimContext(
        env=env,
        scenario=scenario,
        world=world,
        streams=Streams(seed_seq),
        metrics=Recorder(run.days),
        flows=FlowTable(),
        warmup_s=warmup_s,
        horizon_s=horizon_s,
        platform=apply_calibration(scenario.platform),
    )
    parts = [_component(path)(ctx) for path in components]
    for part in parts:
        part.start()
    total_days = run.warmup_days + run.days
    loop_s = 0.0
    for day in range(1, total_days + 1):
        t_loop = time.perf_counter()
        env.run(until=day * DAY_S)
        loop_s += time.perf_counter() - t_loop
        if progress is not None:
            progress(day, total_days)
    for part in parts:
        part.finish()
    return RunOutput(
        metrics=ctx.metrics.rows(),
        flows=ctx.flows.rows(),
        events=env.events_processed,
        wall_s=time.perf_counter() - started,
        event_loop_s=loop_s,
        bulk_s=ctx.bulk_s,
    )
