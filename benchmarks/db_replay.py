"""Replaying a traced service run's SQLite statements in-process: the database ceiling of the same mix.

`loadtest.service.storage.sql_trace` writes, per process, every ``execute``/``executemany`` each connection made,
with its SQL and parameters apart and the wall-clock time. `units` groups them into what the database executed as
units: a connection's transaction from BEGIN to COMMIT/ROLLBACK (ordered by its end, the order in which writes were
serialised), or a single autocommit statement. `replay` runs the units in that order on a fresh file, each on the
replay connection standing for its traced connection: the writer and each pooled reader get one of their own,
configured by the PRAGMAs they ran (journal mode, ``synchronous`` as it was set for each transaction, cache size,
``query_only``, checkpoint interval), so durability, statement caches and the page caches that another connection's
commit invalidates are the service's. It times the units that end in a window (wall, of which write COMMITs, and
CPU): no HTTP, no JSON, no Python service code, only the database work of the same prepared statements with the
same parameters, run back to back. Statements that failed in the run (a unique conflict answered 409) fail again
and are counted.

Fairness (benchmarks/README.md): the service commits in groups (`loadtest.service.writer`), and the replay
commits exactly those groups, each with the ``synchronous`` the writer set for it (FULL for a group with a
durable write, NORMAL for camera batches alone). It fetches every row of every statement, which
the service sometimes does not (``fetchone``): the replay can only be slower on that count.
"""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path
from typing import Any

from loadtest.service.storage.sql_trace import decode

Statement = tuple[str, str, Any]  # ("x" | "m", SQL, parameters)
Unit = tuple[float, int, list[Statement]]  # (end time, connection, statements)
Traced = tuple[int, float, str, str, Any]  # (connection, time, op, SQL, parameters)


def read_trace(folder: Path) -> list[Traced]:
    """All traced statements of all processes, each connection tagged by (process file, number), in time order."""
    rows = []
    for k, path in enumerate(sorted(folder.glob("*.jsonl"))):
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                conn, t, op, sql, params = json.loads(line, object_hook=decode)
            except ValueError:  # a line cut short when the process stopped
                continue
            rows.append((k * 1_000_000 + conn, t, op, sql, params))
    rows.sort(key=lambda r: r[1])
    return rows


def units(rows: list[Traced]) -> list[Unit]:
    open_: dict[int, list[Statement]] = {}
    out: list[Unit] = []
    for conn, t, op, sql, params in rows:
        words = sql.split(None, 2)
        head = words[0].upper() if words else ""
        if head == "ROLLBACK" and len(words) > 1 and words[1].upper() == "TO":  # to a savepoint: the unit goes on
            head = "ROLLBACK TO"
        if head == "BEGIN":
            open_[conn] = [(op, sql, params)]
        elif conn in open_:
            open_[conn].append((op, sql, params))
            if head in ("COMMIT", "ROLLBACK", "END"):
                out.append((t, conn, open_.pop(conn)))
        else:
            out.append((t, conn, [(op, sql, params)]))
    out.sort(key=lambda u: u[0])
    return out


def replay(db: Path, todo: list[Unit], window: tuple[float, float]) -> dict[str, Any]:
    """Run every unit in order on `db` (a new file: the trace starts with the seeding, schema included), each on
    its traced connection's replay connection; time those ending inside `window` (wall-clock seconds of the run)."""
    conns: dict[int, sqlite3.Connection] = {}
    readers: set[int] = set()
    errors, timed, seconds, cpu, commits = 0, 0, 0.0, 0.0, 0.0
    for end, number, stmts in todo:
        if end > window[1]:
            break
        conn = conns.get(number)
        if conn is None:
            conn = conns[number] = sqlite3.connect(db, isolation_level=None, timeout=0.1)
        inside = end >= window[0]
        c0, t0 = time.process_time(), time.perf_counter()
        for op, sql, params in stmts:
            try:
                if op == "m":
                    conn.executemany(sql, params)
                elif sql == "COMMIT" and number not in readers:  # a write's commit (its fsync, under FULL)
                    t1 = time.perf_counter()
                    conn.execute(sql)
                    commits += (time.perf_counter() - t1) if inside else 0.0
                else:
                    conn.execute(sql, params).fetchall()
                    if sql.upper().startswith("PRAGMA QUERY_ONLY"):
                        readers.add(number)
            except sqlite3.Error:  # failed in the run too (a conflict answered 409), or cut short
                errors += 1
        if conn.in_transaction:  # a unit cut by an error: end it as the run did
            conn.execute("ROLLBACK")
        if inside:
            seconds += time.perf_counter() - t0
            cpu += time.process_time() - c0
            timed += 1
    for conn in conns.values():
        conn.close()
    return {"units": timed, "seconds": seconds, "cpu_seconds": cpu, "commit_seconds": commits, "errors": errors,
            "connections": len(conns)}
