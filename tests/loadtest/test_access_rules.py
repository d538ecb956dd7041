"""The service's SQL sharing rules agree with `sim.model.access.AccessTable` on the small scenario's world."""

from __future__ import annotations

import numpy as np
import pytest

from loadtest.service.bootstrap import seed
from loadtest.service.queries.access import visible_owners
from sim.config import load_scenario
from sim.model.access import SCOPES, AccessTable
from sim.model.policy_effects import policy_effects
from sim.world import build_world

POLICIES = [
    {},
    {"policy.federal_firewall": True},
    {"policy.sharing_scope": "in_state"},
    {"policy.sharing_scope": "none"},
    {"policy.national_lookup": False, "policy.state_laws": ["NC"]},
]


@pytest.mark.parametrize("changes", POLICIES, ids=lambda c: ",".join(f"{k}={v}" for k, v in c.items()) or "baseline")
def test_sql_rules_match_access_table(db, scenarios_dir, changes):
    scenario = load_scenario(scenarios_dir / "small.yaml", [f"{k}={v}" for k, v in changes.items()])
    world = build_world(scenario)
    seed(db, world, scenario.policy, limit=None)
    table = AccessTable(world, policy_effects(world, scenario.policy))
    with_cameras = np.zeros(len(world.agencies), dtype=bool)
    with_cameras[world.cameras.owner] = True
    federal = np.flatnonzero(world.agencies.kind == 3)
    searchers = sorted({*range(0, len(world.agencies), 7), *federal.tolist()})
    checked = 0
    with db.read() as tx:
        for s in searchers:
            for scope in SCOPES:
                expected = [int(o) for o in table.owners(s, scope) if with_cameras[o]]
                assert visible_owners(tx, s, scope) == expected, (s, scope)
                assert len(expected) == table.networks[scope][s]
                checked += len(expected)
    assert checked > 0
