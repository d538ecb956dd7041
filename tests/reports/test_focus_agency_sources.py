"""reports.focus_agency.camera_sources: where a focused agency's cameras come from, from the run's world.json."""

from __future__ import annotations

import json
from pathlib import Path

from reports.focus_agency import camera_sources
from sim.world.flock_2026_geocode import PLACE_VARIANT


def _world(folder: Path, agency: dict) -> Path:
    (folder / "world.json").write_text(json.dumps({"agency": agency}), encoding="utf-8")
    return folder


def _agency(name: str, cameras: int, stated: int | None, routes: dict[str, int], vehicles: int) -> dict:
    return {"name": name, "cameras": cameras, "osm_nearby": 100, "nearest_radius_m": 15000.0,
            "cameras_by_route": routes,
            "portal": {"has_portal": True, "cameras_stated": stated, "searches_30d": 0, "vehicles_30d": vehicles,
                       "hotlist_hits_30d": 0, "connections": 0}}


def test_a_stopped_program_is_said_and_a_filled_count_is_called_an_assumption(tmp_path: Path) -> None:
    none = {"operator": 0, "nearest": 0, "portal": 0, "filled": 0}
    austin = camera_sources(_world(tmp_path, _agency("Austin TX PD", 0, 0, none, 0)), "Austin TX PD")
    assert "states 0 cameras, 0 searches, 0 vehicles captured and 0 hotlist hits" in austin
    assert "as on the portal of a program that has stopped" in austin
    assert "OpenStreetMap maps 100 ALPR cameras within 15 km" in austin
    routes = {"operator": 2, "nearest": 21, "portal": 0, "filled": 18}
    ash = camera_sources(_world(tmp_path, _agency("Asheville NC PD", 41, None, routes, 352_228)), "Asheville NC PD")
    assert "states no camera count" in ash and "352,228 vehicles captured" in ash
    assert "of its 41 cameras here, 23 are mapped in OpenStreetMap (2 under its name, 21 nearby)" in ash
    assert "18 are filled by an assumption (world.flock.fill)" in ash


def test_an_approximate_location_is_said(tmp_path: Path) -> None:
    routes = {"operator": 0, "nearest": 16, "portal": 0, "filled": 16}
    agency = _agency("Austin County TX SO", 32, None, routes, 0) | {"location": PLACE_VARIANT}
    text = camera_sources(_world(tmp_path, agency), "Austin County TX SO")
    assert "location approximate: geocoded to the city or town named like its county or township" in text
    assert "location approximate" not in camera_sources(_world(tmp_path, _agency("Austin TX PD", 0, 0, routes, 0)),
                                                       "Austin TX PD")


def test_nothing_is_said_for_another_agency_or_a_folder_without_world_json(tmp_path: Path) -> None:
    none = {"operator": 0, "nearest": 0, "portal": 0, "filled": 0}
    assert camera_sources(_world(tmp_path, _agency("Austin TX PD", 0, 0, none, 0)), "Raleigh NC PD") == ""
    assert camera_sources(tmp_path / "missing", "Austin TX PD") == ""
