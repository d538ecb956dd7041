"""Statement tracing for the database-ceiling benchmark: every SQLite statement a process runs, in order.

Off unless ``FEDSIM_SQL_TRACE`` names a folder. Then each process appends to ``<folder>/<pid>.jsonl`` one JSON
line per statement start, ``[connection number, synchronous setting, wall-clock seconds, expanded SQL]``
(sqlite3's trace callback, parameters bound in; line-buffered, so a stopped service loses nothing), so
`benchmarks/bench_service.py` can replay the same statements in-process with the same durability. Tracing
costs the service time; it is for benchmarks only.
"""

from __future__ import annotations

import itertools
import json
import os
import sqlite3
import threading
import time
from pathlib import Path

ENV = "FEDSIM_SQL_TRACE"
_lock = threading.Lock()
_numbers = itertools.count()
_files: dict[tuple[int, str], object] = {}  # (process, folder) -> its open trace file


def trace(conn: sqlite3.Connection, synchronous: str) -> None:
    """Trace `conn`'s statements when ``FEDSIM_SQL_TRACE`` is set (call before its first PRAGMA)."""
    folder = os.environ.get(ENV)
    if not folder:
        return
    number = next(_numbers)
    key = (os.getpid(), folder)
    with _lock:
        if key not in _files:
            Path(folder).mkdir(parents=True, exist_ok=True)
            _files[key] = open(Path(folder) / f"{key[0]}.jsonl", "a", buffering=1, encoding="utf-8")  # noqa: SIM115
    out = _files[key]

    def write(sql: str) -> None:
        line = json.dumps([number, synchronous, time.time(), sql]) + "\n"
        with _lock:
            out.write(line)  # type: ignore[attr-defined]

    conn.set_trace_callback(write)
