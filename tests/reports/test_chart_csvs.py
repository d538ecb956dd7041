"""The CSVs beside the charts, read by people: plain decimals, and columns named for what they count."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd

from reports.charts.alpr import reasons_chart
from reports.style import csv_number, save
from reports.tables import load_results

PLAIN = re.compile(r"-?\d+(\.\d+)?")


def test_numbers_are_plain_decimals_with_six_significant_digits_and_one_decimal() -> None:
    assert csv_number(1.9e-05) == "0.000019"
    assert csv_number(0.0189873417721519) == "0.0189873"
    assert csv_number(62.0) == "62" and csv_number(296.5) == "296.5" and csv_number(0.0) == "0"
    assert csv_number(474368.5) == "474368.5" and csv_number(2006396.43) == "2006396.4"  # a count's digits are kept
    assert csv_number(-4124275.27) == "-4124275.3" and csv_number(-0.000123456789) == "-0.000123457"
    assert csv_number(float("inf")) == "inf"


def test_the_reasons_csv_writes_a_small_share_as_a_plain_decimal(run_dir: Path, tmp_path: Path) -> None:
    """reasons.csv gave a rare reason's share as 1.9e-05."""
    folder = tmp_path / "r"
    shutil.copytree(run_dir, folder)
    metrics = pd.read_parquet(folder / "metrics.parquet")
    common = metrics["metric"].str.startswith("search.reason.") & (metrics["metric"] != "search.reason.immigration")
    metrics.loc[common, "value"] *= 10_000  # immigration's share ~4e-6
    metrics.to_parquet(folder / "metrics.parquet", index=False)
    (folder / "metrics.csv").unlink()
    chart = save(reasons_chart(load_results(folder)), tmp_path / "charts")
    text = chart.files["csv"].read_text()
    assert "e-" not in text and "e+" not in text
    written = pd.read_csv(chart.files["csv"], dtype=str).set_index("reason")
    share = float(chart.data.set_index("reason").loc["immigration", "share"])
    assert share < 1e-4 and PLAIN.fullmatch(written.loc["immigration", "share"])
    assert abs(float(written.loc["immigration", "share"]) / share - 1) < 1e-5
    assert all(PLAIN.fullmatch(v) for v in written["mean"])  # counts of millions too

