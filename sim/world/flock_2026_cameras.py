"""Cameras of the real-geography world: OSM-mapped ones assigned to agencies, portal counts, then a stated fill.

Routes, in order (``route`` per camera: `ROUTES`):
1. ``operator``: an OSM camera whose mapped operator names an agency of its state (`name_key` of the operator
   against the agencies' names and aliases) belongs to that agency, at its mapped position.
2. ``nearest``: every other OSM camera (no operator, or a private or unmatched one: Lowe's, "Flock Safety", a DOT)
   belongs to the nearest non-federal agency of its state within ``world.flock.nearest_radius_m``; a camera outside
   every state polygon (coasts, bays) takes the nearest agency of any state within that radius.
   With ``world.flock.portal_counts``, an agency whose portal states a camera count keeps at most that many mapped
   cameras (the nearest to it); the rest go to the nearest agency without a stated count, within the radius. An
   idle portal (every 30-day figure 0: `sim.world.flock_2026_agencies.idle_portals`) keeps the cameras its
   operator name took in route 1 and takes none by this route or routes 3-4.
   With ``world.private.enabled`` and ``world.flock.private_operators``, an OSM camera whose operator is a private company or HOA
   (`sim.world.flock_2026_operators`) takes neither route: it goes to route ``private`` below.
3. ``portal``: an agency whose portal states more cameras than were mapped to it gets the difference, placed
   uniformly within ``world.alpr.placement_radius_m`` of it (by its agency type).
4. ``filled``: what is left of ``world.alpr.total`` (national; a world of some states, ``world.states``, takes their
   share of it by the fill's weights: DeFlock counts, population or road miles) after routes 1-3 is shared by ``world.flock.fill``
   (``state_share``: every state raised to one common multiple q of DeFlock's ``cameraCount``, q > 1 when the total
   exceeds the counts, a state already above keeps what it has; ``state_counts``: each state up to its
   ``cameraCount`` first, the rest by population; or by population or road miles alone), and within a state over
   its agencies without a stated count in proportion to the population they serve (Hamilton's method:
   deterministic), placed as portal ones. If routes 1-3 already exceed the total nothing is filled (said in the
   notes).

5. ``private`` (same switches): an OSM camera of a private operator belongs, for now, to the nearest
   police agency of its state within ``world.flock.nearest_radius_m`` whatever its portal count (the police agency of
   its area; a portal count is the agency's own cameras), and becomes a private network's camera in
   `sim.world.flock_2026_private`. These cameras count towards ``world.alpr.total`` like the mapped ones.
6. ``private_unmapped`` (``world.private.enabled``, ``world.flock.unmapped_private`` > 0): new cameras of the
   private networks OSM does not name (`sim.world.flock_2026_unmapped`: at OSM cameras of unnamed operators, sized
   like the OSM-named networks), owned for now by their area's police agency, keyed like route 5; counted towards
   ``world.alpr.total`` before the fill (route 4).

A mapped camera no route takes is counted unassigned with its reason (Puerto Rico, outside ``world.states``,
not Flock under ``brands: flock``, no agency within the radius, portal counts full). Every camera's site is
"arterial" (OSM cameras mostly watch roads; the model does not use the site).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np
from scipy.spatial import cKDTree

from sim.config.world import World as WorldConfig
from sim.geo.states import STATE_CODES
from sim.rng import Streams
from sim.world.alpr import radius_by_kind
from sim.world.flock_2026_agencies import FlockAgencies, name_key
from sim.world.flock_2026_data import OsmCameras, StateShapes
from sim.world.flock_2026_operators import classify
from sim.world.flock_2026_unmapped import UnmappedNetworks, network_sizes, unmapped_networks
from sim.world.geo import largest_remainder, points_in_discs, to_latlon, to_xy
from sim.world.types import FEDERAL, SITE_TYPES, Cameras, is_police

ROUTES: tuple[str, ...] = ("operator", "nearest", "portal", "filled", "private", "private_unmapped")
OPERATOR, NEAREST, PORTAL, FILLED, PRIVATE_OPERATOR, PRIVATE_UNMAPPED = range(6)
PORTAL_CANDIDATES = 4  # agencies with room considered per camera (more changes little: room is local)
FLOCK_BRANDS = frozenset({"Flock Safety", "Flock Group Inc."})


def _nearest(ax: np.ndarray, ay: np.ndarray, cand: np.ndarray, px: np.ndarray, py: np.ndarray, r: float) -> np.ndarray:
    """For each point, the nearest of the candidate agencies `cand` within r metres (-1 where none)."""
    if not len(cand) or not len(px):
        return np.full(len(px), -1, dtype=np.int64)
    d, j = cKDTree(np.column_stack([ax[cand], ay[cand]])).query(np.column_stack([px, py]), distance_upper_bound=r)
    return np.where(np.isfinite(d), cand[np.minimum(j, len(cand) - 1)], -1)


def _by_state(fa: FlockAgencies, cand_mask: np.ndarray, state: np.ndarray, px: np.ndarray, py: np.ndarray,
              r: float) -> np.ndarray:
    """`_nearest` among the candidates of each point's state (state -1: any state)."""
    a = fa.agencies
    out = np.full(len(px), -1, dtype=np.int64)
    for s in np.unique(state):
        sel = np.flatnonzero(state == s)
        cand = np.flatnonzero(cand_mask & ((a.state == s) if s >= 0 else True))
        out[sel] = _nearest(a.x_m, a.y_m, cand, px[sel], py[sel], r)
    return out


