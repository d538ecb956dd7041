"""ALPR ingest, hotlists and alerts.

Ingest appends a camera's batch with the backend's bulk path (SQLite executemany, PostgreSQL COPY), adds the
batch to the per-agency daily counts the transparency page shows, and raises an alert for every read whose
plate and state are on a hotlist of an agency that may see the camera owner's reads at `shared` scope (own
cameras and the networks sharing with it, in any state: Flock's hotlist alerts come from the agency's own and
shared networks, not from lookups). Hotlisted plates are
held in memory and reloaded when `hotlist_entries` grows, so a batch without hits costs one set lookup per read.

A batch with hits costs a fixed number of statements whatever its hits and hotlists: one for the agencies that
may see the owner, one that inserts every alert (the batch's hits joined to `hotlist_entries`), one that writes
the audit records of hits on another agency's camera, one for their `search_networks`. Hotlists are
deduplicated per agency by (plate, state) (a unique index) and capped at `HOTLIST_ENTRIES_PER_AGENCY_MAX`
entries per agency, so one agency's hotlists cannot make another's batches slow.

A hit on another agency's camera is a search by other means (it tells the hotlist's agency where and when that
agency's camera saw the plate), so it is audited like one: a `searches` row of kind ``hotlist`` (who: the
hotlist's agency, reason: the entry's reason, when: the alert's time, query: plate and state, results: reads
matched) whose `search_networks` names the camera owner, so it appears in the owner's `GET /v1/audit`. One row
per (hotlist agency, plate, state) per batch.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from loadtest.service.errors import ApiError, invalid
from loadtest.service.limits import CLOCK_SKEW_S, HOTLIST_ENTRIES_PER_AGENCY_MAX
from loadtest.service.models.alpr import HotlistIn, ReadIn
from loadtest.service.models.common import iso
from loadtest.service.queries.access import watchers
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
        hits = [(row[2], row[3], row[4]) for row in rows if (row[2], row[3]) in hot]
        if hits:
            raise_alerts(tx, camera, agency, hits, now)
    return len(rows)


def raise_alerts(tx: Tx, camera: int, owner: int, hits: list[tuple[str, str, float]], now: float) -> int:
    """Alerts for these (plate, state, ts) reads of `owner`'s camera, set-based; how many were raised."""
    allowed = watchers(tx, owner, "shared")
    if not allowed:
        return 0
    agencies = ", ".join(str(int(a)) for a in allowed)  # integers from the database, inlined
    values = ", ".join(["(?, ?, ?)"] * len(hits))
    hit_params = [v for hit in hits for v in hit]
    matched = f"""WITH h(plate, state, ts) AS (VALUES {values})
    SELECT e.agency AS agency, e.hotlist AS hotlist, e.reason AS reason, h.plate AS plate, h.state AS state, h.ts AS ts
    FROM h JOIN hotlist_entries e ON e.plate = h.plate AND e.state = h.state WHERE e.agency IN ({agencies})"""
    raised = tx.execute(
        f"INSERT INTO alerts (agency, hotlist, camera, camera_agency, plate, state, ts, reason, created) "
        f"SELECT m.agency, m.hotlist, ?, ?, m.plate, m.state, m.ts, m.reason, ? FROM ({matched}) m",
        [camera, owner, now, *hit_params],
    ).rowcount
    if any(a != owner for a in allowed):
        audit_ids = tx.all(
            "INSERT INTO searches (agency, ts, reason, case_number, scope, kind, query, since, until, networks, results) "
            "SELECT m.agency, ?, m.reason, NULL, 'shared', 'hotlist', "
            "'{\"plate\": \"' || m.plate || '\", \"state\": \"' || m.state || '\"}', min(m.ts), max(m.ts), 1, count(*) "
            f"FROM ({matched}) m WHERE m.agency <> ? GROUP BY m.agency, m.reason, m.plate, m.state RETURNING id",
            [now, *hit_params, owner],
        )
        if audit_ids:
            tx.executemany("INSERT INTO search_networks (search, owner) VALUES (?, ?)", [(int(r[0]), owner) for r in audit_ids])
    return max(0, raised)


def read_window(now: float, retention_days: int) -> tuple[float, float]:
    return now - retention_days * DAY_S, now + CLOCK_SKEW_S


def create_hotlist(tx: Tx, agency: int, body: HotlistIn, now: float) -> dict[str, int]:
    """Store a hotlist's entries not already on one of the agency's hotlists: {id, entries, duplicates}.

    422 when the agency would hold more than `HOTLIST_ENTRIES_PER_AGENCY_MAX` entries (nothing is stored)."""
    entries: dict[tuple[str, str], str] = {}
    for p in body.plates:
        entries.setdefault((p.plate, p.state), p.reason)  # the first reason of a repeated plate
    before = tx.scalar(  # takes the agency's row lock: concurrent hotlist posts of one agency queue here
        "INSERT INTO hotlist_counts (agency, entries) VALUES (:a, 0) "
        "ON CONFLICT (agency) DO UPDATE SET entries = hotlist_counts.entries RETURNING entries",
        {"a": agency},
    )
    hid = tx.insert(
        "INSERT INTO hotlists (agency, name, created) VALUES (:a, :n, :t) RETURNING id", {"a": agency, "n": body.name, "t": now}
    )
    tx.executemany(
        "INSERT INTO hotlist_entries (hotlist, agency, plate, state, reason) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT (agency, plate, state) DO NOTHING",
        [(hid, agency, plate, state, reason) for (plate, state), reason in entries.items()],
    )
    total = int(tx.scalar("SELECT count(*) FROM hotlist_entries WHERE agency = :a", {"a": agency}))
    if total > HOTLIST_ENTRIES_PER_AGENCY_MAX:
        raise ApiError(
            422, "invalid_input",
            f"plates: an agency's hotlists hold at most {HOTLIST_ENTRIES_PER_AGENCY_MAX} distinct plates; this list "
            f"would bring yours to {total}",
        )  # fmt: skip
    tx.execute("UPDATE hotlist_counts SET entries = :n WHERE agency = :a", {"n": total, "a": agency})
    added = total - int(before or 0)
    return {"id": hid, "entries": added, "duplicates": len(body.plates) - added}


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
