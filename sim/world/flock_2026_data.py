"""The Flock 2026 snapshot shipped in data/flock_2026/ (DeFlock / FlockHopper, OpenStreetMap; see its README).

Three tables, read once per process and per folder (callers must not modify them):
- `Nodes`: the 6,461 agencies and organisations of Flock's sharing lists (April 2026): id, name, state (USPS
  code, "" when the data has none), type (pd, so, other, school, federal), position (degrees), flags (portal,
  inactive, junk, likely aggregator), 30-day portal figures (cameras, searches, vehicles, hotlist hits; 0
  outside portals), ``connections`` (agencies it shares with or receives from), population (portals; 0 where
  unknown), aliases and ``geocode`` (how the point was found: FlockHopper's geocodeMethod; optional);
- `OsmCameras`: the 61,768 ALPR cameras mapped in OpenStreetMap (ODbL): position, the state whose polygon
  holds it ("" outside every polygon, "PR" in Puerto Rico), operator ("" where not mapped) and brand;
- `StateShapes`: the 50 states, DC and Puerto Rico: polygons (lists of (lon, lat) rings), population (Census),
  road miles and DeFlock's ``cameraCount`` per state.

``folder`` is the shipped folder (`SHIPPED`) or any folder with files of the same layout. A missing file or
column raises `ScenarioError` naming ``world.flock.data``.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from sim.config.errors import Problem, ScenarioError

SHIPPED = Path(__file__).resolve().parents[2] / "data" / "flock_2026"
FIELD = "world.flock.data"
NODE_COLUMNS = ("id", "name", "state", "type", "lat", "lon", "portal", "inactive", "junk", "aggregator", "cameras",
                "searches", "vehicles", "hotlist_hits", "connections", "population", "aliases")
NODE_OPTIONAL = ("geocode",)  # read as "" (unknown) from a folder written before it was kept
CAMERA_COLUMNS = ("lat", "lon", "state", "operator", "brand")
LICENCE_FILES = ("LICENSE-MIT", "LICENSE-ODbL.md", "README.md")


@dataclass(frozen=True)
class Nodes:
    id: np.ndarray  # str
    name: np.ndarray  # str
    state: np.ndarray  # str, USPS code or ""
    type: np.ndarray  # str: pd, so, other, school, federal
    lat: np.ndarray
    lon: np.ndarray
    portal: np.ndarray  # bool
    inactive: np.ndarray  # bool
    junk: np.ndarray  # bool
    aggregator: np.ndarray  # bool
    cameras: np.ndarray  # int64, portal figure (0 outside portals)
    searches: np.ndarray  # int64, per 30 days
    vehicles: np.ndarray  # int64, per 30 days
    hotlist_hits: np.ndarray  # int64, per 30 days
    connections: np.ndarray  # int64
    population: np.ndarray  # int64, 0 where unknown
    aliases: tuple[tuple[str, ...], ...]
    # str: how FlockHopper found the point (its ``geocodeMethod``): "place" (a city or town of the name), "county",
    # "place_variant" (a place named like the agency's county or township: Austin County TX SO in Austin), "state" (a
    # point for the whole state), "google", "manual", "junk"; "" where the folder does not say
    geocode: np.ndarray

    def __len__(self) -> int:
        return len(self.id)


@dataclass(frozen=True)
class OsmCameras:
    lat: np.ndarray
    lon: np.ndarray
    state: np.ndarray  # str
    operator: np.ndarray  # str, "" where not mapped
    brand: np.ndarray  # str, "" where not mapped

    def __len__(self) -> int:
        return len(self.lat)


@dataclass(frozen=True)
class StateShapes:
    code: tuple[str, ...]
    name: tuple[str, ...]
    population: np.ndarray  # int64, persons
    road_miles: np.ndarray
    camera_count: np.ndarray  # int64, DeFlock's count
    rings: tuple[tuple[np.ndarray, ...], ...]  # per state, (k, 2) arrays of (lon, lat); holes by the even-odd rule

    def index(self) -> dict[str, int]:
        return {c: i for i, c in enumerate(self.code)}


def _open_text(path: Path) -> str:
    try:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            return fh.read()
    except FileNotFoundError:
        raise ScenarioError([Problem(str(path), FIELD, "file not found; the folder must hold agencies.csv.gz, "
                                     "cameras.csv.gz and states.geojson.gz (data/flock_2026/README.md)")]) from None
    except (OSError, UnicodeDecodeError, EOFError) as exc:
        raise ScenarioError([Problem(str(path), FIELD, f"cannot read as gzipped UTF-8 text: {exc}")]) from None


def _columns(path: Path, wanted: tuple[str, ...], optional: tuple[str, ...] = ()) -> dict[str, list[str]]:
    """Each wanted column's cells; an `optional` column the file lacks is all "" (a missing wanted one raises)."""
    reader = csv.reader(io.StringIO(_open_text(path)))
    header = next(reader, [])
    missing = [c for c in wanted if c not in header]
    if missing:
        raise ScenarioError([Problem(str(path), FIELD, f"missing columns {missing}; expected {list(wanted)}")])
    columns = list(zip(*(r for r in reader if len(r) == len(header)), strict=True)) or [()] * len(header)
    rows = len(columns[0]) if columns else 0
    return {c: list(columns[header.index(c)]) if c in header else [""] * rows for c in (*wanted, *optional)}


