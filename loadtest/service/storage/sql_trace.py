"""Statement tracing for the database-ceiling benchmark: every SQLite statement a process runs, in order.

Off unless ``FEDSIM_SQL_TRACE`` names a folder. Then the service's connections are `TracedConnection`s and
each process appends to ``<folder>/<pid>.jsonl`` one JSON line per ``execute`` or ``executemany`` call,
``[connection number, wall-clock seconds, "x" | "m", SQL, parameters]`` (the SQL as the
service wrote it, with its parameters apart: ``x`` one set, ``m`` the list of rows of an ``executemany``; bytes
as ``{"$b": base64}``; line-buffered, so a stopped service loses nothing). `benchmarks/db_replay.py` then
replays the same prepared statements with the same parameters, on one connection per traced connection (each
with the PRAGMAs it ran), so the replay pays what the service's database work pays: statement-cache hits,
``executemany`` batches, page caches that a commit on another connection invalidates. Tracing costs the
service time; it is for benchmarks only.
"""

from __future__ import annotations

import base64
import itertools
import json
import os
import sqlite3
import threading
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

ENV = "FEDSIM_SQL_TRACE"
_lock = threading.Lock()
_numbers = itertools.count()
_files: dict[tuple[int, str], Any] = {}  # (process, folder) -> its open trace file


def _bytes(value: Any) -> Any:
    if isinstance(value, bytes | bytearray | memoryview):
        return {"$b": base64.b64encode(bytes(value)).decode()}
    raise TypeError(f"cannot trace a parameter of type {type(value).__name__}")


def decode(obj: dict[str, Any]) -> Any:
    """`json.loads` object hook: ``{"$b": ...}`` back to bytes."""
    return base64.b64decode(obj["$b"]) if len(obj) == 1 and "$b" in obj else obj


class TracedConnection(sqlite3.Connection):
    """A connection that logs each statement with its parameters before running it (`trace` sets where)."""

    trace_out: Any = None
    trace_number = -1

    def _log(self, op: str, sql: str, params: Any) -> None:
        if self.trace_out is None:
            return
        if isinstance(params, tuple):
            params = list(params)
        line = json.dumps([self.trace_number, time.time(), op, sql, params], default=_bytes) + "\n"
        with _lock:
            self.trace_out.write(line)

    def execute(self, sql: str, params: Any = (), /) -> sqlite3.Cursor:  # type: ignore[override]
        self._log("x", sql, params)
        return super().execute(sql, params)

    def executemany(self, sql: str, rows: Iterable[Any], /) -> sqlite3.Cursor:  # type: ignore[override]
        rows = [list(r) if isinstance(r, tuple) else r for r in rows]
        self._log("m", sql, rows)
        return super().executemany(sql, rows)


def factory() -> type[sqlite3.Connection]:
    """The connection class for `sqlite3.connect`: traced when ``FEDSIM_SQL_TRACE`` is set."""
    return TracedConnection if os.environ.get(ENV) else sqlite3.Connection


def trace(conn: sqlite3.Connection) -> None:
    """Start logging `conn`'s statements (a `TracedConnection`; call before its first PRAGMA)."""
    folder = os.environ.get(ENV)
    if not folder or not isinstance(conn, TracedConnection):
        return
    key = (os.getpid(), folder)
    with _lock:
        if key not in _files:
            Path(folder).mkdir(parents=True, exist_ok=True)
            _files[key] = open(Path(folder) / f"{key[0]}.jsonl", "a", buffering=1, encoding="utf-8")  # noqa: SIM115
        conn.trace_out, conn.trace_number = _files[key], next(_numbers)
