"""Retention purge on both backends: reads past their owner's retention, footage past the footage retention,
old idempotency keys; in bounded batches; nothing younger is touched."""

from __future__ import annotations

import time

from loadtest.service.purge import purge
from loadtest.service.storage.schema import READ_COLUMNS
from tests.loadtest.worlds import DURHAM, RALEIGH, tiny_policy, tiny_world

DAY = 86400.0


def test_purge_removes_only_what_is_past_retention(db):
    from loadtest.service.bootstrap import seed

    seed(db, tiny_world(), tiny_policy(ring_retention_days_max=60))
    now = time.time()
    with db.write() as tx:
        tx.execute("UPDATE agencies SET retention_days = 7 WHERE id = :i", {"i": DURHAM})
        rows = [(0, RALEIGH, f"R{i}", "NC", now - (40 if i % 2 else 10) * DAY, 0.9, "w", "m", "b") for i in range(30)]
        rows += [(2, DURHAM, f"D{i}", "NC", now - (10 if i % 2 else 3) * DAY, 0.9, "w", "m", "b") for i in range(30)]
        tx.bulk_insert("reads", READ_COLUMNS, rows)
        sub = tx.insert(
            "INSERT INTO submissions (request, household, created, clips, bytes) VALUES (1, 0, :t, 2, 2) RETURNING id",
            {"t": now - 70 * DAY},
        )
        for age in (70, 5):
            tx.execute(
                "INSERT INTO clips (submission, camera_id, t_start, t_end, sha256, size, content, created) "
                "VALUES (:s, 'c', 0, 1, 'x', 1, :b, :t)",
                {"s": sub, "b": b"\x00", "t": now - age * DAY},
            )
        tx.execute("INSERT INTO idempotency VALUES ('a', 'old', 'h', 200, '{}', :t)", {"t": now - 2 * DAY})
        tx.execute("INSERT INTO idempotency VALUES ('a', 'new', 'h', 200, '{}', :t)", {"t": now - 60})
    done = purge(db, batch=4, now=now)
    assert done["reads"] == 15 + 15  # Raleigh's 40-day-old reads (30 d retention), Durham's 10-day-old (7 d)
    assert done["clips"] == 1
    with db.read() as tx:
        left = {r[0] for r in tx.all("SELECT plate FROM reads")}
        assert left == {f"R{i}" for i in range(0, 30, 2)} | {f"D{i}" for i in range(0, 30, 2)}
        assert tx.scalar("SELECT count(*) FROM clips") == 1
        assert [r[0] for r in tx.all("SELECT key FROM idempotency")] == ["new"]
    assert purge(db, batch=4, now=now)["reads"] == 0
