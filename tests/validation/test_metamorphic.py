"""Metamorphic checks: changing one input in a known direction moves the outputs the known way.

All variants of a check run under common random numbers: the same root seed (so the same world draws, by
named stream) and the same replication seeds, so differences come from the change, not from sampling.
(More opt-in never gives fewer clips is checked in test_requests_optin.py.)

- Longer ALPR retention never gives less exposure: with the same camera passes, a longer retention keeps
  a superset of each vehicle's reads, so the agencies (and federal units) able to query them can only grow.
  Pathwise, replication by replication. Reads held grow with retention (history draws differ in length,
  so this one is checked with a wide margin: each step adds at least 1.5 times more days).
- More cameras never give fewer reads: a world with more cameras reads more plates (different worlds, so
  in expectation; the steps of 60% are ~50 standard deviations apart).
- Narrower sharing never widens a search: scope any -> in_state -> none, and the federal firewall, can only
  shrink the networks a search touches and the federal units able to query a tracked car.
"""

from __future__ import annotations

import numpy as np
import pytest

from tests.validation.helpers import ALPR, run_model

RETENTIONS = (1, 3, 7, 14)  # all below Flock's 30-day default, so each is a cap on every agency
EXPOSURE = ("exposure.agencies_per_vehicle_mean", "exposure.agencies_per_vehicle_p90",
            "exposure.federal_units_per_vehicle_mean")


@pytest.mark.parametrize("rep", [0, 1])
def test_longer_retention_never_less_exposure(rep: int) -> None:
    runs = [run_model({"policy.alpr_retention_days": d, "run.days": 14}, rep=rep, components=ALPR).totals
            for d in RETENTIONS]
    for name in EXPOSURE:
        series = np.array([r[name] for r in runs])
        assert (np.diff(series) >= 0).all(), (name, series)
    agencies = [r["exposure.agencies_per_vehicle_mean"] for r in runs]
    assert agencies[-1] > agencies[0]
    held = np.array([r["storage.reads_held"] for r in runs])
    assert (held[1:] > 1.5 * held[:-1]).all(), held
    # the same camera passes and the same reads: only what is kept changes
    assert len({r["exposure.distinct_cameras_mean"] for r in runs}) == 1
    assert len({r["alpr.reads"] for r in runs}) == 1


def test_more_cameras_never_fewer_reads() -> None:
    runs = [run_model({"world.alpr.total": n}, components=ALPR).totals for n in (1500, 2500, 4000)]
    for name in ("alpr.reads", "alpr.hotlist_hits", "storage.reads_held"):
        series = np.array([r[name] for r in runs])
        assert (np.diff(series) > 0).all(), (name, series)
    per_camera = np.array([r["alpr.reads_per_camera_day"] for r in runs])
    assert per_camera.max() / per_camera.min() < 1.05  # the rate per camera is the input, not the count


def test_narrower_sharing_never_widens_searches() -> None:
    runs = [run_model({"policy.sharing_scope": s}, components=ALPR).totals for s in ("any", "in_state", "none")]
    for name in ("search.networks_touched_mean", "search.cameras_touched_mean", "search.reads_scanned_mean",
                 "exposure.agencies_per_vehicle_mean"):
        series = np.array([r[name] for r in runs])
        assert (np.diff(series) <= 0).all(), (name, series)
        assert series[-1] < series[0], (name, series)
    assert len({r["alpr.searches"] for r in runs}) == 1  # the same searches, narrower reach


def test_federal_firewall_never_widens_federal_reach() -> None:
    open_, closed = (run_model({"policy.federal_firewall": f}, components=ALPR).totals for f in (False, True))
    for name in ("exposure.federal_units_per_vehicle_mean", "alpr.searches_federal_proxy"):
        assert closed[name] <= open_[name], (name, open_[name], closed[name])
    assert closed["exposure.federal_units_per_vehicle_mean"] < open_["exposure.federal_units_per_vehicle_mean"]
