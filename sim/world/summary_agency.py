"""One agency of a built world (`fedsim world --focus-agency NAME`): its cameras and where they come from, what its
transparency portal states, whose cameras stand around it, and who can search its cameras by sharing.

Units: cameras; portal figures per 30 days (April 2026, the real-geography world only); partners are distinct
agencies or networks it shares with or receives from (the 2026 lists' ``connectionCount``). Where a camera count
comes from matters to a reader of one city: in the real-geography world most of an agency's cameras can be filled
by an assumption (`world.flock.fill`), not mapped; and a portal whose every figure is 0 (Austin TX PD, April 2026)
is a stopped program that owns no cameras however many OSM maps near it (`sim.world.flock_2026_agencies`).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from sim.config.scenario import Scenario
from sim.geo.states import STATE_CODES
from sim.world.sharing import edge_arrays
from sim.world.types import AGENCY_TYPES, FEDERAL, PRIVATE, World

TYPE_WORDS = {"local_police": "local police", "sheriff": "sheriffs", "state_police": "state police",
              "federal": "federal units"}
NEARBY_SHOWN = 5  # owners of the cameras around an agency, largest first: whose cameras stand in its city


def agency_summary(world: World, scenario: Scenario, i: int) -> dict[str, Any]:
    """What the world holds for agency `i` (JSON-ready): type, state, cameras, sharing and, in the real-geography
    world, its portal's figures and its cameras by route (``portal`` None elsewhere)."""
    a = world.agencies
    src, dst = edge_arrays(world.sharing)
    src, dst = np.asarray(src, dtype=np.int64), np.asarray(dst, dtype=np.int64)
    shares_with, receives_from = dst[src == i], src[dst == i]
    partners = np.union1d(shares_with, receives_from)
    kind = a.kind[partners]
    out: dict[str, Any] = {
        "name": str(a.name[i]), "type": AGENCY_TYPES[int(a.kind[i])],
        "state": STATE_CODES[int(a.state[i])] if a.state[i] >= 0 else "",
        "cameras": int(a.cameras[i]), "national_lookup": bool(a.national_lookup[i]),
        "shares_with": len(np.unique(shares_with)), "receives_from": len(np.unique(receives_from)),
        "partners": len(partners), "private_partners": int((kind == PRIVATE).sum()),
        "federal_grants": sorted(str(a.name[j]) for j in np.unique(shares_with) if a.kind[j] == FEDERAL),
        # who its 1:1 grants let search its cameras, by type, and how many of them are in other states
        "shares_with_by_type": {AGENCY_TYPES[k]: int(n) for k, n in
                                enumerate(np.bincount(a.kind[np.unique(shares_with)], minlength=len(AGENCY_TYPES))) if n},
        "shares_with_out_of_state": int(((a.state[np.unique(shares_with)] != a.state[i])
                                         & (a.kind[np.unique(shares_with)] != FEDERAL)).sum()),
        "portal": None,
    }
    per = (world.source_figures or {}).get("per_agency")
    if per is not None and i < len(per["connections"]):
        def fig(values: np.ndarray | None) -> int | None:
            return None if values is None or np.isnan(values[i]) else int(values[i])

        stated = int(per["portal_cameras"][i])
        out["portal"] = {"has_portal": bool(a.portal[i]), "cameras_stated": stated if stated >= 0 else None,
                         "searches_30d": fig(a.searches_30d), "vehicles_30d": fig(a.vehicles_30d),
                         "hotlist_hits_30d": fig(a.hotlist_hits_30d), "connections": int(per["connections"][i])}
        out["search_rate"] = search_rate(world, scenario, i)
        out["read_rate"] = read_rate(world, scenario, i)
        out["cameras_by_route"] = {k: int(v[i]) for k, v in per["cameras_by_route"].items()}
        out["osm_nearby"] = int(per["osm_nearby"][i])
        out["location"] = str(per["location"][i]) if "location" in per else ""
        out["nearest_radius_m"] = scenario.world.flock.nearest_radius_m
    r = scenario.world.flock.nearest_radius_m
    c = world.cameras
    near = np.hypot(c.x_m - a.x_m[i], c.y_m - a.y_m[i]) <= r  # one pass over the cameras (~138,000)
    owners, counts = np.unique(c.owner[near], return_counts=True)
    top = np.argsort(-counts, kind="stable")[:NEARBY_SHOWN]
    out["nearby"] = {"radius_m": r, "cameras": int(near.sum()), "owners": len(owners),
                     "top": [[str(a.name[owners[k]]), int(counts[k])] for k in top]}
    return out


