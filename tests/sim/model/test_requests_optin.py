"""Residents (sim.model.optin): eligibility by plan and retention, fatigue memory, opt-in effects, clips."""

from __future__ import annotations

import numpy as np

from sim.config.behavior_requests import Clips, OptIn
from sim.model.optin import DAY_S, FATIGUE_SLOTS, Residents, expit, logit
from sim.rng import Streams
from sim.world.types import FEDERAL, LOCAL, Households

NEUTRAL = {"distance_per_km": 0.0, "agency_type": {}, "fatigue_per_request": 0.0, "trust_sd": 0.0}


def households(n: int, paid: np.ndarray | None = None, retention: np.ndarray | None = None,
               x: np.ndarray | None = None, neighborhood: np.ndarray | None = None) -> Households:
    z = np.zeros(n)
    paid = np.ones(n, bool) if paid is None else paid
    retention = np.full(n, 30, np.int16) if retention is None else retention.astype(np.int16)
    return Households(
        neighborhood=np.zeros(n, np.int32) if neighborhood is None else neighborhood.astype(np.int32),
        agency=np.zeros(n, np.int32), x_m=z if x is None else x.astype(float), y_m=z, lat=z, lon=z,
        cameras=np.ones(n, np.int8), paid=paid, retention_days=np.where(paid, retention, 0).astype(np.int16),
    )


def residents(hh: Households, cap: int | None = None, seed: int = 0, n_nbhd: int = 1, **optin: object) -> Residents:
    days = hh.retention_days if cap is None else np.minimum(hh.retention_days, cap)  # as PolicyEffects caps it
    return Residents(hh, n_nbhd, OptIn(**optin), Clips(), days, Streams(np.random.SeedSequence(seed)))


def test_eligible_needs_paid_plan_and_retention_covering_the_window() -> None:
    paid = np.array([True, True, True, False])
    hh = households(4, paid=paid, retention=np.array([30, 30, 60, 30]))
    res = residents(hh)
    now = 40 * DAY_S
    dec = res.decide(np.arange(4), 0.0, 0.0, LOCAL, now, window_start_s=now - 31 * DAY_S)
    assert dec.notified == 4 and dec.eligible.tolist() == [2]  # 30-day plans lost it, unpaid never had it
    dec = res.decide(np.arange(4), 0.0, 0.0, LOCAL, now, window_start_s=now - 29 * DAY_S)
    assert dec.eligible.tolist() == [0, 1, 2]
    capped = residents(hh, cap=7)
    dec = capped.decide(np.arange(4), 0.0, 0.0, LOCAL, now, window_start_s=now - 10 * DAY_S)
    assert dec.eligible.tolist() == []


def test_fatigue_counts_last_30_days_and_saturates() -> None:
    res = residents(households(2))
    idx = np.array([0])
    assert res.notify(idx, 0.0).tolist() == [0]
    assert res.notify(idx, 10 * DAY_S).tolist() == [1]
    assert res.notify(idx, 35 * DAY_S).tolist() == [1]  # the one at day 0 is older than 30 days
    for k in range(12):
        res.notify(idx, 36 * DAY_S + k)
    assert res.notify(idx, 37 * DAY_S).tolist() == [FATIGUE_SLOTS]
    assert res.notify(np.array([1]), 37 * DAY_S).tolist() == [0]


def test_optin_effects_move_the_rate_the_right_way() -> None:
    n = 40_000
    near = residents(households(n), base_rate=0.2, **NEUTRAL)
    p_near = near.decide(np.arange(n), 0.0, 0.0, LOCAL, 0.0, 0.0).shares.mean()
    assert abs(p_near - 0.2) < 4 * np.sqrt(0.2 * 0.8 / n)
    far = residents(households(n, x=np.full(n, 2000.0)), base_rate=0.2, **(NEUTRAL | {"distance_per_km": -0.5}))
    p_far = far.decide(np.arange(n), 0.0, 0.0, LOCAL, 0.0, 0.0).shares.mean()
    assert abs(p_far - expit(np.array(logit(0.2) - 1.0))) < 4 * np.sqrt(0.2 * 0.8 / n)
    fed = residents(households(n), base_rate=0.2, **(NEUTRAL | {"agency_type": {"federal": -1.0}}))
    p_fed = fed.decide(np.arange(n), 0.0, 0.0, FEDERAL, 0.0, 0.0).shares.mean()
    assert abs(p_fed - p_far) < 6 * np.sqrt(0.2 * 0.8 / n)


def test_trust_is_one_draw_per_neighbourhood() -> None:
    n = 20_000
    nbhd = np.arange(n) % 2
    res = residents(households(n, neighborhood=nbhd), n_nbhd=2, seed=3, base_rate=0.3,
                    **(NEUTRAL | {"trust_sd": 1.0}))
    shares = res.decide(np.arange(n), 0.0, 0.0, LOCAL, 0.0, 0.0).shares
    for k in (0, 1):
        expected = float(expit(np.array(logit(0.3) + res.trust[k])))
        assert abs(shares[nbhd == k].mean() - expected) < 4 * np.sqrt(expected * (1 - expected) / (n / 2))


