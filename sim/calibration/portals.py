"""Flock transparency-portal figures of two periods, and federal organisations in the sharing lists.

- 2024-04: the N&O "Private Eyes" snapshot shipped in data/private_eyes (MIT; read with
  `sim.world.private_eyes.read_portal_data`): 308 portals with a 30-day search count; the sharing lists of
  224 source agencies (which federal organisations each grants access to).
- 2026-04: the DeFlock/FlockHopper agencies shipped in data/flock_2026 (MIT; credit in its README; read
  with `sim.world.flock_2026_data.read_nodes`): 6,461 organisations, 906 with a portal and its 30-day
  figures; ``connections`` per organisation (agencies it shares with or receives from, as seen in the
  portals' lists; the edge list is not published).

`portal_searches(period)` gives the 30-day search counts of a period's portals (zeros included), and
`portal_searches_by_type(period)` those of its sheriffs' and local police's portals (2024: typed by name,
`sim.world.agency_names`, every one of the 308 a sheriff's or local police's; 2026: the nodes file's ``so`` and
``pd``, the 19 school portals left out); `poststratified(period, share)` weights the period's portals so that
sheriffs make a given share of them (the portals hold fewer sheriffs, 9.4% in 2024 and 12.3% in 2026, than the
sharing lists, 18-20%, and the model);
`federal_connections_2026()` the connection counts of the federal organisations of 2026,
`portal_connections_2026()` those of the 2026 portals;
`federal_grants_2024()` how many of the 224 listing agencies grant each federal organisation;
`vehicles_per_camera_day(period)` each portal's vehicles detected in 30 days / its cameras / 30 (an *agency's
average* over its cameras; 2026: the nodes file's ``vehicles`` and ``cameras``, FlockHopper's vehiclesCaptured).
Units: searches per agency per 30 days; organisations; vehicles per camera-day.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from sim.world.agency_names import parse_kind
from sim.world.flock_2026_data import SHIPPED as FLOCK_2026
from sim.world.flock_2026_data import Nodes, read_nodes
from sim.world.private_eyes import SHIPPED as PRIVATE_EYES
from sim.world.private_eyes import read_portal_data
from sim.world.types import AGENCY_TYPES

PERIODS = ("2024", "2026")
# Federal organisations of the 2024 lists, by the name the lists give them (N&O 2024 edge list).
FEDERAL_2024 = {"USPIS": "US Postal Inspection Service", "FBI": "FBI", "ATF": "ATF Nashville TN"}
PORTAL_TYPES = ("sheriff", "local_police")  # the agency types with portals enough to compare
NODE_TYPES = {"sheriff": "so", "local_police": "pd"}  # the 2026 nodes file's type of each


def _nodes_2026() -> Nodes:
    return read_nodes(FLOCK_2026)


@lru_cache(maxsize=2)
def portal_searches(period: str) -> np.ndarray:
    """30-day search counts of the period's portals that report one (float64, zeros kept)."""
    if period == "2024":
        portals = read_portal_data(PRIVATE_EYES).portals.values()
        x = np.array([p["searches_30d"] for p in portals if p.get("searches_30d") is not None], dtype=float)
    elif period == "2026":
        nodes = _nodes_2026()
        x = nodes.searches[nodes.portal].astype(float)
    else:
        raise ValueError(f"period must be one of {list(PERIODS)}, got {period!r}")
    return x


@lru_cache(maxsize=2)
def portal_searches_by_type(period: str) -> dict[str, np.ndarray]:
    """Agency type (`PORTAL_TYPES`) -> 30-day search counts of the period's portals of that type (zeros kept)."""
    if period == "2024":
        data = read_portal_data(PRIVATE_EYES)
        out: dict[str, list[float]] = {t: [] for t in PORTAL_TYPES}
        for aid, p in data.portals.items():
            kind = AGENCY_TYPES[parse_kind(data.names.get(aid, ""))]
            if p.get("searches_30d") is not None and kind in out:
                out[kind].append(float(p["searches_30d"]))  # type: ignore[arg-type]
        return {t: np.array(x) for t, x in out.items()}
    if period == "2026":
        nodes = _nodes_2026()
        return {t: nodes.searches[nodes.portal & (nodes.type == code)].astype(float) for t, code in NODE_TYPES.items()}
    raise ValueError(f"period must be one of {list(PERIODS)}, got {period!r}")


