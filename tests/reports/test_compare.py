"""The comparison brief: paired or Welch CIs of differences from the saved tables, parameters that differ, charts."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from reports import ReportInputError, write_compare
from tests.reports.htmlcheck import decode_images
from tests.reports.tables import WHOLE, write_run


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("cmp")
    a = write_run(base / "baseline", name="baseline")
    b = write_run(base / "retention-7d", name="retention-7d", scale=0.6, seed=3,
                  overrides=["policy.alpr_retention_days=7"])
    return a, b


def test_same_root_seed_gives_paired_differences(pair: tuple[Path, Path], tmp_path: Path) -> None:
    path = write_compare(list(pair), tmp_path / "out")
    table = pd.read_csv(tmp_path / "out" / "compare.csv")
    row = table[(table["metric"] == "exposure.agencies_per_vehicle_mean") & (table["scenario"] == "retention-7d")].iloc[0]
    a = np.array(WHOLE["exposure.agencies_per_vehicle_mean"])
    b = a * 0.6
    ci = stats.ttest_rel(b, a).confidence_interval(0.95)
    assert row["method"] == "paired"
    assert row["diff"] == pytest.approx(b.mean() - a.mean())
    assert (row["diff_ci_low"], row["diff_ci_high"]) == pytest.approx((ci.low, ci.high))
    welch = stats.ttest_ind(b, a, equal_var=False).confidence_interval(0.95)
    assert row["diff_ci_high"] - row["diff_ci_low"] < welch.high - welch.low  # pairing removes shared noise
    base_row = table[(table["metric"] == "optin.rate") & (table["scenario"] == "baseline")].iloc[0]
    assert base_row["diff"] == 0.0
    page = path.read_text()
    images = decode_images(page)
    assert len(images) == 1 and "retention-7d" in images[0][0]
    assert "policy.alpr_retention_days" in page and "<td>7</td>" in page
    assert "retention-7d − baseline" in page
    brief = page.split("<h2>In brief</h2>", 1)[1].split("</ul>", 1)[0]
    items = brief.split("<li>")[1:]
    clear = table[(table["diff_ci_low"] > 0) | (table["diff_ci_high"] < 0)]
    assert len(items) == min(6, len(clear)) == 6  # every metric was scaled by 0.6: all differences are clear
    assert all(i.startswith("retention-7d: ") and "95% CI" in i and "not distinguishable" not in i for i in items)


def test_different_root_seeds_fall_back_to_welch(pair: tuple[Path, Path], tmp_path: Path) -> None:
    other = write_run(tmp_path / "reseeded", name="reseeded", scale=0.6, overrides=["run.seed=7"])
    write_compare([pair[0], other], tmp_path / "out")
    table = pd.read_csv(tmp_path / "out" / "compare.csv")
    row = table[(table["metric"] == "exposure.agencies_per_vehicle_mean") & (table["scenario"] == "reseeded")].iloc[0]
    a = np.array(WHOLE["exposure.agencies_per_vehicle_mean"])
    ci = stats.ttest_ind(a * 0.6, a, equal_var=False).confidence_interval(0.95)
    assert row["method"] == "welch"
    assert (row["diff_ci_low"], row["diff_ci_high"]) == pytest.approx((ci.low, ci.high))


def test_indistinguishable_scenarios_are_called_so(pair: tuple[Path, Path], tmp_path: Path) -> None:
    a, _ = pair
    other = write_run(tmp_path / "same", name="same", seed=9)
    page = write_compare([a, other], tmp_path / "out").read_text()
    assert "not distinguishable from the baseline" in page


def test_compare_needs_two_folders(pair: tuple[Path, Path], tmp_path: Path) -> None:
    with pytest.raises(ReportInputError, match="at least two"):
        write_compare([pair[0]], tmp_path / "out")


def test_same_named_scenarios_are_told_apart_by_folder(pair: tuple[Path, Path], tmp_path: Path) -> None:
    a, _ = pair
    other = write_run(tmp_path / "firewall", name="baseline", scale=0.5, overrides=["policy.federal_firewall=true"])
    write_compare([a, other], tmp_path / "out")
    table = pd.read_csv(tmp_path / "out" / "compare.csv")
    assert set(table["scenario"]) == {"baseline", "firewall"}
    row = table[(table["metric"] == "alpr.searches") & (table["scenario"] == "firewall")].iloc[0]
    assert row["diff"] < 0
