"""Group commit of ALPR batches: batches that wait share one transaction; each keeps its own answer."""

from __future__ import annotations

import time

import pytest

from loadtest.service.errors import ApiError
from loadtest.service.ingest import Batch, IngestOps
from loadtest.service.metrics import Metrics
from loadtest.service.storage.sqlite import SqliteDatabase
from loadtest.service.writer import GroupWriter

ROWS = 50


def rows(tag: str) -> list[tuple]:
    now = time.time()
    return [(1, 0, f"{tag}{i:03d}", "NC", now - 60, 0.9, "white", "ford", "van") for i in range(ROWS)]


def test_waiting_batches_share_a_commit_and_keep_their_answers(tmp_path):
    db = SqliteDatabase(tmp_path / "g.db")
    db.create_schema()
    metrics = Metrics()
    ingestor = GroupWriter(db, IngestOps({}, metrics))
    try:
        with db.write() as tx:  # hold the writer: the first batch waits for it, the others queue behind
            tx.execute("INSERT INTO idempotency VALUES ('camera:1', 'used', 'other-hash', 202, '{}', 0)")
            futures = [ingestor.submit(Batch(1, 0, rows(f"G{i}"), "camera:1", None, f"h{i}", time.time())) for i in range(8)]
            futures.append(ingestor.submit(Batch(1, 0, rows("BAD"), "camera:1", "used", "this-hash", time.time())))
            time.sleep(0.2)
        answers = [f.result(timeout=30) for f in futures[:8]]
        with pytest.raises(ApiError) as err:
            futures[8].result(timeout=30)
    finally:
        ingestor.close()
    assert err.value.status == 409
    assert answers == [(202, {"accepted": ROWS}, False)] * 8
    with db.read() as tx:
        assert tx.scalar("SELECT count(*) FROM reads") == 8 * ROWS
        assert tx.scalar("SELECT count(*) FROM reads WHERE plate LIKE 'BAD' || '%'") == 0
    commits = metrics.registry.hist[("fedsim_alpr_commit_reads", ())]
    assert commits[-1] <= 2, "batches that queued behind the held writer share one commit"
    assert commits[-2] == 8 * ROWS
    db.close()
