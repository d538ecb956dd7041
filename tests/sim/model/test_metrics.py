"""The metric recorder: daily counts, levels and whole-run values in the tidy long format."""

from __future__ import annotations

import numpy as np

from sim.model.metrics import FlowTable, Recorder


def test_counts_sum_into_whole_run_and_ignore_warmup() -> None:
    r = Recorder(3)
    r.count("a", 0, 2)
    r.count("a", 2, 3)
    r.count("a", -1, 100)  # warm-up
    r.count_days("a", np.array([1, 1, 5, -2]), np.array([1.0, 2.0, 50.0, 50.0]))
    rows = r.rows()
    assert [(d, v) for d, m, v in rows if m == "a"] == [(0, 2.0), (1, 3.0), (2, 3.0), (None, 8.0)]


def test_levels_have_no_implicit_total_and_totals_override() -> None:
    r = Recorder(2)
    r.level("held", 0, 10)
    r.level("held", 1, 20)
    r.total("rate", 0.5)
    names = {(d, m) for d, m, _ in r.rows()}
    assert (None, "held") not in names and (None, "rate") in names
    r.total("held", 15)
    assert (None, "held", 15.0) in r.rows()


def test_flow_table_accumulates() -> None:
    f = FlowTable()
    f.add(0, "local_police", "federal", "federal", "proxy", 1, 10)
    f.add(0, "local_police", "federal", "federal", "proxy", 2, 5)
    assert f.rows() == [(0, "local_police", "federal", "federal", "proxy", 3.0, 15.0)]
