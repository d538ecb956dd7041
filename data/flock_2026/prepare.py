"""Make the shipped data/flock_2026 files from the DeFlock / FlockHopper snapshot (see README.md here).

Usage: python data/flock_2026/prepare.py SOURCE_FOLDER
SOURCE_FOLDER holds ``cameras-us.json.gz``, ``sharing-network-nodes.geojson.gz`` and ``states-metrics.geojson``
as published (github.com/FoggedLens/deflockhopper_maps, commit 7fb26fb). Writes, beside this script:

- ``agencies.csv.gz``: one row per node (all of them, junk and inactive included: the loader filters);
- ``cameras.csv.gz``: one row per OSM camera: lat, lon (5 decimals, ~1 m), the state whose polygon holds it
  (two-letter code; "" outside every polygon; "PR" for Puerto Rico), operator (as mapped), brand;
- ``states.geojson.gz``: the state polygons (coordinates rounded to 4 decimals, ~10 m) with code, name,
  population, roadMiles and cameraCount.
Dropped columns, which the model does not use: osmId, osmType, direction, directionCardinal, surveillanceZone,
mountType, ref, startDate (cameras); city, portalSlug (agencies; geocodeMethod is kept as ``geocode``: how the
point was found, e.g. "county", "place", "place_variant", "state"); ranks and per-capita ratios
(states: recomputed from what is kept). Needs fedsim installed (its state polygons reader and point-in-polygon test).
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import sys
from pathlib import Path

import numpy as np

from sim.geo.states import NAMES
from sim.world.flock_2026_data import read_states, states_at

HERE = Path(__file__).resolve().parent
CODES = {name: code for code, name in NAMES.items()} | {"Puerto Rico": "PR"}  # Census name -> USPS code
AGENCY_COLUMNS = ("id", "name", "state", "type", "lat", "lon", "portal", "inactive", "junk", "aggregator", "cameras",
                  "searches", "vehicles", "hotlist_hits", "connections", "population", "aliases", "geocode")


def _round(geometry: dict) -> dict:
    def r(obj):  # noqa: ANN001, ANN202
        return [r(o) for o in obj] if isinstance(obj[0], list) else [round(obj[0], 4), round(obj[1], 4)]
    return {"type": geometry["type"], "coordinates": r(geometry["coordinates"])}


def _write_csv_gz(path: Path, header: tuple[str, ...], rows: list[list]) -> None:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    with gzip.GzipFile(path, "wb", mtime=0) as fh:  # mtime 0: the same input gives the same bytes
        fh.write(buf.getvalue().encode("utf-8"))


def main(src: Path) -> None:
    geo = json.loads((src / "states-metrics.geojson").read_text())
    features = []
    for f in geo["features"]:
        p = f["properties"]
        code = CODES[p["name"]]
        geom = _round(f["geometry"])
        features.append({"type": "Feature", "geometry": geom, "properties": {
            "code": code, "name": p["name"], "population": int(p["population"]), "roadMiles": round(p["roadMiles"], 1),
            "cameraCount": int(p["cameraCount"])}})
    features.sort(key=lambda f: f["properties"]["code"])
    with gzip.GzipFile(HERE / "states.geojson.gz", "wb", mtime=0) as fh:
        fh.write(json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":")).encode())

    with gzip.open(src / "cameras-us.json.gz") as fh:
        cams = json.load(fh)
    lat = np.array([c["lat"] for c in cams])
    lon = np.array([c["lon"] for c in cams])
    st = states_at(lon, lat, read_states(HERE))
    rows = [[f"{c['lat']:.5f}", f"{c['lon']:.5f}", s, c.get("operator", ""), c.get("brand", "")]
            for c, s in zip(cams, st, strict=True)]
    rows.sort(key=lambda r: (r[2], float(r[0]), float(r[1])))
    _write_csv_gz(HERE / "cameras.csv.gz", ("lat", "lon", "state", "operator", "brand"), rows)

    with gzip.open(src / "sharing-network-nodes.geojson.gz") as fh:
        nodes = json.load(fh)["features"]
    rows = []
    for f in nodes:
        p = f["properties"]
        lon_, lat_ = f["geometry"]["coordinates"]
        aliases = " | ".join(a.replace("|", "/") for a in p["aliases"] if a != p["name"])
        rows.append([p["id"], p["name"], p["state"], p["type"], f"{lat_:.5f}", f"{lon_:.5f}", int(p["isPortal"]),
                     int(p["isInactive"]), int(p["isJunk"]), int(p["isLikelyAggregator"]), p["cameras"], p["searches"],
                     p["vehiclesCaptured"], p["hotlistHits"], p["connectionCount"], p["population"], aliases,
                     p.get("geocodeMethod") or ""])
    rows.sort(key=lambda r: r[0])
    _write_csv_gz(HERE / "agencies.csv.gz", AGENCY_COLUMNS, rows)
    print(f"wrote {len(features)} states, {len(cams)} cameras ({int((st != '').sum())} inside a state), {len(rows)} agencies")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python data/flock_2026/prepare.py SOURCE_FOLDER")
    main(Path(sys.argv[1]))
