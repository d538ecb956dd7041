"""Neighborhoods, HOAs, businesses and Ring households around the agencies.

Places belong to the agencies that have an area (local police and sheriff offices; if a world has
none, every non-federal agency): each such agency first gets one place of a kind while places last,
then the rest are spread uniformly over them. A place stands uniformly in a disc of radius
``world.places_radius_m`` (8 km, assumption: an agency's area) around its agency (its arterial cameras have their
own radius per agency type, ``world.alpr.placement_radius_m``: `sim.world.alpr`).

Households (``world.households``) are spread uniformly over neighborhoods and placed around their
neighborhood's centre with a normal offset of standard deviation ``neighborhood_spread_m`` per axis
(calibrated so that a request area of 0.025-0.5 sq mi notifies ~14.5 households, Gizmodo 2019; see
`sim.world.request_areas`). Each has 1 + Poisson(``extra_cameras_mean``) cameras; a paid plan with
probability ``paid_plan_share`` (no stored video without one, support.ring.com) and then a retention
drawn from ``retention_days`` weights (the household's choice; a policy cap,
``policy.ring_retention_days_max``, is applied in the model by `sim.model.policy_effects`); 0 days without a
paid plan.
"""

from __future__ import annotations

import numpy as np

from sim.config.world import World as WorldConfig
from sim.rng import Streams
from sim.world.geo import points_in_discs, to_latlon
from sim.world.types import FEDERAL, LOCAL, SHERIFF, Agencies, Households, Places


def area_agencies(agencies: Agencies) -> np.ndarray:
    """Indices of the agencies that own places: local police and sheriffs, else all non-federal."""
    idx = np.flatnonzero((agencies.kind == LOCAL) | (agencies.kind == SHERIFF))
    return idx if len(idx) else np.flatnonzero(agencies.kind != FEDERAL)


def make_places(agencies: Agencies, count: int, radius_m: float, rng: np.random.Generator) -> Places:
    """`count` places of one kind around the area agencies."""
    owners = area_agencies(agencies)
    first = rng.permutation(owners)[:count]
    rest = owners[rng.integers(0, len(owners), size=count - len(first))] if len(owners) else np.zeros(0, np.int64)
    agency = np.concatenate([first, rest]).astype(np.int32)
    x, y = points_in_discs(agencies.x_m[agency], agencies.y_m[agency], radius_m, rng)
    lat, lon = to_latlon(x, y)
    return Places(x_m=x, y_m=y, lat=lat, lon=lon, state=agencies.state[agency].copy(), agency=agency)


def make_households(cfg: WorldConfig, neighborhoods: Places, streams: Streams) -> Households:
    hcfg = cfg.households
    n = hcfg.count
    nbhd = streams.get("world.households.neighborhood").integers(0, len(neighborhoods), size=n).astype(np.int32)
    off = streams.get("world.households.position").normal(0.0, hcfg.neighborhood_spread_m, size=(2, n))
    x = neighborhoods.x_m[nbhd] + off[0]
    y = neighborhoods.y_m[nbhd] + off[1]
    lat, lon = to_latlon(x, y)
    cameras = 1 + streams.get("world.households.cameras").poisson(hcfg.extra_cameras_mean, size=n)
    plan = streams.get("world.households.plan")
    paid = plan.uniform(size=n) < hcfg.paid_plan_share
    days = np.array(sorted(hcfg.retention_days), dtype=np.int16)
    weights = np.array([hcfg.retention_days[int(d)] for d in days], dtype=float)
    chosen = days[plan.choice(len(days), size=n, p=weights / weights.sum())]
    return Households(
        neighborhood=nbhd,
        agency=neighborhoods.agency[nbhd],
        x_m=x,
        y_m=y,
        lat=lat,
        lon=lon,
        cameras=np.minimum(cameras, 127).astype(np.int8),
        paid=paid,
        retention_days=np.where(paid, chosen, 0).astype(np.int16),
    )
