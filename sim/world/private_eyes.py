"""Real agencies and sharing graph from the Flock transparency-portal data ("Private Eyes", N&O 2024-04-26).

``world.sharing.source: private_eyes`` reads the copies shipped in data/private_eyes/ (MIT licence,
credit in its README); any other value is a folder holding files of the same layout:
``agency*.csv`` (id, name, notes), ``agency_access*.csv`` (src_agency, external_agency, src_agency_id,
external_agency_id) and ``latest_usage*.csv`` (one row per portal).

Agencies are every organisation in the edge list plus every portal, in id order. From each name the
loader reads a type and a state (`sim.world.agency_names`); an organisation whose name has no state
takes the most common state of the agencies that share with it (else of those it shares with, else a
population-weighted draw). Federal organisations get state -1; a configured federal unit
(``world.agencies.federal_units``) the data names ("US Postal Inspection Service" is USPIS, "ATF Nashville TN"
ATF: `sim.world.agency_names.units_in_lists`) is that node, under the data's name (`Agencies.unit`); those missing
from the data are added as nodes without grants, so that their national-lookup reach can still be measured.

Portal agencies keep their camera count, retention ("30 days") and 30-day statistics. Defaults
(``agencies.defaulted`` True), for organisations known only as external ones and for NA portal fields:
retention 0 (unknown: the model applies ``policy.alpr_retention_days``); cameras share what is left of
``world.alpr.total`` after the known counts, by the synthetic lognormal weights (at least one each while the total allows); 30-day
statistics NaN. Federal organisations own no cameras (besides ``world.alpr.federal_cameras``). National
lookup opt-in and the state-law compliance draw are not in the data: they are drawn as for a synthetic world.
Only the 224 portals that list their external organisations have out-edges: everyone else's sharing is
unknown and left empty. Locations are uniform in the agency's state (no geocoding; assumption).

Tolerance: rows with the wrong number of fields, non-integer ids, unknown ids, self-loops and duplicate
edges are skipped (organisations whose names say "do not use" are kept: they still had access);
unreadable values become defaults. Every skip and default is counted in ``World.notes``. A missing
file or column raises `ScenarioError`.
"""

from __future__ import annotations

import csv
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from sim.config.errors import Problem, ScenarioError
from sim.config.world import World as WorldConfig
from sim.geo.states import BY_CODE, STATE_CODES
from sim.rng import Streams
from sim.world.agencies import draw_flags
from sim.world.agency_names import parse_kind, parse_state, units_in_lists
from sim.world.geo import FEDERAL_SEAT, largest_remainder, points_in_states, to_latlon, to_xy
from sim.world.sharing import GRANT
from sim.world.types import FEDERAL, Agencies

SHIPPED = Path(__file__).resolve().parents[2] / "data" / "private_eyes"
FILES = {
    "agencies": ("agency[0-9]*.csv", ("id", "name")),
    "edges": ("agency_access*.csv", ("src_agency", "external_agency", "src_agency_id", "external_agency_id")),
    "usage": ("latest_usage*.csv", ("id", "agency", "data_retention_in_days", "number_of_owned_cameras",
                                    "vehicles_detected_in_the_last_30_days", "hotlist_hits_in_the_last_30_days",
                                    "searches_in_the_last_30_days")),
}
RETENTION_RE = re.compile(r"^\s*(\d+)\s*days?\s*$", re.IGNORECASE)
STATS = {"vehicles_30d": "vehicles_detected_in_the_last_30_days", "hotlist_hits_30d": "hotlist_hits_in_the_last_30_days",
         "searches_30d": "searches_in_the_last_30_days"}


