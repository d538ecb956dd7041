"""The plans of a search on a reads table that grew after its statistics were taken (as under a load test):
a plate search reads the plate's few rows through the plate index, never the whole window through the time
index (PostgreSQL did, with stale statistics: 200,000 index entries and 21 ms for 6 results)."""

from __future__ import annotations

import time
from typing import Any

from loadtest.service.bootstrap import seed
from loadtest.service.models.alpr import SearchIn
from loadtest.service.prefill import prefill_reads
from loadtest.service.queries import search
from loadtest.service.rules import load_rules
from loadtest.service.vehicles import plate_pool
from tests.loadtest.worlds import RALEIGH, tiny_policy, tiny_world

READS = 60_000


class Spy:
    """A transaction that remembers the reads query it ran (SQL and parameters)."""

    def __init__(self, tx: Any) -> None:
        self.tx = tx
        self.seen: list[tuple[str, Any]] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self.tx, name)

    def all(self, sql: str, params: Any = ()) -> list:
        if "FROM reads r" in sql:
            self.seen.append((sql, params))
        return self.tx.all(sql, params)


def test_a_plate_search_uses_the_plate_index_on_a_grown_table(db) -> None:
    seed(db, tiny_world(), tiny_policy())
    if db.dialect == "postgresql":
        with db.write() as tx:
            tx.execute("ANALYZE reads")  # statistics of an empty table, as when a load test starts
    prefill_reads(db, READS, misread_share=0.03)
    rules = load_rules(db)
    body = SearchIn.model_validate({"plate": plate_pool()[7], "reason": "investigation", "case_number": "24-1"})
    with db.write() as tx:
        spy = Spy(tx)
        search.run(spy, RALEIGH, body, rules, {}, time.time())
        sql, params = spy.seen[0]
        explain = "EXPLAIN " if db.dialect == "postgresql" else "EXPLAIN QUERY PLAN "
        plan = " ".join(str(r[-1]) for r in tx.all(explain + sql, params))
    assert "reads_plate" in plan, plan
    assert "reads_ts" not in plan, plan