def _fill_portals(fa: FlockAgencies, room: np.ndarray, state: np.ndarray, px: np.ndarray, py: np.ndarray, r: float,
                  owner: np.ndarray, route: np.ndarray, cams: np.ndarray) -> None:
    """Give cameras `cams` to agencies with room (stated count not yet reached) of the same state within r metres,
    greedily by distance over each camera's `PORTAL_CANDIDATES` nearest such agencies; in place."""
    a = fa.agencies
    cand = np.flatnonzero(room > 0)
    if not len(cand) or not len(cams):
        return
    k = min(PORTAL_CANDIDATES, len(cand))
    d, j = cKDTree(np.column_stack([a.x_m[cand], a.y_m[cand]])).query(np.column_stack([px, py]), k=k,
                                                                         distance_upper_bound=r)
    d, j = d.reshape(len(px), k), j.reshape(len(px), k)
    cam_i, col = np.nonzero(np.isfinite(d))
    ag = cand[j[cam_i, col]]
    same = a.state[ag] == state[cam_i]
    cam_i, ag, dist = cam_i[same], ag[same], d[cam_i[same], col[same]]
    left = room.copy()
    taken = np.zeros(len(px), dtype=bool)
    by_distance = np.argsort(dist, kind="stable")
    for c, g in zip(cam_i[by_distance].tolist(), ag[by_distance].tolist(), strict=True):
        if not taken[c] and left[g] > 0:  # a plain loop: greedy matching is sequential (~0.1 s at national scale)
            taken[c] = True
            left[g] -= 1
            owner[cams[c]], route[cams[c]] = g, NEAREST


