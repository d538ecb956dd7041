"""Retention purge: ALPR reads past their owner's retention and the hotlist alerts of those reads, footage past
the footage retention, old idempotency keys. Runs in the background in bounded batches (`Settings.purge_batch`
rows per transaction, at most `MAX_BATCHES` transactions per table per pass), so it never holds the write lock for long.

Retention: each agency's `retention_days` (Flock default 30 days; real portals 30-365); footage: the policy's
`footage_retention_days` (default 180, Ring's longest selectable retention).
"""

from __future__ import annotations

import time

from loadtest.service.limits import IDEMPOTENCY_TTL_S
from loadtest.service.rules import load_rules
from loadtest.service.storage import Database

MAX_BATCHES = 100
DAY_S = 86400.0


def _drain(db: Database, table: str, select_ids: str, params: dict, batch: int, durable: bool) -> int:
    total = 0
    for _ in range(MAX_BATCHES):
        with db.timed(f"purge_{table}"), db.write(durable) as tx:
            n = tx.execute(f"DELETE FROM {table} WHERE id IN ({select_ids} LIMIT :n)", {**params, "n": batch}).rowcount
        total += max(0, n)
        if n < batch:
            break
    return total


def purge(db: Database, batch: int, now: float | None = None) -> dict[str, int]:
    """One pass; rows deleted per table."""
    now = time.time() if now is None else now
    rules = load_rules(db)
    with db.read() as tx:
        shortest = tx.scalar("SELECT min(retention_days) FROM agencies")
    done: dict[str, int] = {}
    if shortest is not None:
        done["reads"] = _drain(
            db, "reads",
            "SELECT r.id FROM reads r JOIN agencies a ON a.id = r.agency "
            "WHERE r.ts < :cut AND r.ts < :now - a.retention_days * 86400.0",
            {"cut": now - float(shortest) * DAY_S, "now": now}, batch, durable=False,
        )  # fmt: skip
        done["alerts"] = _drain(  # an alert shows where and when a read was taken: it goes with that read
            db, "alerts",
            "SELECT x.id FROM alerts x JOIN agencies a ON a.id = x.camera_agency "
            "WHERE x.ts < :cut AND x.ts < :now - a.retention_days * 86400.0",
            {"cut": now - float(shortest) * DAY_S, "now": now}, batch, durable=False,
        )  # fmt: skip
    cut = {"cut": now - rules.footage_retention_days * DAY_S}
    done["clips"] = _drain(db, "clips", "SELECT id FROM clips WHERE created < :cut", cut, batch, durable=True)
    done["packages"] = _drain(db, "packages", "SELECT id FROM packages WHERE created < :cut", cut, batch, durable=True)
    with db.timed("purge_idempotency"), db.write() as tx:
        tx.execute("DELETE FROM idempotency WHERE created < :cut", {"cut": now - IDEMPOTENCY_TTL_S})
    return done
