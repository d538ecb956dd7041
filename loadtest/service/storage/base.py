"""The storage layer's interface: a database hands out read and write transactions over one SQL dialect.

Queries are written once, in the common subset of SQLite and PostgreSQL, with named parameters
(``:name``); each backend translates them (PostgreSQL: ``%(name)s``) and supplies the few things that
differ: connections and durability settings, the id column and blob types of the schema, bulk ingest
(SQLite ``executemany``, PostgreSQL ``COPY``) and the integrity check. Booleans are stored as 0/1, times
as seconds since the Unix epoch (double precision).
"""

from __future__ import annotations

import re
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from functools import lru_cache
from typing import Any

from loadtest.service.storage.schema import SCHEMA_VERSION, statements

Params = dict[str, Any] | Sequence[Any]
Row = tuple[Any, ...]

_NAMED = re.compile(r"(?<![:\w]):([a-z_][a-z0-9_]*)")


@lru_cache(maxsize=512)
def to_pyformat(sql: str) -> str:
    """``:name`` -> ``%(name)s`` and ``?`` -> ``%s`` for psycopg; a literal ``%`` would be ambiguous."""
    if "%" in sql:
        raise ValueError("SQL for both backends must not contain a literal '%'")
    return _NAMED.sub(r"%(\1)s", sql).replace("?", "%s")


class SchemaMismatch(RuntimeError):
    """The database was created by another version of the service."""


class Tx(ABC):
    """One transaction. Commits when its context exits normally, rolls back on an exception."""

    @abstractmethod
    def execute(self, sql: str, params: Params = ()) -> Any: ...

    @abstractmethod
    def executemany(self, sql: str, rows: Sequence[Params]) -> None: ...

    @abstractmethod
    def bulk_insert(self, table: str, columns: Sequence[str], rows: Sequence[Row]) -> None:
        """Append many rows: the fastest way each backend has (used by ALPR ingest)."""

    def all(self, sql: str, params: Params = ()) -> list[Row]:
        return self.execute(sql, params).fetchall()

    def one(self, sql: str, params: Params = ()) -> Row | None:
        return self.execute(sql, params).fetchone()

    def scalar(self, sql: str, params: Params = ()) -> Any:
        row = self.one(sql, params)
        return None if row is None else row[0]

    def insert(self, sql: str, params: Params = ()) -> int:
        """Run an INSERT ... RETURNING id and give the id."""
        row = self.one(sql, params)
        assert row is not None, "INSERT ... RETURNING gave no row"
        return int(row[0])


class Database(ABC):
    """A database behind the service: `read()` and `write(durable=...)` give transactions."""

    dialect: str
    db_seconds: Callable[[str, float], None] | None = None  # metrics hook: (operation, seconds)

    @abstractmethod
    def read(self) -> AbstractContextManager[Tx]: ...

    @abstractmethod
    def write(self, durable: bool = True) -> AbstractContextManager[Tx]:
        """A write transaction. ``durable`` writes are flushed to stable storage before commit returns."""

    id_type: str  # DDL of the auto-increment primary key
    blob_type: str

    def lock_schema(self, tx: Tx) -> None:
        """Serialise schema creation across processes (SQLite's BEGIN IMMEDIATE already does)."""
        return None

    def create_schema(self) -> None:
        """Create missing tables and indexes and the policy row; safe to run from several workers at once."""
        with self.write() as tx:
            self.lock_schema(tx)
            ddl = statements(self.id_type, self.blob_type)
            tx.execute(ddl[0])  # meta: which schema version an existing database has
            found = tx.scalar("SELECT value FROM meta WHERE key = 'schema_version'")
            if found is not None and found != str(SCHEMA_VERSION):
                raise SchemaMismatch(
                    f"the database has schema version {found}, this service needs {SCHEMA_VERSION}: "
                    "start from a fresh database (e.g. another --db path) and bootstrap it"
                )
            for stmt in ddl[1:]:
                tx.execute(stmt)
            tx.execute(
                "INSERT INTO meta (key, value) VALUES ('schema_version', :v) ON CONFLICT (key) DO NOTHING",
                {"v": str(SCHEMA_VERSION)},
            )
            tx.execute("INSERT INTO policy (id) VALUES (1) ON CONFLICT (id) DO NOTHING")

    @abstractmethod
    def integrity_check(self) -> str:
        """'ok' or a description of what is wrong."""

    @abstractmethod
    def close(self) -> None: ...

    def timed(self, op: str) -> _Timer:
        return _Timer(self, op)


class _Timer:
    """Context manager that reports wall time of a block to the metrics hook as DB time."""

    def __init__(self, db: Database, op: str) -> None:
        self.db, self.op, self.t0 = db, op, 0.0

    def __enter__(self) -> _Timer:
        self.t0 = time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.db.db_seconds is not None:
            self.db.db_seconds(self.op, time.perf_counter() - self.t0)
