"""A summary of a built world: counts, degree distributions, reach under the policy (for `fedsim world`).

Degree statistics are over non-federal agencies (owners; for real data, out-degrees only over the
portals that list their external organisations): ``out_degree`` counts the agencies that may
search an owner's reads through edges (grants and statewide sharing, federal units included),
``in_degree`` the owners whose reads an agency may search through edges, ``partners`` the distinct agencies
and networks it shares with or receives from (the 2026 lists' ``connectionCount``); ``portals`` gives the
out-degree and partners over the agencies a real source's published figures describe (`described`: the 2026
portals, or the 2024 portals that list their sharing), and ``federal_reach[unit]["granted_portals"]`` the grants
each federal unit has from them. National lookup is not an
edge; ``national_lookup_share`` is the share of owners opted into it, ``network_owners`` counts owners with
cameras (``count``) and those opted in (``opted_in``, with their cameras). ``access`` (per scope, the
distribution of networks, i.e. owners with cameras, and cameras an agency can search) and ``federal_reach``
depend on the policy: the caller passes them in (`sim.model.access.reach_summary`). ``camera_distance_km`` gives,
per police agency type, how far its cameras stand from their agency (km; `sim.calibration.fit_placement`).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from sim.config.scenario import Scenario
from sim.geo.states import FEDERAL_STATE, STATE_CODES
from sim.rng import Streams, root_seed
from sim.world.request_areas import households_per_request
from sim.world.sharing import HOW, edge_arrays
from sim.world.state_graph import state_graph
from sim.world.summary_agency import agency_summary
from sim.world.types import AGENCY_TYPES, FEDERAL, PRIVATE, World, is_police

SAMPLED_REQUESTS = 2000  # requests drawn to measure households notified per request


def stats(values: np.ndarray) -> dict[str, float]:
    """median, p25, p75, p90 and max of `values` (zeros for an empty array)."""
    if not len(values):
        return {"median": 0.0, "p25": 0.0, "p75": 0.0, "p90": 0.0, "max": 0.0}
    p25, med, p75, p90 = np.percentile(values, [25, 50, 75, 90])
    return {"median": float(med), "p25": float(p25), "p75": float(p75), "p90": float(p90), "max": float(values.max())}


def summarise(world: World, scenario: Scenario, reach: dict[str, Any], graph_state: str | None = None,
              graph_agency: int | None = None) -> dict[str, Any]:
    """The summary of `world`; `reach` holds ``access``, ``federal_reach`` (and optionally per-state figures)
    under the scenario's policy. ``state_graph`` draws `graph_state` (a run's ``--focus``) when it has
    agencies, else the largest state that fits (`sim.world.state_graph`); a sampled state shows
    `graph_agency`'s neighbourhood (a run's ``--focus-agency``), and ``agency`` holds that agency's own figures
    (`sim.world.summary_agency`)."""
    a = world.agencies
    n = len(a)
    owners = is_police(a.kind)  # police agencies: the portals' figures (cameras, out-degree) are theirs
    private = a.kind == PRIVATE
    src, dst = edge_arrays(world.sharing)
    how_counts = {h: 0 for h in HOW}
    for _, _, how in world.sharing.edges(data="how"):
        how_counts[how] = how_counts.get(how, 0) + 1
    out_all = np.bincount(src, minlength=n)
    real = scenario.world.sharing.source != "synthetic"
    # real data: only portals that list their external organisations have known out-edges
    out_deg = out_all[owners & (out_all > 0)] if real else out_all[owners]
    in_deg = np.bincount(dst, minlength=n)[owners]
    partners = partner_counts(src, dst, n)
    portals, portals_over = described(world, scenario, owners, out_all)
    granted = np.bincount(dst[portals[src]], minlength=n)  # grants from those agencies, per receiving agency
    units = {str(a.name[i]): int(i) for i in np.flatnonzero(a.kind == FEDERAL)}
    req = scenario.behavior.requests
    rng = Streams(root_seed(scenario.run.seed)).get("world.summary.requests")
    notified = (
        households_per_request(world, rng, req.area_sq_mi_min, req.area_sq_mi_max, SAMPLED_REQUESTS)
        if len(world.households) else np.zeros(1)
    )
    return {
        "scenario": scenario.name,
        "seed": scenario.run.seed,
        "source": scenario.world.source if scenario.world.source == "flock-2026" else scenario.world.sharing.source,
        "agencies": {t: int((a.kind == k).sum()) for k, t in enumerate(AGENCY_TYPES)} | {"total": a.n_searchers},
        "private_networks": {
            "count": int(private.sum()),
            "cameras": int(a.cameras[private].sum()),
            "national_lookup_share": float(a.national_lookup[private].mean()) if private.any() else 0.0,
            "grants": int(np.count_nonzero(private[src])),
        },
        "network_owners": {
            "count": int(np.count_nonzero(a.cameras > 0)),
            "opted_in": int(np.count_nonzero((a.cameras > 0) & a.national_lookup)),
            "opted_in_cameras": int(a.cameras[a.national_lookup].sum()),
        },
        "agencies_defaulted": int(a.defaulted.sum()),
        "neighborhoods": len(world.neighborhoods),
        "hoas": len(world.hoas),
        "businesses": len(world.businesses),
        "households": len(world.households),
        "paid_households": int(world.households.paid.sum()),
        "ring_cameras": int(world.households.cameras.sum(dtype=np.int64)),
        "alpr_cameras": len(world.cameras),
        "alpr_cameras_per_agency": stats(a.cameras[owners]),
        "camera_distance_km": camera_distances(world),
        "sharing": {
            "edges": int(world.sharing.number_of_edges()),
            "edges_by_how": how_counts,
            "out_degree": stats(out_deg),
            "out_degree_over": "owners with a sharing list" if real else "owners",
            "in_degree": stats(in_deg),
            "partners": stats(partners[owners]),  # owners it shares with or receives from (a connectionCount)
            # real data: the agencies with a transparency portal, whose figures the portals' quantiles describe
            "portals": {"count": int(portals.sum()), "over": portals_over, "out_degree": stats(out_all[portals]),
                        "partners": stats(partners[portals])},
            "national_lookup_share": float(a.national_lookup[owners].mean()) if owners.any() else 0.0,
        },
        "access": reach["access"],
        # granted_portals: grants to the unit from the agencies the source's figures describe (`described`)
        "federal_reach": {name: row | {"granted_portals": int(granted[units[name]])} if name in units else row
                          for name, row in reach["federal_reach"].items()},
        "federal_reach_by_state": reach.get("federal_reach_by_state", {}),
        "state_sharing": reach.get("state_sharing"),
        "requests": {
            "households_per_request_mean": float(notified.mean()),
            "households_per_request_median": float(np.median(notified)),
            "sampled_requests": SAMPLED_REQUESTS,
        },
        "notes": list(world.notes),
        "state_graph": drawn_state_graph(world, scenario, graph_state, graph_agency),
    } | ({"geography": geography(world)} if world.source_figures else {}) | (
        {"agency": agency_summary(world, scenario, graph_agency)} if graph_agency is not None else {})


def camera_distances(world: World) -> dict[str, dict[str, float]]:
    """Police agency type -> `stats` of its cameras' distances (km) from their agency, over the types owning any."""
    c, a = world.cameras, world.agencies
    kind = a.kind[c.owner]
    km = np.hypot(c.x_m - a.x_m[c.owner], c.y_m - a.y_m[c.owner]) / 1000.0
    return {t: stats(km[kind == k]) for k, t in enumerate(AGENCY_TYPES) if t != "federal" and (kind == k).any()}


