"""Opt-in against its binomial expectation, and metamorphic checks (more opt-in never fewer clips).

With every covariate effect fixed to zero (distance, agency type, fatigue, trust), each eligible household
shares independently with probability ``base_rate``, so the households deciding to share in a run are
Binomial(eligible, base_rate) given the eligible count. Decisions, delays and clips are drawn for every
eligible household whatever it decides, so with the same seed a higher opt-in can only add submissions.
"""

from __future__ import annotations

import math

import numpy as np

from tests.sim.model.test_requests import run_requests

NO_EFFECTS = {
    "behavior.optin.distance_per_km": 0.0,
    "behavior.optin.agency_type": {},
    "behavior.optin.fatigue_per_request": 0.0,
    "behavior.optin.trust_sd": 0.0,
    "behavior.requests.expiry_days": 30.0,
    "behavior.incidents.per_agency_per_day": {"local_police": 3.0, "sheriff": 3.0},
    "behavior.incidents.request_share": 0.3,
}


def test_optin_count_matches_binomial_expectation() -> None:
    p = 0.07
    zs = []
    for rep in range(4):
        tot, _ = run_requests({**NO_EFFECTS, "behavior.optin.base_rate": p}, rep=rep)
        n = tot["requests.households_eligible"]
        shared = tot["optin.submitting_households"] + tot["optin.expired_submissions"]
        assert n > 3000
        z = (shared - n * p) / math.sqrt(n * p * (1 - p))
        assert abs(z) < 3.5, (rep, shared, n * p)
        zs.append(z)
    assert abs(sum(zs) / math.sqrt(len(zs))) < 3.0


def test_effects_lower_the_rate_below_base() -> None:
    """Sanity check of the calibration logic: negative distance and fatigue effects pull the rate down."""
    plain, _ = run_requests({**NO_EFFECTS, "behavior.optin.base_rate": 0.2})
    shy = {**NO_EFFECTS, "behavior.optin.distance_per_km": -8.0, "behavior.optin.base_rate": 0.2}
    far, _ = run_requests(shy)
    assert far["optin.rate_eligible"] < plain["optin.rate_eligible"] - 0.02


def test_more_optin_never_fewer_clips() -> None:
    results = [run_requests({"behavior.optin.base_rate": p})[0] for p in (0.02, 0.07, 0.2, 0.5)]
    for key in ("optin.submitting_households", "footage.submissions", "footage.clips", "footage.bytes"):
        series = np.array([r[key] for r in results])
        assert (np.diff(series) >= 0).all(), (key, series)
        assert series[-1] > series[0]


def test_stronger_fatigue_never_more_submissions() -> None:
    heavy = {"behavior.incidents.per_agency_per_day": {"local_police": 4.0, "sheriff": 4.0}}
    mild, _ = run_requests({**heavy, "behavior.optin.fatigue_per_request": 0.0})
    tired, _ = run_requests({**heavy, "behavior.optin.fatigue_per_request": -1.0})
    assert tired["requests.households_notified"] == mild["requests.households_notified"]
    assert tired["optin.submitting_households"] < mild["optin.submitting_households"]
    assert tired["footage.clips"] <= mild["footage.clips"]
