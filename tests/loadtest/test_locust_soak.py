"""The soak's capacity: the best step's mean throughput, each step's first seconds left out."""

from __future__ import annotations

from pathlib import Path

import pytest

from loadtest.shapes import Stage
from loadtest.soak import SETTLE_S, capacity

HEAD = "Timestamp,User Count,Type,Name,Requests/s,Failures/s,50%,95%,99%,Total Request Count,Total Failure Count\n"


def test_capacity_is_the_best_settled_step(tmp_path: Path) -> None:
    rows = []
    for t in range(30):
        step = t // 10
        rps = 500.0 if t % 10 < SETTLE_S else [100.0, 250.0, 200.0][step]  # spikes while users start
        rows.append(f"{1000 + t},{2 * (step + 1)},,Aggregated,{rps},0,5,9,12,{t},0\n")
    (tmp_path / "locust_stats_history.csv").write_text(HEAD + "".join(rows))
    stages = [Stage(10, 2, 10), Stage(20, 4, 10), Stage(30, 6, 10)]
    cap = capacity(tmp_path / "locust", stages)
    assert [s["rps"] for s in cap["steps"]] == pytest.approx([100.0, 250.0, 200.0])
    assert cap["rps"] == pytest.approx(250.0)


def test_no_history_means_no_capacity(tmp_path: Path) -> None:
    assert capacity(tmp_path / "locust", [Stage(10, 2, 10)]) == {"rps": 0.0, "steps": []}
