"""Future one-off callbacks kept off SimPy's event heap until they are next due.

Every push and pop on SimPy's event heap costs time that grows with the number of events pending. A model
that holds many far-off one-off events (a resident's submission hours after the request was posted: ~26
pending at national scale, beside ~10 busy search workers) makes every other event slower, the
search queue's 2.5 million included. `DueQueue` keeps such callbacks in a heap of its own and gives each
one exactly one SimPy event, pushed on SimPy's heap at the callback's own time, but only once the
callback is the earliest pending one (at insertion, or when the one before it fires). So the same events
happen at the same times in the same order (times are continuous: ties have probability zero; among
equal times the queue keeps insertion order), the event count is unchanged, and SimPy's heap holds the
few queued callbacks that are running minima instead of all of them.

Times are absolute seconds of simulated time and exact: the event is pushed with the given time, not
with a delay recomputed from the current time.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from heapq import heappop, heappush

import simpy
from simpy.events import NORMAL

from sim.model.simpy_heap import Ready, simpy_heap


class DueQueue:
    """`add(at, fn)`: call `fn()` at absolute time `at` (not before now), through one SimPy event."""

    def __init__(self, env: simpy.Environment) -> None:
        self.env = env
        self._heap, self._eid = simpy_heap(env)
        self._items: list[list] = []  # [time, sequence, fn, armed]: lists compare by time, then sequence
        self._seq = itertools.count()
        self._fire_cbs = [self._fire]

    def __len__(self) -> int:
        return len(self._items)

    def add(self, at: float, fn: Callable[[], None]) -> None:
        if at < self.env.now:
            raise ValueError(f"DueQueue.add: time {at} s is before now ({self.env.now} s)")
        item = [at, next(self._seq), fn, False]
        heappush(self._items, item)
        if self._items[0] is item:  # the new earliest: its event now (the previous earliest keeps its own)
            self._arm(item)

    def _arm(self, item: list) -> None:
        item[3] = True
        heappush(self._heap, (item[0], NORMAL, next(self._eid), Ready(self.env, self._fire_cbs)))  # at its exact time

    def _fire(self, _event: simpy.Event) -> None:
        # Armed events fire in time order and the earliest item is always armed, so the item due now is the head.
        item = heappop(self._items)
        if self._items and not self._items[0][3]:
            self._arm(self._items[0])
        item[2]()
