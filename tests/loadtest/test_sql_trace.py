"""The database-ceiling benchmark's trace and replay: what the service's SQLite connections ran, replayed on a
fresh file, gives the same database (the benchmark times the replay; here we check it is the same work)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from benchmarks.db_replay import read_trace, replay, units
from loadtest.service.storage.sql_trace import ENV
from loadtest.service.storage.sqlite import SqliteDatabase


def test_a_traced_session_replays_to_the_same_rows(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv(ENV, str(tmp_path / "trace"))
    db = SqliteDatabase(tmp_path / "service.db")
    db.create_schema()
    with db.write() as tx:
        tx.execute("INSERT INTO law_states (state) VALUES (?)", ("NC",))
    with db.write() as tx:
        tx.execute("INSERT INTO law_states (state) VALUES (?)", ("CA",))
    with db.read() as tx:
        assert tx.scalar("SELECT count(*) FROM law_states") == 2
    db.close()
    done = replay(tmp_path / "replay.db", units(read_trace(tmp_path / "trace")), (0.0, float("inf")))
    assert done["errors"] == 0 and done["units"] > 3
    with sqlite3.connect(tmp_path / "replay.db") as conn:
        assert sorted(r[0] for r in conn.execute("SELECT state FROM law_states")) == ["CA", "NC"]
