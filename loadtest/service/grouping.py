"""The queue and thread behind group commit: one thread takes every item waiting when its previous commit ended.

`GroupThread` is shared by ALPR ingest (`ingest.py`, items weighted by their reads) and durable writes
(`writer.py`, one each). No item waits for a timer: a lone item is committed at once; under load, items that
arrive during a commit form the next group, up to `max_weight`. Every item carries a `done` future that
answers its caller: items whose caller gave up (cancelled) are dropped before `commit`, and items still queued
at `close` get a 503 so no caller waits forever.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, Generic, Protocol, TypeVar

from loadtest.service.errors import ApiError


class Answered(Protocol):
    done: Future


Item = TypeVar("Item", bound=Answered)
STOP = object()


class GroupThread(Generic[Item]):
    def __init__(self, name: str, max_weight: int, weight: Callable[[Item], int]) -> None:
        self.max_weight, self.weight = max_weight, weight
        # SimpleQueue (C, one lock) rather than Queue (Python, a Condition per put): every write and camera batch
        # passes through it from the event loop
        self._queue: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def submit(self, item: Item) -> Future:
        """Queue an item; its future gives the answer once its group has committed."""
        self._queue.put(item)
        return item.done

    def depth(self) -> int:
        """Items waiting for a group (approximate, as `queue.SimpleQueue.qsize`)."""
        return self._queue.qsize()

    def close(self) -> None:
        self._queue.put(STOP)
        self._thread.join(timeout=30)

    def commit(self, group: list[Item]) -> None:
        """Commit one group (every item still wanted by its caller) and answer each item; must not raise."""
        raise NotImplementedError

    def _take(self) -> tuple[list[Item], bool]:
        first = self._queue.get()
        if first is STOP:
            return [], True
        group, weight = [first], self.weight(first)
        while weight < self.max_weight:
            try:
                nxt = self._queue.get_nowait()
            except queue.Empty:
                break
            if nxt is STOP:
                return group, True
            group.append(nxt)
            weight += self.weight(nxt)
        return group, False

    def _run(self) -> None:
        stop = False
        while not stop:
            group, stop = self._take()
            group = [item for item in group if item.done.set_running_or_notify_cancel()]  # a caller gave up: skip
            if group:
                self.commit(group)
        while True:
            try:
                late = self._queue.get_nowait()
            except queue.Empty:
                break
            if late is not STOP:
                late.done.set_exception(ApiError(503, "unavailable", "the service is shutting down"))