def assign_cameras(cfg: WorldConfig, fa: FlockAgencies, osm: OsmCameras, shapes: StateShapes, streams: Streams,
                   notes: list[str]) -> tuple[Cameras, np.ndarray, np.ndarray, dict[str, Any]]:
    """The world's cameras (ordered by owner), their route codes, per camera the private network's key (the
    operator's, `sim.world.flock_2026_operators.classify`, or an unmapped network's; "" unless the route is
    ``private`` or ``private_unmapped``) and the figures `fedsim world` reports."""
    fc = cfg.flock
    a = fa.agencies
    r = fc.nearest_radius_m
    national = {c: i for i, c in enumerate(STATE_CODES)}
    in_world = np.zeros(len(STATE_CODES), dtype=bool)
    in_world[[national[c] for c in cfg.state_codes]] = True
    cx, cy = to_xy(osm.lat, osm.lon)
    n = len(osm)
    cam_state = np.array([national.get(s, -2) if s else -1 for s in osm.state], dtype=np.int64)
    reason = np.full(n, "", dtype=object)
    reason[cam_state == -2] = "in Puerto Rico (not modelled)"
    reason[(cam_state >= 0) & ~in_world[np.maximum(cam_state, 0)]] = "outside world.states"
    if fc.brands == "flock":
        reason[(reason == "") & ~np.isin(osm.brand, list(FLOCK_BRANDS))] = "not a Flock camera (world.flock.brands)"
    owner = np.full(n, -1, dtype=np.int64)
    route = np.full(n, -1, dtype=np.int8)
    owners_mask = a.kind != FEDERAL
    # 5. (first) private operators: set aside before the agencies' routes (world.private.enabled)
    key = np.full(n, "", dtype=object)
    unnamed = np.zeros(n, dtype=bool)  # operator not named by the data: where unmapped private networks stand
    if cfg.private.enabled and (fc.private_operators or fc.unmapped_private):
        ops = {op: classify(op) for op in set(osm.operator.tolist())}
        if fc.private_operators:
            key[:] = [ops[op][1] if ops[op][0] == "private" else "" for op in osm.operator.tolist()]
        unnamed[:] = [ops[op][0] in ("unknown", "vendor") for op in osm.operator.tolist()]
    unnamed &= np.isin(reason, ["", "outside world.states"])  # the draw is national (Puerto Rico not modelled)
    priv = np.flatnonzero((key != "") & (reason == ""))
    reason[priv] = "private"  # placeholder: no agency route takes them
    # 1. operator names
    lookup: dict[tuple[str, str], int] = {}
    for i in np.flatnonzero((osm.operator != "") & (reason == "") & (cam_state >= 0)):
        pair = (str(osm.operator[i]), STATE_CODES[cam_state[i]])
        if pair not in lookup:
            k = fa.keys.get((name_key(*pair), pair[1]), -1)
            lookup[pair] = k if k >= 0 and owners_mask[k] else -1
        if lookup[pair] >= 0:
            owner[i], route[i] = lookup[pair], OPERATOR
    # 2. nearest agency: first those whose portal states a count with room left (closest pairs first), then any
    todo = np.flatnonzero((owner < 0) & (reason == ""))
    cap = fa.portal_cameras if fc.portal_counts else np.full(len(a), -1, dtype=np.int64)
    room = np.where(cap >= 0, np.maximum(cap - np.bincount(owner[owner >= 0], minlength=len(a)), 0), 0)
    _fill_portals(fa, room, cam_state[todo], cx[todo], cy[todo], r, owner, route, todo)
    todo = todo[owner[todo] < 0]
    owner[todo] = _by_state(fa, owners_mask & (cap < 0), cam_state[todo], cx[todo], cy[todo], r)
    route[todo[owner[todo] >= 0]] = NEAREST
    outside = np.flatnonzero((route == NEAREST) & (cam_state == -1))
    bad = outside[~in_world[np.maximum(a.state[owner[outside]], 0)]]
    owner[bad], route[bad], reason[bad] = -1, -1, "outside world.states"
    reason[(owner < 0) & (reason == "")] = "no agency of its state with room within world.flock.nearest_radius_m"
    reason[priv] = ""
    owner[priv] = _by_state(fa, is_police(a.kind), cam_state[priv], cx[priv], cy[priv], r)
    route[priv] = np.where(owner[priv] >= 0, PRIVATE_OPERATOR, -1)
    far = priv[(owner[priv] >= 0) & (cam_state[priv] == -1)]
    far = far[~in_world[np.maximum(a.state[owner[far]], 0)]]
    owner[far], route[far], reason[far] = -1, -1, "outside world.states"
    reason[priv[owner[priv] < 0]] = "private operator, no police agency of its state within world.flock.nearest_radius_m"
    capped = 0
    if fc.portal_counts:  # operator-named cameras beyond a stated count: the nearest kept, the rest to agencies without one
        mine = np.flatnonzero((owner >= 0) & (route != PRIVATE_OPERATOR))
        dist = np.hypot(cx[mine] - a.x_m[owner[mine]], cy[mine] - a.y_m[owner[mine]])
        order = mine[np.lexsort((dist, owner[mine]))]
        first = np.searchsorted(owner[order], owner[order], side="left")
        rank = np.arange(len(order)) - first
        # an idle portal's 0 keeps what OSM names it the operator of (the map's fact beside the portal's silence)
        named = fa.idle[owner[order]] & (route[order] == OPERATOR)
        excess = order[(cap[owner[order]] >= 0) & (rank >= cap[owner[order]]) & ~named]
        capped = len(excess)
        st = np.where(cam_state[excess] >= 0, a.state[owner[excess]], -1)
        owner[excess] = _by_state(fa, owners_mask & (cap < 0), st, cx[excess], cy[excess], r)
        route[excess] = np.where(owner[excess] >= 0, NEAREST, -1)
        reason[excess[owner[excess] < 0]] = "beyond its agency's portal count, no agency without one within the radius"
    mapped = owner >= 0
    counts = np.bincount(owner[mapped], minlength=len(a)).astype(np.int64)
    own = counts - np.bincount(owner[route == PRIVATE_OPERATOR], minlength=len(a))  # private ones are not the agency's
    # 6. unmapped private networks: new cameras at OSM cameras of unnamed operators (before the fill)
    um = _unmapped(cfg, fa, cam_state, cx, cy, unnamed, key, owner, route, streams)
    um_owner = np.repeat(um.area, um.sizes)
    counts += np.bincount(um_owner, minlength=len(a))
    # 3. portal counts beyond the mapped cameras
    portal_extra = np.maximum(fa.portal_cameras - own, 0) if fc.portal_counts else np.zeros(len(a), np.int64)
    # 4. fill up to world.alpr.total
    fill, share, fill_notes = _fill(cfg, fa, shapes, counts + portal_extra, in_world)
    gen_owner = np.concatenate([np.repeat(np.arange(len(a)), portal_extra), np.repeat(np.arange(len(a)), fill)])
    gen_route = np.concatenate([np.full(int(portal_extra.sum()), PORTAL), np.full(int(fill.sum()), FILLED),
                                np.full(len(um_owner), PRIVATE_UNMAPPED)])
    gx, gy = points_in_discs(a.x_m[gen_owner], a.y_m[gen_owner], radius_by_kind(cfg)[a.kind[gen_owner]],
                             streams.get("world.alpr.placement"))
    gen_owner = np.concatenate([gen_owner, um_owner])
    all_owner = np.concatenate([owner[mapped], gen_owner])
    order = np.argsort(all_owner, kind="stable")
    x = np.concatenate([cx[mapped], gx, um.x_m])[order]
    y = np.concatenate([cy[mapped], gy, um.y_m])[order]
    lat, lon = to_latlon(x, y)
    cams = Cameras(owner=all_owner[order].astype(np.int32), x_m=x, y_m=y, lat=lat, lon=lon,
                   site=np.full(len(order), SITE_TYPES.index("arterial"), dtype=np.int8))
    routes = np.concatenate([route[mapped], gen_route]).astype(np.int8)[order]
    keys = np.concatenate([key[mapped], np.full(len(gen_owner) - len(um_owner), "", dtype=object),
                           np.repeat(um.keys, um.sizes)])[order]
    unassigned = Counter(str(s) for s in reason[~mapped])
    by_route = {name: int((routes == k).sum()) for k, name in enumerate(ROUTES)}
    figures = {"osm_cameras": n, "routes": by_route,
               "mapped": by_route["operator"] + by_route["nearest"] + by_route["private"],
               "unassigned": dict(unassigned), "portal_capped_rerouted": capped, "total": len(order),
               "fill_share_of_state_counts": share}
    notes.append(f"flock-2026 cameras: {by_route['operator']:,} by operator name, {by_route['nearest']:,} nearest agency "
                 f"of the state within {r:,.0f} m (world.flock.nearest_radius_m), {by_route['portal']:,} "
                 f"portal counts beyond the mapped (world.flock.portal_counts {fc.portal_counts}), {by_route['filled']:,} filled "
                 f"({fc.fill}), {by_route['private']:,} of private operators (world.private.enabled "
                 f"{cfg.private.enabled}, world.flock.private_operators {fc.private_operators}), "
                 f"{by_route['private_unmapped']:,} of {len(um.sizes):,} unmapped private networks "
                 f"(world.flock.unmapped_private {fc.unmapped_private:,}: {um.drawn:,} drawn, {um.dropped:,} outside "
                 "the world or without a police agency within the radius"
                 + ("; none built: no OSM-named private network in the world to draw their sizes from"
                    if cfg.private.enabled and fc.unmapped_private and not um.drawn else "")
                 + "); OSM cameras of brands "
                 f"'{fc.brands}' (world.flock.brands); unassigned: "
                 + (", ".join(f"{v:,} {k}" for k, v in unassigned.items()) or "none"))
    notes.extend(fill_notes)
    return cams, routes, keys, figures


