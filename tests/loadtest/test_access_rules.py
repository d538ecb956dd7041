"""The service's SQL scopes are the model's search scopes (`sim.model.alpr_reach.Reach`): local, shared 1:1,
statewide lookup, national lookup, under national levers and per-agency overrides, on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any, get_args

import numpy as np
import pytest

from loadtest.service.bootstrap import seed
from loadtest.service.models.common import Scope
from loadtest.service.queries.access import SCOPE_RANK, visible_owners
from sim.config import load_scenario, with_overrides
from sim.config.behavior_alpr import SEARCH_SCOPES
from sim.model.access import AccessTable
from sim.model.alpr_reach import Reach
from sim.model.policy_effects import policy_effects
from sim.world.build import build_world_cached
from sim.world.types import FEDERAL, PRIVATE
from tests.conftest import SCENARIOS
from tests.loadtest.worlds import DURHAM, FEDS, OAKLAND, RALEIGH, tiny_policy, tiny_world

# Two states, and 30% of grants across a state line, so `shared` holds more than in-state sharing; CA's platform
# rule (the baseline's: closed to out-of-state searchers, no national lookup) applies unless a policy drops it.
WORLD = {"world.states": ["NC", "CA"], "world.agencies.local_police": 120, "world.sharing.in_state_share": 0.7}
POLICIES = [
    {},
    {"policy.federal_access": "open", "policy.state_rules": {}},
    {"policy.federal_access": "federal_category"},  # the reach of paused (the default): docs/MODEL.md
    {"policy.federal_firewall": True, "policy.federal_access": "open"},
    {"policy.sharing_scope": "in_state"},
    {"policy.sharing_scope": "none"},
    {"policy.national_lookup": False, "policy.state_laws": ["NC"]},
    {"policy.overrides": [
        {"where": {"state": "NC", "type": "sheriff"}, "set": {"sharing_scope": "in_state"}},
        {"where": {"cameras_min": 5}, "set": {"federal_grants": False, "statewide_sharing": False}},
        {"where": {"state": "CA"}, "set": {"national_lookup": True, "state_law": False}},
        {"where": {"state": "NC", "type": "local_police", "cameras_max": 3}, "set": {"national_lookup": False}},
    ]},
]


def model(changes: dict[str, Any]):
    scenario = with_overrides(load_scenario(SCENARIOS / "small.yaml"), WORLD | changes, "test")
    world = build_world_cached(scenario)
    fx = policy_effects(world, scenario.policy)
    reach = Reach(world, AccessTable(world, fx), np.full(len(world.agencies), 30), (1,), fx.national_lookup,
                  fx.federal_lookup, fx.federal_admitted)
    return scenario, world, fx, reach


@pytest.mark.parametrize("changes", POLICIES, ids=lambda c: ",".join(f"{k}={v}" for k, v in c.items())[:60] or "baseline")
def test_sql_scopes_are_the_model_search_scopes(db, changes):
    scenario, world, fx, reach = model(changes)
    seed(db, world, scenario.policy, limit=None)
    with_cameras = np.zeros(len(world.agencies), dtype=bool)
    with_cameras[world.cameras.owner] = True
    federal = np.flatnonzero(world.agencies.kind == FEDERAL)
    searchers = sorted({*range(0, world.agencies.n_searchers, 9), *federal.tolist()})  # private owners never search
    private = world.agencies.kind == PRIVATE
    sizes = {s: 0 for s in SEARCH_SCOPES}
    private_seen = 0
    with db.read() as tx:
        for s in searchers:
            for scope in SEARCH_SCOPES:
                # a searcher whose state's platform rule bars national lookup runs its national search statewide
                as_run = "statewide" if scope == "national" and fx.no_national_lookup[s] else scope
                expected = [int(o) for o in reach.owners(s, as_run) if with_cameras[o]]
                assert visible_owners(tx, s, scope) == expected, (s, scope)
                sizes[scope] += len(expected)
                private_seen += int(private[expected].sum())
    assert private.any() and (private_seen > 0 or changes.get("policy.sharing_scope") == "none")
    assert sizes["local"] < sizes["shared"] or changes.get("policy.sharing_scope") == "none"
    if changes == POLICIES[1]:  # without CA's platform rule each wider scope reaches more in this world
        assert sizes["local"] < sizes["shared"] < sizes["statewide"] < sizes["national"], sizes


def test_each_scope_holds_the_one_before(db):
    """local <= shared <= statewide <= national for every searcher, and statewide adds only in-state owners."""
    scenario, world, fx, _ = model({"policy.state_rules": {}})
    seed(db, world, scenario.policy, limit=None)
    state = np.asarray(world.agencies.state)
    added_in_state = out_of_state_shared = 0
    with db.read() as tx:
        for s in range(0, world.agencies.n_searchers, 5):
            got = [set(visible_owners(tx, s, scope)) for scope in sorted(SCOPE_RANK, key=SCOPE_RANK.get)]
            assert all(a <= b for a, b in zip(got, got[1:], strict=False)), s
            _, shared, statewide, _ = got
            assert all(state[o] == state[s] for o in statewide - shared), s
            added_in_state += len(statewide - shared)
            out_of_state_shared += sum(state[o] != state[s] for o in shared)
    assert added_in_state > 0 and out_of_state_shared > 0  # both widenings happen in this world


def seeded(db, **policy: Any) -> None:
    seed(db, tiny_world(), tiny_policy(**policy), limit=None)


def test_statewide_is_a_lookup_of_in_state_networks_not_in_state_grants(db):
    """Durham (NC, opted into lookups) stops sharing with Raleigh (NC): Raleigh's statewide search still reaches
    it (the statewide lookup), its shared search does not. The old SQL's statewide (in-state grants) did not."""
    seeded(db)
    with db.write() as tx:
        tx.execute("DELETE FROM grants WHERE owner = :o AND grantee = :g", {"o": DURHAM, "g": RALEIGH})
    with db.read() as tx:
        assert visible_owners(tx, RALEIGH, "shared") == [RALEIGH]
        assert visible_owners(tx, RALEIGH, "statewide") == [RALEIGH, DURHAM]
        assert visible_owners(tx, RALEIGH, "national") == [RALEIGH, DURHAM]  # Oakland (CA law) refuses


