"""A real-geography run with ``world.flock.portal_reads``: by_agency says which rule set each owner's read rate
(``read_rate_source``), a portal's cameras read at its own vehicles per camera-day, and ``--focus-agency`` says so."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from sim.cli.main import main
from tests.conftest import SCENARIOS

DAYS = 3


def run(tmp_path: Path, capsys: pytest.CaptureFixture[str], on: bool) -> tuple[pd.DataFrame, str]:
    out = tmp_path / f"or-{on}"
    assert main(["run", str(SCENARIOS / "flock-2026-real.yaml"), "--set", "world.states=[OR]", "--set",
                 "world.households.count=2000", "--set", f"run.days={DAYS}", "--set", "run.replications=1",
                 "--set", "behavior.alpr.camera_rate_sigma=0", "--set", f"world.flock.portal_reads={str(on).lower()}",
                 "--focus-agency", "Florence OR PD", "-q", "--no-report", "-o", str(out)]) == 0
    return pd.read_csv(out / "by_agency.csv"), capsys.readouterr().out


def test_a_portal_reads_at_its_own_vehicles_per_camera_day(tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    """Florence OR PD's portal: 6 cameras, 100,094 vehicles captured per 30 days (556 per camera-day); before, its
    cameras read at 8,300 x a drawn multiplier."""
    rows, text = run(tmp_path, capsys, True)
    florence = rows[rows.name == "Florence OR PD"].iloc[0]
    assert florence.read_rate_source == "portal" and florence.cameras == 6
    per_camera_day = florence["alpr.reads"] / (florence.cameras * DAYS)
    assert per_camera_day == pytest.approx(100_094 / 6 / 30 * 8300 / 526, rel=0.01)  # Poisson: sd ~0.25%
    assert set(rows.read_rate_source[rows.cameras == 0]) == {"none"}
    assert (rows.read_rate_source == "portal").sum() == 2  # Florence and Sunriver: OR's stated pairs
    assert "reads: its cameras read at its portal's 556 vehicles captured per camera-day" in text
    off, text = run(tmp_path, capsys, False)
    assert set(off.read_rate_source) <= {"drawn", "none"} and (off.read_rate_source == "drawn").sum() > 20
    assert "reads: its cameras read at 8,300 raw reads per camera-day x an owner multiplier drawn for it" in text
    assert "world.flock.portal_reads is off: its portal's 556 vehicles per camera-day is not used" in text
