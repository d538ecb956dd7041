"""IncidentSource (sim.model.requests_incidents): Poisson rates, daily and weekly profiles, posts per case."""

from __future__ import annotations

from typing import Any

import numpy as np

from sim.model.policy_effects import policy_effects
from sim.model.requests_incidents import DAY_S, HOUR_S, IncidentSource
from sim.rng import Streams
from sim.world.build import build_world_cached
from sim.world.types import FEDERAL
from tests.sim.model.test_requests import small


def source(values: dict[str, Any] | None = None, seed: int = 0) -> IncidentSource:
    sc = small(values)
    b, world = sc.behavior, build_world_cached(sc)
    return IncidentSource(b.incidents, b.requests, policy_effects(world, sc.policy), world,
                          Streams(np.random.SeedSequence(seed)))


def test_incident_rate_and_request_share() -> None:
    src = source({"behavior.incidents.request_share": 0.5})
    days = 28  # four whole weeks: the weekly profile averages to 1
    incidents = sum(src.day(d)[0].sum() for d in range(days))
    expected = src.rate.sum() * days
    assert abs(incidents - expected) < 4 * np.sqrt(expected)
    first_posts = sum(int((src.day(d)[1].ordinal == 0).sum()) for d in range(days))
    assert abs(first_posts - 0.5 * expected) < 5 * np.sqrt(expected)


def test_hourly_and_weekly_profiles_place_incidents() -> None:
    hourly = [0.0] * 24
    hourly[5] = 1.0
    weekly = [1.0, 0, 0, 0, 0, 0, 0]
    src = source({"behavior.incidents.hourly_profile": hourly, "behavior.incidents.weekly_profile": weekly,
                  "behavior.incidents.request_share": 1.0})
    monday_incidents, monday = src.day(7)
    assert monday_incidents.sum() > 0 and len(monday) > 0
    assert src.day(8)[0].sum() == 0 and len(src.day(8)[1]) == 0
    hour = (monday.incident_s - 7 * DAY_S) / HOUR_S
    assert ((hour >= 5) & (hour < 6)).all()


def test_posts_sorted_lagged_shaped_and_capped() -> None:
    src = source({"behavior.incidents.request_share": 1.0, "behavior.requests.second_post_share": 0.5,
                  "policy.posts_per_case": 3, "policy.request_area_cap_sq_mi": 0.2})
    posts = src.day(2)[1]
    assert len(posts) > 50
    assert (np.diff(posts.post_s) >= 0).all() and (posts.post_s >= posts.incident_s).all()
    assert posts.ordinal.max() <= 2 and 0.2 < (posts.ordinal > 0).mean() < 0.5
    assert (posts.area_sq_mi <= 0.2).all() and (posts.area_sq_mi >= 0.025).all()
    window = 2 * (posts.incident_s - posts.window_start_s) / HOUR_S
    assert (window >= 0.25 - 1e-9).all() and (window <= 12 + 1e-9).all()
    lag_h = (posts.post_s - posts.incident_s)[posts.ordinal == 0] / HOUR_S
    assert 15 < lag_h.mean() < 35  # exponential, mean 24 h


def test_federal_cases_fall_in_local_areas() -> None:
    # every type named: a --set mapping merges over the scenario's (c3a4ed5), so the others' 0.5 a day would stay
    only_federal = {"local_police": 0.0, "sheriff": 0.0, "state_police": 0.0, "federal": 200.0}
    src = source({"behavior.incidents.per_agency_per_day": only_federal, "behavior.incidents.request_share": 1.0})
    posts = src.day(0)[1]
    assert len(posts) > 100 and (posts.kind == FEDERAL).all()
    world = src.world
    seat = np.hypot(posts.x_m - world.agencies.x_m[posts.agency], posts.y_m - world.agencies.y_m[posts.agency])
    assert np.median(seat) > 50_000  # spread over the state, not at the federal seat