def _unmapped(cfg: WorldConfig, fa: FlockAgencies, cam_state: np.ndarray, cx: np.ndarray, cy: np.ndarray,
              unnamed: np.ndarray, key: np.ndarray, owner: np.ndarray, route: np.ndarray,
              streams: Streams) -> UnmappedNetworks:
    """`sim.world.flock_2026_unmapped.unmapped_networks` at the OSM cameras `unnamed`, each with the nearest police
    agency of its state as its area (the world's agencies are those of ``world.states`` only, so a camera of
    another state finds none), sized like the world's OSM-named networks (route 5 so far)."""
    cand = np.flatnonzero(unnamed)
    count = cfg.flock.unmapped_private if cfg.private.enabled else 0
    area_of = np.full(len(cx), -1, dtype=np.int64)
    if count and len(cand):
        area_of[cand] = _by_state(fa, is_police(fa.agencies.kind), cam_state[cand], cx[cand], cy[cand],
                                  cfg.flock.nearest_radius_m)
    named = np.flatnonzero(route == PRIVATE_OPERATOR)
    return unmapped_networks(count, cand, area_of, cx, cy, network_sizes(key[named], owner[named]),
                             streams.get("world.flock.unmapped_private"))


def _fill(cfg: WorldConfig, fa: FlockAgencies, shapes: StateShapes, have: np.ndarray, in_world: np.ndarray
          ) -> tuple[np.ndarray, float, list[str]]:
    """Filled cameras per agency, the share of DeFlock's count that short states reach (state_counts), notes."""
    fc = cfg.flock
    a = fa.agencies
    owners = a.kind != FEDERAL
    idx = shapes.index()
    k = len(STATE_CODES)
    per_state = np.array([shapes.population[idx[c]] for c in STATE_CODES], dtype=float)
    road = np.array([shapes.road_miles[idx[c]] for c in STATE_CODES], dtype=float)
    target = np.array([shapes.camera_count[idx[c]] for c in STATE_CODES], dtype=np.int64)
    # world.alpr.total is national: a world of some states fills up to their share of it (by the fill's own weights)
    counts = target.astype(float)
    basis = {"state_share": counts, "state_counts": counts, "population": per_state, "road_miles": road}[fc.fill]
    total = cfg.alpr.total if in_world.all() else int(round(cfg.alpr.total * basis[in_world].sum() / basis.sum()))
    left = total - int(have.sum())
    fill = np.zeros(len(a), dtype=np.int64)
    if left <= 0:
        return fill, 0.0, [f"flock-2026 cameras: mapped and portal cameras ({int(have.sum()):,}) reach the world's share "
                           f"of world.alpr.total ({total:,} of {cfg.alpr.total:,}): nothing filled"]
    has_owner = np.bincount(a.state[owners], minlength=k) > 0
    usable = in_world & has_owner
    current = np.bincount(a.state[owners], weights=have[owners], minlength=k).astype(np.int64)
    weights = per_state if fc.fill != "road_miles" else road
    share = 1.0
    if fc.fill in ("state_counts", "state_share"):
        count = np.where(usable, target, 0)
        share = _common_share(count, current, left, cap=fc.fill == "state_counts")
        deficit = np.maximum(np.floor(share * count).astype(np.int64) - current, 0)
        frac = (np.where(usable, np.maximum(share * count - current - deficit, 0.0), 0.0)
                if share < 1 or fc.fill == "state_share" else np.zeros(k))
        rest = left - int(deficit.sum())
        per = deficit + largest_remainder(rest, frac if frac.sum() > 0 else np.where(usable, weights, 0.0))
    else:
        per = largest_remainder(left, np.where(usable, weights, 0.0))
    for s in np.flatnonzero(per):
        members = np.flatnonzero(owners & (a.state == s))
        open_ = members[fa.portal_cameras[members] < 0]
        members = open_ if len(open_) else members
        fill[members] = largest_remainder(int(per[s]), fa.population[members])
    lost = [STATE_CODES[s] for s in np.flatnonzero(in_world & ~has_owner & (target > 0))]
    notes = [f"flock-2026 cameras: {left:,} filled up to {total:,} (world.alpr.total {cfg.alpr.total:,}, national; "
             f"a world of some states takes their share by the fill's weights) by '{fc.fill}' "
             "(world.flock.fill; within a state by the population agencies serve)"
             + (f": states short of DeFlock's count raised to {share:.1%} of it" if fc.fill in ("state_counts", "state_share")
                and share <= 1 else f": every state raised to {share:.1%} of DeFlock's count (a state above it keeps its own)"
                if fc.fill == "state_share" else "")
             + ("; the rest by population" if fc.fill == "state_counts" and share >= 1 else "")]
    if lost:
        notes.append(f"flock-2026 cameras: states with cameras but no agency in the lists get none: {lost}")
    return fill, share, notes


def _common_share(count: np.ndarray, current: np.ndarray, left: int, cap: bool = True) -> float:
    """The largest share q (at most 1 when `cap`) such that raising every state to floor(q * count) needs at most
    `left` cameras."""
    def need(q: float) -> int:
        return int(np.maximum(np.floor(q * count).astype(np.int64) - current, 0).sum())

    lo, hi = 0.0, 1.0
    if need(1.0) <= left:
        if cap or not count.any():
            return 1.0
        lo, hi = 1.0, 2.0
        while need(hi) <= left:  # doubles until it needs more than is left (count > 0: it ends)
            lo, hi = hi, 2 * hi
    for _ in range(40):  # bisection to ~1e-12 of the bracket
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if need(mid) <= left else (lo, mid)
    return lo
