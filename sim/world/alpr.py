"""Flock ALPR cameras: how many each agency and private network owns and where they stand.

Per-owner counts: lognormal weights (agencies: median ``world.alpr.per_agency_median``, log-sd
``per_agency_sigma``; portals 2024-04: median 12, p25 6, p75 27, p90 46; private networks,
`sim.world.private_networks`: median ``world.private.cameras_median``, the same log-sd and the same draws)
scaled so that the world has exactly ``world.alpr.total`` cameras (>80,000 in 49 states, 404 Media/UWCHR 2025, a
lower bound), each owner keeping at least one when the total allows (Hamilton's method on the rest). Scaling
keeps the shape (the p75/p25 ratio) but moves the median unless the total equals the weights' sum: the baseline's
total and private median are fitted so that it does (agencies' median ~12, `sim.calibration.fit_private`).
Real-data worlds pass known counts instead. Federal units own ``federal_cameras`` between them (default 0), placed
uniformly in the scenario's states (assumption).

Placement: each camera draws a site type from ``world.alpr.sites``. Arterial cameras stand uniformly
within ``placement_radius_m[type]`` of their owner (metres, by the owner's agency type: local police 4.8 km,
sheriffs 28 km fitted to where the 2026 OSM cameras named after them stand, `sim.calibration.fit_placement`);
neighborhood, business and HOA cameras stand within ``SITE_JITTER_M`` of a random place of that kind in the
owner's area (the places' own disc: ``world.places_radius_m``), or as arterial cameras when the owner has no
such place. A private network's cameras stand within ``SITE_JITTER_M`` of its own place, with
its place's site type.
"""

from __future__ import annotations

import math

import numpy as np

from sim.config.world import World as WorldConfig
from sim.geo.states import BY_CODE
from sim.rng import Streams
from sim.world.geo import largest_remainder, points_in_discs, points_in_states, to_latlon
from sim.world.types import FEDERAL, OWNER_TYPES, PRIVATE, SITE_TYPES, Agencies, Cameras, Places, is_police

SITE_JITTER_M = 100.0  # assumption: a camera at a place stands within 100 m of its centre


def radius_by_kind(cfg: WorldConfig) -> np.ndarray:
    """Arterial placement radius (metres) indexed by owner kind (`OWNER_TYPES`); private networks' cameras stand at
    their own place instead, so their entry (0) is never used."""
    radius = cfg.alpr.placement_radius_m
    return np.array([radius.get(t, 0.0) for t in OWNER_TYPES], dtype=float)


def camera_counts(cfg: WorldConfig, agencies: Agencies, streams: Streams) -> np.ndarray:
    """Cameras per agency (int32), summing to ``total + federal_cameras``."""
    a = cfg.alpr
    counts = np.zeros(len(agencies), dtype=np.int64)
    owners = np.flatnonzero(agencies.kind != FEDERAL)
    w = streams.get("world.alpr.counts").lognormal(math.log(a.per_agency_median), a.per_agency_sigma, size=len(owners))
    # private networks: the same draws, their median moved to world.private.cameras_median
    w[agencies.kind[owners] == PRIVATE] *= cfg.private.cameras_median / a.per_agency_median
    if a.total >= len(owners):
        counts[owners] = 1 + largest_remainder(a.total - len(owners), w)
    else:
        counts[owners] = largest_remainder(a.total, w)
    federal = np.flatnonzero(agencies.kind == FEDERAL)
    if len(federal):
        counts[federal] = largest_remainder(a.federal_cameras, np.ones(len(federal)))
    return counts.astype(np.int32)


def place_cameras(cfg: WorldConfig, agencies: Agencies, places: dict[str, Places], streams: Streams,
                  private_site: np.ndarray | None = None) -> Cameras:
    """Cameras for the counts in ``agencies.cameras``, ordered by owner; `private_site`: the site code of each
    private owner (the last rows of `agencies`)."""
    rng = streams.get("world.alpr.placement")
    owner = np.repeat(np.arange(len(agencies), dtype=np.int32), agencies.cameras)
    n = len(owner)
    names = [s for s in SITE_TYPES if s in cfg.alpr.sites]
    weights = np.array([cfg.alpr.sites[s] for s in names], dtype=float)
    site_codes = np.array([SITE_TYPES.index(s) for s in names], dtype=np.int8)
    site = site_codes[rng.choice(len(names), size=n, p=weights / weights.sum())]
    x, y = points_in_discs(agencies.x_m[owner], agencies.y_m[owner], radius_by_kind(cfg)[agencies.kind[owner]], rng)
    for kind, pl in places.items():
        code = SITE_TYPES.index(kind)
        sel = np.flatnonzero((site == code) & is_police(agencies.kind[owner]))
        if not len(sel) or not len(pl):
            site[sel] = SITE_TYPES.index("arterial")
            continue
        order = np.argsort(pl.agency, kind="stable")
        start = np.searchsorted(pl.agency[order], owner[sel], side="left")
        stop = np.searchsorted(pl.agency[order], owner[sel], side="right")
        have = stop > start
        pick = order[np.minimum(start + (rng.uniform(size=len(sel)) * (stop - start)).astype(np.int64), len(order) - 1)]
        hx, hy = points_in_discs(pl.x_m[pick], pl.y_m[pick], SITE_JITTER_M, rng)
        x[sel[have]] = hx[have]
        y[sel[have]] = hy[have]
        site[sel[~have]] = SITE_TYPES.index("arterial")
    fed = np.flatnonzero(agencies.kind[owner] == FEDERAL)
    if len(fed):
        codes = cfg.state_codes
        pops = np.array([BY_CODE[c].population_m for c in codes])
        st = rng.choice(len(codes), size=len(fed), p=pops / pops.sum())
        x[fed], y[fed] = points_in_states(codes, st, rng)
        site[fed] = SITE_TYPES.index("arterial")
    private = np.flatnonzero(agencies.kind[owner] == PRIVATE)
    if len(private):
        site[private] = np.asarray(private_site)[owner[private] - agencies.n_searchers]
        x[private], y[private] = points_in_discs(agencies.x_m[owner[private]], agencies.y_m[owner[private]],
                                                 SITE_JITTER_M, rng)
    lat, lon = to_latlon(x, y)
    return Cameras(owner=owner, x_m=x, y_m=y, lat=lat, lon=lon, site=site)
