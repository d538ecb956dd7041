"""Per-token rate limits (429 with Retry-After) and the token bucket itself."""

from __future__ import annotations

import pytest

from loadtest.service.limits import RateLimiter
from loadtest.service.settings import Settings
from tests.loadtest.conftest import start_service
from tests.loadtest.worlds import OAKLAND, RALEIGH


def test_bucket_refills_at_its_rate():
    limiter = RateLimiter(limits={"agency": (2.0, 3.0)})
    allowed = [limiter.allow("agency", "1", now=100.0)[0] for _ in range(5)]
    assert allowed == [True, True, True, False, False]
    ok, wait = limiter.allow("agency", "1", now=100.0)
    assert not ok and wait == pytest.approx(0.5)
    assert limiter.allow("agency", "1", now=100.5)[0]
    assert limiter.allow("agency", "2", now=100.0)[0], "buckets are per token"
    assert all(RateLimiter(scale=0).allow("agency", "1", now=1.0)[0] for _ in range(1000))


def test_429_per_token(tmp_path):
    # agency: 200/s, burst 400 -> scaled by 0.01: 2/s, burst 4
    for svc in start_service(f"sqlite:///{tmp_path}/rl.db", Settings(rate_scale=0.01, background=False)):
        codes = [svc.client.get("/v1/alerts", headers=svc.h("agencies", RALEIGH)).status_code for _ in range(8)]
        assert codes[:4] == [200] * 4 and 429 in codes[4:]
        limited = svc.client.get("/v1/alerts", headers=svc.h("agencies", RALEIGH))
        assert limited.status_code == 429 and int(limited.headers["retry-after"]) >= 1
        assert svc.client.get("/v1/alerts", headers=svc.h("agencies", OAKLAND)).status_code == 200


def test_busy_database_is_503_not_500():
    import sqlite3

    from loadtest.service.errors import overloaded

    assert overloaded(sqlite3.OperationalError("database is locked"))
    assert not overloaded(sqlite3.OperationalError("no such table: reads"))
    assert not overloaded(ValueError("x"))
