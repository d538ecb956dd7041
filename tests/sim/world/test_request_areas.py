"""Request areas and the ~14.5 households-per-request calibration."""

from __future__ import annotations

import numpy as np

from sim.world.geo import circle_radius_m
from sim.world.request_areas import (
    TARGET_HOUSEHOLDS_PER_REQUEST,
    RequestAreas,
    households_per_request,
    request_areas,
)


def test_request_areas_stay_in_range_and_near_the_agency(small_world, small_scenario) -> None:
    req = small_scenario.behavior.requests
    rng = np.random.default_rng(5)
    who = np.arange(len(small_world.agencies))[small_world.agencies.kind != 3]
    x, y, area = request_areas(small_world, who, rng, req.area_sq_mi_min, req.area_sq_mi_max)
    assert area.min() >= req.area_sq_mi_min and area.max() <= req.area_sq_mi_max
    # log-uniform: the median is the geometric mean of the bounds
    assert abs(np.log(np.median(area)) - np.log(np.sqrt(req.area_sq_mi_min * req.area_sq_mi_max))) < 0.2
    nb = small_world.neighborhoods
    d2 = (x[:, None] - nb.x_m[None, :]) ** 2 + (y[:, None] - nb.y_m[None, :]) ** 2
    centre = np.argmin(d2, axis=1)  # with a 200 m offset the closest centre is almost always the chosen one
    own = nb.agency[centre] == who
    assert own.mean() > 0.6  # most agencies have neighborhoods of their own (150 for 201 agencies)
    orphans = ~np.isin(who, nb.agency)
    ax, ay = small_world.agencies.x_m[who], small_world.agencies.y_m[who]
    nearest = np.argmin((ax[:, None] - nb.x_m[None, :]) ** 2 + (ay[:, None] - nb.y_m[None, :]) ** 2, axis=1)
    assert (centre[orphans] == nearest[orphans]).mean() > 0.9
    assert circle_radius_m(0.5) > circle_radius_m(0.025)


def test_small_world_notifies_about_fourteen_households_per_request(small_world, small_scenario) -> None:
    req = small_scenario.behavior.requests
    counts = households_per_request(small_world, np.random.default_rng(2), req.area_sq_mi_min, req.area_sq_mi_max, n=3000)
    assert abs(counts.mean() - TARGET_HOUSEHOLDS_PER_REQUEST) < 2.0


def test_prepared_areas_reused_day_after_day_draw_as_fresh_ones(small_world) -> None:
    """`RequestAreas` (the neighborhoods sorted once, the nearest-centre tree built once) draws what
    `request_areas` draws, call after call; orphans (no neighborhood of their own) included."""
    prepared = RequestAreas(small_world)
    orphans = np.flatnonzero(~np.isin(np.arange(len(small_world.agencies)), small_world.neighborhoods.agency))
    assert len(orphans)
    for day in range(3):
        who = np.concatenate([np.random.default_rng(day).integers(0, len(small_world.agencies), 40), orphans])
        got = prepared.draw(who, np.random.default_rng(100 + day), 0.025, 0.5)
        want = request_areas(small_world, who, np.random.default_rng(100 + day), 0.025, 0.5)
        assert all(g.tobytes() == w.tobytes() for g, w in zip(got, want, strict=True))