def search_rate(world: World, scenario: Scenario, i: int) -> str:
    """Which rule sets agency `i`'s search rate in this scenario (`sim.world.flock_2026_zeros`): ``ended`` (0: a
    program a source dates as ended before the period), ``portal`` (its published count), ``left_out`` (a 0 beside
    other activity, read as not stated: drawn), ``idle_drawn`` (an idle portal where rates are drawn) or ``drawn``."""
    a = world.agencies
    if a.ended[i]:
        return "ended"
    if not np.isnan(a.own_searches_30d[i]):
        return "portal"
    if a.portal[i] and a.searches_30d[i] == 0:
        idle = all(v[i] == 0 for v in (a.vehicles_30d, a.hotlist_hits_30d)) and \
            world.source_figures["per_agency"]["portal_cameras"][i] == 0
        return "idle_drawn" if idle and not scenario.world.flock.portal_searches else "left_out"
    return "drawn"


def read_rate(world: World, scenario: Scenario, i: int) -> dict[str, Any]:
    """Which rule sets agency `i`'s read rate (`sim.model.alpr_reads.READ_RATE_SOURCES`; ``none``: it owns no
    cameras) and, from its portal (``world.flock.portal_reads``), its vehicles per camera-day and the reads per
    camera-day that gives on the scenario's basis (before each camera's own multiplier, mean 1); ``line`` says it."""
    a, alpr = world.agencies, scenario.behavior.alpr
    own = float(a.own_vehicles_per_camera_day[i])
    source = "none" if not a.cameras[i] else "drawn" if np.isnan(own) else "portal"
    out: dict[str, Any] = {"source": source, "basis": alpr.reads_basis}
    stated = (world.source_figures or {}).get("per_agency", {}).get("portal_cameras")
    if source == "drawn" and stated is not None and a.portal[i]:  # why its portal sets no rate
        pair = stated[i] > 0 and a.vehicles_30d[i] > 0
        out["why"] = (f"world.flock.portal_reads is off: its portal's {a.vehicles_30d[i] / stated[i] / 30:,.0f} "
                      "vehicles per camera-day is not used" if pair else
                      "its portal does not state both cameras and vehicles captured above 0")
    if source == "portal":
        per_vehicle = alpr.reads_per_camera_day / alpr.unique_vehicles_per_camera_day if alpr.reads_basis == "raw" else 1.0
        out |= {"vehicles_per_camera_day": own, "reads_per_camera_day": own * per_vehicle}
    out["line"] = read_line(out, scenario)
    return out


def read_line(r: dict[str, Any], scenario: Scenario) -> str:
    """`read_rate` as the terminal's "reads:" sentence."""
    alpr = scenario.behavior.alpr
    if r["source"] == "none":
        return "it owns no cameras in this world: no reads"
    if r["source"] == "portal":
        conv = (f" x {alpr.reads_per_camera_day:,.0f} / {alpr.unique_vehicles_per_camera_day:,.0f} captures per vehicle "
                "counted (assumption)" if r["basis"] == "raw" else "")
        return (f"its cameras read at its portal's {r['vehicles_per_camera_day']:,.0f} vehicles captured per camera-day "
                f"(its vehicles / its stated cameras / 30; world.flock.portal_reads){conv}: "
                f"{r['reads_per_camera_day']:,.0f} {r['basis']} reads per camera-day on average")
    figure = alpr.reads_per_camera_day if r["basis"] == "raw" else alpr.unique_vehicles_per_camera_day
    return (f"its cameras read at {figure:,.0f} {r['basis']} reads per camera-day x an owner multiplier drawn for it "
            f"(log-sd {alpr.agency_rate_sigma:g}, behavior.alpr.agency_rate_sigma), not a published figure"
            + (f" ({r['why']})" if r.get("why") else ""))


