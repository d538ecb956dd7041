"""Figures computed from the shipped data that ground, or bound, parameters docs/MODEL.md once marked "assumption".

Each function reads only files the project ships (data/private_eyes, 2024-04; data/flock_2026, 2026-04) and
returns the figure a MODEL.md row cites; `python -m sim.calibration.shipped_figures` prints them all.

- `statewide_sharers_2024(threshold)`: how many of the 224 agencies whose 2024 sharing list is published
  share with at least `threshold` of the agencies of their own state that the lists name anywhere (as source
  or as recipient): the nearest the data comes to Flock's "own state" option (`world.sharing.statewide_share`).
  The lists do not say which option an agency chose, and the in-state counts form a continuum (California's
  highest: 293, 292, 288, 287 of 312), so the threshold is a reading, not a definition.
- vehicles per camera-day (each portal's vehicles detected in 30 days / owned cameras / 30, an *agency's average*)
  and its spread between agencies by camera count, 2024 and 2026, with the pair of read-rate log-sds fitted to it:
  `sim.calibration.fit_rate_spread` (printed here too).
- `federal_cameras_2026()`: OSM-mapped ALPRs operated by a federal body, by operator and brand, and the
  federal organisations of the 2026 lists that have a portal (`world.alpr.federal_cameras`).
- `operator_camera_distances_2026()`: how far the OSM cameras whose operator names an agency of their state
  stand from that agency's position in the real-geography world (km, by agency type): how far an agency's own
  cameras reach, which `world.flock.nearest_radius_m` stands for when it gives an unnamed camera to the
  nearest agency, and the radius of a uniform disc alone with the same median (r_median / sqrt(0.5)), p90
  (r_p90 / sqrt(0.9)) or mean (1.5 x mean). `sim.calibration.fit_placement` fits `world.alpr.placement_radius_m`
  to them, with the share of cameras the model stands at places.
- `sheriff_share_2024()`, `sheriff_share_2026()`: sheriffs among local police and sheriffs in the sharing lists,
  typed by the project's own rules (names in 2024, `sim.world.agency_names`; the real-geography world's types in
  2026), against the split of `world.agencies.local_police` and `sheriff`.
- sheriffs against local police, figure by figure, with whether each difference rises above sampling noise
  (connections, sharing lists, searches per 30 days): `sim.calibration.shipped_by_type`.

Units: agencies; shares in [0, 1]; vehicles per camera-day; log-sd in natural-log units; km.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

from sim.calibration import fit_rate_spread
from sim.calibration.shipped_by_type import report_lines
from sim.config import load_scenario
from sim.geo.states import STATE_CODES
from sim.rng import Streams
from sim.world.agency_names import parse_kind, parse_state
from sim.world.flock_2026_agencies import flock_agencies, name_key
from sim.world.flock_2026_data import SHIPPED as FLOCK_2026
from sim.world.flock_2026_data import read_cameras, read_nodes, read_states
from sim.world.geo import to_xy
from sim.world.private_eyes import SHIPPED as PRIVATE_EYES
from sim.world.private_eyes import read_portal_data
from sim.world.types import OWNER_TYPES, Agencies

REAL_WORLD = Path(__file__).resolve().parents[2] / "scenarios" / "flock-2026-real.yaml"
# Operators that are federal bodies: the modelled units' names, and "United States", "US Department".
FEDERAL_OPERATOR = re.compile(r"^(united states|us department|u\.s\.)|postal inspection|federal bureau of investigation"
                              r"|\bFBI\b|alcohol, tobacco|homeland security|secret service|naval criminal", re.I)


def statewide_sharers_2024(threshold: float) -> tuple[int, int]:
    """(listing agencies with a state sharing with >= `threshold` of their state's listed agencies, listing agencies
    with a state). A state's listed agencies: every organisation of the lists whose name gives that state."""
    data = read_portal_data(PRIVATE_EYES)
    state = {aid: parse_state(name) for aid, name in data.names.items()}
    shares_with: defaultdict[int, set[int]] = defaultdict(set)
    listed: defaultdict[str, set[int]] = defaultdict(set)
    for src, ext in data.edges:
        shares_with[src].add(ext)
        for aid in (src, ext):
            if state[aid]:
                listed[state[aid]].add(aid)
    sources = [src for src in shares_with if state[src]]
    hits = 0
    for src in sources:
        own = listed[state[src]] - {src}
        in_state = sum(1 for ext in shares_with[src] if state[ext] == state[src])
        hits += bool(own) and in_state >= threshold * len(own)
    return hits, len(sources)


def federal_cameras_2026() -> tuple[Counter[tuple[str, str]], int]:
    """({(operator, brand): OSM cameras} for federal operators, federal organisations of the 2026 lists with a portal)."""
    cams = read_cameras(FLOCK_2026)
    ops = Counter((str(o), str(b)) for o, b in zip(cams.operator, cams.brand, strict=True)
                  if o and FEDERAL_OPERATOR.search(str(o)))
    nodes = read_nodes(FLOCK_2026)
    return ops, int((nodes.portal & (nodes.type == "federal")).sum())


