"""A hand-made world for the service tests: two agencies in different states, a third sharing with the first,
a federal unit, two residents near the first agency's centre and one camera per local agency.

Agencies (ids = indices): 0 "Raleigh PD" (local, NC), 1 "Oakland PD" (local, CA, law-compliant, CA has a state
law), 2 "Durham PD" (local, NC, shares with 0), 3 "ICE-HSI" (federal). Agencies 1 and 2 opted into national lookup.
Sharing edges (owner -> grantee): 2 -> 0 (grant), 1 -> 3 (grant: refused by CA law), 2 -> 3 (grant).
"""

from __future__ import annotations

import networkx as nx
import numpy as np

from sim.config.policy import Policy
from sim.geo.states import STATE_CODES
from sim.world.types import FEDERAL, LOCAL, Agencies, Cameras, Households, Places, World

NC, CA = STATE_CODES.index("NC"), STATE_CODES.index("CA")
RALEIGH, OAKLAND, DURHAM, FEDS = 0, 1, 2, 3
CENTRE = (35.78, -78.64)


def _places(lat: list[float], lon: list[float], agency: list[int]) -> Places:
    z = np.zeros(len(lat))
    return Places(z, z, np.array(lat), np.array(lon), np.full(len(lat), NC, dtype=np.int16), np.array(agency, dtype=np.int32))


def tiny_world() -> World:
    f = np.array
    agencies = Agencies(
        name=f(["Raleigh PD", "Oakland PD", "Durham PD", "ICE-HSI"]),
        kind=f([LOCAL, LOCAL, LOCAL, FEDERAL], dtype=np.int8),
        state=f([NC, CA, NC, -1], dtype=np.int16),
        lat=f([35.78, 37.80, 35.99, 38.9]),
        lon=f([-78.64, -122.27, -78.90, -77.0]),
        x_m=np.zeros(4),
        y_m=np.zeros(4),
        national_lookup=f([False, True, True, False]),
        compliance_draw=f([0.0, 0.0, 0.0, 1.0]),  # honours state laws under any compliance share > 0
        cameras=f([1, 1, 1, 0], dtype=np.int32),
        retention_days=f([30, 30, 30, 30], dtype=np.int16),
        defaulted=np.zeros(4, dtype=bool),
    )
    lat0, lon0 = CENTRE
    households = Households(
        neighborhood=f([0, 0], dtype=np.int32),
        agency=f([RALEIGH, RALEIGH], dtype=np.int32),
        x_m=np.zeros(2),
        y_m=np.zeros(2),
        lat=f([lat0 + 0.001, lat0 - 0.001]),
        lon=f([lon0, lon0]),
        cameras=f([1, 2], dtype=np.int8),
        paid=f([True, True]),
        retention_days=f([30, 60], dtype=np.int16),
    )
    cameras = Cameras(
        owner=f([RALEIGH, OAKLAND, DURHAM], dtype=np.int32),
        x_m=np.zeros(3),
        y_m=np.zeros(3),
        lat=f([35.78, 37.80, 35.99]),
        lon=f([-78.64, -122.27, -78.90]),
        site=np.zeros(3, dtype=np.int8),
    )
    graph = nx.DiGraph()
    graph.add_nodes_from(range(4))
    graph.add_edge(DURHAM, RALEIGH, how="grant")
    graph.add_edge(OAKLAND, FEDS, how="grant")
    graph.add_edge(DURHAM, FEDS, how="grant")
    hood = _places([lat0], [lon0], [RALEIGH])
    return World(agencies, hood, _places([], [], []), _places([], [], []), households, cameras, graph)


def tiny_policy(**changes: object) -> Policy:
    return Policy(**{"state_laws": ["CA"], **changes})
