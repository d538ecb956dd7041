"""Group commit of durable writes: waiting writes share one transaction; each keeps its own answer and errors."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator

import pytest

from loadtest.service.errors import ApiError
from loadtest.service.storage import Tx
from loadtest.service.storage.sqlite import SqliteDatabase
from loadtest.service.writer import GroupWriter, Write


def put_key(name: str):
    def op(tx: Tx) -> tuple[int, dict]:
        tx.execute("INSERT INTO meta (key, value) VALUES (:k, 'v')", {"k": name})
        return 201, {"key": name}

    return op


def fails_after_writing(exc: Exception):
    def op(tx: Tx) -> tuple[int, dict]:
        tx.execute("INSERT INTO meta (key, value) VALUES ('half-done', 'v')")
        raise exc

    return op


@pytest.fixture
def dbw(tmp_path) -> Iterator[tuple[SqliteDatabase, GroupWriter]]:
    db = SqliteDatabase(tmp_path / "w.db")
    db.create_schema()
    writer = GroupWriter(db)
    try:
        yield db, writer
    finally:
        writer.close()
        db.close()


def keys(db: SqliteDatabase) -> set[str]:
    with db.read() as tx:
        return {r[0] for r in tx.all("SELECT key FROM meta WHERE value = 'v'")}


def test_waiting_writes_share_a_commit_and_a_bad_one_fails_alone(dbw):
    db, writer = dbw
    with db.write() as tx:  # hold the writer: every write below queues and joins one group
        tx.execute("SELECT 1")
        good = [writer.submit(Write("t", put_key(f"k{i}"), "agency:1", None, "")) for i in range(6)]
        rule = writer.submit(Write("t", fails_after_writing(ApiError(404, "not_found", "x")), "agency:1", None, ""))
        broken = writer.submit(Write("t", fails_after_writing(sqlite3.IntegrityError("boom")), "agency:1", None, ""))
        dup = writer.submit(Write("t", put_key("k0"), "agency:1", None, ""))  # primary key clash with an earlier write
        time.sleep(0.2)
        assert not any(f.done() for f in good), "an answer came before the shared commit"
    answers = [f.result(timeout=30) for f in good]
    with pytest.raises(ApiError) as err:
        rule.result(timeout=30)
    with pytest.raises(sqlite3.IntegrityError):
        broken.result(timeout=30)
    with pytest.raises(sqlite3.IntegrityError):
        dup.result(timeout=30)
    assert err.value.status == 404
    assert answers == [(201, {"key": f"k{i}"}, False) for i in range(6)]
    assert keys(db) == {f"k{i}" for i in range(6)}  # the failed writes' own statements were rolled back


def test_one_key_twice_in_a_group_writes_once_and_replays(dbw):
    db, writer = dbw
    with db.write() as tx:
        tx.execute("SELECT 1")
        first = writer.submit(Write("t", put_key("a"), "agency:1", "K", "hash"))
        again = writer.submit(Write("t", put_key("b"), "agency:1", "K", "hash"))  # a retry of the same request
        other = writer.submit(Write("t", put_key("c"), "agency:1", "K", "another-body"))
        time.sleep(0.1)
    assert first.result(timeout=30) == (201, {"key": "a"}, False)
    assert again.result(timeout=30) == (201, {"key": "a"}, True)
    with pytest.raises(ApiError) as err:
        other.result(timeout=30)
    assert err.value.status == 409
    assert keys(db) == {"a"}


def test_a_failed_commit_fails_every_write_of_the_group(dbw):
    db, writer = dbw

    def poison(tx: Tx) -> tuple[int, dict]:
        tx.execute("ROLLBACK")  # the transaction is gone: its savepoint cannot be released
        return 201, {}

    with db.write() as tx:
        tx.execute("SELECT 1")
        futures = [
            writer.submit(Write("t", put_key("x"), "agency:1", None, "")),
            writer.submit(Write("t", poison, "agency:2", None, "")),
        ]
        time.sleep(0.1)
    for f in futures:
        with pytest.raises(sqlite3.Error):
            f.result(timeout=30)
    assert keys(db) == set()


def test_a_write_cancelled_while_queued_is_skipped_and_the_writer_goes_on(dbw):
    db, writer = dbw
    with db.write() as tx:
        tx.execute("SELECT 1")
        first = writer.submit(Write("t", put_key("first"), "agency:1", None, ""))
        time.sleep(0.1)  # the writer took `first` and waits for the lock: the next two queue for the next group
        gone = writer.submit(Write("t", put_key("gone"), "agency:1", None, ""))
        kept = writer.submit(Write("t", put_key("kept"), "agency:1", None, ""))
        time.sleep(0.1)
        assert gone.cancel()  # the caller went away before its group started
    assert first.result(timeout=30)[0] == kept.result(timeout=30)[0] == 201
    assert writer.submit(Write("t", put_key("after"), "agency:1", None, "")).result(timeout=30)[0] == 201
    assert keys(db) == {"first", "kept", "after"}


def test_camera_batches_and_durable_writes_share_a_group_and_fail_alone(tmp_path):
    from loadtest.service.ingest import Batch, IngestOps
    from loadtest.service.metrics import Metrics

    db = SqliteDatabase(tmp_path / "m.db")
    db.create_schema()
    metrics = Metrics()
    writer = GroupWriter(db, IngestOps({}, metrics))
    now = time.time()

    def reads(tag: str) -> list[tuple]:
        return [(1, 0, f"{tag}{i:03d}", "NC", now - 60, 0.9, "white", "ford", "van") for i in range(20)]

    try:
        with db.write() as tx:  # hold the lock: everything below queues and joins one group
            tx.execute("INSERT INTO idempotency VALUES ('camera:1', 'used', 'other-hash', 202, '{}', 0)")
            ok_batch = writer.submit(Batch(1, 0, reads("OK"), "camera:1", None, "", now))
            write = writer.submit(Write("t", put_key("w"), "agency:1", None, ""))
            bad_batch = writer.submit(Batch(1, 0, reads("BAD"), "camera:1", "used", "this-hash", now))
            time.sleep(0.2)
            assert not ok_batch.done() and not write.done()
        assert ok_batch.result(timeout=30) == (202, {"accepted": 20}, False)
        assert write.result(timeout=30) == (201, {"key": "w"}, False)
        with pytest.raises(ApiError) as err:
            bad_batch.result(timeout=30)
    finally:
        writer.close()
    assert err.value.status == 409
    with db.read() as tx:
        assert tx.scalar("SELECT count(*) FROM reads WHERE plate LIKE 'OK%'") == 20
        assert tx.scalar("SELECT count(*) FROM reads WHERE plate LIKE 'BAD%'") == 0
    assert keys(db) == {"w"}
    commits = metrics.registry.hist[("fedsim_alpr_commit_reads", ())]  # bucket counts, then sum and count
    assert commits[-2:] == [20, 1]  # one commit, holding the good batch (and the durable write)
    db.close()


def test_a_writer_without_ingest_ops_refuses_camera_batches(dbw):
    from loadtest.service.ingest import Batch

    _, writer = dbw
    with pytest.raises(RuntimeError, match="IngestOps"):
        writer.submit(Batch(1, 0, [], "camera:1", None, "", time.time())).result(timeout=30)
