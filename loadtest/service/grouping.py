"""The queue and thread behind group commit: one thread takes every item waiting when its previous commit ended.

`GroupThread` is shared by ALPR ingest (`ingest.py`, items weighted by their reads) and durable writes
(`writer.py`, one each). No item waits for a timer: a lone item is committed at once; under load, items that
arrive during a commit form the next group, up to `max_weight`. Items still queued at `close` are handed to
`refuse` so no caller waits forever.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

Item = TypeVar("Item")
STOP = object()


class GroupThread(Generic[Item]):
    def __init__(self, name: str, max_weight: int, weight: Callable[[Item], int]) -> None:
        self.max_weight, self.weight = max_weight, weight
        self._queue: queue.Queue[Any] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def put(self, item: Item) -> None:
        self._queue.put(item)

    def close(self) -> None:
        self._queue.put(STOP)
        self._thread.join(timeout=30)

    def commit(self, group: list[Item]) -> None:
        """Commit one group and answer each item; must not raise."""
        raise NotImplementedError

    def refuse(self, item: Item) -> None:
        """Answer an item that arrived after `close`."""
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
            if group:
                self.commit(group)
        while True:
            try:
                late = self._queue.get_nowait()
            except queue.Empty:
                break
            if late is not STOP:
                self.refuse(late)
