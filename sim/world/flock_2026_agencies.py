"""Agencies of the real-geography world (``world.source: flock-2026``) from the 2026 sharing-list nodes.

Kept: every node not flagged ``junk`` (37 demo, duplicate and "do not use" accounts), inactive ones only with
``world.flock.include_inactive``. Type: ``world.flock.types`` maps the data's pd / so / other / school / federal
to fedsim's types (``by_name``: `sim.world.agency_names.parse_kind`, which finds state patrols among "other" and
the two the lists label "pd", Georgia State Patrol and Indiana State Police; campus and school police are local
police: they search and own cameras, an assumption for their rates).
State: the data's code; where it is blank (122 nodes), the state polygon holding the geocoded point, else the
state read from the name. A non-federal node with no state of the 50 and DC (Puerto Rico, or none found) is
dropped and counted; so are nodes outside ``world.states`` when the scenario lists states. Federal units get
state -1 as everywhere in fedsim, but keep their geocoded position; configured federal units
(``world.agencies.federal_units``) absent from the data are added without connections (as with private_eyes),
placed in Washington, DC; a configured unit that is a federal node of the lists ("USPIS" is "[Federal] US Postal
Inspection Service": `sim.world.agency_names.UNIT_NAMES`) is that node, under the lists' name.

Position: the geocoded point (city or county seat). Portal figures: cameras, searches, vehicles and hotlist hits
per 30 days (NaN outside portals). Their zeros are read by `sim.world.flock_2026_zeros`: a 0 camera or search count
beside any other activity is "not stated" (Asheville NC PD lists 0 cameras and 0 searches beside 352,228 vehicles),
and every figure 0 is a stated 0 (`idle_portals`): the portal of a program that has stopped, as Austin TX PD's
(ended June 2025) and Eugene OR PD's (cameras removed December 2025) are; such an agency owns only the OSM cameras
whose mapped operator names it (Dallas TX PD's 50: the map says it runs them, the portal says nothing ran), none by
the nearest rule, the portal counts or the fill (`sim.world.flock_2026_cameras`); so does one a source dates as
ended before the scenario's period (``world.flock.ended_before_period``), which also runs no searches.
Retention is not in the data: 0 (unknown; the model applies ``policy.alpr_retention_days``).
``population``: the portal's figure, else ``world.flock.agency_population_default``. Names are matched to
camera operators and to the 2024 N&O names through `name_key` (lower case, "Police Department" -> "pd",
"Sheriff's Office" -> "so", the state code dropped).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

import numpy as np

from sim.config.world import World as WorldConfig
from sim.geo.states import STATE_CODES
from sim.rng import Streams
from sim.world.agencies import draw_flags
from sim.world.agency_names import parse_kind, parse_state, units_in_lists
from sim.world.flock_2026_data import Nodes, StateShapes, states_at
from sim.world.flock_2026_geocode import approximate_locations, locations_note
from sim.world.flock_2026_zeros import ended_rows, idle_portals, reads_note, reads_stated, searches_left_out, zeros_note
from sim.world.geo import FEDERAL_SEAT, to_xy
from sim.world.types import AGENCY_TYPES, FEDERAL, Agencies

_SUBS = [(re.compile(p), r) for p, r in (
    (r"\bpolice (department|dept|division|services?|bureau)\b", "pd"), (r"\bpolice\b", "pd"),
    (r"\bsheriff ?'? ?s? ?'? (office|department|dept)\b", "so"), (r"\bsheriff ?'? ?s?\b", "so"),
    (r"\bdepartment of public safety\b", "dps"), (r"\bpublic safety\b", "dps"), (r"\bcounty\b", "co"),
    (r"\bcity of\b", ""), (r"\btownship\b", "twp"), (r"\bsaint\b", "st"), (r"\bmetropolitan\b", "metro"),
)]
_PAREN = re.compile(r"\([^)]*\)")
_NON_WORD = re.compile(r"[^a-z0-9 ]+")


def name_key(name: str, state: str) -> str:
    """A name reduced for matching: lower case, common words abbreviated, punctuation and the state code dropped."""
    s = _PAREN.sub(" ", name.lower().replace("&", " and ").replace(".", ""))
    for pattern, repl in _SUBS:
        s = pattern.sub(repl, s)
    words = _NON_WORD.sub(" ", s).split()
    return " ".join(w for w in words if w != state.lower())


@dataclass
class FlockAgencies:
    """The world's agencies, with what the camera and sharing builders need beside them."""

    agencies: Agencies
    node: np.ndarray  # int64: row of the nodes table, -1 for configured federal units added
    population: np.ndarray  # float: population served (portal figure or the default)
    portal_cameras: np.ndarray  # int64: the portal's camera count, -1 where not stated
    idle: np.ndarray  # bool: an idle portal (`idle_portals`) or an ended program; its portal_cameras is 0
    connections: np.ndarray  # int64: the node's connectionCount (0 for added units)
    location: np.ndarray  # str: why its position is approximate, "" if nothing is known (`flock_2026_geocode`)
    keys: dict[tuple[str, str], int]  # (name_key, state code) -> agency, names and aliases
    figures: dict[str, object]  # nodes read, kept, dropped by reason, federal units added