def _ints(path: Path, column: str, values: list[str]) -> np.ndarray:
    try:
        return np.array(values, dtype=np.float64).astype(np.int64)
    except ValueError:
        raise ScenarioError([Problem(str(path), FIELD, f"column {column!r} must hold numbers")]) from None


def _floats(path: Path, column: str, values: list[str]) -> np.ndarray:
    try:
        return np.array(values, dtype=np.float64)
    except ValueError:
        raise ScenarioError([Problem(str(path), FIELD, f"column {column!r} must hold numbers")]) from None


def data_dir(data: str) -> Path:
    return SHIPPED if data == "shipped" else Path(data)


@lru_cache(maxsize=4)
def read_nodes(folder: Path) -> Nodes:
    path = folder / "agencies.csv.gz"
    c = _columns(path, NODE_COLUMNS, NODE_OPTIONAL)
    flags = {k: _ints(path, k, c[k]).astype(bool) for k in ("portal", "inactive", "junk", "aggregator")}
    counts = {k: _ints(path, k, c[k]) for k in ("cameras", "searches", "vehicles", "hotlist_hits", "connections",
                                                "population")}
    return Nodes(
        id=np.array(c["id"], dtype=object), name=np.array(c["name"], dtype=object),
        state=np.array(c["state"], dtype=object), type=np.array(c["type"], dtype=object),
        lat=_floats(path, "lat", c["lat"]), lon=_floats(path, "lon", c["lon"]), **flags, **counts,
        aliases=tuple(tuple(a for a in s.split(" | ") if a) for s in c["aliases"]),
        geocode=np.array(c["geocode"], dtype=object),
    )


@lru_cache(maxsize=4)
def read_cameras(folder: Path) -> OsmCameras:
    path = folder / "cameras.csv.gz"
    c = _columns(path, CAMERA_COLUMNS)
    return OsmCameras(lat=_floats(path, "lat", c["lat"]), lon=_floats(path, "lon", c["lon"]),
                      state=np.array(c["state"], dtype=object), operator=np.array(c["operator"], dtype=object),
                      brand=np.array(c["brand"], dtype=object))


@lru_cache(maxsize=4)
def read_states(folder: Path) -> StateShapes:
    path = folder / "states.geojson.gz"
    try:
        features = json.loads(_open_text(path))["features"]
        props = [f["properties"] for f in features]
        rings = []
        for f in features:
            g = f["geometry"]
            polys = [g["coordinates"]] if g["type"] == "Polygon" else g["coordinates"]
            rings.append(tuple(np.asarray(r, dtype=float) for p in polys for r in p))
        return StateShapes(
            code=tuple(p["code"] for p in props), name=tuple(p["name"] for p in props),
            population=np.array([p["population"] for p in props], dtype=np.int64),
            road_miles=np.array([p["roadMiles"] for p in props], dtype=float),
            camera_count=np.array([p["cameraCount"] for p in props], dtype=np.int64),
            rings=tuple(rings),
        )
    except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
        raise ScenarioError([Problem(str(path), FIELD, f"not a FeatureCollection of states with code, name, "
                                     f"population, roadMiles and cameraCount: {exc!r}")]) from None


def states_at(lon: np.ndarray, lat: np.ndarray, shapes: StateShapes) -> np.ndarray:
    """Code of the state whose polygon holds each point ("" for none): even-odd rule over each state's rings,
    tested only for points inside a ring's bounding box (matplotlib's point-in-polygon; no shapely)."""
    from matplotlib.path import Path as MplPath

    out = np.full(len(lon), "", dtype=object)
    pts = np.column_stack([np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)])
    for code, rings in zip(shapes.code, shapes.rings, strict=True):
        inside = np.zeros(len(pts), dtype=np.int64)
        for ring in rings:
            lo, hi = ring.min(axis=0), ring.max(axis=0)
            box = np.flatnonzero((pts[:, 0] >= lo[0]) & (pts[:, 0] <= hi[0]) & (pts[:, 1] >= lo[1]) & (pts[:, 1] <= hi[1]))
            if len(box):
                inside[box] += MplPath(ring).contains_points(pts[box])
        out[(inside % 2 == 1) & (out == "")] = code
    return out
