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
        tx.execute("INSERT INTO meta (key, value) VALUES (?, 't')", ("NC",))
    with db.write(durable=False) as tx:  # a bulk write, executemany, a blob, a savepoint rolled back
        tx.executemany("INSERT INTO meta (key, value) VALUES (?, 't')", [("CA",), ("OR",)])
        tx.execute("INSERT INTO packages (request, created, clips, bytes, sha256, content) VALUES (1, 0, 0, 3, '', ?)",
                   (b"\x00\xffz",))  # fmt: skip
        tx.execute("SAVEPOINT one")
        try:
            tx.execute("INSERT INTO meta (key, value) VALUES ('NC', 't')")  # a unique conflict, as a 409 in the run
        except sqlite3.IntegrityError:
            tx.execute("ROLLBACK TO SAVEPOINT one")
        tx.execute("RELEASE SAVEPOINT one")
        tx.execute("INSERT INTO meta (key, value) VALUES ('WA', 't')")  # after the rollback: same transaction
    with db.read() as tx:
        assert tx.scalar("SELECT count(*) FROM meta WHERE value = 't'") == 4
    db.close()
    todo = units(read_trace(tmp_path / "trace"))
    bulk = [u for u in todo if any(op == "m" for op, _, _ in u[2])]
    assert len(bulk) == 1 and bulk[0][2][-1][1] == "COMMIT"  # the bulk transaction is one unit to its COMMIT
    done = replay(tmp_path / "replay.db", todo, (0.0, float("inf")))
    assert done["errors"] == 1 and done["units"] > 3
    assert done["connections"] == 2  # the writer and one reader, each its own
    with sqlite3.connect(tmp_path / "replay.db") as conn:
        assert sorted(r[0] for r in conn.execute("SELECT key FROM meta WHERE value = 't'")) == ["CA", "NC", "OR", "WA"]
        assert conn.execute("SELECT content FROM packages").fetchone()[0] == b"\x00\xffz"
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"  # the traced PRAGMAs ran too


def test_one_writer_connection_sets_each_transactions_durability(tmp_path: Path) -> None:
    """Durable writes commit with synchronous=FULL, bulk ones with NORMAL, on the one writer connection (two
    writers taking turns would each drop their page cache at every switch)."""
    db = SqliteDatabase(tmp_path / "service.db")
    db.create_schema()
    seen = []
    for durable in (True, False, False, True):
        with db.write(durable=durable) as tx:
            seen.append(tx.scalar("PRAGMA synchronous"))
            tx.execute("INSERT INTO meta (key, value) VALUES (?, 't')", (f"S{len(seen)}",))
    db.close()
    assert seen == [2, 1, 1, 2]  # FULL, NORMAL, NORMAL, FULL
