"""Replaying a traced service run's SQLite statements in-process: the database ceiling of the same mix.

`loadtest.service.storage.sql_trace` writes, per process, every statement each connection started, with its
connection's ``synchronous`` setting and the wall-clock time. `units` groups them into what the database
executed as units: a connection's transaction from BEGIN to COMMIT/ROLLBACK (ordered by its end, the order in
which writes were serialised), or a single autocommit statement. `replay` runs the units on one connection of
a copy of the database in that order, with each unit's durability (``PRAGMA synchronous``), and times those in
a window: no HTTP, no JSON, no Python service code, only the database work of the same statements.
Statements that failed in the run (a unique conflict answered 409) fail again and are counted.
"""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path
from typing import Any

Unit = tuple[float, str, list[str]]  # (end time, synchronous, statements)
# Per-connection settings that would bind the one replay connection: readers are opened query_only.
SKIP = ("PRAGMA QUERY_ONLY",)


def read_trace(folder: Path) -> list[tuple[int, str, float, str]]:
    """All traced statements of all processes, each connection tagged by (process file, number), in time order."""
    rows = []
    for k, path in enumerate(sorted(folder.glob("*.jsonl"))):
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                conn, sync, t, sql = json.loads(line)
            except ValueError:  # a line cut short when the process stopped
                continue
            rows.append((k * 1_000_000 + conn, sync, t, sql))
    rows.sort(key=lambda r: r[2])
    return rows


def units(rows: list[tuple[int, str, float, str]]) -> list[Unit]:
    open_: dict[int, tuple[str, list[str]]] = {}
    out: list[Unit] = []
    for conn, sync, t, sql in rows:
        if " ".join(sql.upper().split()).startswith(SKIP):
            continue
        head = sql.lstrip().split(None, 1)[0].upper() if sql.strip() else ""
        if head == "BEGIN":
            open_[conn] = (sync, [sql])
        elif conn in open_:
            open_[conn][1].append(sql)
            if head in ("COMMIT", "ROLLBACK", "END"):
                s, stmts = open_.pop(conn)
                out.append((t, s, stmts))
        else:
            out.append((t, sync, [sql]))
    out.sort(key=lambda u: u[0])
    return out


def replay(db: Path, todo: list[Unit], window: tuple[float, float]) -> dict[str, Any]:
    """Run every unit in order on `db` (a new file: the trace starts with the seeding, schema included); time
    those ending inside `window` (wall-clock seconds of the run)."""
    conn = sqlite3.connect(db, isolation_level=None, timeout=0.1)
    errors, timed, seconds, sync_now = 0, 0, 0.0, ""
    for end, sync, stmts in todo:
        if end > window[1]:
            break
        if sync != sync_now:
            conn.execute(f"PRAGMA synchronous={sync}")
            sync_now = sync
        inside = end >= window[0]
        t0 = time.perf_counter()
        for sql in stmts:
            try:
                conn.execute(sql).fetchall()
            except sqlite3.Error:  # failed in the run too (a conflict answered 409), or cut short
                errors += 1
        if conn.in_transaction:  # a unit cut by an error: end it as the run did
            conn.execute("ROLLBACK")
        if inside:
            seconds += time.perf_counter() - t0
            timed += 1
    conn.close()
    return {"units": timed, "seconds": seconds, "errors": errors}
