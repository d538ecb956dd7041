"""What every route needs: the database, settings, metrics, rate limiter and caches of one worker process.

Database calls are blocking (sqlite3, psycopg); `Context.run` runs them on a worker thread so the event loop
keeps accepting requests while one batch commits.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any, TypeVar

import anyio
from anyio import CapacityLimiter
from fastapi import Request

from loadtest.service.limits import RateLimiter
from loadtest.service.metrics import Metrics
from loadtest.service.settings import Settings
from loadtest.service.storage import Database

T = TypeVar("T")


@dataclass
class Context:
    settings: Settings
    db: Database
    metrics: Metrics
    limiter: RateLimiter
    threads: CapacityLimiter = field(default_factory=lambda: CapacityLimiter(16))
    cache: dict[str, Any] = field(default_factory=dict)
    ingestor: Any = None  # loadtest.service.writer.GroupWriter that takes ALPR batches (on SQLite also `writer`)
    writer: Any = None  # loadtest.service.writer.GroupWriter on SQLite (group commit of every write), else None

    async def run(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        return await anyio.to_thread.run_sync(partial(fn, *args, **kwargs), limiter=self.threads)


def ctx_of(request: Request) -> Context:
    return request.app.state.ctx
