"""Group commit for durable writes: concurrent requests, submissions, searches with their audit and hotlists
share one write transaction and one fsync.

On SQLite every write of a worker process goes through one connection under one lock, so concurrent writers
only queue for it; each used to hold a thread of the worker pool while it waited (starving the readers) and
paid its own BEGIN, COMMIT and fsync. Here one writer thread takes every write waiting when the previous commit
ends (at most `MAX_OPS_PER_COMMIT`) and runs them in one ``synchronous=FULL`` transaction, each under its own
SAVEPOINT with its own Idempotency-Key record: a write that fails (a 404, 409 or 422 from the rules, or any
database error confined to its statements) is rolled back to its savepoint alone and its caller gets that error,
while the others commit. Every caller is answered only after the shared COMMIT returned, so a 2xx still means
fsynced (survives kill -9 and a power cut); if the COMMIT itself fails, every write in the group fails. A search
and its audit rows stay in one savepoint of one transaction: no audit, no result. A lone write waits for no timer.
Each item's own time (its statements, and an even share of its group's BEGIN and COMMIT) goes to
``fedsim_writer_service_seconds``: the writer's service time per operation, without the queueing that the
per-request server times include (what the calibration of searches and ingest measures on SQLite).

Camera batches of ALPR reads (`loadtest.service.ingest.Batch`) join the same groups when an `IngestOps` is given
(what `create_app` does on SQLite): every write of the process then takes the one lock once per group instead of
two threads taking turns at it, and a group of batches and durable writes costs one commit. A batch weighs its
reads, a durable write `WRITE_WEIGHT` reads, and a group stops at `MAX_READS_PER_COMMIT`. A group with a durable
write commits with ``synchronous=FULL`` (its batches are then fsynced too); a group of batches alone with
``NORMAL``, as before.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any

from loadtest.service import idempotency
from loadtest.service.errors import ApiError
from loadtest.service.grouping import GroupThread
from loadtest.service.ingest import MAX_READS_PER_COMMIT, Answer, Batch, IngestOps
from loadtest.service.metrics import Metrics
from loadtest.service.storage import Database, Tx

MAX_OPS_PER_COMMIT = 64  # assumption: bounds one transaction (searches read up to 1,001 rows each) to tens of ms
WRITE_WEIGHT = MAX_READS_PER_COMMIT // MAX_OPS_PER_COMMIT  # a durable write counts as this many reads in a group


@dataclass
class Write:
    op_name: str
    op: Callable[[Tx], tuple[int, dict[str, Any]]]
    actor: str
    key: str | None
    body_hash: str
    queued: float = field(default_factory=time.perf_counter)
    done: Future = field(default_factory=Future)  # -> Answer


class GroupWriter(GroupThread[Write | Batch]):
    """One thread that commits durable writes (and, given `ingest`, camera batches) in groups; `submit` gives a
    future of the item's answer."""

    def __init__(self, db: Database, ingest: IngestOps | None = None, metrics: Metrics | None = None) -> None:
        self.db, self.ingest, self.metrics = db, ingest, metrics
        super().__init__("fedsim-writer", MAX_READS_PER_COMMIT, _weight)

    def commit(self, group: list[Write | Batch]) -> None:
        answers: list[Answer | BaseException] = []
        own: list[float] = []  # each item's own statements, seconds
        durable = any(isinstance(item, Write) for item in group)
        start = time.perf_counter()
        try:
            with self.db.write(durable=durable) as tx:
                for item in group:
                    t0 = time.perf_counter()
                    answers.append(self._isolated(tx, item))
                    own.append(time.perf_counter() - t0)
        except Exception as exc:  # the shared transaction failed: no write in it committed
            for item in group:
                if not item.done.done():
                    item.done.set_exception(exc)
            return
        end = time.perf_counter()
        shared = (end - start - sum(own)) / len(group)  # BEGIN, COMMIT (the fsync) and the lock, split evenly
        batches: list[tuple[Batch, Answer]] = []
        for item, answer, mine in zip(group, answers, own, strict=True):
            name = item.op_name if isinstance(item, Write) else "alpr_ingest"
            if self.db.db_seconds is not None:  # queueing + the shared transaction, per item
                self.db.db_seconds(name, end - item.queued)
            if self.metrics is not None:  # the writer's own time for this item: the service time of its queue
                self.metrics.registry.observe("fedsim_writer_service_seconds", mine + shared, op=name)
            if isinstance(answer, BaseException):
                item.done.set_exception(answer)
            else:
                if isinstance(item, Batch):
                    batches.append((item, answer))
                item.done.set_result(answer)
        if batches and self.ingest is not None:
            self.ingest.record(batches)

    def _isolated(self, tx: Tx, item: Write | Batch) -> Answer | BaseException:
        """Run one item under its own savepoint; its error rolls back its statements only."""
        tx.execute("SAVEPOINT one")
        try:
            answer: Answer | BaseException = _one(tx, item) if isinstance(item, Write) else self._batch(tx, item)
        except idempotency.KeyTaken as taken:  # another write claimed the key: replay its answer, as a retry would
            tx.execute("ROLLBACK TO SAVEPOINT one")
            answer = _replay(tx, taken.item)
        except Exception as exc:  # noqa: BLE001 - handed to this item's caller, not its neighbours
            tx.execute("ROLLBACK TO SAVEPOINT one")  # if this fails the transaction is lost: the group fails
            answer = exc
        tx.execute("RELEASE SAVEPOINT one")
        return answer

    def _batch(self, tx: Tx, b: Batch) -> Answer:
        if self.ingest is None:
            raise RuntimeError("this writer was built without IngestOps: it takes no camera batches")
        return self.ingest.run(tx, b)


def _weight(item: Write | Batch) -> int:
    return len(item.rows) if isinstance(item, Batch) else WRITE_WEIGHT


def _one(tx: Tx, w: Write) -> Answer:
    if w.key is not None:
        stored = idempotency.prior(tx, w.actor, w.key, w.body_hash)
        if stored is not None:
            return stored
    status, body = w.op(tx)
    if w.key is not None and not idempotency.save(tx, w.actor, w.key, w.body_hash, status, body):
        raise idempotency.KeyTaken(w)
    return status, body, False


def _replay(tx: Tx, w: Write | Batch) -> Answer | BaseException:
    assert w.key is not None
    try:
        stored = idempotency.prior(tx, w.actor, w.key, w.body_hash)
    except ApiError as exc:  # the key came with another body
        return exc
    return stored or ApiError(409, "idempotency_conflict", "this Idempotency-Key is being used by a concurrent request")
