"""FCFS multi-server queues on the SimPy clock, with exact time-weighted probes computed after the run.

A `ServerPool` is what a SimPy `Resource` with `capacity=workers` would be for jobs that only wait and get
served, without a process per job. Times are seconds of simulated time.

- `submit(service_s, on_done)` makes a job arrive now: it starts at once when a worker is free, or queues.
- `feed(arrival_times, service_s)` hands over a batch of future arrivals (absolute times, ascending): each
  arrival is one SimPy event, chained (the callback of one arrival schedules the next), so a day of 40,000
  searches costs 40,000 arrival events and no generator.
- Each service completion is one SimPy timeout event whose callback starts the next queued job.

Event objects are reused: each worker has one completion event (`sim.model.simpy_heap.Ready`, made with the
pool), pushed on SimPy's heap for every job it serves and kept aside while the worker is idle; a batch's
arrival event is pushed again for its next arrival. Each is still one SimPy event per arrival and per
completion, with the very heap entry `Environment.schedule` would push (time, priority, next event id, event)
at the same moments as new timeouts would be (same ids, same order), but without building a Timeout or
calling a method each time, which together cost about as much as the rest of handling an event. Each reused
event gets back the same one-element callback list. Arrival events are `Ready` too: with the queue's events
of one type, CPython's specialised attribute access in SimPy's `step` stays on its fast path (completions as
`Ready` beside arrivals as Timeouts measured ~10% slower event handling in the national run).

Jobs are numbered in arrival order and, the discipline being FCFS, start in that order too; the pool keeps
three flat float arrays (arrival, service, start time per job) instead of an object per job, and the queue
itself is implicit (jobs that have arrived but not started). Probes are integrated from those arrays when
`stats` is called: the time-weighted queue length is the sum over jobs of their waiting time inside the
recorded window ``[record_from, now]``, busy workers the sum of their service inside it. So `queue_mean` is
exactly time-weighted and Little's law holds between the probes up to end effects, with no work per event.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable
from heapq import heappush

import numpy as np
import simpy
from simpy.events import NORMAL

from sim.model.simpy_heap import Ready, simpy_heap

Done = Callable[[float], None]


class ServerPool:
    def __init__(self, env: simpy.Environment, workers: int, record_from: float = 0.0) -> None:
        if workers < 1:
            raise ValueError(f"a server pool needs at least 1 worker, got {workers}")
        self.env = env
        self.workers = workers
        self.record_from = record_from
        self.busy = 0
        self.arrived = 0  # jobs that have arrived
        # Arrival and service time of job k (fed jobs are written ahead of their arrival), for k < `_written`; the
        # arrays are longer (room kept ahead, `_reserve`) and their entries from `_written` on mean nothing.
        self._arrival = array("d")
        self._service = array("d")
        self._written = 0
        self._started = array("d")  # start time of job k (FCFS: jobs start in arrival order)
        self._on_done: dict[int, Done] = {}  # only jobs that asked to be told
        self._finish_cbs = [self._finish]  # the callback list every completion event gets (never mutated)
        # Completion events of idle workers, one per worker (busy + len(_spare) == workers); `job` is the job served.
        self._spare: list[simpy.Event] = [Ready(env, self._finish_cbs) for _ in range(workers)]
        self._heap, self._eid = simpy_heap(env)

    @property
    def queued(self) -> int:
        """Jobs that have arrived and wait for a worker."""
        return self.arrived - len(self._started)

    def submit(self, service_s: float, on_done: Done | None = None) -> None:
        """A job arrives now; `on_done(wait_s)` is called when its service ends."""
        now = self.env.now
        self._check_free(now)
        k = self.arrived
        if k < len(self._arrival):  # room kept by a feed (`_reserve`)
            self._arrival[k] = now
            self._service[k] = service_s
        else:
            self._arrival.append(now)
            self._service.append(service_s)
        self._written = self.arrived = k + 1
        if on_done is not None:
            self._on_done[k] = on_done
        if self.busy < self.workers:
            self._begin(now)

    def feed(self, arrival_times: np.ndarray, service_s: np.ndarray) -> None:
        """Jobs that will arrive at `arrival_times` (absolute, ascending, not before now) needing `service_s`.

        Until the batch's last arrival no other job may arrive (fed batches follow one another).
        """
        if len(arrival_times) != len(service_s):
            raise ValueError(f"feed: {len(arrival_times)} arrival times but {len(service_s)} service times")
        if not len(arrival_times):
            return
        now = self.env.now
        self._check_free(now)
        if arrival_times[0] < now or bool(np.any(np.diff(arrival_times) < 0)):
            raise ValueError("feed: arrival times must be ascending and not before now")
        times = arrival_times.tolist()
        lo, hi = self._written, self._written + len(times)
        self._reserve(hi)
        with memoryview(self._arrival) as arrival, memoryview(self._service) as service:  # copies, no loop
            arrival[lo:hi] = memoryview(np.ascontiguousarray(arrival_times, dtype=np.float64))
            service[lo:hi] = memoryview(np.ascontiguousarray(service_s, dtype=np.float64))
        self._written = hi
        _Feed(self, times).schedule_next(now)

    def _reserve(self, n: int) -> None:
        """Room for n jobs in the arrival and service arrays, growing them by half at least. Why (a speed trick):
        appending a day's batch grew each array by its size, and as a ~12 MB array grows among the pool's other
        allocations, CPython's realloc copies all of it: ~1 ms per array per national day. Growing by half, the
        copies are a few per run: a national month's array work in `feed` measured 75 -> 54 ms (most of what is
        left is first touches of the new memory). The cost: up to half the arrays again as unused room (national
        month: 2.09 million slots for 1.40 million jobs, 11 MB)."""
        size = len(self._arrival)
        if n > size:
            pad = bytes(8 * (max(n, size + size // 2) - size))
            self._arrival.frombytes(pad)
            self._service.frombytes(pad)

    def _check_free(self, now: float) -> None:
        if self.arrived < self._written:
            raise RuntimeError(f"a job arrives at {now} s while a fed batch runs until "
                               f"{self._arrival[self._written - 1]} s")

    def _begin(self, now: float) -> None:
        """Start the next job in line (there is one, and a worker is free)."""
        k = len(self._started)
        self._started.append(now)
        self.busy += 1
        self._serve(k)

    def _serve(self, k: int) -> None:
        """A free worker starts job k: its completion event goes on SimPy's heap."""
        event = self._spare.pop()
        heappush(self._heap, (self.env._now + self._service[k], NORMAL, next(self._eid), event))
        event.callbacks = self._finish_cbs
        event.job = k  # type: ignore[attr-defined]

    def _finish(self, event: simpy.Event) -> None:
        done = event.job  # type: ignore[attr-defined]
        k = len(self._started)
        if k < self.arrived:  # the worker takes the next job in line; its event serves again (`_serve`, inlined)
            now = self.env._now
            self._started.append(now)
            heappush(self._heap, (now + self._service[k], NORMAL, next(self._eid), event))
            event.callbacks = self._finish_cbs
            event.job = k  # type: ignore[attr-defined]
        else:
            self.busy -= 1
            self._spare.append(event)
        if self._on_done:
            on_done = self._on_done.pop(done, None)
            if on_done is not None:
                on_done(self._started[done] - self._arrival[done])

    def stats(self, prefix: str, horizon_s: float) -> dict[str, float]:
        """Whole-run probes over [record_from, horizon_s]: jobs, arrival rate, waits, utilization, queue."""
        now = self.env.now
        if now < horizon_s:
            raise ValueError("stats() needs the simulation to have reached the horizon")
        lo = self.record_from
        arrived = _floats(self._arrival)[: self.arrived]
        service = _floats(self._service)[: self.arrived]
        started = _floats(self._started)
        n_started = len(started)
        # Waiting ends at the start, or now for jobs still queued; service ends at start + service, or now.
        wait_end = np.concatenate([started, np.full(len(arrived) - n_started, now)])
        serve_end = np.minimum(started + service[:n_started], now)
        queue_area = float(np.clip(wait_end - np.maximum(arrived, lo), 0.0, None).sum())
        busy_area = float(np.clip(serve_end - np.maximum(started, lo), 0.0, None).sum())
        recorded = arrived >= lo
        waits = (started - arrived[:n_started])[recorded[:n_started]]
        if not len(waits):
            waits = np.zeros(1)
        jobs = int(recorded.sum())
        span = max(horizon_s - lo, 1e-9)
        return {
            f"{prefix}.jobs": float(jobs),
            f"{prefix}.arrival_rate_per_s": jobs / span,
            f"{prefix}.wait_mean_s": float(waits.mean()),
            f"{prefix}.wait_p95_s": float(np.percentile(waits, 95)),
            f"{prefix}.utilization": busy_area / (span * self.workers),
            f"{prefix}.queue_mean": queue_area / span,
        }