def test_clips_and_bytes() -> None:
    n = 20_000
    res = residents(households(n))
    dec = res.decide(np.arange(n), 0.0, 0.0, LOCAL, 0.0, 0.0)
    c = Clips()
    assert dec.clips.min() >= 1 and abs(dec.clips.mean() - (1 + c.extra_clips_mean)) < 0.05
    per_clip = dec.nbytes.sum() / dec.clips.sum() / c.bytes_per_second
    truncated_mean = c.length_s_mean * (1 - np.exp(-c.length_s_max / c.length_s_mean))
    assert abs(per_clip - truncated_mean) < 0.5
    assert (dec.nbytes <= dec.clips * c.length_s_max * c.bytes_per_second + 1e-6).all()
    assert abs(dec.delay_s.mean() / 3600 - OptIn().delay_hours_mean) < 0.3


def test_terms_prepared_for_a_day_of_requests_give_the_same_decisions() -> None:
    """The requests model computes eligibility and the fixed logit terms for a day's requests in one pass and
    decides at post time; that must give exactly what `decide` gives one request at a time."""
    rng = np.random.default_rng(5)
    n = 400
    hh = households(n, paid=rng.random(n) < 0.7, retention=rng.choice([7, 30, 60], n), x=rng.uniform(0, 3000, n),
                    neighborhood=rng.integers(0, 3, n))
    optin = {"distance_per_km": -0.4, "fatigue_per_request": -0.2, "trust_sd": 0.5}
    one, day = residents(hh, n_nbhd=3, **optin), residents(hh, n_nbhd=3, **optin)
    areas = [np.sort(rng.choice(n, 60, replace=False)) for _ in range(5)]  # overlapping: fatigue carries over
    x, kind = rng.uniform(0, 3000, 5), np.array([LOCAL, FEDERAL, LOCAL, LOCAL, FEDERAL])
    now, start = 40 * DAY_S + np.arange(5) * 3600.0, 40 * DAY_S - np.array([3, 20, 45, 5, 10]) * DAY_S
    flat = np.concatenate(areas)
    post = np.repeat(np.arange(5), [len(a) for a in areas])
    ok = day.eligible(flat, now[post], start[post])
    fixed = day.fixed_logit(flat, x[post], 0.0, kind[post])
    offsets = np.concatenate([[0], np.cumsum([len(a) for a in areas])])
    for i, area in enumerate(areas):
        expect = one.decide(area, float(x[i]), 0.0, int(kind[i]), float(now[i]), float(start[i]))
        s = slice(offsets[i], offsets[i + 1])
        got = day.decide_prepared(flat[s], ok[s], fixed[s][ok[s]], float(now[i]))
        assert got.notified == expect.notified and len(got.eligible) > 0
        for field in ("eligible", "shares", "delay_s", "clips", "nbytes"):
            np.testing.assert_array_equal(getattr(got, field), getattr(expect, field))


def test_many_requests_decided_at_once_match_one_at_a_time() -> None:
    """`decide_many` (a day's requests in one pass, a speed trick) gives what deciding each request at its post
    gives: the same draws, and fatigue counted in order where requests notify the same households (a household
    in four or more of six areas sees its earlier notifications within the batch; a request with nobody eligible draws
    nothing)."""
    rng = np.random.default_rng(7)
    n = 300
    hh = households(n, paid=rng.random(n) < 0.6, x=rng.uniform(0, 3000, n))
    optin = {"distance_per_km": -0.4, "fatigue_per_request": -0.8}
    one, many = residents(hh, seed=2, **optin), residents(hh, seed=2, **optin)
    areas = [np.sort(rng.choice(n, k, replace=False)) for k in (40, 80, 0, 60, 90, 50)]
    areas[2] = np.flatnonzero(~hh.paid)[:5]  # notified, none eligible
    for a in (0, 1, 3, 4):
        areas[a] = np.union1d(areas[a], [7])  # one household notified at least four times
    now = 10 * DAY_S + np.array([0.0, 600.0, 600.0, 4000.0, 9000.0, 9000.0])
    flat = np.concatenate(areas)
    offsets = np.concatenate([[0], np.cumsum([len(a) for a in areas])])
    post = np.repeat(np.arange(len(areas)), np.diff(offsets))
    ok = many.eligible(flat, now[post], now[post] - DAY_S)
    fixed = many.fixed_logit(flat, 0.0, 0.0, LOCAL)
    got = many.decide_many(flat, offsets, ok, fixed[ok], now)
    for i, area in enumerate(areas):
        expect = one.decide(area, 0.0, 0.0, LOCAL, float(now[i]), float(now[i]) - DAY_S)
        dec = got.post(i)
        assert dec.notified == expect.notified
        for field in ("eligible", "shares", "delay_s", "clips", "nbytes"):
            np.testing.assert_array_equal(getattr(dec, field), getattr(expect, field))
    assert len(got.post(2).eligible) == 0 and ok[post == 1].any()
    np.testing.assert_array_equal(many._recent, one._recent)  # the fatigue memory afterwards
    times = sum(7 in a for a in areas)
    assert times >= 4 and one.notify(np.array([7]), float(now[-1])).tolist() == [times]
