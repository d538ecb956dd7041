"""What every component of a run shares: the SimPy environment, the scenario, the world, streams and recorders.

Time is in seconds of simulated time; a day is 86,400 s. The run lasts ``run.warmup_days + run.days``;
nothing is recorded during warm-up and recorded day 0 starts at the end of warm-up (`SimContext.day_of`).
Day of week: simulated day 0 (the first day of warm-up, or of the run without one) is a Monday, and every weekly
profile (incidents', searches') reads `weekday(day)` of the day counted from there, not from the recorded days.
`SimContext.effects` is ``scenario.policy`` applied to the world (`sim.model.policy_effects`): components read
policy levers there, never from ``scenario.policy``. `CountingEnvironment` is SimPy's environment that tells
how many events it processed. `SimContext.platform` is the scenario's platform section with any load-test
calibration file's measured queues swapped in.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np
import simpy

from sim.config import Scenario
from sim.config.base import WEEKDAYS as WEEKDAYS  # re-exported: the order of every weekly profile, Monday first
from sim.config.platform import Platform
from sim.model.metrics import FlowTable, Recorder
from sim.model.policy_effects import PolicyEffects
from sim.rng import Streams
from sim.world.types import World

DAY_S = 86_400.0


def weekday(day: int) -> int:
    """Day of week of simulated day `day` (0 the first day of warm-up, or of the run without one): 0 Monday .. 6
    Sunday."""
    return day % 7


_COUNT = re.compile(r"count\((\d+)\)")


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
    effects: PolicyEffects  # the scenario's policy applied to the world: components read policy levers here
    streams: Streams
    metrics: Recorder
    flows: FlowTable
    warmup_s: float
    horizon_s: float
    platform: Platform  # scenario.platform after `sim.model.platform.apply_calibration`
    # per-agency whole-run columns (sim.results.places.AGENCY_COLUMNS), set by components in finish()
    by_agency: dict[str, np.ndarray] = field(default_factory=dict)
    # per owner, searcher channel and audited reason (sim.model.alpr_places.AgencyTally.by_reason)
    audit_by_agency: dict[str, np.ndarray] = field(default_factory=dict)
    # whole-run flows by owner and searcher state (sim.model.alpr_state_flows.COLUMNS), set by the ALPR model
    flows_by_state: dict[str, np.ndarray] = field(default_factory=dict)
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
