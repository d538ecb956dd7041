"""The platform's search queue as an exact FCFS c-server recursion over a day's known jobs.

A search job needs nothing from the rest of the simulation once its arrival time and service time are
drawn, and nothing else waits on it, so the queue's waits follow from the Kiefer-Wolfowitz recursion:
each job starts at max(arrival, earliest time a worker is free). `FcfsQueue.add` runs it over a day's
jobs (sorted arrival times, absolute seconds) with a heap of worker free times carried from day to day.
This gives the same waits, in the same FCFS order, as `sim.model.platform.ServerPool` on the SimPy
clock (tests/sim/model/test_alpr_queue.py checks job for job), at about a seventh of the cost: a
national month has over a million searches, and two SimPy events per job cost ~4 us each.

`stats` returns the ServerPool's probes with the same names: waits of jobs that arrived from
`record_from` on and started by the horizon; utilization and queue length integrated exactly over
[record_from, horizon] (time-weighted), so Little's law holds up to end effects.
"""

from __future__ import annotations

import heapq

import numpy as np


class FcfsQueue:
    def __init__(self, workers: int, record_from: float = 0.0) -> None:
        if workers < 1:
            raise ValueError(f"workers must be >= 1, got {workers}")
        self.workers = workers
        self.record_from = record_from
        self.free = [0.0] * workers
        self._arr: list[np.ndarray] = []
        self._start: list[np.ndarray] = []
        self._end: list[np.ndarray] = []
        self._last = -np.inf

    def add(self, arrivals: np.ndarray, services: np.ndarray) -> np.ndarray:
        """Serve jobs arriving at `arrivals` (ascending, after earlier batches); return their waits (s)."""
        arrivals = np.asarray(arrivals, dtype=float)
        services = np.asarray(services, dtype=float)
        if len(arrivals) and (arrivals[0] < self._last or np.any(np.diff(arrivals) < 0)):
            raise ValueError("arrivals must be ascending and not before earlier jobs")
        start = np.empty(len(arrivals))
        free = self.free
        replace = heapq.heapreplace
        for i, (a, s) in enumerate(zip(arrivals.tolist(), services.tolist(), strict=True)):
            f = free[0]
            b = a if f <= a else f
            replace(free, b + s)
            start[i] = b
        if len(arrivals):
            self._last = float(arrivals[-1])
            self._arr.append(arrivals)
            self._start.append(start)
            self._end.append(start + services)
        return start - arrivals

    def stats(self, prefix: str, horizon_s: float) -> dict[str, float]:
        """Whole-run probes over [record_from, horizon_s], named like `ServerPool.stats`."""
        arr = np.concatenate(self._arr) if self._arr else np.zeros(0)
        start = np.concatenate(self._start) if self._start else np.zeros(0)
        end = np.concatenate(self._end) if self._end else np.zeros(0)
        lo, hi = self.record_from, horizon_s
        span = max(hi - lo, 1e-9)
        counted = (arr >= lo) & (arr < hi)
        waits = (start - arr)[counted & (start < hi)]
        waits = waits if len(waits) else np.zeros(1)

        def overlap(a: np.ndarray, b: np.ndarray) -> float:
            return float(np.clip(np.minimum(b, hi) - np.maximum(a, lo), 0.0, None).sum())

        return {
            f"{prefix}.jobs": float(counted.sum()),
            f"{prefix}.arrival_rate_per_s": float(counted.sum()) / span,
            f"{prefix}.wait_mean_s": float(waits.mean()),
            f"{prefix}.wait_p95_s": float(np.percentile(waits, 95)),
            f"{prefix}.utilization": overlap(start, end) / (span * self.workers),
            f"{prefix}.queue_mean": overlap(arr, start) / span,
        }
