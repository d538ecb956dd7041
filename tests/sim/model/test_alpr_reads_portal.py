"""Read rates from a portal's own vehicles per camera-day (``world.flock.portal_reads``, `Agencies.own_vehicles_per_
camera_day`): those owners read at it, converted to the basis; every other owner keeps its drawn rate exactly."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from sim.config import load_scenario, with_overrides
from sim.model.alpr_reads import Reads
from sim.model.policy_effects import policy_effects
from sim.rng import Streams
from sim.world.build import build_world_cached
from tests.conftest import SCENARIOS


def reads(own: dict[int, float], values: dict | None = None) -> tuple[Reads, object]:
    sc = with_overrides(load_scenario(SCENARIOS / "small.yaml"), values or {}, "test")
    world = build_world_cached(sc)
    per = np.full(len(world.agencies), np.nan)
    per[list(own)] = list(own.values())
    world = replace(world, agencies=replace(world.agencies, own_vehicles_per_camera_day=per))  # the cache's own kept
    retention = policy_effects(world, sc.policy).alpr_retention_days
    return Reads(world, sc.behavior.alpr, retention, 25_000.0, Streams(np.random.SeedSequence(3))), world


@pytest.mark.parametrize("basis, per_vehicle", [("raw", 8300.0 / 526.0), ("unique", 1.0)])
def test_an_owner_with_its_portals_figure_reads_at_it_and_the_others_keep_their_draws(basis: str,
                                                                                      per_vehicle: float) -> None:
    values = {"behavior.alpr.reads_basis": basis, "behavior.alpr.camera_rate_sigma": 0.0}
    drawn, world = reads({}, values)
    cams = np.asarray(world.agencies.cameras)
    owners = np.flatnonzero(cams > 0)[:3]
    own = {int(owners[0]): 200.0, int(owners[1]): 1_500.0}
    mine, _ = reads(own, values)
    for i, v in own.items():  # each of its cameras at v vehicles a day, x captures per vehicle on the raw basis
        assert mine.owner_rate[i] == pytest.approx(v * per_vehicle * cams[i], rel=1e-12)
        assert mine.owner_rate[i] != pytest.approx(drawn.owner_rate[i], rel=0.01)
    others = np.ones(len(cams), dtype=bool)
    others[list(own)] = False
    assert np.array_equal(mine.owner_rate[others], drawn.owner_rate[others])  # bit for bit: no draw moved
    assert np.array_equal(mine.owner_mult[others], drawn.owner_mult[others])
    source = mine.rate_columns(cams)["read_rate_source"]
    assert source[list(own)].tolist() == ["portal", "portal"] and source[owners[2]] == "drawn"
    assert set(source[cams == 0]) == {"none"} and set(drawn.rate_columns(cams)["read_rate_source"]) <= {"drawn", "none"}


def test_a_portal_owners_hotlist_hits_are_its_vehicles_times_the_hit_share() -> None:
    """On the raw basis a read hits with 0.18% x 526 / 8,300, so the portal owner's hits per camera-day are 0.18% of its
    own vehicles per camera-day, as its portal's vehicles and hit rate imply."""
    r, world = reads({}, {"behavior.alpr.camera_rate_sigma": 0.0})
    owner = int(np.argmax(world.agencies.cameras))
    r, world = reads({owner: 2_000.0}, {"behavior.alpr.camera_rate_sigma": 0.0})
    days = 20
    hits = sum(int(r.draw_day().hits_by_owner[owner]) for _ in range(days))
    expected = 0.0018 * 2_000.0 * int(world.agencies.cameras[owner]) * days
    assert abs(hits - expected) < 4 * np.sqrt(expected)
