"""Storage: `open_database(url)` gives a SQLite or PostgreSQL `Database` behind one interface."""

from __future__ import annotations

from loadtest.service.settings import normalise_db_url
from loadtest.service.storage.base import Database, Tx


def open_database(url: str, read_connections: int = 8) -> Database:
    url = normalise_db_url(url)
    if url.startswith("sqlite:///"):
        from loadtest.service.storage.sqlite import SqliteDatabase

        return SqliteDatabase(url.removeprefix("sqlite:///"), read_connections)
    from loadtest.service.storage.postgres import PostgresDatabase

    return PostgresDatabase(url, read_connections)


__all__ = ["Database", "Tx", "open_database"]
