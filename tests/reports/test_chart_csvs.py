"""The CSVs beside the charts, read by people: plain decimals, and columns named for what they count."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd

from reports.charts.alpr import reasons_chart
from reports.charts.flows import flow_table
from reports.style import save
from reports.tables import load_results

PLAIN = re.compile(r"-?\d+(\.\d+)?")


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


def test_the_flows_csv_names_its_search_column_for_what_it_counts() -> None:
    """flows.csv's 'searches_mean' summed to more than the run's searches: a flows row counts the searches reaching a
    network of its cell, so one search reaching owners of two types (or one type by two routes) counts in each."""
    one_search = [("local_police", "same_agency", "direct", 60.0), ("local_police", "in_state", "opted_in", 30.0),
                  ("sheriff", "in_state", "opted_in", 10.0)]  # one statewide lookup: its own network and others
    flows = pd.DataFrame([("x", 0, rep, 0, owner, "local_police", relation, path, 1.0, records)
                          for rep in range(2) for owner, relation, path, records in one_search],
                         columns=["scenario", "design_point", "replication", "day", "owner_type", "searcher_type",
                                  "relation", "path", "searches", "records"])
    table, weight = flow_table(flows)
    assert weight == "records" and "searches_mean" not in table.columns
    assert table.set_index("owner_type")["search_reaches_mean"].to_dict() == {"local_police": 2.0, "sheriff": 1.0}
    assert table["search_reaches_mean"].sum() == 3  # one search a run, counted on each of its three routes
