"""The searches' reasons, hours and days of week fitted to the Eugene log: the defaults are the fit, and they reproduce
the log's categories, local hours and days within the calibration rows' tolerance (the earlier assumptions did not)."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from datetime import datetime
from pathlib import Path

import numpy as np
import pytest

from sim.calibration.audit_logs import read_audit_log
from sim.calibration.fit_searches import (
    IMMIGRATION_SHARE,
    PROPERTY_SPLIT,
    fit_hourly,
    fit_reasons,
    fit_searches,
    fit_weekly,
)
from sim.calibration.log_reasons import (
    PROPERTY_CRIME,
    TEST,
    UNMAPPED,
    class_counts,
    log_categories,
    log_category_shares,
)
from sim.calibration.log_timing import block_shares, hour_counts, weekday_counts
from sim.calibration.targets_search import SEARCH_TARGETS
from sim.config.behavior_alpr import DEFAULT_TRAFFIC_HOURLY, Searches

TOLERANCE = next(t.tolerance for t in SEARCH_TARGETS if t.key == "eugene_reason_investigation")
EARLIER_REASONS = {"stolen_vehicle": 0.25, "theft": 0.2, "burglary": 0.1, "violent_crime": 0.12, "fraud": 0.05,
                   "missing_person": 0.05, "narcotics": 0.08, "traffic": 0.05, "investigation": 0.08,
                   "immigration": 0.02}


def test_defaults_are_the_fit_of_the_shipped_log() -> None:
    fit, s = fit_searches(read_audit_log()), Searches()
    assert fit.reasons == s.reasons and list(fit.reasons) == list(s.reasons)
    assert fit.hourly == s.hourly_profile
    assert fit.weekly == s.weekly_profile
    assert fit.informative == 3985 and s.reasons["narcotics"] == 0.0
    assert s.reasons["immigration"] == IMMIGRATION_SHARE


def test_defaults_reproduce_the_logs_categories_and_hours_and_the_earlier_assumptions_did_not() -> None:
    log = read_audit_log()
    target = log_categories(class_counts(log.reason))
    assert sum(target.values()) > 0.99  # traffic (5 searches) is the rest
    model = log_category_shares(Searches().reasons)
    assert all(abs(model[c] - target[c]) <= TOLERANCE for c in target)
    earlier = log_category_shares(EARLIER_REASONS)
    assert abs(earlier["investigation"] - target["investigation"]) > 0.2
    hours = block_shares(hour_counts(log))
    assert all(abs(block_shares(Searches().hourly_profile)[b] - hours[b]) < 0.001 for b in hours)
    assert max(abs(block_shares(DEFAULT_TRAFFIC_HOURLY)[b] - hours[b]) for b in hours) > 2 * TOLERANCE


def test_property_crime_split_and_kept_immigration() -> None:
    classes = Counter({"stolen_vehicle": 300, PROPERTY_CRIME: 700, TEST: 50, UNMAPPED: 400, "theft": 0})
    r = fit_reasons(classes)
    assert r["immigration"] == IMMIGRATION_SHARE
    assert r["stolen_vehicle"] == pytest.approx(0.3 * (1 - IMMIGRATION_SHARE), abs=0.0005)
    for name, part in PROPERTY_SPLIT.items():
        assert r[name] == pytest.approx(0.7 * part * (1 - IMMIGRATION_SHARE), abs=0.0005)
    assert r["narcotics"] == r["investigation"] == 0.0
    with pytest.raises(ValueError, match="no search with a reason"):
        fit_reasons(Counter({TEST: 3, UNMAPPED: 2}))
    with pytest.raises(ValueError, match="no model reason"):
        fit_reasons(Counter({"abortion": 1}))


def test_fit_hourly_is_shares_times_24() -> None:
    hours = np.arange(24)
    w = fit_hourly(hours)
    assert sum(w) == pytest.approx(24, abs=0.01) and w[0] == 0.0 and w[23] == round(23 / hours.sum() * 24, 3)
    with pytest.raises(ValueError, match="24 hours"):
        fit_hourly(np.ones(7))


def test_fit_weekly_is_shares_times_7_and_the_logs_week_peaks_midweek() -> None:
    w = fit_weekly(np.array([1, 1, 2, 1, 1, 0, 0]))
    assert w == [1.167, 1.167, 2.333, 1.167, 1.167, 0.0, 0.0]
    with pytest.raises(ValueError, match="7 days"):
        fit_weekly(np.ones(24))
    days = weekday_counts(read_audit_log())
    assert days.tolist() == [591, 709, 905, 775, 555, 417, 342]  # Pacific dates, Monday first
    weekly = Searches().weekly_profile
    assert sum(weekly) == pytest.approx(7, abs=0.005)  # mean 1: the profile moves searches, it adds none
    assert int(np.argmax(weekly)) == 2 and int(np.argmin(weekly)) == 6  # Wednesday most, Sunday least
    share = np.array(weekly) / sum(weekly)
    assert np.abs(share - days / days.sum()).max() < 0.001
    assert np.abs(1 / 7 - days / days.sum()).max() > 2 * TOLERANCE  # a flat week (the old model) misses by 6.8


def test_times_are_read_as_utc_and_counted_in_pacific_time(tmp_path: Path) -> None:
    f = tmp_path / "log.csv"
    rows = ['"id","userId","searchDate","cameraCount","reason"']
    # 19:00 UTC is 12:00 in summer (UTC-7, Tuesday 2025-07-01) and 11:00 in winter (UTC-8, Monday 2025-12-01);
    # 2025-07-01 03:00 UTC is Monday 2025-06-30 20:00 local
    for i, t in enumerate(("2025-07-01 19:00:00", "2025-12-01 19:00:00.5", "2025-07-01 03:00:00")):
        rows.append(f'"{i}","u","{t}",94,"uuv"')
    f.write_text("\n".join(rows) + "\n")
    log = read_audit_log(f)
    h = hour_counts(log)
    assert (h[12], h[11], h[20], h.sum()) == (1, 1, 1, 3)
    assert datetime(2025, 6, 30).weekday() == 0 and weekday_counts(log).tolist() == [2, 1, 0, 0, 0, 0, 0]


def test_the_shipped_logs_night_trough_is_a_pacific_night() -> None:
    """README: times in UTC. In Pacific time the quietest hours are 03:00-06:00; read as local times they would
    be 09:00-12:00, mid-morning."""
    h = hour_counts(read_audit_log())
    assert int(np.argmin(h)) in (3, 5) and int(np.argmax(h)) in range(11, 15)
    assert block_shares(h)["h00_04"] + block_shares(h)["h04_08"] < 0.16


def test_fit_command_runs_without_runpy_warning() -> None:
    """`python -m sim.calibration.fit_searches` must not find its module already imported by the package
    (runpy's RuntimeWarning 'found in sys.modules ... prior to execution'): run it with warnings as errors."""
    done = subprocess.run([sys.executable, "-W", "error::RuntimeWarning", "-m", "sim.calibration.fit_searches"],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert "RuntimeWarning" not in done.stderr and "behavior.searches.reasons" in done.stdout
