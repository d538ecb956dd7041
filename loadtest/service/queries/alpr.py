"""ALPR ingest, hotlists and alerts.

Ingest appends a camera's batch with the backend's bulk path (SQLite executemany, PostgreSQL COPY), adds the
batch to the per-agency daily counts the transparency page shows, and raises an alert for every read whose
plate and state are on a hotlist of an agency that may see the camera owner's reads at statewide scope (own
cameras and in-state sharing, as Flock's hotlist alerts come from the agency's network). Hotlisted plates are
held in memory and reloaded when `hotlist_entries` grows, so a batch without hits costs one set lookup per read.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from loadtest.service.errors import invalid
from loadtest.service.limits import CLOCK_SKEW_S
from loadtest.service.models.alpr import HotlistIn, ReadIn
from loadtest.service.models.common import iso
from loadtest.service.queries.access import SCOPE_RANK, VISIBLE_OWNERS
from loadtest.service.storage import Tx
from loadtest.service.storage.schema import READ_COLUMNS

DAY_S = 86400


def read_rows(camera: int, agency: int, reads: list[ReadIn], oldest: float, newest: float) -> list[tuple]:
    """Rows for `reads` (colour, make and body already lower-case); 422 naming the first read out of range."""
    rows = [
        (camera, agency, r["plate"], r["state"], r["ts"].timestamp(), r["confidence"], r["color"], r["make"], r["body"])
        for r in reads
    ]
    ts = [row[4] for row in rows]
    if rows and (min(ts) < oldest or max(ts) > newest):
        i = next(i for i, t in enumerate(ts) if not oldest <= t <= newest)
        raise invalid(f"reads.{i}.ts", "outside retention or in the future")
    return rows


def add_read_counts(tx: Tx, counts: list[tuple[int, int, int]]) -> None:
    """Add (agency, day, reads) to the per-agency daily counts the transparency page shows."""
    tx.executemany(
        "INSERT INTO read_counts (agency, day, n) VALUES (?, ?, ?) "
        "ON CONFLICT (agency, day) DO UPDATE SET n = read_counts.n + excluded.n",
        counts,
    )


def hot_plates(tx: Tx, cache: dict[str, Any]) -> set[tuple[str, str]]:
    version = tx.scalar("SELECT max(id) FROM hotlist_entries")
    cached = cache.get("hot")
    if cached is None or cached[0] != version:
        plates = {(r[0], r[1]) for r in tx.all("SELECT plate, state FROM hotlist_entries")}
        cached = (version, plates)
        cache["hot"] = cached
    return cached[1]


def ingest(tx: Tx, camera: int, agency: int, rows: list[tuple], cache: dict[str, Any], now: float) -> int:
    tx.bulk_insert("reads", READ_COLUMNS, rows)
    first, last = int(min(r[4] for r in rows) // DAY_S), int(max(r[4] for r in rows) // DAY_S)
    days = {first: len(rows)} if first == last else Counter(int(row[4] // DAY_S) for row in rows)
    add_read_counts(tx, [(agency, day, n) for day, n in days.items()])
    hot = hot_plates(tx, cache)
    if hot:
        for row in rows:
            if (row[2], row[3]) in hot:
                alert(tx, camera, agency, row[2], row[3], row[4], now)
    return len(rows)


def alert(tx: Tx, camera: int, owner: int, plate: str, state: str, ts: float, now: float) -> None:
    entries = tx.all(
        "SELECT id, hotlist, agency, reason FROM hotlist_entries WHERE plate = :p AND state = :s", {"p": plate, "s": state}
    )
    for _entry, hotlist, agency, reason in entries:
        sees = tx.one(
            VISIBLE_OWNERS + " AND o.id = :owner", {"searcher": agency, "scope": SCOPE_RANK["statewide"], "owner": owner}
        )
        if sees is not None:
            tx.execute(
                "INSERT INTO alerts (agency, hotlist, camera, camera_agency, plate, state, ts, reason, created) "
                "VALUES (:a, :h, :c, :o, :p, :s, :ts, :r, :now)",
                {"a": agency, "h": hotlist, "c": camera, "o": owner, "p": plate, "s": state, "ts": ts, "r": reason, "now": now},
            )


def read_window(now: float, retention_days: int) -> tuple[float, float]:
    return now - retention_days * DAY_S, now + CLOCK_SKEW_S


def create_hotlist(tx: Tx, agency: int, body: HotlistIn, now: float) -> int:
    hid = tx.insert(
        "INSERT INTO hotlists (agency, name, created) VALUES (:a, :n, :t) RETURNING id", {"a": agency, "n": body.name, "t": now}
    )
    tx.executemany(
        "INSERT INTO hotlist_entries (hotlist, agency, plate, state, reason) VALUES (?, ?, ?, ?, ?)",
        [(hid, agency, p.plate, p.state, p.reason) for p in body.plates],
    )
    return hid


def list_alerts(tx: Tx, agency: int, cursor: int, limit: int) -> tuple[list[dict[str, Any]], int | None]:
    rows = tx.all(
        "SELECT id, hotlist, plate, state, ts, camera, camera_agency, reason, created FROM alerts "
        "WHERE agency = :a AND id > :c ORDER BY id LIMIT :n",
        {"a": agency, "c": cursor, "n": limit},
    )
    items = [
        {"id": r[0], "hotlist_id": r[1], "plate": r[2], "state": r[3], "ts": iso(r[4]), "camera_id": r[5],
         "camera_agency_id": r[6], "reason": r[7], "created": iso(r[8])}
        for r in rows
    ]  # fmt: skip
    return items, (rows[-1][0] if len(rows) == limit else None)