@lru_cache(maxsize=2)
def portal_sheriffs(period: str) -> np.ndarray:
    """Whether each portal of `portal_searches(period)` (same order) is a sheriff's (bool)."""
    if period == "2024":
        data = read_portal_data(PRIVATE_EYES)
        return np.array([AGENCY_TYPES[parse_kind(data.names.get(aid, ""))] == "sheriff"
                         for aid, p in data.portals.items() if p.get("searches_30d") is not None])
    if period == "2026":
        nodes = _nodes_2026()
        return nodes.type[nodes.portal] == NODE_TYPES["sheriff"]
    raise ValueError(f"period must be one of {list(PERIODS)}, got {period!r}")


def weighted_quantile(x: np.ndarray, w: np.ndarray, q: float) -> float:
    """Quantile `q` of `x` under weights `w`: numpy's default (linear) rule when the weights are equal; in general the
    sorted values sit at (weight before them) / (total weight - the largest value's weight), interpolated."""
    order = np.argsort(x, kind="stable")
    xs, ws = np.asarray(x, dtype=float)[order], np.asarray(w, dtype=float)[order]
    before = np.cumsum(ws) - ws
    return float(np.interp(q, before / (ws.sum() - ws[-1]), xs))


def poststratified(period: str, sheriff_share: float) -> tuple[np.ndarray, np.ndarray]:
    """(30-day searches, weights) of the period's portals, sheriffs' portals weighted up or down so that they make
    `sheriff_share` of the weight (the rest, local police and the few others, 1 - that), each group's own spread kept."""
    return portal_searches(period), sheriff_weights(portal_sheriffs(period), sheriff_share)


def sheriff_weights(is_sheriff: np.ndarray, sheriff_share: float) -> np.ndarray:
    """Weights (float64, one per portal) under which the sheriffs' portals (`is_sheriff`) make `sheriff_share` of the
    total and the others the rest, each group's weights equal. A group with no portals can hold only a share of 0 (its
    partner's weights are then 1, the portals unweighted); asked for more, it is refused (ValueError), never
    weighted by a division by zero (inf / NaN weights)."""
    so = np.asarray(is_sheriff, dtype=bool)
    n_so, n_other = int(so.sum()), int((~so).sum())
    for group, n, want in (("sheriffs'", n_so, sheriff_share), ("other agencies'", n_other, 1 - sheriff_share)):
        if n == 0 and want > 0:
            raise ValueError(f"cannot weight {len(so)} portals to a sheriff share of {sheriff_share:g}: "
                             f"they hold no {group} portal")
    have = n_so / len(so)
    return np.where(so, sheriff_share / have if n_so else 0.0, (1 - sheriff_share) / (1 - have) if n_other else 0.0)


def federal_connections_2026() -> dict[str, int]:
    """Name -> connections of the organisations typed ``federal`` in the 2026 lists."""
    nodes = _nodes_2026()
    fed = np.flatnonzero(nodes.type == "federal")
    return {str(nodes.name[i]): int(nodes.connections[i]) for i in fed}


def portal_connections_2026() -> np.ndarray:
    """``connectionCount`` of the 906 portals of 2026 (agencies each shares with or receives from; int64)."""
    nodes = _nodes_2026()
    return nodes.connections[nodes.portal].astype(np.int64)


def portals_2026() -> int:
    return int(_nodes_2026().portal.sum())


@lru_cache(maxsize=1)
def federal_grants_2024() -> tuple[int, dict[str, int]]:
    """(source agencies with a listed sharing list, {federal unit: how many of them grant it})."""
    data = read_portal_data(PRIVATE_EYES)
    sources = {src for src, _ in data.edges}
    out = {}
    for unit, name in FEDERAL_2024.items():
        out[unit] = len({src for src, ext in data.edges if data.names.get(ext) == name})
    return len(sources), out


@lru_cache(maxsize=2)
def vehicles_per_camera_day(period: str) -> tuple[np.ndarray, np.ndarray]:
    """(vehicles detected per camera-day, owned cameras) of the period's portals stating both above 0 (float64,
    int64): 322 portals in 2024, 770 in 2026 (36 more state vehicles beside 0 cameras and are left out)."""
    if period == "2024":
        portals = read_portal_data(PRIVATE_EYES).portals.values()
        pairs = [(p["vehicles_30d"], p["cameras"]) for p in portals if p.get("cameras") and p.get("vehicles_30d")]
        vehicles, cameras = (np.array(x, dtype=float) for x in zip(*pairs, strict=True))
    elif period == "2026":
        nodes = _nodes_2026()
        keep = nodes.portal & (nodes.cameras > 0) & (nodes.vehicles > 0)
        vehicles, cameras = nodes.vehicles[keep].astype(float), nodes.cameras[keep].astype(float)
    else:
        raise ValueError(f"period must be one of {list(PERIODS)}, got {period!r}")
    return vehicles / cameras / 30.0, cameras.astype(np.int64)
