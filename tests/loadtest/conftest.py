"""Fixtures for the service tests: a database URL per backend, and a running app seeded with a tiny world.

PostgreSQL: ``FEDSIM_TEST_POSTGRES_URL`` (default postgresql://postgres@127.0.0.1:5432/test); each test gets
its own schema, dropped afterwards. When the server is unreachable the PostgreSQL cases skip with the reason,
unless ``FEDSIM_REQUIRE_POSTGRES=1`` (set by .ci/run), where they fail.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

import pytest
from fastapi.testclient import TestClient

from loadtest.service.app import create_app
from loadtest.service.bootstrap import seed
from loadtest.service.settings import Settings
from loadtest.service.storage import Database, open_database
from sim.world.types import World
from tests.loadtest.worlds import tiny_policy, tiny_world

PG_URL = os.environ.get("FEDSIM_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def postgres_problem() -> str | None:
    """Why PostgreSQL cannot be used, or None."""
    try:
        import psycopg

        with psycopg.connect(PG_URL, connect_timeout=3) as conn:
            conn.execute("SELECT 1")
    except Exception as exc:  # any failure to connect is a reason to skip
        return f"PostgreSQL at {PG_URL} is unreachable ({type(exc).__name__}: {str(exc).strip()[:120]})"
    return None


def pg_schema_url() -> str:
    problem = postgres_problem()
    if problem:
        if os.environ.get("FEDSIM_REQUIRE_POSTGRES") == "1":
            pytest.fail(problem + " and FEDSIM_REQUIRE_POSTGRES=1")
        pytest.skip(problem)
    sep = "&" if "?" in PG_URL else "?"
    return f"{PG_URL}{sep}schema=fedsim_t_{os.getpid()}_{uuid.uuid4().hex[:8]}"


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Any) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/service.db"
        return
    url = pg_schema_url()
    yield url
    db = open_database(url)
    try:
        db.drop_schema()  # type: ignore[attr-defined]
    finally:
        db.close()


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    database = open_database(db_url)
    database.create_schema()
    yield database
    database.close()


@dataclass
class Service:
    client: TestClient
    tokens: dict[str, Any]
    url: str

    def h(self, who: str, ident: int | str | None = None, **extra: str) -> dict[str, str]:
        """Headers with the bearer token of 'admin', or of ('agencies'|'residents'|'cameras', id)."""
        token = self.tokens["admin"] if who == "admin" else self.tokens[who][str(ident)]["token"]
        return {"Authorization": f"Bearer {token}", **extra}


def start_service(
    url: str, settings: Settings, policy_changes: dict[str, Any] | None = None, routing: str = "axon",
    world: World | None = None,
) -> Iterator[Service]:
    """The service on `world` (default `tiny_world`) seeded under `tiny_policy` with `policy_changes`."""
    database = open_database(url)
    database.create_schema()
    tokens = seed(database, world or tiny_world(), tiny_policy(**(policy_changes or {})), routing=routing)
    database.close()
    with TestClient(create_app(replace(settings, db=url)), raise_server_exceptions=False) as client:
        yield Service(client, tokens, url)


@pytest.fixture
def service(db_url: str) -> Iterator[Service]:
    yield from start_service(db_url, Settings(rate_scale=0, background=False))
