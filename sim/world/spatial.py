"""Spatial queries on the world's points: "which points lie within r metres of (x, y)".

`GridIndex` hashes points (projected metres, `sim.world.geo`) into square cells, sorts them by cell key
(column-major: key = column * rows + row) and keeps the sorted coordinates. A query visits the columns
its bounding box crosses; in each column the rows it needs are one contiguous run of keys, found with
two binary searches, so a query costs a handful of `searchsorted` calls plus an exact distance test on
the candidates. With the default cells (500 m for households, 2 km for cameras) a national-scale query
takes tens of microseconds (benchmarks/bench_world.py). Queries return indices into the original
arrays (ascending).

Helpers: `household_index` (households with at least one camera), `camera_index` (ALPR cameras),
`households_in_area` (a circular request area given in square miles) and `households_in_areas` (many).
"""

from __future__ import annotations

import numpy as np

from sim.world.geo import circle_radius_m
from sim.world.types import World

HOUSEHOLD_CELL_M = 500.0  # about a request area's diameter (0.5 sq mi: r = 643 m)
CAMERA_CELL_M = 2000.0


class GridIndex:
    """Points in square cells of side `cell_m` metres; `ids` maps positions back to caller indices."""

    def __init__(self, x: np.ndarray, y: np.ndarray, cell_m: float, ids: np.ndarray | None = None) -> None:
        if cell_m <= 0:
            raise ValueError(f"cell_m must be > 0, got {cell_m}")
        x = np.asarray(x, dtype=float)
        y = np.asarray(y, dtype=float)
        ids = np.arange(len(x), dtype=np.int64) if ids is None else np.asarray(ids, dtype=np.int64)
        self.cell = float(cell_m)
        self.x0 = float(x.min()) if len(x) else 0.0
        self.y0 = float(y.min()) if len(y) else 0.0
        cx = ((x - self.x0) // self.cell).astype(np.int64)
        cy = ((y - self.y0) // self.cell).astype(np.int64)
        self.ncols = int(cx.max()) + 1 if len(x) else 0
        self.nrows = int(cy.max()) + 1 if len(y) else 0
        key = cx * self.nrows + cy
        order = np.argsort(key, kind="stable")
        self.keys = key[order]
        self.xs = x[order]
        self.ys = y[order]
        self.ids = ids[order]

    def __len__(self) -> int:
        return len(self.ids)

    def within(self, x: float, y: float, r: float) -> np.ndarray:
        """Indices (ascending) of the points at distance <= r metres from (x, y): `within_many` for one centre."""
        return self.within_many(np.array([x], dtype=float), np.array([y], dtype=float), r)[1]

    def within_many(self, x: np.ndarray, y: np.ndarray, r: float | np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """`within` for many centres at once (radius `r` one for all or one per centre), as CSR: the points near
        centre i are ``ids[offsets[i]:offsets[i + 1]]`` (ascending). Per centre: the columns its bounding box
        crosses, one run of keys per column (two binary searches), an exact distance test; one array pass each."""
        x = np.asarray(x, dtype=float)
        y = np.asarray(y, dtype=float)
        r = np.broadcast_to(np.asarray(r, dtype=float), x.shape)
        q = len(x)
        if not len(self.ids) or not q:
            return np.zeros(q + 1, dtype=np.int64), np.zeros(0, dtype=np.int64)
        c0 = np.maximum(((x - r - self.x0) // self.cell).astype(np.int64), 0)
        c1 = np.minimum(((x + r - self.x0) // self.cell).astype(np.int64), self.ncols - 1)
        r0 = np.maximum(((y - r - self.y0) // self.cell).astype(np.int64), 0)
        r1 = np.minimum(((y + r - self.y0) // self.cell).astype(np.int64), self.nrows - 1)
        n_cols = np.where(r0 <= r1, np.maximum(c1 - c0 + 1, 0), 0)
        centre = np.repeat(np.arange(q), n_cols)  # one entry per (centre, column visited)
        col = c0[centre] + np.arange(len(centre)) - np.repeat(np.cumsum(n_cols) - n_cols, n_cols)
        starts = np.searchsorted(self.keys, col * self.nrows + r0[centre], side="left")
        lens = np.searchsorted(self.keys, col * self.nrows + r1[centre], side="right") - starts
        pos = np.repeat(starts - (np.cumsum(lens) - lens), lens) + np.arange(int(lens.sum()))
        owner = np.repeat(centre, lens)
        dx = self.xs[pos] - x[owner]
        dy = self.ys[pos] - y[owner]
        near = dx * dx + dy * dy <= r[owner] * r[owner]
        owner, ids = owner[near], self.ids[pos[near]]
        order = np.lexsort((ids, owner))
        offsets = np.zeros(q + 1, dtype=np.int64)
        np.cumsum(np.bincount(owner, minlength=q), out=offsets[1:])
        return offsets, ids[order]

    def count_within(self, x: float, y: float, r: float) -> int:
        return len(self.within(x, y, r))


def household_index(world: World, cell_m: float = HOUSEHOLD_CELL_M) -> GridIndex:
    """Households with at least one camera."""
    h = world.households
    ids = np.flatnonzero(h.cameras > 0)
    return GridIndex(h.x_m[ids], h.y_m[ids], cell_m, ids)


def camera_index(world: World, cell_m: float = CAMERA_CELL_M) -> GridIndex:
    """Flock ALPR cameras."""
    return GridIndex(world.cameras.x_m, world.cameras.y_m, cell_m)


def households_in_area(index: GridIndex, x: float, y: float, area_sq_mi: float) -> np.ndarray:
    """Households of `index` inside the circle of `area_sq_mi` square miles centred on (x, y)."""
    return index.within(x, y, float(circle_radius_m(area_sq_mi)))


def households_in_areas(index: GridIndex, x: np.ndarray, y: np.ndarray, area_sq_mi: np.ndarray
                        ) -> tuple[np.ndarray, np.ndarray]:
    """`households_in_area` for many circles at once: CSR (offsets, household ids), as `GridIndex.within_many`."""
    return index.within_many(x, y, circle_radius_m(np.asarray(area_sq_mi, dtype=float)))
