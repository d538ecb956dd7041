"""Rows per table for ``/metrics`` (``fedsim_db_table_rows{table}``), counted off the event loop and cached.

A count is exact: one statement of ``count(*)`` per table of the schema (`TABLE_NAMES`), in one read snapshot.
It is never taken per scrape. A worker process counts again only when its counts are older than
`TableRows.refresh_after`: at least ``Settings.table_rows_min_age_s`` (5 s by default) and at least
`COST_FACTOR` times what the last count took, so counting costs at most 1/`COST_FACTOR` of one core however
large the tables grow (a 0.4 s count of ten million reads is repeated at most every 20 s). The scrape that
finds the counts stale waits for the recount on a worker thread (never on the event loop; concurrent scrapes
share one recount); the counts' age in seconds is exported beside them (``fedsim_db_table_rows_age_seconds``).
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable

from loadtest.service.storage import Tx
from loadtest.service.storage.schema import TABLES

TABLE_NAMES: tuple[str, ...] = tuple(re.findall(r"CREATE TABLE IF NOT EXISTS (\w+)", TABLES))
COST_FACTOR = 50.0  # counting may use at most 1/50 of one core: wait 50x the last count's duration
COUNT_ALL = " UNION ALL ".join(f"SELECT '{t}', count(*) FROM {t}" for t in TABLE_NAMES)


def count_rows(tx: Tx) -> dict[str, int]:
    """Exact rows of every table of the schema, in one statement (one snapshot)."""
    return {str(name): int(n) for name, n in tx.all(COUNT_ALL)}


class TableRows:
    """Cached counts of one worker process. `get` is blocking: call it from a worker thread."""

    def __init__(self, count: Callable[[], dict[str, int]], min_age_s: float,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._count, self.min_age_s, self._clock = count, min_age_s, clock
        self._lock = threading.Lock()
        self.rows: dict[str, int] = {}
        self.taken = float("-inf")  # clock time the counts were taken
        self.cost_s = 0.0  # what the last count took

    @property
    def refresh_after(self) -> float:
        """Age in seconds past which the counts are taken again."""
        return max(self.min_age_s, COST_FACTOR * self.cost_s)

    def get(self) -> tuple[dict[str, int], float]:
        """(rows per table, age of the counts in seconds), counting again first when they are stale."""
        with self._lock:  # a second scrape waiting here finds the counts the first one took
            if self._clock() - self.taken >= self.refresh_after:
                t0 = self._clock()
                rows = self._count()
                t1 = self._clock()
                self.rows, self.taken, self.cost_s = rows, t1, t1 - t0
            return dict(self.rows), self._clock() - self.taken
