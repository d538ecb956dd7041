"""Every parameter docs/MODEL.md marks "assumption" has a declared range (or a reason it is not varied), none stale."""

from __future__ import annotations

import pytest

from sim.config import load_scenario
from sim.sensitivity.analysis import applicable
from sim.sensitivity.ranges import NOT_VARIED, RANGES, covered_rows
from tests.conftest import ROOT
from tests.sim.test_calibration_params import table


def assumption_rows() -> set[str]:
    return {path for path, (_unit, _default, source) in table().items() if "assumption" in source.lower()}


def test_every_assumption_row_has_a_range_or_a_reason() -> None:
    missing = sorted(assumption_rows() - covered_rows())
    assert not missing, f"docs/MODEL.md assumptions without a range in sim/sensitivity/ranges.py: {missing}"


def test_no_range_for_a_row_not_marked_assumption() -> None:
    stale = sorted(covered_rows() - assumption_rows())
    assert not stale, f"sim/sensitivity/ranges.py covers rows MODEL.md no longer marks assumption: {stale}"
    assert not {r.doc_row for r in RANGES} & set(NOT_VARIED), "a row both varied and explained as not varied"


@pytest.mark.parametrize("r", RANGES, ids=lambda r: r.path)
def test_range_is_a_real_interval_with_a_reason(r) -> None:
    assert r.low < r.high and r.reason.strip()


def test_ranges_hold_the_baseline_value_and_apply() -> None:
    """Each range contains the national baseline's value of its parameter, which the baseline has."""
    base = load_scenario(ROOT / "scenarios" / "baseline.yaml").model_dump(mode="python")
    outside = []
    for r in RANGES:
        node = base
        for part in r.path.split("."):
            node = node[part]
        if not r.low <= node <= r.high:
            outside.append((r.path, node, r.low, r.high))
    assert not outside, f"baseline values outside their declared range: {outside}"
    sc = load_scenario(ROOT / "scenarios" / "baseline.yaml")
    assert all(applicable(sc, r) for r in RANGES)


def test_every_varied_assumption_states_its_range_in_model_md() -> None:
    """A reader of MODEL.md sees the plausible range a sensitivity analysis varies, not only ranges.py."""
    rows = table()
    silent = sorted({r.doc_row for r in RANGES if not any(w in rows[r.doc_row][2].lower() for w in ("plausible", "range"))})
    assert not silent, f"docs/MODEL.md assumption rows varied in sim/sensitivity/ranges.py without a stated range: {silent}"
