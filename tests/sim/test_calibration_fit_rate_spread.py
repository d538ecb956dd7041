"""The read-rate spread fitted to the portals (`sim.calibration.fit_rate_spread`) against the data and the defaults.

- The portals' figures: 2024's table (322 portals, median 526; log-sd 0.95 at 1-3 cameras .. 0.60 at 41+, overall
  0.74) and 2026's (770 portals, overall 0.71), computed from data/.
- The fit is deterministic, is the default pair (config and baseline.yaml), and reproduces every bin within the bin's
  own bootstrap interval, where the model before the owner factor (camera_rate_sigma 0.5 alone) falls below all five.
- The Monte Carlo model behaves as its algebra says: no camera spread leaves the agency log-sd in every bin; no agency
  spread at one camera each is the camera log-sd.
"""

from __future__ import annotations

import numpy as np
import pytest

from sim.calibration.fit_rate_spread import (
    SpreadModel,
    bin_spread_ci,
    bootstrap_fit,
    fit_pair,
    fit_rate_spread,
    size_bin,
    spread_by_size,
)
from sim.calibration.observed import observed
from sim.calibration.portals import vehicles_per_camera_day
from sim.config import load_scenario
from sim.config.behavior_alpr import Alpr
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def fit_2024():
    return fit_rate_spread("2024")


def test_the_portals_spread_by_camera_count_is_computed_from_the_data() -> None:
    rate, cameras = vehicles_per_camera_day("2024")
    assert len(rate) == 322 and abs(np.median(rate) - 526) < 1
    bins = spread_by_size(rate, cameras)
    assert [b.agencies for b in bins] == [47, 64, 80, 93, 38]
    assert [round(b.log_sd, 2) for b in bins] == [0.95, 0.72, 0.65, 0.66, 0.60]
    assert round(observed("2025")["vehicles_per_camera_day_log_sd"].value, 2) == 0.74  # 2025 runs: the 2024 portals
    rate26, _ = vehicles_per_camera_day("2026")
    assert len(rate26) == 770
    assert round(observed("2026")["vehicles_per_camera_day_log_sd"].value, 2) == 0.71
    with pytest.raises(ValueError, match="period"):
        vehicles_per_camera_day("2025")


def test_the_fit_is_the_default_pair(fit_2024) -> None:
    assert (fit_2024.agency_sigma, fit_2024.camera_sigma) == (Alpr().agency_rate_sigma, Alpr().camera_rate_sigma)
    base = load_scenario(ROOT / "scenarios" / "baseline.yaml").behavior.alpr
    assert (base.agency_rate_sigma, base.camera_rate_sigma) == (fit_2024.agency_sigma, fit_2024.camera_sigma)
    again = fit_rate_spread("2024")
    assert (again.agency_sigma, again.camera_sigma, again.rms) == (fit_2024.agency_sigma, fit_2024.camera_sigma,
                                                                   fit_2024.rms)


def test_the_fit_reproduces_every_bin_and_the_camera_only_model_none(fit_2024) -> None:
    rate, cameras = vehicles_per_camera_day("2024")
    lo, hi = bin_spread_ci(rate, cameras, boots=400)
    bins = len(fit_2024.portals)
    assert np.all((lo[:bins] <= fit_2024.model[:bins]) & (fit_2024.model[:bins] <= hi[:bins])), (lo, fit_2024.model, hi)
    assert fit_2024.rms < 0.05
    assert abs(fit_2024.model[-1] - fit_2024.portals_overall) < 0.1  # overall: the calibration row's tolerance
    before = fit_2024.model_for(0.0, 0.5)
    assert np.all(before[:bins] < lo[:bins]), (before, lo)
    assert before[-1] < 0.2  # MODEL.md's 0.14


def test_the_monte_carlo_model_follows_its_algebra() -> None:
    cameras = np.repeat([1, 5, 12, 25, 60], 400)
    model = SpreadModel(cameras)
    agency_only = model.spreads(np.array([0.6]), 0.0)[0]
    assert np.allclose(agency_only, 0.6, atol=0.04)
    camera_only = model.spreads(np.array([0.0]), 0.8)[0]
    assert abs(camera_only[0] - 0.8) < 0.04  # one camera: its own spread
    assert np.all(np.diff(camera_only[:5]) < 0) and camera_only[4] > 0  # averages over more cameras spread less
    assert np.isnan(SpreadModel(np.array([1, 2])).spreads(np.array([0.5]), 0.5)[0, 1])  # an empty bin
    assert list(size_bin(np.array([0, 1, 3, 4, 40, 41, 5000]))) == [-1, 0, 0, 1, 3, 4, 4]


def test_bootstrap_refits_resampled_portals() -> None:
    pairs = bootstrap_fit("2024", 2)
    assert pairs.shape == (2, 2) and np.all((pairs >= 0) & (pairs <= 1.5))
    assert not np.array_equal(pairs[0], pairs[1])  # different resamples, different fits


def test_a_camera_count_bin_without_portals_leaves_the_fit() -> None:
    """A resample with no portal of 41+ cameras made that bin's target NaN, every pair's loss NaN and the 'fit' the
    grid's first point (rms inf). Portals drawn from the model (agency 0.6, camera 0.3), none above 40 cameras."""
    rng = np.random.default_rng(7)
    cameras = rng.integers(1, 41, 400)
    rate = np.array([np.exp(0.6 * rng.standard_normal()) * np.exp(0.3 * rng.standard_normal(k)).mean() for k in cameras])
    assert spread_by_size(rate, cameras)[-1].agencies == 0
    agency, camera, rms, fitted = fit_pair(rate, cameras)
    assert np.isfinite(rms) and np.isnan(fitted[-2]) and np.isfinite(fitted[-1])
    assert agency == pytest.approx(0.6, abs=0.1) and camera < 0.9