def _kind(types: dict[str, str], dtype: str, name: str) -> int:
    target = types[dtype]
    return parse_kind(name) if target == "by_name" else AGENCY_TYPES.index(target)


def flock_agencies(cfg: WorldConfig, streams: Streams, nodes: Nodes, shapes: StateShapes,
                   notes: list[str]) -> FlockAgencies:
    fc = cfg.flock
    codes = cfg.state_codes
    code_index = {c: i for i, c in enumerate(codes)}
    national = {c: i for i, c in enumerate(STATE_CODES)}
    kind_all = np.array([_kind(fc.types, t, nm) for t, nm in zip(nodes.type, nodes.name, strict=True)], dtype=np.int8)
    state_code = nodes.state.copy()
    blank = np.flatnonzero(state_code == "")
    state_code[blank] = states_at(nodes.lon[blank], nodes.lat[blank], shapes)
    from_name = 0
    for i in blank[state_code[blank] == ""]:
        code = parse_state(str(nodes.name[i]))
        if code:
            state_code[i], from_name = code, from_name + 1
    dropped: Counter[str] = Counter()
    keep = np.ones(len(nodes), dtype=bool)
    for mask, why in ((nodes.junk, "flagged junk (demo, duplicate, do-not-use accounts)"),
                      (nodes.inactive & ~nodes.junk & (not fc.include_inactive), "inactive (world.flock.include_inactive)")):
        dropped[why] += int((mask & keep).sum())
        keep &= ~mask
    federal = kind_all == FEDERAL
    for i in np.flatnonzero(keep & ~federal):
        code = state_code[i]
        why = ("in Puerto Rico (not modelled)" if code == "PR" else "no state in the data, its point or its name"
               if code not in national else None if code in code_index else "outside world.states")
        if why:
            dropped[why] += 1
            keep[i] = False
    rows = np.flatnonzero(keep)
    kind = kind_all[rows]
    names = [str(n) for n in nodes.name[rows]]
    found = units_in_lists(cfg.agencies.federal_units, [nm for nm, k in zip(names, kind, strict=True) if k == FEDERAL])
    added = [u for u in cfg.agencies.federal_units if u not in found and u not in names]
    state = np.array([-1 if k == FEDERAL else national[state_code[r]] for r, k in zip(rows, kind, strict=True)]
                     + [-1] * len(added), dtype=np.int16)
    fx, fy = to_xy(FEDERAL_SEAT[0], FEDERAL_SEAT[1])
    x, y = to_xy(nodes.lat[rows], nodes.lon[rows])
    x = np.concatenate([x, np.full(len(added), float(fx))])
    y = np.concatenate([y, np.full(len(added), float(fy))])
    lat = np.concatenate([nodes.lat[rows], np.full(len(added), FEDERAL_SEAT[0])])
    lon = np.concatenate([nodes.lon[rows], np.full(len(added), FEDERAL_SEAT[1])])
    kind = np.concatenate([kind, np.full(len(added), FEDERAL, dtype=np.int8)])
    portal = np.concatenate([nodes.portal[rows], np.zeros(len(added), dtype=bool)])
    pad = np.zeros(len(added), dtype=np.int64)

    def stat(values: np.ndarray) -> np.ndarray:
        return np.where(portal, np.concatenate([values[rows], pad]), np.nan).astype(float)

    n = len(kind)
    cams = np.concatenate([nodes.cameras[rows], pad])
    idle = idle_portals(portal & (kind != FEDERAL), cams, *(np.concatenate([v[rows], pad]) for v in
                                                           (nodes.vehicles, nodes.hotlist_hits, nodes.searches)))
    ended = ended_rows(fc.ended_before_period, names + added, set(nodes.name.tolist()))
    idle_data = idle.copy()
    idle |= ended  # a program a source says had ended: read as idle (cameras), and it runs no searches
    left_out = searches_left_out(portal, idle_data, np.concatenate([nodes.searches[rows], pad]))
    portal_cameras = np.where(ended, 0, np.where(portal & ((cams > 0) | idle) & (kind != FEDERAL), cams, -1))
    pop = np.concatenate([nodes.population[rows], pad]).astype(float)
    population = np.where(pop > 0, pop, fc.agency_population_default)
    agencies = Agencies(
        name=np.array(names + added, dtype=object), kind=kind, state=state, lat=lat, lon=lon, x_m=x, y_m=y,
        national_lookup=np.zeros(n, dtype=bool), compliance_draw=np.ones(n),
        cameras=np.zeros(n, dtype=np.int32), retention_days=np.zeros(n, dtype=np.int16),
        defaulted=(kind != FEDERAL) & ~portal,
        vehicles_30d=stat(nodes.vehicles), hotlist_hits_30d=stat(nodes.hotlist_hits), searches_30d=stat(nodes.searches),
        unit=np.array([""] * len(rows) + added, dtype=object), ended=ended,
    )
    if fc.portal_searches:  # its own published count, April 2026; NaN: drawn (a 0 beside activity is left out)
        agencies.own_searches_30d = np.where(left_out, np.nan, agencies.searches_30d)
    agencies.own_searches_30d[ended] = 0.0  # `flock_2026_zeros`: ended before the scenario's period
    vehicles = np.concatenate([nodes.vehicles[rows], pad])
    reads = reads_stated(portal, idle, portal_cameras, vehicles)  # its own pair, both stated above 0
    if fc.portal_reads:  # its portal's vehicles per camera-day, April 2026 (`sim.model.alpr_reads` converts the basis)
        agencies.own_vehicles_per_camera_day = np.where(reads, vehicles / np.maximum(portal_cameras, 1) / 30.0, np.nan)
    for unit, name in found.items():  # a configured unit that is a node of the lists keeps the lists' name
        agencies.unit[names.index(name)] = unit
    draw_flags(agencies, cfg, streams)
    keys: dict[tuple[str, str], int] = {}
    for k, r in enumerate(rows):
        code = "" if kind[k] == FEDERAL else str(state_code[r])
        for nm in (nodes.name[r], *nodes.aliases[r]):
            keys.setdefault((name_key(str(nm), code), code), k)
    notes.append(f"flock-2026: {n:,} agencies from {len(nodes):,} nodes; dropped " + ", ".join(
        f"{v:,} {k}" for k, v in dropped.items() if v) + f"; {len(blank):,} without a state in the data "
        f"({len(blank) - from_name - int((state_code[blank] == '').sum()):,} placed by their point's polygon, "
        f"{from_name:,} by name)")
    by_name = Counter(f"{t} -> {AGENCY_TYPES[k]}" for t, k in zip(nodes.type[rows], kind, strict=False)
                      if fc.types[t] == "by_name" and AGENCY_TYPES[k] != "local_police")
    notes.append(f"flock-2026: types {dict(Counter(AGENCY_TYPES[k] for k in kind))} (world.flock.types: "
                 f"{fc.types}; assumption for other and school; read from the name: {dict(by_name) or 'none'} "
                 "beside local_police)")
    notes.append(zeros_note(idle_data, int((portal & (cams == 0) & ~idle).sum()), left_out & (kind != FEDERAL),
                            ended, agencies.name, fc.portal_searches))
    notes.append(f"flock-2026: {int((portal_cameras >= 0).sum()):,} agencies state a camera count (idle portals' 0 "
                 f"included); {int((pop <= 0).sum() - len(added)):,} agencies without a population figure take "
                 f"{fc.agency_population_default:,.0f} (world.flock.agency_population_default); retention: not in the data "
                 "(0: the model applies policy.alpr_retention_days)")
    notes.append(f"flock-2026: {int(portal.sum()):,} portals publish a 30-day search count; " + (
        f"{int(np.isfinite(agencies.own_searches_30d[portal]).sum()):,} search at it (world.flock.portal_searches; "
        "0s beside other activity are drawn, above), the others at a drawn rate" if fc.portal_searches else
        "every agency's rate is drawn (world.flock.portal_searches: false)"))
    notes.append(reads_note(reads, portal & ~idle & (kind != FEDERAL), fc.portal_reads))
    location = approximate_locations(np.concatenate([nodes.geocode[rows], np.full(len(added), "", dtype=object)]))
    notes.append(locations_note(location, kind))
    if found:
        notes.append(f"flock-2026: configured federal units found in the 2026 lists (kept under the lists' names): {found}")
    if added:
        notes.append(f"flock-2026: configured federal units not in the 2026 lists added without connections: {added}")
    return FlockAgencies(agencies, np.concatenate([rows, np.full(len(added), -1)]), population, portal_cameras, idle,
                         np.concatenate([nodes.connections[rows], pad]), location, keys,
                         {"nodes": len(nodes), "kept": len(rows), "dropped": {k: v for k, v in dropped.items() if v},
                          "federal_units_added": added, "federal_units_found": found})
