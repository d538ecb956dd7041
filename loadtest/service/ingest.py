"""Group commit for ALPR ingest: concurrent camera batches share one write transaction.

Each batch of a random-plate index dirties about one index page per read, and SQLite writes whole pages to the
WAL at every commit, so the commit count, not the row count, bounds ingest. One writer thread takes every batch
waiting when the previous commit ends (up to `MAX_READS_PER_COMMIT` reads) and commits them together; no batch
waits for a timer, so a lone camera sees no added latency. Each batch runs under its own SAVEPOINT with its own
Idempotency-Key record, so one refused batch (409) does not sink its neighbours; every waiter is answered only
after the shared commit returns, so a 202 still means durable (as the backend's bulk writes are, see storage).

`IngestOps` is what committing a batch means; the group-commit thread is `loadtest.service.writer.GroupWriter`.
On SQLite, where one lock serialises every write anyway, that one thread takes camera batches into the same
groups as the durable writes, so they share one transaction and one commit; on PostgreSQL a `GroupWriter` of its
own takes the camera batches alone (the other writes run concurrently from the pool).
"""

from __future__ import annotations

import time
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any

from loadtest.service import idempotency
from loadtest.service.metrics import Metrics
from loadtest.service.queries import alpr
from loadtest.service.storage import Tx

MAX_READS_PER_COMMIT = 20_000  # assumption: bounds one transaction's lock time to tens of milliseconds
Answer = tuple[int, dict[str, Any], bool]  # (status, JSON body, replayed)


@dataclass
class Batch:
    camera: int
    agency: int
    rows: list[tuple]
    actor: str
    key: str | None
    body_hash: str
    now: float
    queued: float = field(default_factory=time.perf_counter)
    done: Future = field(default_factory=Future)  # -> (status, body, replayed)


class IngestOps:
    """Committing one ALPR batch inside a shared transaction, whichever thread runs it, and the metrics after."""

    def __init__(self, cache: dict[str, Any], metrics: Metrics) -> None:
        self.cache, self.metrics = cache, metrics

    def run(self, tx: Tx, b: Batch) -> Answer:
        """Insert the batch (and its alerts); a replayed Idempotency-Key gives the stored answer."""
        if b.key is not None:
            prior = idempotency.prior(tx, b.actor, b.key, b.body_hash)
            if prior is not None:
                return prior
        out = {"accepted": alpr.ingest(tx, b.camera, b.agency, b.rows, self.cache, b.now)}
        if b.key is not None and not idempotency.save(tx, b.actor, b.key, b.body_hash, 202, out):
            raise idempotency.KeyTaken(b)  # another worker process committed this key meanwhile: replay its answer
        return 202, out, False

    def record(self, done: list[tuple[Batch, Answer]]) -> None:
        """Count the reads of batches that committed (replays excluded), once their commit returned."""
        committed = 0
        for batch, answer in done:
            if not answer[2]:
                committed += len(batch.rows)
                self.metrics.registry.observe("fedsim_alpr_batch_reads", len(batch.rows))
        self.metrics.registry.inc("fedsim_alpr_reads_ingested_total", committed)
        self.metrics.registry.observe("fedsim_alpr_commit_reads", committed)