def _floats(a: array) -> np.ndarray:
    return np.frombuffer(a, dtype=np.float64) if len(a) else np.zeros(0)


class _Feed:
    """One batch of future arrivals: the callback of each arrival event lets it in and schedules the next.

    Arrivals at the same instant are let in by the same event (as a driver process that only yields on a
    positive gap would). The batch's times and services are already in the pool's arrays.
    """

    __slots__ = ("pool", "env", "times", "n", "next", "cbs")

    def __init__(self, pool: ServerPool, times: list[float]) -> None:
        self.pool, self.env, self.times, self.n, self.next = pool, pool.env, times, len(times), 0
        # The arrival event's callback list, given back each time it is scheduled again. It holds the bound method
        # `arrive`, not this object with a `__call__` (a speed trick: SimPy calls it once per arrival, and calling an
        # instance goes through the type's call slot and a method lookup each time; ~35 ns less per event of a
        # fed queue, measured: 538 -> 505 ns an event, arrivals and completions together).
        self.cbs = [self.arrive]

    def schedule_next(self, now: float) -> None:
        """The batch's arrival event, for its first arrival (the entry a Timeout of that delay would push)."""
        pool = self.pool
        heappush(pool._heap, (now + (self.times[self.next] - now), NORMAL, next(pool._eid), Ready(self.env, self.cbs)))

    def arrive(self, event: simpy.Event) -> None:
        """The arrival event's callback: let in every arrival due now, then schedule the event for the next one."""
        pool, times, i = self.pool, self.times, self.next
        now = self.env._now
        heap, eid = pool._heap, pool._eid
        while True:
            k = pool.arrived
            pool.arrived = k + 1
            if pool.busy < pool.workers:  # a free worker means nobody waits: job k starts (`_begin`, inlined)
                pool._started.append(now)
                pool.busy += 1
                done = pool._spare.pop()  # `_serve`, inlined: an idle worker's completion event
                heappush(heap, (now + pool._service[k], NORMAL, next(eid), done))
                done.callbacks = pool._finish_cbs
                done.job = k  # type: ignore[attr-defined]
            i += 1
            if i == self.n:
                self.next = i
                return
            if times[i] > now:
                break
        self.next = i
        heappush(heap, (now + (times[i] - now), NORMAL, next(eid), event))  # the same event brings the next arrival
        event.callbacks = self.cbs
