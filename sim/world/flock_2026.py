"""The real-geography world (``world.source: flock-2026``): 2026 Flock agencies where they are, OSM cameras, people by state.

Built from data/flock_2026/ (`sim.world.flock_2026_data`): agencies (`flock_2026_agencies`), cameras
(`flock_2026_cameras`), sharing edges (`flock_2026_sharing`), private networks of the OSM cameras whose operator
is a company or HOA (`flock_2026_private`, appended after the agencies), then places and households here:
neighbourhoods, HOAs and businesses are shared over the states that have local police or sheriff offices in
proportion to the states' population (Census, states file; Hamilton's method), and within a state over those
agencies in proportion to the population they serve (portal figure, else ``world.flock.agency_population_default``);
each stands uniformly within ``world.places_radius_m`` of its agency. Households are spread uniformly over
neighbourhoods (`sim.world.places.make_households`), so a state's households follow its population. A state
without such an agency (Alaska has none in the lists) gets no people; the notes say which.

`World.source_figures` holds what `fedsim world` reports: cameras per route, unassigned with reasons, sharing
fit, per state: agencies, cameras, population, cameras per 100,000 people and DeFlock's cameraCount, and per agency
(``per_agency``, arrays over the agencies before the private networks): where its own cameras come from (mapped by
operator name, nearest, its portal's count beyond the mapped, filled), its portal's camera count (-1: not
stated), the OSM cameras mapped within ``world.flock.nearest_radius_m`` of it, its ``connectionCount`` and why its
position is approximate (``location``, "" if nothing is known: `sim.world.flock_2026_geocode`).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy.spatial import cKDTree

from sim.config.world import World as WorldConfig
from sim.geo.states import STATE_CODES
from sim.rng import Streams
from sim.world.flock_2026_agencies import FlockAgencies, flock_agencies
from sim.world.flock_2026_cameras import FILLED, NEAREST, OPERATOR, PORTAL, PRIVATE_UNMAPPED, ROUTES, assign_cameras
from sim.world.flock_2026_data import OsmCameras, StateShapes, data_dir, read_cameras, read_nodes, read_states
from sim.world.flock_2026_private import private_networks
from sim.world.flock_2026_sharing import flock_edges
from sim.world.geo import largest_remainder, points_in_discs, to_latlon, to_xy
from sim.world.places import area_agencies, make_households
from sim.world.sharing import build_graph
from sim.world.types import Cameras, Places, World, is_police


def _places(fa: FlockAgencies, count: int, radius_m: float, per_state_pop: np.ndarray, rng: np.random.Generator) -> Places:
    a = fa.agencies
    area = area_agencies(a)
    k = len(STATE_CODES)
    has = np.bincount(a.state[area], minlength=k) > 0
    per_state = largest_remainder(count, np.where(has, per_state_pop, 0.0))
    parts = []
    for s in np.flatnonzero(per_state):
        members = area[a.state[area] == s]
        w = fa.population[members]
        parts.append(members[rng.choice(len(members), size=int(per_state[s]), p=w / w.sum())])
    agency = (np.concatenate(parts) if parts else np.zeros(0, np.int64)).astype(np.int32)
    x, y = points_in_discs(a.x_m[agency], a.y_m[agency], radius_m, rng)
    lat, lon = to_latlon(x, y)
    return Places(x_m=x, y_m=y, lat=lat, lon=lon, state=a.state[agency].copy(), agency=agency)


def per_state_table(world: World, shapes: StateShapes, routes: np.ndarray) -> list[dict[str, Any]]:
    """One row per state of the 50 and DC: agencies, cameras (and by route: `ROUTES`), population, cameras per 100,000,
    households and DeFlock's cameraCount."""
    a = world.agencies
    k = len(STATE_CODES)
    idx = shapes.index()
    local = is_police(a.kind)
    agencies = np.bincount(a.state[local], minlength=k)
    owner_state = a.state[world.cameras.owner]
    cams = np.bincount(owner_state[owner_state >= 0], minlength=k)
    by_route = {name: np.bincount(owner_state[(owner_state >= 0) & (routes == r)], minlength=k)
                for r, name in enumerate(ROUTES)}
    hh = np.bincount(world.neighborhoods.state[world.households.neighborhood], minlength=k) if len(world.households) \
        else np.zeros(k, np.int64)
    rows = []
    for s, code in enumerate(STATE_CODES):
        pop = int(shapes.population[idx[code]])
        rows.append({"state": code, "agencies": int(agencies[s]), "cameras": int(cams[s]),
                     **{f"cameras_{name}": int(v[s]) for name, v in by_route.items()},
                     "population": pop, "cameras_per_100k": round(1e5 * int(cams[s]) / pop, 3) if pop else 0.0,
                     "households": int(hh[s]), "deflock_camera_count": int(shapes.camera_count[idx[code]])})
    return rows


