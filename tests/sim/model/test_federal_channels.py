"""Federal reach by channel: the reach-based proxy channel equals the AccessTable's; the state split adds up."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from sim.config import load_scenario, with_overrides
from sim.model.access import AccessTable
from sim.model.alpr_reach import Reach
from sim.model.federal_channels import CHANNELS, owner_channels, proxy_open, state_channels
from sim.model.policy_effects import policy_effects
from sim.world.build import build_world_cached
from sim.world.types import FEDERAL
from tests.conftest import SCENARIOS


@pytest.mark.parametrize("values", [{}, {"policy.overrides": [
    {"where": {"state": "NC"}, "set": {"state_law": True, "state_law_compliance": 1.0}},
    {"where": {"state": "CA", "cameras_min": 10}, "set": {"sharing_scope": "in_state", "federal_grants": False}}]}])
def test_channels(values: dict[str, Any]) -> None:
    sc = with_overrides(load_scenario(SCENARIOS / "small.yaml"), {"world.states": ["NC", "CA"]} | values, "test")
    world = build_world_cached(sc)
    fx = policy_effects(world, sc.policy)
    access = AccessTable(world, fx)
    columns = owner_channels(world, fx, access)
    reach = Reach(world, access, np.full(len(world.agencies), 30), (1, 7), fx.national_lookup, fx.federal_lookup,
                  fx.federal_admitted)
    runners = (world.agencies.kind != FEDERAL) & ~fx.proxy_refused
    assert np.array_equal(proxy_open(reach, runners), columns["federal.proxy_open"])
    by_state = state_channels(world, columns)
    owners = world.agencies.kind != FEDERAL
    assert sum(v[c] for v in by_state.values() for c in CHANNELS) == owners.sum()
    assert sum(v[f"{c}_cameras"] for v in by_state.values() for c in CHANNELS) == world.agencies.cameras[owners].sum()
    if values:  # NC agencies all refuse federal searchers: no unit reaches them itself, and they run no proxies
        nc = by_state["NC"]
        assert nc["direct"] == 0 and nc["lookup_only"] == 0