def described(world: World, scenario: Scenario, owners: np.ndarray, out_all: np.ndarray) -> tuple[np.ndarray, str]:
    """bool per agency: the agencies a real source's published figures describe, and what they are. flock-2026: the
    agencies with a transparency portal (`Agencies.portal`; the 2026 portals' connectionCount and the federal
    units' connections over 906 portals); private_eyes: the portals that list their sharing (out-edges; the 2024
    out-degree and grants over 224 such agencies); a synthetic world: none."""
    if scenario.world.source == "flock-2026":
        return owners & world.agencies.portal, "agencies with a transparency portal"
    if scenario.world.sharing.source != "synthetic":
        return owners & (out_all > 0), "portals that list their sharing"
    return np.zeros(len(owners), dtype=bool), "none (synthetic world)"


def partner_counts(src: np.ndarray, dst: np.ndarray, n: int) -> np.ndarray:
    """Per agency, the distinct agencies it shares with or receives from (an edge both ways counts once): what the
    2026 lists call ``connectionCount``."""
    src, dst = np.asarray(src, dtype=np.int64), np.asarray(dst, dtype=np.int64)
    pairs = np.unique(np.minimum(src, dst) * n + np.maximum(src, dst))
    return np.bincount(pairs // n, minlength=n) + np.bincount(pairs % n, minlength=n)


def focus_state(world: World, focus: dict[str, str] | None) -> str | None:
    """The state code a run's focus names: {"state": code}, or {"agency": name}'s state (None if not found)."""
    if not focus:
        return None
    if "state" in focus:
        return focus["state"]
    a = world.agencies
    hits = np.flatnonzero(np.asarray(a.name) == focus.get("agency"))
    return STATE_CODES[int(a.state[hits[0]])] if len(hits) and a.state[hits[0]] >= 0 else None


def focus_agency(world: World, focus: dict[str, str] | None) -> int | None:
    """The index of the agency a run's focus names ({"agency": name}), or None."""
    if not focus or "agency" not in focus:
        return None
    hits = np.flatnonzero(np.asarray(world.agencies.name) == focus["agency"])
    return int(hits[0]) if len(hits) else None


def drawn_state_graph(world: World, scenario: Scenario, state: str | None,
                      agency: int | None = None) -> dict[str, Any] | None:
    """One state's agency graph: `state` when given and present in the world, else the default choice; a
    sampled state shows `agency`'s neighbourhood when one is given (`state_graph`)."""
    rng = Streams(root_seed(scenario.run.seed)).get("world.summary.state_graph")
    drawn = state_graph(world, rng, state=state, agency=agency) if state is not None else None
    return drawn if drawn is not None else state_graph(world, rng)


def geography(world: World) -> dict[str, Any]:
    """A real-geography world's own figures (`World.source_figures`): cameras by route, states, per-state table."""
    f = world.source_figures
    routes = f["cameras"]["routes"]
    return {
        "source": f["source"], "agencies": world.agencies.n_searchers, "agencies_from_data": f["agencies"],
        "households": len(world.households),
        "states": f["states"],
        "cameras": {"total": f["cameras"]["total"], "mapped": f["cameras"]["mapped"], "mapped_by_operator": routes["operator"],
                    "mapped_nearest": routes["nearest"], "mapped_private": routes.get("private", 0),
                    "portal": routes["portal"], "filled": routes["filled"],
                    "private_unmapped": routes.get("private_unmapped", 0),
                    "osm_unassigned": f["cameras"]["unassigned"],
                    "fill_share_of_state_counts": f["cameras"]["fill_share_of_state_counts"]},
        "sharing": f["sharing"], "private_networks": f.get("private_networks", {}), "per_state": f["per_state"],
        "credit": f["credit"],
    }


def format_text(summary: dict[str, Any]) -> str:
    """The summary as aligned lines for a terminal."""
    s = summary
    sh = s["sharing"]

    def dist(d: dict[str, float]) -> str:
        return f"median {d['median']:g} (p25 {d['p25']:g}, p75 {d['p75']:g}, p90 {d['p90']:g}, max {d['max']:g})"

    lines = [
        f"world of scenario {s['scenario']} (seed {s['seed']}, sharing source {s['source']})",
        "agencies: " + ", ".join(f"{k} {v:,}" for k, v in s["agencies"].items())
        + (f" ({s['agencies_defaulted']:,} with defaulted attributes)" if s["agencies_defaulted"] else ""),
        f"places: {s['neighborhoods']:,} neighborhoods, {s['hoas']:,} HOAs, {s['businesses']:,} businesses",
        f"Ring: {s['households']:,} households ({s['paid_households']:,} paid), {s['ring_cameras']:,} cameras",
        f"Flock ALPR: {s['alpr_cameras']:,} cameras; per agency {dist(s['alpr_cameras_per_agency'])}",
        *(["  km from their agency, median: " + ", ".join(
            f"{t.replace('_', ' ')} {d['median']:.1f}" for t, d in s["camera_distance_km"].items())]
          if s.get("camera_distance_km") else []),
        f"private networks: {s['private_networks']['count']:,} (companies and HOAs) owning "
        f"{s['private_networks']['cameras']:,} cameras, {s['private_networks']['national_lookup_share']:.0%} open to "
        f"national lookup; {s['network_owners']['opted_in']:,} networks "
        f"({s['network_owners']['opted_in_cameras']:,} cameras) opted into lookups in all",
        f"sharing: {sh['edges']:,} edges (" + ", ".join(f"{k} {v:,}" for k, v in sh["edges_by_how"].items()) + ")",
        f"  out-degree {dist(sh['out_degree'])} over {sh['out_degree_over']}",
        f"  in-degree  {dist(sh['in_degree'])}",
        f"  partners   {dist(sh['partners'])} (shares with or receives from)",
        *([f"  {sh['portals']['count']:,} portals: out-degree {dist(sh['portals']['out_degree'])}; partners "
           f"{dist(sh['portals']['partners'])}"] if sh.get("portals", {}).get("count") else []),
        f"  national lookup: {sh['national_lookup_share']:.1%} of owners opted in",
        "reach per agency under the policy (networks / cameras, median):",
    ]
    scope_width = max((len(scope) for scope in s["access"]), default=0)  # "in_state_shared" is 15 wide
    for scope, d in s["access"].items():
        lines.append(f"  {scope:<{scope_width}} {d['networks']['median']:>8,.0f} / {d['cameras']['median']:>9,.0f}")
    if s["federal_reach"]:
        lines.append("federal reach (networks of agencies and private owners: direct 1:1 / own lookup only / "
                     "closed by law):")
        width = max(len(u) for u in s["federal_reach"])
        for unit, r in s["federal_reach"].items():
            lines.append(
                f"  {unit:<{width}} {r['direct']:>6,} / {r['lookup_only']:>6,} / {r['closed_by_law']:>6,}"
                f"   cameras {r['direct_cameras']:,} / {r['lookup_only_cameras']:,} / {r['closed_by_law_cameras']:,}"
            )
    r = s["requests"]
    lines.append(f"households notified per request: mean {r['households_per_request_mean']:.1f}, "
                 f"median {r['households_per_request_median']:g} ({r['sampled_requests']} sampled requests)")
    if "geography" in s:
        g = s["geography"]
        c = g["cameras"]
        lines.append(f"geography ({g['source']}): {g['states']} states with agencies; cameras {c['total']:,}: mapped "
                     f"{c['mapped']:,} ({c['mapped_by_operator']:,} by operator, {c['mapped_nearest']:,} nearest, "
                     f"{c['mapped_private']:,} of private networks), portal "
                     f"{c['portal']:,}, of unmapped private networks {c.get('private_unmapped', 0):,}, filled "
                     f"{c['filled']:,}; OSM unassigned {sum(c['osm_unassigned'].values()):,}")
        top = sorted(g["per_state"], key=lambda r: -r["cameras_per_100k"])[:5]
        lines.append("  most cameras per 100,000 people: " + ", ".join(f"{r['state']} {r['cameras_per_100k']:.1f}" for r in top))
        lines.append(f"  {g['credit']}")
    for note in s["notes"]:
        lines.append(f"note: {note}")
    return "\n".join(lines)


def focus_text(summary: dict[str, Any], state: str) -> str:
    """`fedsim world --focus STATE`: the state's owners and cameras, federal reach by channel
    (``federal_reach_by_state``) and its owners' sharing links by the searchers' state (``state_sharing``: in the
    world / open under the scenario's policy)."""
    sharing = summary.get("state_sharing") or {}
    st = (sharing.get("states") or {}).get(state, {})
    lines = [f"{state}: {st.get('agencies', 0):,} agencies, {st.get('private_networks', 0):,} private networks, "
             f"{st.get('cameras', 0):,} cameras; {st.get('lookup_owners', 0):,} owners open to lookups under the policy "
             "(opted in, the lever on)"]
    ch = (summary.get("federal_reach_by_state") or {}).get(state)
    if ch:
        lines.append(f"  federal reach (owners / cameras): direct 1:1 {ch['direct']:,} / {ch['direct_cameras']:,}; "
                     f"own lookup only {ch['lookup_only']:,} / {ch['lookup_only_cameras']:,}; only through proxy "
                     f"lookups {ch['proxy_only']:,} / {ch['proxy_only_cameras']:,}; closed {ch['none']:,} / "
                     f"{ch['none_cameras']:,}")
    pairs = sharing.get("pairs") or {}
    links = {"in-state agencies": [0, 0], "other states' agencies": [0, 0], "federal units": [0, 0]}
    for owner, searcher, n, open_ in zip(pairs.get("owner", []), pairs.get("searcher", []), pairs.get("links", []),
                                         pairs.get("open", []), strict=True):
        if owner == state:
            key = ("in-state agencies" if searcher == state else
                   "federal units" if searcher == FEDERAL_STATE else "other states' agencies")
            links[key][0] += n
            links[key][1] += open_
    lines.append(f"  sharing links from {state}'s owners (in the world / open under the policy): "
                 + "; ".join(f"to {k} {n:,} / {o:,}" for k, (n, o) in links.items()))
    return "\n".join(lines)
