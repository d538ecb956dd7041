"""Thresholds: parsing of k6-style conditions, per-endpoint verdicts, and errors that name the endpoint."""

from __future__ import annotations

from pathlib import Path

import pytest

from loadtest.thresholds import evaluate, load_thresholds, parse_condition
from sim.config import ScenarioError

STATS = {
    "POST /v1/alpr/reads": {
        "count": 200,
        "failures": 1,
        "fail_ratio": 0.005,
        "rps": 20.0,
        "p95": 40.0,
        "p99": 90.0,
        "avg": 12.0,
        "max": 300.0,
    },
    "Aggregated": {"count": 500, "failures": 1, "fail_ratio": 0.002, "rps": 50.0, "p95": 60.0},
}


def write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "thresholds.yaml"
    p.write_text(text)
    return p


def test_conditions_parse_units_and_shorthands() -> None:
    assert parse_condition("E", "p95 < 0.05 s", "f", None).limit == pytest.approx(50.0)
    c = parse_condition("E", "min_rps 5", "f", None)
    assert (c.metric, c.op, c.limit) == ("rps", ">=", 5.0)
    assert parse_condition("E", "median<=7", "f", None).metric == "p50"


def test_verdicts_per_endpoint(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        'thresholds:\n  "POST /v1/alpr/reads": ["p95 < 50 ms", "p99 < 80", "fail_ratio < 0.01"]\n  Aggregated: ["min_rps 40"]\n',
    )
    v = evaluate(load_thresholds(path), STATS, str(path))
    by_text = {c["text"]: c["passed"] for c in v["checks"]}
    assert by_text == {"p95 < 50 ms": True, "p99 < 80": False, "fail_ratio < 0.01": True, "min_rps 40": True}
    assert v["passed"] is False and v["breached"] == 1


def test_an_endpoint_without_requests_fails(tmp_path: Path) -> None:
    path = write(tmp_path, 'thresholds:\n  "POST /v1/searches": ["p95 < 1000"]\n')
    v = evaluate(load_thresholds(path), STATS)
    assert not v["passed"] and "no requests" in v["checks"][0]["reason"]


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ('thresholds:\n  "POST /v1/alpr/reads": ["p97 < 5"]\n', "unknown metric 'p97'"),
        ('thresholds:\n  "POST /v1/alpr/reads": ["p95 50"]\n', "missing comparison"),
        ('thresholds:\n  "POST /v1/alpr/reads": ["fail_ratio < 5"]\n', "between 0 and 1"),
        ('thresholds:\n  "POST /v1/alpr/reads": ["rps > 5 ms"]\n', "no unit"),
        ('thresholds:\n  "/v1/alpr/reads": ["p95 < 5"]\n', "METHOD /path"),
        ('thresholds:\n  "POST /v1/alpr/reads": []\n', "non-empty list"),
        ("limits:\n  x: 1\n", "'thresholds:' key"),
        ('thresholds: {"Aggregated": ["p95 < 5"]}\nextra: 1\n', "unknown key 'extra'"),
    ],
)
def test_bad_thresholds_name_the_problem(tmp_path: Path, text: str, needle: str) -> None:
    with pytest.raises(ScenarioError) as err:
        load_thresholds(write(tmp_path, text))
    assert needle in str(err.value)