def operator_camera_positions_2026() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(agency index, camera x, camera y in metres, agency type name) of each OSM camera whose operator names an
    agency of its state (names and aliases, as the real-geography world matches them: route ``operator``, before
    any portal cap); agency positions: `operator_camera_distances_2026`."""
    _, owner, x, y, kind = _operator_cameras()
    return owner, x, y, kind


def operator_camera_distances_2026() -> dict[str, np.ndarray]:
    """Agency type -> km from each OSM camera whose operator names an agency of its state to that agency's position
    in the real-geography world."""
    a, owner, x, y, kind = _operator_cameras()
    km = np.hypot(x - a.x_m[owner], y - a.y_m[owner]) / 1000.0
    return {name: km[kind == name] for name in OWNER_TYPES if (kind == name).any()}


def _operator_cameras() -> tuple[Agencies, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    scenario = load_scenario(REAL_WORLD)
    nodes, osm, shapes = read_nodes(FLOCK_2026), read_cameras(FLOCK_2026), read_states(FLOCK_2026)
    fa = flock_agencies(scenario.world, Streams(np.random.SeedSequence(scenario.run.seed)), nodes, shapes, [])
    codes = set(STATE_CODES)
    owner = np.array([fa.keys.get((name_key(str(op), str(st)), str(st)), -1) if op and st in codes else -1
                      for op, st in zip(osm.operator, osm.state, strict=True)], dtype=np.int64)
    named = np.flatnonzero(owner >= 0)
    cx, cy = to_xy(osm.lat[named], osm.lon[named])
    a = fa.agencies
    kind = np.array(OWNER_TYPES, dtype=object)[a.kind[owner[named]]]
    return a, owner[named], cx, cy, kind


def sheriff_share_2024() -> tuple[int, int]:
    """(sheriffs, local police + sheriffs) among the organisations of the 2024 sharing lists, typed by name."""
    data = read_portal_data(PRIVATE_EYES)
    ids = {aid for edge in data.edges for aid in edge}
    kinds = Counter(OWNER_TYPES[parse_kind(data.names[aid])] for aid in ids)
    return kinds["sheriff"], kinds["sheriff"] + kinds["local_police"]


def sheriff_share_2026() -> tuple[int, int]:
    """(sheriffs, local police + sheriffs) among the active agencies of the 2026 lists, as the real-geography world
    types them (`world.flock.types`: schools and most "other" organisations are local police)."""
    scenario = load_scenario(REAL_WORLD)
    fa = flock_agencies(scenario.world, Streams(np.random.SeedSequence(scenario.run.seed)), read_nodes(FLOCK_2026),
                        read_states(FLOCK_2026), [])
    kinds = Counter(OWNER_TYPES[k] for k in fa.agencies.kind)
    return kinds["sheriff"], kinds["sheriff"] + kinds["local_police"]


def main() -> None:
    for t in (0.8, 0.9, 0.95):
        hits, n = statewide_sharers_2024(t)
        print(f"statewide sharers 2024 (>= {t:.0%} of the state's listed agencies): {hits} of {n} ({hits / n:.1%})")
    fit_rate_spread.main([])
    ops, portals = federal_cameras_2026()
    print(f"federal organisations of the 2026 lists with a portal: {portals}")
    for (op, brand), n in ops.most_common():
        print(f"  OSM: {n} cameras operated by {op} (brand {brand or 'not mapped'})")
    for year, (so, both) in (("2024", sheriff_share_2024()), ("2026", sheriff_share_2026())):
        print(f"sheriffs among local police and sheriffs, {year} lists: {so:,} of {both:,} ({so / both:.1%})")
    for kind, km in operator_camera_distances_2026().items():
        q = np.percentile(km, [50, 90, 95])
        print(f"operator-named cameras of {kind}: {len(km):,}, km from the agency p50 {q[0]:.1f}, p90 {q[1]:.1f}, "
              f"p95 {q[2]:.1f}; within 15 km {np.mean(km <= 15):.1%}")
        if q[0] > 50:  # state police: one point (the capital) for a whole state; no disc to speak of
            continue
        near = km[km < 50]  # the mean without the few named cameras far from their agency's point
        print(f"  a uniform disc alone with that median: {q[0] / math.sqrt(0.5):.1f} km, "
              f"p90: {q[1] / math.sqrt(0.9):.1f} km, mean within 50 km: {near.mean() * 1.5:.1f} km "
              "(world.alpr.placement_radius_m: python -m sim.calibration.fit_placement)")
    print("\n".join(report_lines()))


if __name__ == "__main__":
    main()
