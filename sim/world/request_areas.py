"""Where community requests fall, and how many households one request notifies.

A request area is a circle of A square miles, A log-uniform between ``behavior.requests.area_sq_mi_min``
and ``area_sq_mi_max`` (0.025-0.5 sq mi, Ring's Request-for-Assistance policy), centred on a random
neighborhood of the requesting agency (the neighborhood nearest to the agency if it has none, its
own location if the world has none) moved by a normal offset of `REQUEST_OFFSET_M` per axis (assumption).
Every household with a camera inside is notified.

Calibration target: ~14.5 households e-mailed per request (Fort Lauderdale PD 2018: 22 requests, 319
e-mails; Gizmodo 2019). `households_per_request` measures it on a built world; the baseline's
``world.households.neighborhood_spread_m`` was tuned with it (docs/world.md).
"""

from __future__ import annotations

import math

import numpy as np
from scipy.spatial import cKDTree

from sim.world.spatial import GridIndex, household_index, households_in_areas
from sim.world.types import World, is_police

REQUEST_OFFSET_M = 200.0  # assumption: a request centre lies a street or two from a neighborhood centre
TARGET_HOUSEHOLDS_PER_REQUEST = 14.5


def request_areas(
    world: World, agencies: np.ndarray, rng: np.random.Generator, area_min: float, area_max: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Centres (x, y metres) and areas (sq mi) of one request for each agency in `agencies`."""
    return RequestAreas(world).draw(agencies, rng, area_min, area_max)


class RequestAreas:
    """`request_areas` for one world, with what depends only on the world found once: the neighborhoods sorted by
    agency, and the tree of their centres for agencies without one. A speed trick for the requests model, which
    draws areas every simulated day: it sorted the neighborhoods and, on most days, built the tree anew (same
    draws, same centres)."""

    def __init__(self, world: World) -> None:
        self.world = world
        nb = world.neighborhoods
        self.order = np.argsort(nb.agency, kind="stable")
        self.sorted_agency = nb.agency[self.order]
        self._tree: cKDTree | None = None

    def _nearest(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        if self._tree is None:
            nb = self.world.neighborhoods
            self._tree = cKDTree(np.column_stack([nb.x_m, nb.y_m]))
        return self._tree.query(np.column_stack([x, y]))[1]

    def draw(self, agencies: np.ndarray, rng: np.random.Generator, area_min: float, area_max: float
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Centres (x, y metres) and areas (sq mi) of one request for each agency in `agencies`."""
        world = self.world
        agencies = np.asarray(agencies, dtype=np.int64)
        nb = world.neighborhoods
        x = world.agencies.x_m[agencies].astype(float)
        y = world.agencies.y_m[agencies].astype(float)
        if len(nb):
            order = self.order
            lo = np.searchsorted(self.sorted_agency, agencies, side="left")
            hi = np.searchsorted(self.sorted_agency, agencies, side="right")
            pick = order[np.minimum(lo + (rng.uniform(size=len(agencies)) * (hi - lo)).astype(np.int64), len(order) - 1)]
            none = hi == lo
            if none.any():
                pick[none] = self._nearest(x[none], y[none])
            x = nb.x_m[pick].astype(float)
            y = nb.y_m[pick].astype(float)
        off = rng.normal(0.0, REQUEST_OFFSET_M, size=(2, len(agencies)))
        area = np.exp(rng.uniform(math.log(area_min), math.log(area_max), size=len(agencies)))
        return x + off[0], y + off[1], area


def households_per_request(
    world: World, rng: np.random.Generator, area_min: float = 0.025, area_max: float = 0.5, n: int = 2000,
    index: GridIndex | None = None,
) -> np.ndarray:
    """Households notified by `n` requests from uniformly chosen police agencies."""
    index = index if index is not None else household_index(world)
    requesters = np.flatnonzero(is_police(world.agencies.kind))
    who = requesters[rng.integers(0, len(requesters), size=n)]
    x, y, area = request_areas(world, who, rng, area_min, area_max)
    return np.diff(households_in_areas(index, x, y, area)[0])
