"""The metric recorder: daily counts, levels and whole-run values in the tidy long format."""

from __future__ import annotations

import numpy as np
import pytest

from sim.model.metrics import Declared, FlowTable, Metric, Recorder, UndeclaredMetric


def test_counts_sum_into_whole_run_and_ignore_warmup() -> None:
    r = Recorder(3, Declared([Metric("a", "things", "A", "a count", "outcome", "count")]))
    r.count("a", 0, 2)
    r.count("a", 2, 3)
    r.count("a", -1, 100)  # warm-up
    r.count_days("a", np.array([1, 1, 5, -2]), np.array([1.0, 2.0, 50.0, 50.0]))
    rows = r.rows()
    assert [(d, v) for d, m, v in rows if m == "a"] == [(0, 2.0), (1, 3.0), (2, 3.0), (None, 8.0)]


def test_levels_have_no_implicit_total_and_totals_override() -> None:
    r = Recorder(2, Declared([Metric("held", "reads", "Held", "held", "outcome", "level", "mean of the daily levels"),
                              Metric("rate", "share", "Rate", "a rate", "outcome", "value")]))
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


def declared() -> Declared:
    return Declared([
        Metric("a.count", "things", "A", "a count", "outcome", "count"),
        Metric("a.level", "things", "A level", "a level", "load", "level", "mean of the daily levels"),
        Metric("a.rate", "share", "A rate", "a rate", "outcome", "value"),
        Metric("a.reason.<reason>", "things", "A for '<reason>'", "by reason <reason>", "input_echo", "count"),
    ])


def test_recording_an_undeclared_name_fails_naming_it() -> None:
    r = Recorder(2, declared())
    r.count("a.count", 0)
    r.count("a.reason.theft", 1)
    r.level("a.level", 0, 3.0)
    r.total("a.rate", 0.5)
    r.total("a.level", 3.0)  # a level's whole-run value
    for record in (lambda: r.count("a.typo", 0), lambda: r.level("b.level", 0, 1.0), lambda: r.total("a.rat", 1.0),
                   lambda: r.count("a.reason.", 0)):
        with pytest.raises(UndeclaredMetric, match="not declared"):
            record()
    with pytest.raises(UndeclaredMetric, match="declared as a count, recorded as a level"):
        r.level("a.count", 0, 1.0)
    assert {m for _, m, _ in r.rows()} == {"a.count", "a.reason.theft", "a.level", "a.rate"}


def test_a_family_member_carries_its_key_in_label_and_meaning() -> None:
    m = declared()["a.reason.stolen_vehicle"]
    assert (m.name, m.label, m.meaning, m.kind) == ("a.reason.stolen_vehicle", "A for 'stolen vehicle'",
                                                    "by reason stolen_vehicle", "input_echo")


def test_declarations_are_checked_and_not_declared_twice_differently() -> None:
    with pytest.raises(ValueError, match="kind 'finding'"):
        Metric("x", "u", "X", "x", "finding", "count")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="how days reduce"):
        Metric("x", "u", "X", "x", "load", "level")
    a = Metric("x", "u", "X", "x", "load", "value")
    assert len(Declared([a, a])) == 1
    with pytest.raises(ValueError, match="declared twice"):
        Declared([a, Metric("x", "u", "X", "x", "outcome", "value")])
