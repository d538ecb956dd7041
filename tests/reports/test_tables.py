"""Reading results folders: whole-run values, daily rows, summary fallback, and clear errors."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from reports.tables import ReportInputError, load_results
from tests.reports.tables import WHOLE, write_loadtest, write_run


def test_whole_run_values_are_one_per_replication(run_dir: Path) -> None:
    res = load_results(run_dir)
    assert res.name == "baseline" and res.replications == 3
    assert sorted(res.whole_run("requests.posted")) == sorted(WHOLE["requests.posted"])
    est = res.estimate("optin.rate")
    assert est.mean == pytest.approx(np.mean(WHOLE["optin.rate"]))
    daily = res.daily("footage.clips")
    assert set(daily["day"]) == set(range(7)) and daily["replication"].nunique() == 3


def test_daily_counts_without_whole_run_rows_are_summed(tmp_path: Path) -> None:
    folder = write_run(tmp_path / "r", world=False)
    df = pd.read_csv(folder / "metrics.csv")
    daily_sum = df[(df["metric"] == "footage.clips") & df["day"].notna()].groupby("replication")["value"].sum()
    df = df[~((df["metric"] == "footage.clips") & df["day"].isna())]
    df.to_csv(folder / "metrics.csv", index=False)
    (folder / "metrics.parquet").unlink()
    assert load_results(folder).whole_run("footage.clips") == pytest.approx(daily_sum.to_numpy())


def test_summary_json_is_used_when_metrics_are_absent(tmp_path: Path) -> None:
    folder = tmp_path / "s"
    folder.mkdir()
    entry = {"mean": 0.035, "ci_low": 0.03, "ci_high": 0.04, "halfwidth": 0.005, "median": 0.035, "p5": 0.03,
             "p95": 0.04, "n": 5}
    (folder / "summary.json").write_text(json.dumps({"scenario": "x", "replications": 5, "failed": 0,
                                                     "metrics": {"optin.rate": entry}}))
    res = load_results(folder)
    est = res.estimate("optin.rate")
    assert (est.mean, est.low, est.high, est.n) == (0.035, 0.03, 0.04, 5)
    assert res.replications == 5 and res.estimate("alpr.reads") is None


def test_loadtest_folder_is_recognised(tmp_path: Path) -> None:
    res = load_results(write_loadtest(tmp_path / "lt"))
    assert res.summary is None and res.loadtest is not None and "over_time" in res.loadtest


def test_errors_name_the_folder_or_file(tmp_path: Path) -> None:
    with pytest.raises(ReportInputError, match="no such results folder"):
        load_results(tmp_path / "nope")
    (tmp_path / "empty").mkdir()
    with pytest.raises(ReportInputError, match="not a results folder"):
        load_results(tmp_path / "empty")
    bad = tmp_path / "bad"
    bad.mkdir()
    pd.DataFrame({"scenario": ["s"], "design_point": [0], "replication": [0], "seed": [1], "metric": ["x"],
                  "value": [1.0]}).to_csv(bad / "metrics.csv", index=False)
    with pytest.raises(ReportInputError, match=r"metrics.csv: missing column\(s\) \['day'\]"):
        load_results(bad)
    (bad / "metrics.csv").unlink()
    (bad / "summary.json").write_text("{not json")
    with pytest.raises(ReportInputError, match="summary.json: not valid JSON"):
        load_results(bad)
