"""Federal reach by channel: the reach-based proxy channel equals the AccessTable's; the state split adds up."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from sim.config import load_scenario, with_overrides
from sim.geo.states import STATE_CODES
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


def channels_of(values: dict[str, Any]) -> tuple[Any, Any, Any, dict[str, dict[str, int]]]:
    sc = with_overrides(load_scenario(SCENARIOS / "small.yaml"), {"world.states": ["NC", "CA"]} | values, "test")
    world = build_world_cached(sc)
    fx = policy_effects(world, sc.policy)
    access = AccessTable(world, fx)
    return world, fx, access, state_channels(world, owner_channels(world, fx, access))


def test_a_platform_rule_closes_searchers_but_not_the_state_s_own_proxies() -> None:
    """A platform rule (NC ``out_of_state_sharing: false``, no state law) refuses every out-of-state and federal
    searcher, but cannot see an NC officer's lookup run for a federal unit: NC police may proxy, and NC's networks
    stay open through them (the old model closed all of them: proxy refusal followed the searcher refusal)."""
    world, fx, access, by_state = channels_of({"policy.state_laws": [], "policy.state_rules": {
        "NC": {"may_run_national_lookup": True, "out_of_state_sharing": False}}})
    a = world.agencies
    nc = a.state == STATE_CODES.index("NC")
    owner = a.kind != FEDERAL
    assert fx.refuses_federal[nc & owner].all() and fx.refuses_out_of_state[nc & owner].all()
    assert not fx.proxy_refused.any()  # no law, no firewall: nobody is bound against proxying
    # direct access and lookups from out of state and by federal units: closed
    outside = np.flatnonzero(~nc[: a.n_searchers])
    assert outside.size and (a.kind[outside] == FEDERAL).any()
    national = access.matrix["national"][outside].tocsc()
    assert national[:, np.flatnonzero(nc)].nnz == 0
    nc_ch = by_state["NC"]
    assert nc_ch["direct"] == 0 and nc_ch["lookup_only"] == 0
    # ... while NC's own police proxy for federal units: most of its networks are open only that way
    assert nc_ch["proxy_only"] > 0.5 * (nc & owner).sum()


def test_a_state_law_every_owner_complies_with_closes_its_proxies() -> None:
    """A state law at compliance 1 binds every agency of the state: no runner there, and no channel at all."""
    world, fx, _, by_state = channels_of({"policy.state_laws": ["NC"], "policy.state_law_compliance": 1.0,
                                          "policy.state_rules": {}})
    nc = world.agencies.state == STATE_CODES.index("NC")
    owner = world.agencies.kind != FEDERAL
    assert fx.proxy_refused[nc & owner].all() and not fx.proxy_refused[~nc].any()
    assert by_state["NC"]["none"] == (nc & owner).sum()