def test_statewide_lookup_stops_at_the_state_line(db):
    """Oakland (CA) opted in; with CA's law and platform rule lifted, Raleigh reaches it nationally but not
    statewide; with no grant from Oakland, not shared either."""
    seeded(db, state_laws=[], state_rules={})
    with db.read() as tx:
        assert OAKLAND not in visible_owners(tx, RALEIGH, "statewide")
        assert OAKLAND in visible_owners(tx, RALEIGH, "national")


def test_a_federal_units_statewide_search_reaches_its_grants(db):
    """A federal unit has no state: statewide reaches what is shared with it 1:1 (Durham's grant). The old SQL's
    statewide needed a common state, so it reached nothing but its own."""
    seeded(db)
    with db.read() as tx:
        assert visible_owners(tx, FEDS, "shared") == visible_owners(tx, FEDS, "statewide") == [DURHAM]


def test_national_search_runs_statewide_where_the_state_bars_national_lookup(db):
    """A platform state rule barring national lookup in NC: Raleigh's national search reaches what its statewide
    search does (Oakland, opted in, out of state, stays out), as the model downgrades it."""
    seeded(db, state_laws=[], state_rules={"NC": {"may_run_national_lookup": False, "out_of_state_sharing": True}})
    with db.read() as tx:
        assert visible_owners(tx, RALEIGH, "national") == visible_owners(tx, RALEIGH, "statewide") == [RALEIGH, DURHAM]


def test_the_service_scopes_are_the_model_scopes_by_name():
    """One name, one meaning: the API's scope values, the SQL ranks and the scenario's search scopes (which the
    load generator draws from) are the same list, in the same order of breadth."""
    assert tuple(get_args(Scope)) == tuple(sorted(SCOPE_RANK, key=SCOPE_RANK.get)) == SEARCH_SCOPES
