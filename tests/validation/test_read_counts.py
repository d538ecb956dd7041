"""Plate reads are Poisson, hotlist alerts binomial: checked on the model's recorded daily and whole-run counts.

Reads. An owner's reads in an hour are Poisson with a rate fixed for the run (the cameras' rate
multipliers are drawn once), so the national reads of a day are Poisson with a fixed mean, independent
from day to day. Over n days the dispersion statistic D = sum (x_d - mean)^2 / mean follows chi^2(n - 1)
(the Poisson index-of-dispersion test), so mean and variance agree when D lies inside the central 99.9%
of that distribution. With ``camera_rate_sigma: 0`` and ``agency_rate_sigma: 0`` every camera reads exactly
``reads_per_camera_day`` (raw basis) or ``unique_vehicles_per_camera_day`` (unique basis) in expectation, so the mean itself is
known: a z-test with sd sqrt(mu / n).

Alerts. Hits are binomial on each owner-day's reads with p = hotlist_hit_share (times unique / raw on the
raw basis), so the run's hits given its reads are Binomial(reads, p); false alerts Binomial(hits,
false_hit_share); stops Binomial(true alerts, stop_share); misreads Binomial(reads, misread_share).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from sim.model.context import weekday
from tests.validation.helpers import ALPR, run_model, scenario

DAYS = 60
P_TAIL = 0.0005  # two-sided 0.1% test


def _dispersion_ok(x: np.ndarray, weights: np.ndarray | None = None) -> tuple[bool, float, tuple[float, float]]:
    """Poisson counts with day means proportional to `weights` (all alike when None): given the total, the
    counts are multinomial and D = sum (x_d - e_d)^2 / e_d, e_d = total * w_d / sum w, is chi^2(n - 1)."""
    x = np.asarray(x, dtype=float)
    w = np.ones(len(x)) if weights is None else np.asarray(weights, dtype=float)
    e = x.sum() * w / w.sum()
    d = float(((x - e) ** 2 / e).sum())
    lo, hi = stats.chi2.ppf([P_TAIL, 1 - P_TAIL], len(x) - 1)
    return lo <= d <= hi, d, (float(lo), float(hi))


@pytest.mark.parametrize("sigma", [0.0, 0.5])
def test_daily_reads_and_searches_are_poisson(sigma: float) -> None:
    """Searches too: per-agency rates are drawn once and scaled by the day of week's weight
    (`behavior.searches.weekly_profile`), so a day's searches are a sum of Poissons whose mean follows the week."""
    values = {"run.days": DAYS, "behavior.alpr.camera_rate_sigma": sigma}
    run = run_model(values, components=ALPR)
    sc = scenario(values)
    week = np.asarray(sc.behavior.searches.weekly_profile, dtype=float)
    search_weights = week[[weekday(sc.run.warmup_days + d) for d in range(DAYS)]]
    assert np.ptp(week) > 0.5  # the shipped week is far from flat, so the weights below matter
    for name, weights in (("alpr.reads", None), ("alpr.searches", search_weights)):
        ok, d, bounds = _dispersion_ok(run.daily[name], weights)
        assert ok, (name, d, bounds)
    # the same searches tested as if every day were alike are far overdispersed: the week shows in the counts
    assert not _dispersion_ok(run.daily["alpr.searches"])[0]
    # a compound count (results: Poisson on reads scanned, which vary by search) is far overdispersed
    assert not _dispersion_ok(run.daily["search.results"])[0]


@pytest.mark.parametrize(("basis", "field"), [("raw", "reads_per_camera_day"), ("unique", "unique_vehicles_per_camera_day")])
def test_mean_reads_per_camera_day_is_the_input(basis: str, field: str) -> None:
    values = {"run.days": DAYS, "behavior.alpr.camera_rate_sigma": 0.0, "behavior.alpr.agency_rate_sigma": 0.0,
              "behavior.alpr.reads_basis": basis}
    sc = scenario(values)
    run = run_model(values, components=ALPR)
    x = run.daily["alpr.reads"]
    cameras = run.totals["alpr.reads"] / (run.totals["alpr.reads_per_camera_day"] * DAYS)
    assert cameras == pytest.approx(sc.world.alpr.total, rel=1e-9)
    mu = getattr(sc.behavior.alpr, field) * cameras
    z = (x.mean() - mu) / math.sqrt(mu / len(x))
    assert abs(z) < 3.5, (x.mean(), mu, z)
    ok, d, bounds = _dispersion_ok(x)
    assert ok, (d, bounds)


def test_alert_chain_is_binomial() -> None:
    sc = scenario({"run.days": 30})
    run = run_model({"run.days": 30}, components=ALPR)
    a, t = sc.behavior.alpr, run.totals
    hit_p = a.hotlist_hit_share * a.unique_vehicles_per_camera_day / a.reads_per_camera_day
    true_alerts = t["alpr.hotlist_hits"] - t["alpr.alerts_false"]
    assert t["alpr.alerts_true"] == true_alerts
    for k, n, p in (
        (t["alpr.hotlist_hits"], t["alpr.reads"], hit_p),
        (t["alpr.alerts_false"], t["alpr.hotlist_hits"], a.false_hit_share),
        (t["alpr.stops"], true_alerts, a.stop_share),
        (t["alpr.misreads"], t["alpr.reads"], a.misread_share),
    ):
        assert n * p * (1 - p) > 100
        z = (k - n * p) / math.sqrt(n * p * (1 - p))
        assert abs(z) < 4.0, (k, n, p, z)
    assert t["alpr.hotlist_hit_share"] == pytest.approx(t["alpr.hotlist_hits"] / t["alpr.reads"])