@dataclass
class PortalData:
    """The three files, parsed: names by id, edges (source id, external id), portal fields by id."""

    names: dict[int, str] = field(default_factory=dict)
    edges: list[tuple[int, int]] = field(default_factory=list)
    portals: dict[int, dict[str, float | None]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def data_dir(source: str) -> Path:
    return SHIPPED if source == "private_eyes" else Path(source)


def _find(folder: Path, kind: str) -> Path:
    pattern = FILES[kind][0]
    found = sorted(folder.glob(pattern))
    if kind == "agencies":
        found = [p for p in found if not p.name.startswith("agency_access")]
    if not found:
        raise ScenarioError([Problem(str(folder), "world.sharing.source", f"no file matching {pattern} in this folder")])
    return found[-1]


def _rows(path: Path, kind: str) -> tuple[list[dict[str, str]], int]:
    """Rows as dicts (stripped values) and the number of rows with the wrong number of fields."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as fh:
            reader = csv.reader(fh)
            header = [h.strip() for h in next(reader, [])]
            missing = [c for c in FILES[kind][1] if c not in header]
            if missing:
                raise ScenarioError([Problem(str(path), "world.sharing.source", f"missing columns {missing}; "
                                             f"expected at least {list(FILES[kind][1])}")])
            rows, bad = [], 0
            for row in reader:
                if len(row) != len(header):
                    bad += len(row) > 0
                    continue
                rows.append({h: v.strip() for h, v in zip(header, row, strict=True)})
    except UnicodeDecodeError:
        raise ScenarioError([Problem(str(path), "world.sharing.source", "file is not UTF-8 text")]) from None
    except OSError as exc:
        raise ScenarioError([Problem(str(path), "world.sharing.source", f"cannot read: {exc.strerror}")]) from None
    return rows, bad


def _int(text: str) -> int | None:
    try:
        return int(text)
    except ValueError:
        return None


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) and value >= 0 else None


def read_portal_data(folder: Path) -> PortalData:
    """Parse the three files of `folder`, counting what was skipped."""
    if not folder.is_dir():
        raise ScenarioError([Problem(str(folder), "world.sharing.source",
                                     "is not a folder; use 'private_eyes', 'synthetic' or a folder of portal files")])
    data = PortalData()
    skipped: Counter[str] = Counter()
    rows, bad = _rows(_find(folder, "agencies"), "agencies")
    skipped["agency rows with the wrong number of fields"] += bad
    for row in rows:
        aid = _int(row["id"])
        if aid is None or not row["name"]:
            skipped["agency rows without an integer id and a name"] += 1
        else:
            data.names[aid] = row["name"]
    rows, bad = _rows(_find(folder, "edges"), "edges")
    skipped["edge rows with the wrong number of fields"] += bad
    seen: set[tuple[int, int]] = set()
    for row in rows:
        src, ext = _int(row["src_agency_id"]), _int(row["external_agency_id"])
        if src is None or ext is None:
            skipped["edge rows without integer ids"] += 1
            continue
        if src == ext or (src, ext) in seen:
            skipped["self-loops and duplicate edges"] += 1
            continue
        for aid, name in ((src, row["src_agency"]), (ext, row["external_agency"])):
            if aid not in data.names and name:
                data.names[aid] = name
                skipped["ids missing from the agency file (named from the edge row)"] += 1
        if src not in data.names or ext not in data.names:
            skipped["edges with an unknown id and no name"] += 1
            continue
        seen.add((src, ext))
        data.edges.append((src, ext))
    rows, bad = _rows(_find(folder, "usage"), "usage")
    skipped["portal rows with the wrong number of fields"] += bad
    defaults: Counter[str] = Counter()
    for row in rows:
        aid = _int(row["id"])
        if aid is None:
            skipped["portal rows without a usable integer id"] += 1
            continue
        data.names.setdefault(aid, row["agency"] or f"portal {aid}")
        m = RETENTION_RE.match(row["data_retention_in_days"])
        retention = int(m.group(1)) if m and 1 <= int(m.group(1)) <= 3650 else None
        cams = _int(row["number_of_owned_cameras"])
        fields: dict[str, float | None] = {"retention": retention, "cameras": cams if cams is not None and cams >= 0 else None}
        fields |= {k: _number(row[col]) for k, col in STATS.items()}
        for k, v in fields.items():
            defaults[k] += v is None
        data.portals[aid] = fields
    data.notes += [f"private_eyes: skipped {n:,} {what}" for what, n in skipped.items() if n]
    data.notes += [f"private_eyes: {n:,} portals without a usable {k} (defaulted)" for k, n in defaults.items() if n]
    return data


def real_agencies(cfg: WorldConfig, streams: Streams) -> tuple[Agencies, tuple[np.ndarray, ...], list[str]]:
    """Agencies, (src, dst, how) edge arrays and notes of a real-data world."""
    data = read_portal_data(data_dir(cfg.sharing.source))
    ids = sorted({i for e in data.edges for i in e} | set(data.portals))
    names = [data.names[i] for i in ids]
    listed_kind = [parse_kind(nm) for nm in names]
    # a configured unit the data names its own way ("US Postal Inspection Service" is USPIS) is that node
    granted = Counter(data.names[e] for _, e in data.edges)  # several offices may match: the most granted is the unit
    federal_names = sorted((nm for nm, k in zip(names, listed_kind, strict=True) if k == FEDERAL), key=lambda nm: -granted[nm])
    found = units_in_lists(cfg.agencies.federal_units, federal_names)
    unit_of = {nm: u for u, nm in found.items()}
    names += [u for u in cfg.agencies.federal_units if u not in found]
    n = len(names)
    index = {aid: k for k, aid in enumerate(ids)}
    src = np.array([index[s] for s, _ in data.edges], dtype=np.int32)
    dst = np.array([index[e] for _, e in data.edges], dtype=np.int32)
    kind = np.array(listed_kind + [FEDERAL] * (n - len(ids)), dtype=np.int8)
    notes = list(data.notes)
    state, inferred = _states(names, kind, src, dst, streams.get("world.agencies.state"), notes)
    portal = np.array([i in data.portals for i in ids] + [False] * (n - len(ids)))
    known = [data.portals.get(i, {}) for i in ids] + [{}] * (n - len(ids))
    cams = np.array([-1 if p.get("cameras") is None else int(p["cameras"]) for p in known], dtype=np.int64)
    retention = np.array([p.get("retention") or 0 for p in known], dtype=np.int16)
    owners = kind != FEDERAL
    fill = (cams < 0) & owners
    w = streams.get("world.alpr.counts").lognormal(math.log(cfg.alpr.per_agency_median), cfg.alpr.per_agency_sigma,
                                                    size=int(fill.sum()))
    left = max(cfg.alpr.total - int(cams[(cams > 0) & owners].sum()), 0)
    cams[fill] = 1 + largest_remainder(left - int(fill.sum()), w) if left >= fill.sum() else largest_remainder(left, w)
    cams[~owners] = largest_remainder(cfg.alpr.federal_cameras, np.ones(int((~owners).sum())))
    defaulted = owners & (~portal | fill | inferred | np.array([p.get("retention") is None for p in known]))
    x, y = _locations(state, streams)
    lat, lon = to_latlon(x, y)
    agencies = Agencies(
        name=np.array(names, dtype=object), kind=kind, state=state, lat=lat, lon=lon, x_m=x, y_m=y,
        national_lookup=np.zeros(n, dtype=bool), compliance_draw=np.ones(n),
        cameras=cams.astype(np.int32), retention_days=retention, defaulted=defaulted,
        **{k: np.array([np.nan if p.get(k) is None else p[k] for p in known], dtype=float) for k in STATS},
        unit=np.array([unit_of.get(nm, "") for nm in names[: len(ids)]] + names[len(ids):], dtype=object),
    )
    draw_flags(agencies, cfg, streams)
    notes.append(f"private_eyes: {len(ids):,} agencies ({len(data.portals):,} portals, "
                 f"{len({s for s, _ in data.edges}):,} with a sharing list), {len(data.edges):,} edges; "
                 f"{int(defaulted.sum()):,} agencies with defaulted attributes")
    if found:
        notes.append(f"private_eyes: configured federal units found in the data (kept under its names): {found}")
    if n > len(ids):
        notes.append(f"private_eyes: federal units not in the data added without grants: {names[len(ids):]}")
    return agencies, (src, dst, np.full(len(src), GRANT, dtype=np.int8)), notes


def _states(names: list[str], kind: np.ndarray, src: np.ndarray, dst: np.ndarray, rng: np.random.Generator,
            notes: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """State index per agency (-1 federal) and whether it was inferred rather than read from the name."""
    code_index = {c: i for i, c in enumerate(STATE_CODES)}
    parsed = [parse_state(nm) for nm in names]
    state = np.array([code_index[c] if c else -1 for c in parsed], dtype=np.int16)
    state[kind == FEDERAL] = -1
    unknown = np.flatnonzero((state < 0) & (kind != FEDERAL))
    inferred = np.zeros(len(names), dtype=bool)
    inferred[unknown] = True
    from_sharers = from_shared = drawn = 0
    for i in unknown:
        for others in (src[dst == i], dst[src == i]):
            votes = state[others]
            votes = votes[votes >= 0]
            if len(votes):
                state[i] = np.bincount(votes).argmax()
                break
        if state[i] >= 0:
            from_sharers += bool(len(src[dst == i]))
            from_shared += not len(src[dst == i])
            continue
        pops = np.array([BY_CODE[c].population_m for c in STATE_CODES])
        state[i] = rng.choice(len(STATE_CODES), p=pops / pops.sum())
        drawn += 1
    if len(unknown):
        notes.append(f"private_eyes: {len(unknown):,} agencies without a state in their name: {from_sharers:,} took the "
                     f"most common state of agencies sharing with them, {from_shared:,} of those they share with, "
                     f"{drawn:,} a population-weighted draw")
    return state, inferred


def _locations(state: np.ndarray, streams: Streams) -> tuple[np.ndarray, np.ndarray]:
    x = np.zeros(len(state))
    y = np.zeros(len(state))
    local = state >= 0
    x[local], y[local] = points_in_states(list(STATE_CODES), state[local].astype(np.int64),
                                          streams.get("world.agencies.location"))
    fx, fy = to_xy(FEDERAL_SEAT[0], FEDERAL_SEAT[1])
    x[~local], y[~local] = float(fx), float(fy)
    return x, y
