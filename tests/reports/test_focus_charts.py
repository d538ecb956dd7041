"""The focus map (`reports.focus_charts.focus_map`): its level for the focus state carries its CI across replications."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from reports import write_report


def _with_nc_proxy(src: Path, dst: Path, values: list[float]) -> Path:
    """A copy of the run with NC's proxy audit entries set per replication (by_state; CSV dropped, Parquet read)."""
    shutil.copytree(src, dst)
    t = pd.read_parquet(dst / "by_state.parquet")
    for rep, v in enumerate(values):
        t.loc[(t.state == "NC") & (t.metric == "audit.records_received_proxy") & (t.replication == rep), "value"] = v
    t.to_parquet(dst / "by_state.parquet", index=False)
    (dst / "by_state.csv").unlink(missing_ok=True)
    return dst


def test_a_noise_bound_level_is_said_to_be_uncertain(focus_pair: tuple[Path, Path], tmp_path: Path) -> None:
    """Georgia read '1,334 audit entries from federal searches per 100 cameras in 7 simulated days' from replications
    of 1,448 and 1,219 (95% CI 0 to 2,792): proxy lookups are few. The CI is in the title when wider than the level."""
    t = pd.read_parquet(focus_pair[0] / "by_state.parquet")
    nc = t[t.state == "NC"].pivot_table(index="replication", columns="metric", values="value")
    fed, cams = nc["audit.records_received_federal_own"].to_numpy(), nc["cameras"].to_numpy()
    lumpy = _with_nc_proxy(focus_pair[0], tmp_path / "lumpy", [0.0, 40.0 * cams[1]])
    html = write_report(lumpy, tmp_path / "l.html", focus="NC").read_text()
    per_100 = 100 * (fed + np.array([0.0, 40.0 * cams[1]])) / cams
    low, high = stats.t.interval(0.95, 1, loc=per_100.mean(), scale=stats.sem(per_100))
    title = re.search(r"<h3[^>]*>(North Carolina: [^<]*)</h3>", html).group(1)
    assert f"(uncertain: 95% CI {max(low, 0):,.0f} to {high:,.0f})" in title, title
    data = pd.read_csv(tmp_path / "charts" / "focus_map.csv").set_index("state")
    assert abs(data.loc["NC", "ci_high"] / high - 1) < 1e-5  # 6 significant digits (sim.results.plain_csv.csv_number)
    assert (data["ci_low"] >= 0).all()
    level = fed.max() + 5000.0  # own and proxy entries together nearly the same in both replications
    steady = _with_nc_proxy(focus_pair[0], tmp_path / "steady", [level - fed[0], level - fed[1] + 1.0])
    html = write_report(steady, tmp_path / "s.html", focus="NC").read_text()
    title = re.search(r"<h3[^>]*>(North Carolina: [^<]*)</h3>", html).group(1)
    assert "uncertain" not in title
    data = pd.read_csv(tmp_path / "charts" / "focus_map.csv").set_index("state")
    assert data.loc["NC", "ci_high"] - data.loc["NC", "ci_low"] < data.loc["NC", "federal_per_100_cameras"]