def _per_agency(cfg: WorldConfig, fa: FlockAgencies, osm: OsmCameras, cams: Cameras, routes: np.ndarray
                ) -> dict[str, Any]:
    """Per agency (arrays over `fa`'s agencies): its own cameras by route (operator, nearest, portal, filled), its
    portal's camera count (-1: not stated; `flock_2026_agencies.idle_portals`: a stated 0), the OSM cameras of the
    world's states mapped within ``world.flock.nearest_radius_m`` of it (whoever the world gives them to) and its
    ``connectionCount``: what `fedsim world --focus-agency` says of one agency."""
    n = len(fa.agencies)
    by_route = {ROUTES[r]: np.bincount(cams.owner[routes == r], minlength=n)[:n] for r in (OPERATOR, NEAREST, PORTAL, FILLED)}
    states = set(cfg.state_codes)
    keep = np.array([s in states for s in osm.state], dtype=bool)
    ox, oy = to_xy(osm.lat[keep], osm.lon[keep])
    nearby = np.zeros(n, dtype=np.int64)
    if keep.any():  # one ball count per agency (~0.1 s nationally)
        nearby = cKDTree(np.column_stack([ox, oy])).query_ball_point(
            np.column_stack([fa.agencies.x_m, fa.agencies.y_m]), cfg.flock.nearest_radius_m, return_length=True)
    return {"cameras_by_route": by_route, "portal_cameras": fa.portal_cameras, "osm_nearby": np.asarray(nearby),
            "connections": fa.connections, "location": fa.location}


def flock_world(cfg: WorldConfig, streams: Streams) -> World:
    folder = data_dir(cfg.flock.data)
    nodes, osm, shapes = read_nodes(folder), read_cameras(folder), read_states(folder)
    notes: list[str] = []
    fa = flock_agencies(cfg, streams, nodes, shapes, notes)
    cams, routes, keys, cam_figures = assign_cameras(cfg, fa, osm, shapes, streams, notes)
    a = fa.agencies
    a.cameras = np.bincount(cams.owner, minlength=len(a)).astype(np.int32)
    per_agency = _per_agency(cfg, fa, osm, cams, routes)
    idx = shapes.index()
    pop = np.array([shapes.population[idx[c]] for c in STATE_CODES], dtype=float)
    in_world = np.isin(np.array(STATE_CODES), cfg.state_codes)
    pop = np.where(in_world, pop, 0.0)
    radius = cfg.places_radius_m
    neighborhoods = _places(fa, cfg.neighborhoods, radius, pop, streams.get("world.places.neighborhoods"))
    hoas = _places(fa, cfg.hoas, radius, pop, streams.get("world.places.hoas"))
    businesses = _places(fa, cfg.businesses, radius, pop, streams.get("world.places.businesses"))
    households = make_households(cfg, neighborhoods, streams)
    empty = [c for c, p, has in zip(STATE_CODES, pop, np.bincount(neighborhoods.state, minlength=len(pop)) > 0,
                                    strict=True) if p > 0 and not has]
    notes.append("flock-2026 people: neighbourhoods, HOAs and businesses by state population (Census), within a state "
                 "by the population agencies serve; households uniform over neighbourhoods"
                 + (f"; states without a local agency get no people: {empty}" if empty else ""))
    (src, dst, how), sharing_figures = flock_edges(cfg, fa, streams, notes)
    private_figures: dict[str, Any] = {"networks": 0, "cameras": 0}
    if cfg.private.enabled and (cfg.flock.private_operators or cfg.flock.unmapped_private):
        # OSM cameras of companies and HOAs, and the unmapped networks' cameras -> private networks
        a, cams, order, (p_src, p_dst, p_how), private_figures = private_networks(
            cfg, a, cams, keys, routes == PRIVATE_UNMAPPED, streams, notes)
        routes = routes[order]
        src, dst, how = np.concatenate([src, p_src]), np.concatenate([dst, p_dst]), np.concatenate([how, p_how])
    graph = build_graph(a, src, dst, how)
    world = World(a, neighborhoods, hoas, businesses, households, cams, graph, notes)
    table = per_state_table(world, shapes, routes)
    world.source_figures = {
        "source": "flock-2026", "agencies": fa.figures, "cameras": cam_figures, "sharing": sharing_figures,
        "private_networks": private_figures, "per_agency": per_agency,
        "states": sum(1 for r in table if r["agencies"]), "per_state": table,
        "credit": "Agencies: FlockHopper contributors (MIT); cameras: Data © OpenStreetMap contributors, ODbL; "
                  "states: US Census",
    }
    return world
