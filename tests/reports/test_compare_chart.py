"""The compare brief's dot plot: shares in percentage points, other metrics in percent of the baseline."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from reports import write_compare
from reports.compare_chart import PERCENT, POINTS
from tests.reports.tables import WHOLE, changed_copy, write_run


@pytest.fixture(scope="module")
def moved(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A share (opt-in rate x1.2: 3.4% -> 4.1%) and a count (requests x0.5) moved; same root seed."""
    base = write_run(tmp_path_factory.mktemp("cmpchart") / "baseline", name="baseline")
    other = changed_copy(base, base.parent / "changed", {"optin.rate": 1.2, "requests.posted": 0.5})
    return base, other


def test_shares_are_drawn_in_percentage_points_and_counts_in_percent(moved: tuple[Path, Path], tmp_path: Path) -> None:
    page = write_compare(list(moved), tmp_path / "out").read_text()
    chart = pd.read_csv(tmp_path / "out" / "charts" / "compare.csv").set_index("metric")
    rate = chart.loc["optin.rate"]
    base_rate = np.mean(WHOLE["optin.rate"])
    assert rate["scale"] == POINTS
    assert rate["shown"] == pytest.approx(0.2 * base_rate * 100)  # +0.68 points, not +20%
    assert rate["diff_pct"] == pytest.approx(20.0)  # the relative change is still in the CSV
    posted = chart.loc["requests.posted"]
    assert posted["scale"] == PERCENT and posted["shown"] == pytest.approx(-50.0)
    alt = re.search(r'<figure id="compare">.*?alt="([^"]*)"', page, re.S).group(1)
    assert "Opt-in" in alt and "+0.7 points" in alt and "−50.0%" in alt
    # the table's verdict for the share: points first, the relative change beside it
    row = re.search(r"<td[^>]*>Opt-in[^<]*</td>(.*?)</tr>", page, re.S).group(1)
    assert "+0.7 points (+20.0%)" in row and "+0.7%" not in row


def test_a_plot_of_counts_alone_has_one_percent_panel(moved: tuple[Path, Path], tmp_path: Path) -> None:
    base = moved[0]
    other = changed_copy(base, tmp_path / "counts", {"requests.posted": 0.5})
    write_compare([base, other], tmp_path / "out")
    chart = pd.read_csv(tmp_path / "out" / "charts" / "compare.csv")
    assert set(chart["scale"]) == {PERCENT}
    assert (chart["shown"] == chart["diff_pct"]).all()
