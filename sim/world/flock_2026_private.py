"""Private networks of the real-geography world: OSM cameras whose operator is a company or an HOA.

A camera on route ``private`` (`sim.world.flock_2026_cameras`: its operator classified private by
`sim.world.flock_2026_operators`) was given to the police agency of its area (the nearest of its state within
``world.flock.nearest_radius_m``). Here the cameras of one operator in one agency's area become one private network
(a row of type ``private`` appended after the agencies by `sim.world.private_networks.append_private`, the code path
of the synthetic world's private networks): "Lowe's" in the area of the Irvine Police Department is one network,
its stores elsewhere other networks. Why per operator and area (assumption, docs/MODEL.md): a store's or an HOA's
Flock account is set up where it stands and shares with the local police; the data give no account boundaries,
and the area is the smallest unit the world already has (range: one network per camera site up to one per
operator and state). The network stands at its cameras' mean position, in its agency's state, is named
"<operator> (<agency>)", and is an ``hoa`` or a ``business`` by its name (`owner_kind`).

The unmapped private networks (`sim.world.flock_2026_unmapped`, route ``private_unmapped``) arrive keyed the
same way ("Unmapped business 0001" in an agency's area) and become networks here by the same rule; the figures
count them apart from the OSM-named ones.

Its sharing is the synthetic world's (`sim.world.private_networks.private_edges`): a 1:1 grant to the agency of
its area with probability ``world.private.area_grant_share``, open to national lookup with probability
``world.private.national_lookup_share``, never a searcher. Camera counts, positions and the world's total do
not change: only the owner of these cameras moves from the agency to the network.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np

from sim.config.world import World as WorldConfig
from sim.rng import Streams
from sim.world.flock_2026_operators import owner_kind
from sim.world.geo import to_latlon
from sim.world.private_networks import PLACE_KINDS, append_private, private_edges
from sim.world.types import SITE_TYPES, Agencies, Cameras, Places

TOP = 10  # operators listed in the figures and notes


def private_networks(cfg: WorldConfig, agencies: Agencies, cams: Cameras, keys: np.ndarray, unmapped: np.ndarray,
                     streams: Streams, notes: list[str]
                     ) -> tuple[Agencies, Cameras, np.ndarray, tuple[np.ndarray, ...], dict[str, Any]]:
    """(agencies with the private networks appended, cameras re-owned and re-ordered by owner, the permutation
    applied to the cameras, the networks' (src, dst, how) grants, figures). `keys`: per camera the private network's
    key ("" for the others); `unmapped`: per camera, true for an unmapped network's."""
    mine = np.flatnonzero(keys != "")
    pair_of = [(str(keys[i]), int(cams.owner[i])) for i in mine]  # per private camera: (operator, area agency)
    pair_first = {p: int(i) for i, p in zip(mine[::-1].tolist(), pair_of[::-1], strict=True)}  # a camera of each
    kind_of = {op: owner_kind(op) for op, _ in set(pair_of)}  # each operator classified once
    pairs = sorted(set(pair_of))
    places: list[tuple[str, Places]] = []
    names: list[str] = []
    ordered: list[tuple[str, int]] = []  # the networks in row order
    for kind in PLACE_KINDS:  # businesses, then HOAs: the row order `append_private` expects
        group = [p for p in pairs if kind_of[p[0]] == kind]
        if not group:
            continue
        ordered += group
        index = {p: j for j, p in enumerate(group)}
        of_kind = [j for j, p in enumerate(pair_of) if kind_of[p[0]] == kind]
        sel = mine[of_kind]
        net = np.array([index[pair_of[j]] for j in of_kind], dtype=np.int64)
        n = np.bincount(net, minlength=len(group))
        x = np.bincount(net, weights=cams.x_m[sel], minlength=len(group)) / n
        y = np.bincount(net, weights=cams.y_m[sel], minlength=len(group)) / n
        lat, lon = to_latlon(x, y)
        area = np.array([p[1] for p in group], dtype=np.int32)
        places.append((kind, Places(x_m=x, y_m=y, lat=lat, lon=lon, state=agencies.state[area].copy(), agency=area)))
        names += [f"{k} ({agencies.name[g]})" for k, g in group]
    first = len(agencies)
    out, site, area = append_private(agencies, places, cfg, streams, names=names)
    row = {p: first + j for j, p in enumerate(ordered)}
    owner = cams.owner.astype(np.int64)
    owner[mine] = [row[p] for p in pair_of]
    order = np.argsort(owner, kind="stable")
    site_all = cams.site.copy()
    site_all[mine] = site[owner[mine] - first]
    moved = Cameras(owner=owner[order].astype(np.int32), x_m=cams.x_m[order], y_m=cams.y_m[order],
                    lat=cams.lat[order], lon=cams.lon[order], site=site_all[order])
    out.cameras = np.bincount(moved.owner, minlength=len(out)).astype(np.int32)
    edges = private_edges(out, area, cfg, streams)
    named = mine[~unmapped[mine]]
    by_op = Counter(str(keys[i]) for i in named)
    is_unmapped = np.array([bool(unmapped[pair_first[p]]) for p in ordered], dtype=bool)
    kinds = Counter(SITE_TYPES[s] for s in site[~is_unmapped])
    um_kinds = Counter(SITE_TYPES[s] for s in site[is_unmapped])
    figures = {"networks": int((~is_unmapped).sum()), "cameras": len(named), "operators": len(by_op),
               "hoa_networks": kinds.get("hoa", 0), "business_networks": kinds.get("business", 0),
               "unmapped_networks": int(is_unmapped.sum()), "unmapped_cameras": len(mine) - len(named),
               "unmapped_hoa_networks": um_kinds.get("hoa", 0),
               "grants": len(edges[0]), "top_operators": dict(by_op.most_common(TOP))}
    notes.append(f"flock-2026 private networks: {figures['networks']:,} (one per OSM operator classified private and "
                 f"police area; {kinds.get('business', 0):,} businesses, {kinds.get('hoa', 0):,} HOAs) own "
                 f"{len(named):,} cameras of {len(by_op):,} operators; {figures['unmapped_networks']:,} unmapped "
                 f"({um_kinds.get('hoa', 0):,} HOAs; world.flock.unmapped_private) own {figures['unmapped_cameras']:,}; "
                 f"{len(edges[0]):,} grant their area's agency 1:1; top: "
                 + ", ".join(f"{k} {v:,}" for k, v in by_op.most_common(TOP)))
    return out, moved, order, edges, figures
