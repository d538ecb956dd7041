"""Golden baselines and the event-count guard for `scenarios/small.yaml` (refresh: `make baseline`).

Every whole-run metric of every replication must equal the golden file's value up to floating-point
summation order (relative 1e-9), and the number of SimPy events processed must be exactly the pinned
one: a silent model change (an extra event, a reordered draw, a changed default) fails here with a table
metric / golden / now / relative change. If the change is intended, run `make baseline` and commit
tests/validation/golden/small.json with it.
"""

from __future__ import annotations

import pytest

from tests.validation import refresh_golden as golden


@pytest.fixture(scope="module")
def now() -> dict:
    return golden.compute()


def test_golden_file_is_current(now: dict) -> None:
    assert golden.GOLDEN.is_file(), "no golden file: run `make baseline`"
    rows = golden.differences(golden.load(), now)
    if rows:
        pytest.fail(f"{len(rows)} difference(s) from {golden.GOLDEN.name} (if intended: make baseline)\n"
                    + golden.table(rows), pytrace=False)


def test_event_count_guard(now: dict) -> None:
    pinned = {r["replication"]: r["events"] for r in golden.load()["replications"]}
    counted = {r["replication"]: r["events"] for r in now["replications"]}
    assert counted == pinned, f"events processed {counted}, pinned {pinned} (if intended: make baseline)"
    assert all(n > 0 for n in counted.values())


def test_differences_are_reported_readably(now: dict) -> None:
    """The diff table names the metric, both values and the relative change, and flags events."""
    changed = {**now, "replications": [dict(r, metrics=dict(r["metrics"])) for r in now["replications"]]}
    rep0 = changed["replications"][0]
    rep0["events"] += 1
    rep0["metrics"]["alpr.reads"] *= 1.1
    del rep0["metrics"]["optin.rate"]
    rows = golden.differences(now, changed)
    text = golden.table(rows)
    assert len(rows) == 3
    assert "[0] events processed" in text and "[0] alpr.reads" in text and "+10%" in text
    assert "[0] optin.rate" in text and "missing" in text
    assert golden.differences(now, now) == []


def test_golden_file_round_trips(now: dict, tmp_path) -> None:
    path = tmp_path / "g.json"
    path.write_text(golden.dumps(now))
    assert golden.load(path) == now
