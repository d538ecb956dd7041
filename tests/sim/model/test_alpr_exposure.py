"""Exposure: reach bitsets equal the AccessTable, and trips stay among a vehicle's nearby cameras."""

from __future__ import annotations

import numpy as np

from sim.config.behavior_alpr import Exposure
from sim.model.alpr_exposure import ExposureModel, owner_searcher_bits, searcher_rows
from sim.rng import Streams
from sim.world.types import FEDERAL, PRIVATE, is_police
from tests.sim.model.test_alpr_reach import build


def test_bitsets_and_federal_rows_equal_the_access_table() -> None:
    reach, access, world = build({"policy.federal_firewall": True})
    nat = access.matrix["national"].toarray()
    assert (world.agencies.kind == PRIVATE).any()  # private owners: columns (owners), never searchers
    local = np.flatnonzero(is_police(world.agencies.kind))
    fed = np.flatnonzero(world.agencies.kind == FEDERAL)
    bits = np.unpackbits(owner_searcher_bits(reach, local), axis=1)[:, :reach.n_s].astype(bool)
    want = nat.T[:, :reach.n_s].copy()
    want[:, fed] = False
    assert np.array_equal(bits, want)
    assert np.array_equal(searcher_rows(reach, fed), nat[fed])


def test_vehicles_pass_only_nearby_cameras_and_counts_are_consistent() -> None:
    reach, _, world = build()
    cfg = Exposure(tracked_vehicles=300, trip_radius_m=5000.0)
    weight = np.ones(len(world.cameras))
    ex = ExposureModel(world, cfg, reach, weight, np.full(reach.n, 30), Streams(np.random.SeedSequence(2)))
    for d in range(4):
        ex.day(d)
    veh, cam, _ = ex.obs[0]
    dist = np.hypot(world.cameras.x_m[cam] - ex.home_x[veh], world.cameras.y_m[cam] - ex.home_y[veh])
    assert len(veh) and dist.max() <= 5000.0
    for v in np.unique(veh)[:50]:
        near = ex.near[ex.start[v]:ex.start[v + 1]]
        assert np.isin(cam[veh == v], near).all()
    res = ex.results(4)
    assert 0 < res["exposure.vehicle_days_observed_share"] <= 1
    assert res["exposure.history_days_mean"] <= 4
    assert res["exposure.agencies_per_vehicle_mean"] <= reach.n
    assert res["exposure.reads_held_mean"] > 0