RATE_LINES = {
    "ended": "its Flock program had ended before this scenario's period (world.flock.ended_before_period, a sourced "
             "date): it runs no searches",
    "portal": "it searches at its portal's published count (world.flock.portal_searches)",
    "left_out": "its portal shows 0 searches beside other activity, read as a figure left out (not stated): its search "
                "rate is drawn for its type (docs/world.md, 'Portal zeros')",
    "idle_drawn": "its search rate is drawn for its type: when its program ended is not in the data, and this "
                  "scenario's period may precede the end (world.flock.ended_before_period lists the programs a source "
                  "dates earlier; docs/world.md, 'Portal zeros')",
    "drawn": "its search rate is drawn for its type (behavior.searches)",
}


def agency_text(s: dict[str, Any]) -> str:
    """`agency_summary` as terminal lines."""
    lines = [f"{s['name']} ({s['state'] or 'federal'}, {s['type']}): {s['cameras']:,} cameras in this world"]
    p = s.get("portal")
    if s.get("location"):  # the lists' point is approximate: say so before anything measured from it
        lines.append(f"  {s['location']}")
    if p is not None:
        r = s["cameras_by_route"]
        if p["has_portal"]:
            figs = (f"{_n(p['cameras_stated'], 'cameras')}, {_n(p['searches_30d'], 'searches')}, "
                    f"{_n(p['vehicles_30d'], 'vehicles captured')}, {_n(p['hotlist_hits_30d'], 'hotlist hits')} per 30 days")
            lines.append(f"  its transparency portal (April 2026): {figs}; connectionCount {p['connections']:,}")
        else:
            lines.append(f"  no transparency portal in the 2026 lists; connectionCount {p['connections']:,}")
        idle = p["has_portal"] and p["cameras_stated"] == 0
        if idle:
            lines.append("  every portal figure is 0, as on the portal of a program that has stopped: it owns here only "
                         f"the cameras OpenStreetMap names it the operator of ({r['operator']:,}), none by the nearest "
                         "rule or the fill (docs/world.md, 'Real geography')")
        lines.append(f"  searches: {RATE_LINES[s['search_rate']]}")
        if "read_rate" in s:
            lines.append(f"  reads: {s['read_rate']['line']}")
        lines.append(f"  its cameras: {r['operator']:,} mapped in OpenStreetMap under its name, {r['nearest']:,} mapped "
                     f"nearby (nearest-agency rule, assumption), {r['portal']:,} its portal's count beyond the mapped, "
                     f"{r['filled']:,} filled by world.flock.fill (an assumption: where the cameras the map misses "
                     "stand)")
        lines.append(f"  OpenStreetMap maps {s['osm_nearby']:,} ALPR cameras within {s['nearest_radius_m'] / 1000:g} km "
                     "of its geocoded point, whoever the world gives them to (other agencies, private networks)")
    opted = "yes" if s["national_lookup"] else "no"
    nb = s["nearby"]
    if nb["cameras"]:
        top = ", ".join(f"{name} {n:,}" for name, n in nb["top"]) + (", ..." if nb["owners"] > len(nb["top"]) else "")
        lines.append(f"  the world's {nb['cameras']:,} cameras within {nb['radius_m'] / 1000:g} km of it belong to "
                     f"{nb['owners']:,} owner{'s' if nb['owners'] != 1 else ''}: {top}"
                     + " (`fedsim world --focus-agency` on each says who can search them)")
    by_type = ", ".join(f"{TYPE_WORDS.get(t, t)} {n:,}" for t, n in s["shares_with_by_type"].items())
    lines.append(f"  sharing: it shares its cameras with {s['shares_with']:,} agencies or units"
                 + (f" ({by_type}; {s['shares_with_out_of_state']:,} in other states)" if by_type else "") + ", and "
                 f"{s['receives_from']:,} share theirs with it ({s['partners']:,} partners, {s['private_partners']:,} of "
                 f"them private networks); its cameras open to national lookup: "
                 + (f"{opted} (it owns none)" if not s["cameras"] else opted))
    fed = s["federal_grants"]
    lines.append("  federal units with a 1:1 grant from it: " + (", ".join(fed) if fed else "none"))
    return "\n".join(lines)


def _n(value: int | None, what: str) -> str:
    return f"{what} not stated" if value is None else f"{value:,} {what}"
