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


def test_shared_scope_is_every_grant_in_any_state(db, scenarios_dir):
    """`shared` (Flock's shared networks) reaches owners sharing 1:1 in any state: it holds `statewide`, lies
    within `national`, and what it adds to `statewide` is out of the searcher's state."""
    scenario = load_scenario(scenarios_dir / "small.yaml")
    world = build_world(scenario)
    seed(db, world, scenario.policy, limit=None)
    state = world.agencies.state
    with_cameras = np.zeros(len(world.agencies), dtype=bool)
    with_cameras[world.cameras.owner] = True
    # one owner moved across a state line with a 1:1 grant to a searcher, so the scope adds something to
    # `statewide` (the small world may lie in one state); the other checks hold for any world
    searcher = next(s for s in range(len(world.agencies)) if world.agencies.kind[s] != 3)
    owner = int(next(o for o in np.flatnonzero(with_cameras) if o != searcher))
    with db.write() as tx:
        tx.execute("UPDATE agencies SET state = 'ZZ' WHERE id = :o", {"o": owner})
        tx.execute("DELETE FROM grants WHERE owner = :o AND grantee = :g", {"o": owner, "g": searcher})
        tx.execute("INSERT INTO grants (owner, grantee, how, created) VALUES (:o, :g, 'grant', 0)", {"o": owner, "g": searcher})
    state = np.array(state, dtype=object)
    state[owner] = "ZZ"
    added_out_of_state = 0
    with db.read() as tx:
        assert owner in visible_owners(tx, searcher, "shared")
        assert owner not in visible_owners(tx, searcher, "statewide")
        for s in range(0, len(world.agencies), 5):
            statewide = set(visible_owners(tx, s, "statewide"))
            shared = set(visible_owners(tx, s, "shared"))
            national = set(visible_owners(tx, s, "national"))
            assert statewide <= shared <= national, s
            assert all(state[o] != state[s] for o in shared - statewide), s
            added_out_of_state += len(shared - statewide)
    assert added_out_of_state > 0
