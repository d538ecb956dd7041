"""Geometry of the synthetic world: one national projection and point sampling inside states and discs.

Projection: equirectangular, x east and y north in metres from (0 deg N, 0 deg E), with x scaled by
cos(38 deg) (the latitude of the contiguous states' centre). Distances of a few kilometres, the scale
of a request area or an agency's area, are good to a few percent, which is all the model needs.

A state is a square of its land area centred on its published geographic centre (see
`sim.geo.states`): entities of a state are placed uniformly in that square (assumption, documented
in docs/world.md).
"""

from __future__ import annotations

import math

import numpy as np

from sim.geo.states import BY_CODE

EARTH_RADIUS_M = 6_371_000.0
REF_LAT_DEG = 38.0
COS_REF = math.cos(math.radians(REF_LAT_DEG))
M_PER_MILE = 1609.344
SQ_M_PER_SQ_MI = M_PER_MILE**2
FEDERAL_SEAT = (38.9, -77.0)  # Washington, DC: where federal units are placed


def to_xy(lat: np.ndarray | float, lon: np.ndarray | float) -> tuple[np.ndarray, np.ndarray]:
    """Degrees to projected metres."""
    lat = np.asarray(lat, dtype=float)
    lon = np.asarray(lon, dtype=float)
    return EARTH_RADIUS_M * COS_REF * np.radians(lon), EARTH_RADIUS_M * np.radians(lat)


def to_latlon(x_m: np.ndarray, y_m: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Projected metres to degrees (lat, lon)."""
    return np.degrees(y_m / EARTH_RADIUS_M), np.degrees(x_m / (EARTH_RADIUS_M * COS_REF))


def circle_radius_m(area_sq_mi: np.ndarray | float) -> np.ndarray | float:
    """Radius in metres of a circle of the given area in square miles."""
    return np.sqrt(np.asarray(area_sq_mi) * SQ_M_PER_SQ_MI / math.pi)


def state_square(code: str) -> tuple[float, float, float]:
    """Centre x, centre y and half-side (metres) of a state's square."""
    st = BY_CODE[code]
    cx, cy = to_xy(st.lat, st.lon)
    half = math.sqrt(st.land_area_sq_mi) * M_PER_MILE / 2.0
    return float(cx), float(cy), half


def points_in_states(codes: list[str], state_idx: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Uniform points in the squares of the states `codes[state_idx[i]]`."""
    squares = np.array([state_square(c) for c in codes]).reshape(-1, 3)
    sq = squares[state_idx]
    u = rng.uniform(-1.0, 1.0, size=(2, len(state_idx)))
    return sq[:, 0] + u[0] * sq[:, 2], sq[:, 1] + u[1] * sq[:, 2]


def points_in_discs(
    x: np.ndarray, y: np.ndarray, radius_m: float | np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """One uniform point in each disc of centre (x[i], y[i]) and the given radius."""
    n = len(x)
    r = np.asarray(radius_m) * np.sqrt(rng.uniform(0.0, 1.0, n))
    theta = rng.uniform(0.0, 2.0 * math.pi, n)
    return x + r * np.cos(theta), y + r * np.sin(theta)


def largest_remainder(total: int, weights: np.ndarray) -> np.ndarray:
    """Integers proportional to `weights` that sum exactly to `total` (Hamilton's method)."""
    weights = np.asarray(weights, dtype=float)
    if total <= 0 or len(weights) == 0 or weights.sum() <= 0:
        return np.zeros(len(weights), dtype=np.int64)
    quota = total * weights / weights.sum()
    base = np.floor(quota).astype(np.int64)
    short = total - int(base.sum())
    if short > 0:
        order = np.argsort(-(quota - base), kind="stable")
        base[order[:short]] += 1
    return base
