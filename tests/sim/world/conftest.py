"""Fixtures for world tests: the small scenario's world, and hand-built worlds for the access rules."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from sim.config import Scenario, load_scenario
from sim.geo.states import STATE_CODES
from sim.world import build_world
from sim.world.sharing import GRANT, HOW, build_graph
from sim.world.types import AGENCY_TYPES, Agencies, Cameras, Households, Places, World


@pytest.fixture(scope="session")
def small_scenario() -> Scenario:
    from tests.conftest import SCENARIOS

    return load_scenario(SCENARIOS / "small.yaml")


@pytest.fixture(scope="session")
def small_world(small_scenario: Scenario) -> World:
    return build_world(small_scenario)


def _empty_places() -> Places:
    z = np.zeros(0)
    return Places(z, z, z, z, np.zeros(0, np.int16), np.zeros(0, np.int32))


def hand_world(
    agencies: list[tuple[str, str, str]],
    edges: list[tuple[int, int, str]],
    *,
    national: list[bool] | None = None,
    compliant: list[bool] | None = None,
    cameras: list[int] | None = None,
) -> World:
    """A world of named agencies (name, kind, state code or "" for federal) and edges (owner, searcher, how)."""
    n = len(agencies)
    kind = np.array([AGENCY_TYPES.index(k) for _, k, _ in agencies], dtype=np.int8)
    state = np.array([STATE_CODES.index(s) if s else -1 for _, _, s in agencies], dtype=np.int16)
    z = np.zeros(n)
    a = Agencies(
        name=np.array([nm for nm, _, _ in agencies], dtype=object),
        kind=kind,
        state=state,
        lat=z, lon=z, x_m=z, y_m=z,
        national_lookup=np.array(national if national is not None else [False] * n, dtype=bool),
        compliance_draw=np.where(np.array(compliant if compliant is not None else [False] * n, dtype=bool), 0.0, 1.0),
        cameras=np.array(cameras if cameras is not None else [1] * n, dtype=np.int32),
        retention_days=np.zeros(n, dtype=np.int16),
        defaulted=np.zeros(n, dtype=bool),
    )
    src = np.array([u for u, _, _ in edges], dtype=np.int32)
    dst = np.array([v for _, v, _ in edges], dtype=np.int32)
    how = np.array([HOW.index(h) for _, _, h in edges] if edges else [GRANT][:0], dtype=np.int8)
    graph = build_graph(a, src, dst, how)
    e = np.zeros(0)
    hh = Households(np.zeros(0, np.int32), np.zeros(0, np.int32), e, e, e, e, np.zeros(0, np.int8),
                    np.zeros(0, bool), np.zeros(0, np.int16))
    cams = Cameras(np.zeros(0, np.int32), e, e, e, e, np.zeros(0, np.int8))
    return World(a, _empty_places(), _empty_places(), _empty_places(), hh, cams, graph)


@pytest.fixture
def make_world() -> Callable[..., World]:
    return hand_world
