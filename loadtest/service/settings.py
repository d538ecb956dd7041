"""Service settings: where the database is, how hard limits bite, how often background work runs.

Times in seconds. `Settings.from_env()` reads the ``FEDSIM_SERVICE_*`` variables that `fedsim serve` sets for
its uvicorn workers (each worker process builds its own app from them).
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, fields
from pathlib import Path

DEFAULT_DB = "sqlite:///out/service/fedsim.db"
ENV = "FEDSIM_SERVICE_SETTINGS"


@dataclass(frozen=True)
class Settings:
    db: str = DEFAULT_DB
    rate_scale: float = 1.0  # multiplies every per-token rate limit; 0 turns rate limiting off
    background: bool = True  # run the packaging worker and the retention purge in this process
    package_interval_s: float = 1.0  # how often the packaging worker looks for new submissions
    purge_interval_s: float = 60.0  # how often the retention purge runs
    purge_batch: int = 5000  # rows deleted per purge transaction (bounded batches)
    read_connections: int = 8  # pooled read connections per worker process
    metrics_dir: str | None = None  # shared folder to merge /metrics across uvicorn workers
    table_rows_min_age_s: float = 5.0  # /metrics recounts rows per table at most this often (loadtest.service.table_rows)
    auth_cache_s: float = 30.0  # how long a resolved token is cached in memory
    # Proxies: addresses (comma-separated) whose X-Forwarded-For / X-Forwarded-Proto are believed; empty: none,
    # the client address is the socket's (so per-address limits cannot be dodged with a forged header).
    trusted_proxies: str = ""
    # Connections (per worker process; see loadtest.service.connection): request head size and header lines,
    # read timeouts, open connections, and requests in progress before new ones get 503 + Retry-After.
    header_bytes_max: int = 32 * 1024
    header_lines_max: int = 100
    header_timeout_s: float = 10.0
    body_timeout_s: float = 60.0
    connections_max: int = 1024
    in_flight_max: int = 256

    def to_env(self) -> dict[str, str]:
        return {ENV: json.dumps(asdict(self))}

    @classmethod
    def from_env(cls) -> Settings:
        raw = os.environ.get(ENV)
        if not raw:
            return cls()
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in json.loads(raw).items() if k in known})


def normalise_db_url(db: str) -> str:
    """A path or ``sqlite:///path`` -> ``sqlite:///path``; PostgreSQL URLs are returned as given."""
    if db.startswith(("postgresql://", "postgres://")):
        return db
    if db.startswith("sqlite:///"):
        return db
    if "://" in db:
        raise ValueError(f"--db {db!r}: use a file path, sqlite:///PATH or postgresql://USER@HOST:PORT/DB")
    return "sqlite:///" + str(Path(db))
