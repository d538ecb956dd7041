"""Rows per table on `/metrics`: exact counts on SQLite and PostgreSQL, cached so a scrape does not count."""

from __future__ import annotations

import re
import time

import pytest

from loadtest.service.settings import Settings
from loadtest.service.table_rows import COST_FACTOR, TABLE_NAMES, TableRows
from tests.loadtest.conftest import start_service
from tests.loadtest.helpers import read, request_body
from tests.loadtest.worlds import RALEIGH


def table_rows(text: str) -> dict[str, int]:
    return {m[1]: int(float(m[2])) for m in re.finditer(r'^fedsim_db_table_rows\{table="(\w+)"\} (\S+)$', text, re.M)}


@pytest.fixture
def fresh_service(db_url):
    """The tiny world's service, recounting on every scrape (min age 0)."""
    yield from start_service(db_url, Settings(rate_scale=0, background=False, table_rows_min_age_s=0))


def test_rows_per_table_are_exact_and_follow_writes(fresh_service):
    svc = fresh_service
    before = table_rows(svc.client.get("/metrics").text)
    assert set(before) == set(TABLE_NAMES)
    # the tiny world: 4 agencies, 3 cameras, 2 households; 1 admin + 4 + 2 + 3 tokens + the harness's probe token
    # (7b5a19c); nothing written yet
    assert (before["agencies"], before["cameras"], before["households"], before["tokens"]) == (4, 3, 2, 11)
    assert before["reads"] == before["requests"] == 0
    r = svc.client.post("/v1/alpr/reads", json={"reads": [read(f"R{i}") for i in range(37)]}, headers=svc.h("cameras", 0))
    assert r.status_code in (200, 202), r.text
    assert svc.client.post("/v1/requests", json=request_body(), headers=svc.h("agencies", RALEIGH)).status_code == 201
    counts = svc.client.app.state.ctx.cache["table_rows"]
    time.sleep(counts.refresh_after)  # min age 0, but a recount waits COST_FACTOR x the last count's time
    text = svc.client.get("/metrics").text
    after = table_rows(text)
    assert after["reads"] == 37 and after["requests"] == 1
    assert {t: n for t, n in after.items() if t not in ("reads", "requests", "read_counts", "case_posts")} == \
        {t: n for t, n in before.items() if t not in ("reads", "requests", "read_counts", "case_posts")}
    assert re.search(r"^# TYPE fedsim_db_table_rows gauge$", text, re.M)
    assert 0 <= float(re.search(r"^fedsim_db_table_rows_age_seconds (\S+)$", text, re.M)[1]) < 60


def test_scrapes_within_the_minimum_age_do_not_count(service):
    """The default service (min age 5 s): a second scrape right after the first shows the cached counts."""
    c = service.client
    first = table_rows(c.get("/metrics").text)
    c.post("/v1/alpr/reads", json={"reads": [read(f"C{i}") for i in range(5)]}, headers=service.h("cameras", 0))
    assert table_rows(c.get("/metrics").text)["reads"] == first["reads"] == 0


class Clock:
    def __init__(self) -> None:
        self.t = 100.0


def test_a_slow_count_is_repeated_less_often():
    """Counting costs at most 1/COST_FACTOR of a core: a count that takes 2 s is not repeated for 2 * COST_FACTOR s."""
    clock, calls = Clock(), []

    def count() -> dict[str, int]:
        calls.append(clock.t)
        clock.t += 2.0  # the count itself takes 2 s
        return {"reads": len(calls)}

    rows = TableRows(count, min_age_s=5.0, clock=lambda: clock.t)
    assert rows.get()[0] == {"reads": 1}
    clock.t += 10.0  # past the minimum age, but within 50x the cost
    assert rows.get() == ({"reads": 1}, 10.0) and len(calls) == 1
    clock.t += 2 * COST_FACTOR - 10.0
    assert rows.get()[0] == {"reads": 2} and len(calls) == 2


def test_a_cheap_count_waits_the_minimum_age():
    clock, calls = Clock(), []
    rows = TableRows(lambda: calls.append(1) or {"reads": len(calls)}, min_age_s=5.0, clock=lambda: clock.t)
    rows.get()
    clock.t += 4.9
    rows.get()
    assert len(calls) == 1
    clock.t += 0.1
    rows.get()
    assert len(calls) == 2
