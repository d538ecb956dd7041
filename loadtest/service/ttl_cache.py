"""A per-process cache of computed answers: each kept `ttl_s` seconds, at most `max_items` (least recently
used dropped first), and computed once however many requests ask at the same moment (the others await it).

The public transparency page is served from it: a page counts 30 days of reads, alerts and searches, so a
page computed per request lets anyone tie up the server; a real portal shows figures refreshed every few
minutes. A computation that fails is not kept (the next request tries again).
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class TtlCache(Generic[V]):
    def __init__(self, ttl_s: float, max_items: int) -> None:
        self.ttl_s, self.max_items = ttl_s, max_items
        self._items: OrderedDict[Hashable, tuple[float, V]] = OrderedDict()
        self._pending: dict[Hashable, asyncio.Future[V]] = {}
        self.computed = 0  # how many times a value was computed (tests, metrics)

    async def get(self, key: Hashable, compute: Callable[[], Awaitable[V]]) -> V:
        now = time.monotonic()
        hit = self._items.get(key)
        if hit is not None and hit[0] > now:
            self._items.move_to_end(key)
            return hit[1]
        pending = self._pending.get(key)
        if pending is None:
            pending = asyncio.ensure_future(self._fill(key, compute))
            self._pending[key] = pending
        return await asyncio.shield(pending)

    async def _fill(self, key: Hashable, compute: Callable[[], Awaitable[V]]) -> V:
        try:
            value = await compute()
            self.computed += 1
            self._items[key] = (time.monotonic() + self.ttl_s, value)
            self._items.move_to_end(key)
            while len(self._items) > self.max_items:
                self._items.popitem(last=False)
            return value
        finally:
            self._pending.pop(key, None)
