"""Camera placement by agency type (`sim.world.alpr.place_cameras`): each type's arterial disc, the places' own disc."""

from __future__ import annotations

import numpy as np
import pytest

from sim.config import Scenario
from sim.config.load import with_overrides
from sim.world import build_world
from sim.world.types import LOCAL, SHERIFF, SITE_TYPES, World

RADII = {"local_police": 3000.0, "sheriff": 30000.0, "state_police": 12000.0, "federal": 8000.0}


@pytest.fixture(scope="module")
def typed(small_scenario: Scenario) -> Scenario:
    return with_overrides(small_scenario, {"world.alpr.placement_radius_m": RADII})


@pytest.fixture(scope="module")
def typed_world(typed: Scenario) -> World:
    return build_world(typed)


def _distances(world: World, kind: int, site: str) -> np.ndarray:
    c, a = world.cameras, world.agencies
    sel = (a.kind[c.owner] == kind) & (c.site == SITE_TYPES.index(site))
    return np.hypot(c.x_m[sel] - a.x_m[c.owner[sel]], c.y_m[sel] - a.y_m[c.owner[sel]])


def test_each_type_s_arterial_cameras_fill_its_own_disc(typed_world: World) -> None:
    """Uniform in a disc of radius R: every distance <= R and the median R / sqrt(2). One radius for every type
    (the old code) puts sheriffs' and local police's medians at the same distance and fails this."""
    for kind, name in ((LOCAL, "local_police"), (SHERIFF, "sheriff")):
        d = _distances(typed_world, kind, "arterial")
        assert len(d) > 200
        assert d.max() <= RADII[name] + 1e-6
        assert np.median(d) == pytest.approx(RADII[name] / np.sqrt(2.0), rel=0.1)


def test_places_keep_their_own_disc(typed_world: World, small_world: World, typed: Scenario) -> None:
    """The per-type camera radius moves no neighbourhood, HOA, business or household."""
    for part in ("neighborhoods", "hoas", "businesses", "households"):
        np.testing.assert_array_equal(getattr(typed_world, part).x_m, getattr(small_world, part).x_m, err_msg=part)
    nb = typed_world.neighborhoods
    a = typed_world.agencies
    assert np.hypot(nb.x_m - a.x_m[nb.agency], nb.y_m - a.y_m[nb.agency]).max() <= typed.world.places_radius_m + 1e-6
    d = _distances(typed_world, SHERIFF, "neighborhood")  # a sheriff's camera at a place: the places' disc
    assert len(d) and d.max() <= typed.world.places_radius_m + 100.0 + 1e-6


def test_one_number_sets_every_type(small_scenario: Scenario, typed_world: World) -> None:
    """The old scalar still loads, meaning every type; it draws the same stream, so only distances scale."""
    one = with_overrides(small_scenario, {"world.alpr.placement_radius_m": 5000.0})
    assert one.world.alpr.placement_radius_m == dict.fromkeys(RADII, 5000.0)
    world = build_world(one)
    np.testing.assert_array_equal(world.cameras.site, typed_world.cameras.site)
    np.testing.assert_array_equal(world.cameras.owner, typed_world.cameras.owner)
    d = _distances(world, SHERIFF, "arterial")
    assert d.max() <= 5000.0 + 1e-6


def test_a_partial_mapping_keeps_the_other_types_defaults(small_scenario: Scenario) -> None:
    sc = with_overrides(small_scenario, {"world.alpr.placement_radius_m": {"sheriff": 20000.0}})
    radius = sc.world.alpr.placement_radius_m
    assert radius["sheriff"] == 20000.0
    assert radius["local_police"] == small_scenario.world.alpr.placement_radius_m["local_police"]


def test_world_summary_gives_each_police_type_s_distances(typed_world: World) -> None:
    """world.json's camera_distance_km (the calibration rows read its medians): police types only, in km."""
    from sim.world.summary import camera_distances

    d = camera_distances(typed_world)
    assert set(d) == {"local_police", "sheriff", "state_police"}
    c, a = typed_world.cameras, typed_world.agencies
    km = np.hypot(c.x_m - a.x_m[c.owner], c.y_m - a.y_m[c.owner]) / 1000
    assert d["sheriff"]["median"] == pytest.approx(float(np.median(km[a.kind[c.owner] == SHERIFF])))
    assert d["local_police"]["max"] <= max(RADII["local_police"], 8000.0 + 100.0) / 1000 + 1e-9
