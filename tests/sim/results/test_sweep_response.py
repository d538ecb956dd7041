"""A sweep's movers and its printed table: ranked by changes the intervals support, intervals cut to range."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from sim.results.sweep import SweepTables
from sim.results.sweep_response import movers, table_text, within_noise

RETENTION = "policy.alpr_retention_days"


def _sweep(stats: dict[str, list[tuple[float, float, float]]]) -> SweepTables:
    """A 5-point retention sweep: metric -> per point (mean, ci_low, ci_high)."""
    points = pd.DataFrame({"design_point": range(5), RETENTION: [1, 7, 14, 30, 90]})
    table = pd.DataFrame([{"design_point": i, "metric": m, "mean": mean, "ci_low": low, "ci_high": high, "n": 3}
                          for m, rows in stats.items() for i, (mean, low, high) in enumerate(rows)])
    return SweepTables(Path("sweep"), points, table)


# The retention sweep (small world, 90 days, 3 replications): reads held grow with the limit; proxy lookups
# cannot depend on it and their intervals overlap (156 [-151, 463] ... 198 [-171, 567]).
HELD = [(3.7, 3.67, 3.82), (26.2, 26.19, 26.25), (52.6, 52.4, 52.8), (112.5, 111.9, 113.2), (337.6, 336.1, 339.0)]
PROXY = [(156.3, -150.6, 463.2), (362.3, -675.5, 1400), (73.67, -3.355, 150.7), (60, -93.6, 213.6),
         (198.3, -170.6, 567.2)]
HISTORY = [(0.97, 0.966, 0.984), (6.8, 6.81, 6.86), (13.7, 13.65, 13.7), (29.3, 29.29, 29.31), (87.9, 87.85, 87.9)]


def test_a_key_metric_moving_within_noise_is_no_mover() -> None:
    sweep = _sweep({"exposure.reads_held_mean": HELD, "alpr.searches_federal_proxy": PROXY,
                    "exposure.history_days_mean": HISTORY})
    assert within_noise(sweep) == {"alpr.searches_federal_proxy"}
    assert movers(sweep) == ["exposure.history_days_mean", "exposure.reads_held_mean"]  # history: 90x, held: 89x
    text = table_text(sweep)
    assert "alpr.searches_federal_proxy" not in text


def test_when_nothing_moves_clearly_the_noise_is_shown_and_marked_and_no_bound_is_negative() -> None:
    sweep = _sweep({"alpr.searches_federal_proxy": PROXY})
    assert movers(sweep) == ["alpr.searches_federal_proxy"]
    text = table_text(sweep)
    header, *rows = text.splitlines()
    assert "alpr.searches_federal_proxy (within noise)" in header
    assert "-" not in "".join(rows), text  # counts cut at 0, as the report cuts them
    assert "198.3 [0, 567.2]" in rows[-1]


def test_one_replication_ranks_by_the_means() -> None:
    nan = float("nan")
    sweep = _sweep({"alpr.searches_federal_proxy": [(m, nan, nan) for m, _, _ in PROXY]})
    assert movers(sweep) == ["alpr.searches_federal_proxy"] and not within_noise(sweep)
