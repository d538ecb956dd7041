"""The tornado chart of `fedsim sensitivity` (`reports.sensitivity`): units a reader can take in."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from reports.sensitivity import tornado


def table(metric: str) -> pd.DataFrame:
    return pd.DataFrame({"metric": [metric] * 2, "parameter": ["behavior.optin.trust_sd", "world.households.paid_plan_share"],
                         "method": "morris", "index": "mu_star", "value": [0.046, 0.033], "low": [0.023, 0.029],
                         "high": [0.069, 0.037], "sigma": [0.01, 0.01], "rank": [1, 2]})


def test_a_shares_effect_reads_in_percentage_points(tmp_path: Path) -> None:
    """The axis read 'share (mu*)' with ticks 0.00 to 0.07 beside an opt-in rate of 3.5%: as if the effect were a
    share of 0-7%, not 0-7 percentage points."""
    chart = tornado(table("optin.rate"), "optin.rate", tmp_path)
    ax = chart.fig.axes[0]
    assert ax.get_xlabel() == "percentage points (mu*: mean absolute change of the share)"
    assert ax.xaxis.get_major_formatter()(0.05, 0) == "5"
    assert pd.read_csv(chart.files["csv"])["value"].tolist() == [0.046, 0.033]  # the CSV keeps the shares drawn
    counts = tornado(table("footage.clips"), "footage.clips", tmp_path)
    assert counts.fig.axes[0].get_xlabel() == "count (mu*: mean absolute change)"
