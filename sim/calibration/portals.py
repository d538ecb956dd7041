"""Flock transparency-portal figures of two periods, and federal organisations in the sharing lists.

- 2024-04: the N&O "Private Eyes" snapshot shipped in data/private_eyes (MIT; read with
  `sim.world.private_eyes.read_portal_data`): 308 portals with a 30-day search count; the sharing lists of
  224 source agencies (which federal organisations each grants access to).
- 2026-04: the DeFlock/FlockHopper agencies shipped in data/flock_2026 (MIT; credit in its README; read
  with `sim.world.flock_2026_data.read_nodes`): 6,461 organisations, 906 with a portal and its 30-day
  figures; ``connections`` per organisation (agencies it shares with or receives from, as seen in the
  portals' lists; the edge list is not published).

`portal_searches(period)` gives the 30-day search counts of a period's portals (zeros included);
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

from sim.world.flock_2026_data import SHIPPED as FLOCK_2026
from sim.world.flock_2026_data import Nodes, read_nodes
from sim.world.private_eyes import SHIPPED as PRIVATE_EYES
from sim.world.private_eyes import read_portal_data

PERIODS = ("2024", "2026")
# Federal organisations of the 2024 lists, by the name the lists give them (N&O 2024 edge list).
FEDERAL_2024 = {"USPIS": "US Postal Inspection Service", "FBI": "FBI", "ATF": "ATF Nashville TN"}


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
