"""Sheriffs against local police in the shipped data (`sim.calibration.shipped_by_type`), and the per-type fit.

- Search rates: the 2024 portals' sheriffs search more than their local police beyond noise (their fitted median),
  the 2026 portals' do not, which is what `sim.calibration.observed.TYPES_DIFFER` (and so the scenarios' per-type
  medians) rests on; neither period's log-sd or zero share differs (hence one of each).
- Sharing: the figures the synthetic sharing graph is fitted to or checked against (2024 out-degree, in-degree,
  in-state share, statewide sharers; 2026 portals' connections) differ within noise (sharing stays pooled, as
  docs/MODEL.md says); only the 2026 organisations without a portal differ.
- The interval for shares holds at a share of 0, where a bootstrap cannot; `fit_by_type` recovers known medians.
"""

from __future__ import annotations

import numpy as np
import pytest

from sim.calibration.fit import fit_by_type
from sim.calibration.observed import TYPES_DIFFER
from sim.calibration.portals import portal_searches_by_type
from sim.calibration.shipped_by_type import (
    connection_differences,
    connections_2026,
    report_lines,
    search_differences,
    share_difference,
    sharing_differences,
    sharing_lists_2024,
)

BOOT = 500  # fewer resamples than the script's 2,000: the verdicts below sit well away from the interval's ends


def _by_name(rows: list) -> dict:
    return {d.name: d for d in rows}


@pytest.mark.parametrize("period", ["2024", "2026"])
def test_search_medians_differ_only_where_the_scenarios_give_one_per_type(period: str) -> None:
    by_type = portal_searches_by_type(period)
    assert {t: len(x) for t, x in by_type.items()} == ({"sheriff": 29, "local_police": 279} if period == "2024"
                                                       else {"sheriff": 111, "local_police": 776})
    rows = _by_name(search_differences(by_type, boot=BOOT))
    median = rows["log median (lognormal fit)"]
    assert median.beyond_noise is TYPES_DIFFER[period]
    assert median.diff > 0  # sheriffs' point estimate is higher in both periods
    assert not rows["log-sd (lognormal fit)"].beyond_noise and not rows["zero share"].beyond_noise


def test_sharing_figures_the_model_uses_show_no_type_difference() -> None:
    lists = sharing_lists_2024()
    assert len(lists["sheriff"]["out_degree"]) == 23 and len(lists["local_police"]["out_degree"]) == 201
    assert not any(d.beyond_noise for d in sharing_differences(lists, BOOT))
    conn = connections_2026()
    assert len(conn["sheriff"]) == 111 and len(conn["local_police"]) == 776
    portals = _by_name(connection_differences(conn, boot=BOOT))
    assert not any(d.beyond_noise for d in portals.values())
    assert portals["share >= 1,000"].sheriff == pytest.approx(14 / 111)  # 12.6% of sheriffs' portals
    listed = connection_differences(conn, "_listed", BOOT)
    assert all(d.beyond_noise and d.diff > 0 for d in listed)  # the one sharing figure that differs (MODEL.md)


def test_share_interval_holds_at_zero() -> None:
    # the 2024 portals' zero-search shares: 0 of 29 sheriffs against 7 of 279 local police (279 since ed007bc)
    none = share_difference("zero", np.zeros(29, bool), np.arange(279) < 7)
    assert none.low < 0 < none.high and not none.beyond_noise
    wide = share_difference("wide", np.arange(100) < 50, np.arange(100) < 10)
    assert wide.beyond_noise and wide.low > 0.2


def test_fit_by_type_recovers_known_medians_and_a_common_spread() -> None:
    rng = np.random.default_rng(3)
    a = 200.0 * np.exp(1.2 * rng.normal(size=20_000))
    b = np.where(rng.uniform(size=200_000) < 0.05, 0.0, 100.0 * np.exp(1.2 * rng.normal(size=200_000)))
    fit = fit_by_type({"sheriff": a, "local_police": b})
    assert fit.zero_share == pytest.approx(0.05 * 200_000 / 220_000, abs=0.002)
    assert fit.sigma == pytest.approx(1.2, rel=0.03)
    assert fit.median["local_police"] == pytest.approx(100.0, rel=0.03)
    assert fit.median["sheriff"] == pytest.approx(200.0 * 1.06, rel=0.06)  # the pooled zero share shifts its levels
    with pytest.raises(ValueError, match="at least 10"):
        fit_by_type({"sheriff": np.ones(3), "local_police": b})


def test_report_names_every_verdict() -> None:
    text = "\n".join(report_lines(50))
    assert "BEYOND NOISE" in text and "within noise" in text and "one median per type" in text
