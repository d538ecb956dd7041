"""The platform's queues: FCFS multi-server pools on the SimPy clock, with exact time-weighted probes.

A `ServerPool` is what a SimPy `Resource` with `capacity=workers` would be for jobs that only wait and
get served, without a process per job: `submit(service_s, on_done)` starts the job at once when a worker
is free, or queues it; each service completion is one SimPy timeout event. Probes integrate queue length
and busy workers over simulated time (seconds) from `record_from` on, so `queue_mean` is time-weighted and
Little's law (queue_mean = arrival_rate x wait_mean) holds between the probes up to end effects.

`ServiceSampler` draws service times (seconds) from a scenario `ServiceTime`; `load_calibration` reads the
`calibration.json` that `fedsim loadtest` writes and returns the queues' measured settings.
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import simpy
from pydantic import ValidationError

from sim.config.base import ServiceTime
from sim.config.errors import Problem, ScenarioError
from sim.config.platform import Ingest, Packaging, Platform, SearchQueue


class ServiceSampler:
    def __init__(self, spec: ServiceTime, rng: np.random.Generator) -> None:
        self.spec = spec
        self.rng = rng
        if spec.dist == "lognormal":
            self._sigma = float(np.sqrt(np.log1p(spec.cv**2)))
            self._mu = float(np.log(spec.mean_s) - self._sigma**2 / 2)
        self._samples = np.asarray(spec.samples_s, dtype=float)

    @property
    def mean_s(self) -> float:
        return float(self._samples.mean()) if self.spec.dist == "empirical" else self.spec.mean_s

    def draw(self, n: int) -> np.ndarray:
        d = self.spec.dist
        if d == "exponential":
            return self.rng.exponential(self.spec.mean_s, n)
        if d == "lognormal":
            return self.rng.lognormal(self._mu, self._sigma, n)
        if d == "fixed":
            return np.full(n, self.spec.mean_s)
        return self.rng.choice(self._samples, n)


class ServerPool:
    def __init__(self, env: simpy.Environment, workers: int, record_from: float = 0.0) -> None:
        self.env = env
        self.workers = workers
        self.record_from = record_from
        self.busy = 0
        self.waiting: deque[tuple[float, float, Callable[[float], None] | None]] = deque()
        self.waits: list[float] = []
        self.arrivals = 0
        self._last = 0.0
        self._queue_area = 0.0
        self._busy_area = 0.0

    def _advance(self, now: float) -> None:
        """Integrate queue length and busy workers from the last change up to `now` (recorded part only)."""
        start = self._last if self._last > self.record_from else self.record_from
        if now > start:
            self._queue_area += len(self.waiting) * (now - start)
            self._busy_area += self.busy * (now - start)
        self._last = now

    def submit(self, service_s: float, on_done: Callable[[float], None] | None = None) -> None:
        """A job arrives now; `on_done(wait_s)` is called when its service ends."""
        now = self.env.now
        self._advance(now)
        if now >= self.record_from:
            self.arrivals += 1
        if self.busy < self.workers:
            self._start(now, now, service_s, on_done)
        else:
            self.waiting.append((now, service_s, on_done))

    def _start(self, now: float, arrived: float, service_s: float, on_done: Callable[[float], None] | None) -> None:
        self.busy += 1
        wait = now - arrived
        if arrived >= self.record_from:
            self.waits.append(wait)
        # The completion event carries (wait, on_done) as its value: no closure per job.
        self.env.timeout(service_s, (wait, on_done)).callbacks.append(self._finish)

    def _finish(self, event: simpy.Event) -> None:
        now = self.env.now
        self._advance(now)
        self.busy -= 1
        if self.waiting:
            self._start(now, *self.waiting.popleft())
        wait, on_done = event.value
        if on_done is not None:
            on_done(wait)

    def stats(self, prefix: str, horizon_s: float) -> dict[str, float]:
        """Whole-run probes over [record_from, horizon_s]: jobs, arrival rate, waits, utilization, queue."""
        if self.env.now < horizon_s:
            raise ValueError("stats() needs the simulation to have reached the horizon")
        self._advance(self.env.now)
        span = max(horizon_s - self.record_from, 1e-9)
        waits = np.asarray(self.waits) if self.waits else np.zeros(1)
        return {
            f"{prefix}.jobs": float(self.arrivals),
            f"{prefix}.arrival_rate_per_s": self.arrivals / span,
            f"{prefix}.wait_mean_s": float(waits.mean()),
            f"{prefix}.wait_p95_s": float(np.percentile(waits, 95)),
            f"{prefix}.utilization": self._busy_area / (span * self.workers),
            f"{prefix}.queue_mean": self._queue_area / span,
        }


def load_calibration(path: str | Path) -> dict[str, Any]:
    """Read a load-test `calibration.json`: {"queues": {"packaging": {"workers", "service_time"}, ...}}."""
    data = json.loads(Path(path).read_text())
    if not isinstance(data, dict) or not isinstance(data.get("queues"), dict):
        raise ValueError(f"{path}: a calibration file needs a 'queues' mapping")
    return data["queues"]


def apply_calibration(platform: Platform) -> Platform:
    """The scenario's `platform` with a calibration file's measured queues swapped in (if one is named).

    Raises `ScenarioError` naming the file and the dotted path when the file is missing or malformed.
    """
    if not platform.calibration:
        return platform
    source = str(platform.calibration)
    try:
        queues = load_calibration(source)
    except (OSError, ValueError) as exc:
        raise ScenarioError([Problem(source, "platform.calibration", f"cannot use calibration file: {exc}")]) from None
    models = {"packaging": Packaging, "search": SearchQueue, "ingest": Ingest}
    updates = {}
    for name, model in models.items():
        if name not in queues:
            continue
        try:
            merged = getattr(platform, name).model_dump() | queues[name]
            updates[name] = model.model_validate(merged)
        except ValidationError as exc:
            err = exc.errors()[0]
            path = ".".join(["queues", name, *map(str, err["loc"])])
            raise ScenarioError([Problem(source, path, err["msg"], None, err.get("input"), True)]) from None
    return platform.model_copy(update=updates)
