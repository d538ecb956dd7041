"""SQLite backend: one file in WAL mode, one writer at a time, pooled readers.

Durability: one writer connection under one in-process lock (so writes never spin on SQLITE_BUSY inside a
process; across uvicorn workers SQLite's own busy timeout applies), its ``synchronous`` set per transaction.
A *durable* write runs ``synchronous=FULL``: the WAL is fsynced at every commit, so requests, submissions,
searches with their audit, sharing changes and idempotency records survive a power cut once acknowledged. A
*bulk* write (ALPR reads alone) runs ``synchronous=NORMAL``: a commit is in the WAL file (the OS page cache)
before it returns, so it survives kill -9 of the server, but the last batches before a power cut or an OS crash
may be lost; the WAL is fsynced at each checkpoint. That trade is what sustains the ingest rate (a camera
re-sends unacknowledged batches). One connection rather than one per durability: in WAL mode a connection
drops its whole page cache when another connection has committed since its last transaction, so two writers
taking turns re-read the index pages they touch on every switch, a cost that grows with the tables
(benchmarks/loadtest-notes.md, "Calibration drift").
"""

from __future__ import annotations

import queue
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from loadtest.service.storage import sql_trace
from loadtest.service.storage.base import Database, Params, Row, Tx

BUSY_TIMEOUT_MS = 30_000
CACHE_KIB = 65_536  # 64 MiB page cache per connection (assumption: fits the 2-core test machine)
WAL_CHECKPOINT_PAGES = 8192  # checkpoint at 32 MiB of WAL, not SQLite's 4 MiB: a page rewritten by several
# ingest commits is copied to the database once (assumption, measured: +20-40% raw inserts at 300k reads)
WAL_SIZE_LIMIT = 64 << 20  # truncate the WAL back to 64 MiB after a checkpoint


class SqliteTx(Tx):
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def execute(self, sql: str, params: Params = ()) -> sqlite3.Cursor:
        return self.conn.execute(sql, params)

    def executemany(self, sql: str, rows: Sequence[Params]) -> None:
        self.conn.executemany(sql, rows)

    def bulk_insert(self, table: str, columns: Sequence[str], rows: Sequence[Row]) -> None:
        marks = ", ".join("?" * len(columns))
        self.conn.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)


def connect(path: str, synchronous: str) -> sqlite3.Connection:
    conn = sqlite3.connect(
        path, isolation_level=None, check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000, factory=sql_trace.factory()
    )
    sql_trace.trace(conn)  # off unless FEDSIM_SQL_TRACE is set (the database-ceiling benchmark)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute(f"PRAGMA synchronous={synchronous}")
    conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    conn.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
    conn.execute("PRAGMA temp_store=MEMORY")
    conn.execute(f"PRAGMA wal_autocheckpoint={WAL_CHECKPOINT_PAGES}")
    conn.execute(f"PRAGMA journal_size_limit={WAL_SIZE_LIMIT}")
    return conn


class SqliteDatabase(Database):
    dialect = "sqlite"
    id_type = "INTEGER PRIMARY KEY"
    blob_type = "BLOB"

    def __init__(self, path: str | Path, read_connections: int = 8) -> None:
        self.path = str(path)
        Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._writer = connect(self.path, "FULL")
        self._writer_sync = "FULL"
        self._readers: queue.LifoQueue[sqlite3.Connection] = queue.LifoQueue()
        self._all_readers: list[sqlite3.Connection] = []
        self._reader_slots = threading.Semaphore(max(1, read_connections))
        self._closed = False

    @contextmanager
    def write(self, durable: bool = True) -> Iterator[Tx]:
        conn, sync = self._writer, "FULL" if durable else "NORMAL"
        with self._lock:
            if sync != self._writer_sync:
                conn.execute(f"PRAGMA synchronous={sync}")
                self._writer_sync = sync
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield SqliteTx(conn)
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    @contextmanager
    def read(self) -> Iterator[Tx]:
        with self._reader_slots:
            try:
                conn = self._readers.get_nowait()
            except queue.Empty:
                conn = connect(self.path, "NORMAL")
                conn.execute("PRAGMA query_only=1")
                self._all_readers.append(conn)
            conn.execute("BEGIN")
            try:
                yield SqliteTx(conn)
            finally:
                conn.execute("COMMIT")
                self._readers.put(conn)

    def integrity_check(self) -> str:
        with self.read() as tx:
            rows: list[Any] = tx.all("PRAGMA integrity_check")
        return "; ".join(str(r[0]) for r in rows)

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        for conn in [self._writer, *self._all_readers]:
            conn.close()
