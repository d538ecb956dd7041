"""Spatial queries against brute force."""

from __future__ import annotations

import numpy as np
import pytest

from sim.world.geo import circle_radius_m
from sim.world.spatial import GridIndex, camera_index, household_index, households_in_area, households_in_areas


def brute(x: np.ndarray, y: np.ndarray, qx: float, qy: float, r: float) -> np.ndarray:
    return np.flatnonzero((x - qx) ** 2 + (y - qy) ** 2 <= r * r)


@pytest.mark.parametrize("cell", [50.0, 500.0, 5000.0])
def test_grid_matches_brute_force(cell: float) -> None:
    rng = np.random.default_rng(7)
    x = rng.normal(1e6, 3000.0, 20000)
    y = rng.normal(-2e6, 3000.0, 20000)
    idx = GridIndex(x, y, cell)
    for _ in range(200):
        qx, qy = rng.normal(1e6, 4000.0), rng.normal(-2e6, 4000.0)
        r = float(rng.uniform(0.0, 3000.0))
        np.testing.assert_array_equal(idx.within(qx, qy, r), brute(x, y, qx, qy, r))
        assert idx.count_within(qx, qy, r) == len(brute(x, y, qx, qy, r))


@pytest.mark.parametrize("cell", [50.0, 500.0, 5000.0])
def test_within_many_matches_one_query_at_a_time(cell: float) -> None:
    rng = np.random.default_rng(11)
    x = rng.normal(1e6, 3000.0, 5000)
    y = rng.normal(-2e6, 3000.0, 5000)
    idx = GridIndex(x, y, cell, ids=rng.permutation(5000) + 100)
    qx = np.concatenate([rng.normal(1e6, 5000.0, 300), [1e9, -1e9]])  # two centres far outside the grid
    qy = np.concatenate([rng.normal(-2e6, 5000.0, 300), [1e9, -1e9]])
    radii = rng.uniform(0.0, 2500.0, len(qx))
    for r in (0.0, 250.0, 2000.0, radii):  # one radius for all, or one per centre
        offsets, ids = idx.within_many(qx, qy, r)
        assert len(offsets) == len(qx) + 1 and offsets[-1] == len(ids)
        for i in range(len(qx)):
            r_i = float(np.broadcast_to(r, qx.shape)[i])
            np.testing.assert_array_equal(ids[offsets[i]:offsets[i + 1]], idx.within(qx[i], qy[i], r_i))
    empty = GridIndex(np.zeros(0), np.zeros(0), 100.0)
    offsets, ids = empty.within_many(qx, qy, 1e6)
    assert offsets.tolist() == [0] * (len(qx) + 1) and len(ids) == 0
    offsets, ids = idx.within_many(np.zeros(0), np.zeros(0), 10.0)
    assert offsets.tolist() == [0] and len(ids) == 0


def test_queries_outside_and_empty_index() -> None:
    idx = GridIndex(np.array([0.0, 10.0]), np.array([0.0, 0.0]), 100.0)
    assert len(idx.within(1e7, 1e7, 50.0)) == 0
    np.testing.assert_array_equal(idx.within(5.0, 0.0, 5.0), [0, 1])
    empty = GridIndex(np.zeros(0), np.zeros(0), 100.0)
    assert len(empty.within(0.0, 0.0, 1e6)) == 0


def test_bad_cell_is_refused() -> None:
    with pytest.raises(ValueError, match="cell_m"):
        GridIndex(np.zeros(1), np.zeros(1), 0.0)


def test_household_and_camera_indexes_on_the_small_world(small_world) -> None:
    h = small_world.households
    hi = household_index(small_world)
    ci = camera_index(small_world)
    rng = np.random.default_rng(11)
    with_cam = h.cameras > 0
    for i in rng.integers(0, len(small_world.neighborhoods), 30):
        qx, qy = small_world.neighborhoods.x_m[i], small_world.neighborhoods.y_m[i]
        area = float(rng.uniform(0.025, 0.5))
        r = float(circle_radius_m(area))
        expect = brute(h.x_m, h.y_m, qx, qy, r)
        np.testing.assert_array_equal(households_in_area(hi, qx, qy, area), expect[with_cam[expect]])
        offsets, many = households_in_areas(hi, np.array([qx, qx + 300.0]), np.array([qy, qy]), np.array([area, 0.1]))
        np.testing.assert_array_equal(many[offsets[0]:offsets[1]], expect[with_cam[expect]])
        np.testing.assert_array_equal(many[offsets[1]:offsets[2]], households_in_area(hi, qx + 300.0, qy, 0.1))
        c = small_world.cameras
        np.testing.assert_array_equal(ci.within(qx, qy, 5000.0), brute(c.x_m, c.y_m, qx, qy, 5000.0))
