"""policy.overrides: selectors, order, equivalence with the national levers, errors naming the override."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from sim.config import ScenarioError, load_scenario, with_overrides
from sim.model.access import ACCESS_SCOPES, AccessTable
from sim.model.policy_effects import policy_effects
from sim.model.policy_select import check_overrides
from sim.world.build import build_world_cached
from sim.world.types import FEDERAL
from tests.conftest import SCENARIOS


def scenario(values: dict[str, Any]) -> Any:
    base = {"world.states": ["NC", "CA"], "world.agencies.local_police": 120}
    return with_overrides(load_scenario(SCENARIOS / "small.yaml"), base | values, "test")


def effects(values: dict[str, Any]) -> Any:
    sc = scenario(values)
    world = build_world_cached(sc)
    return world, policy_effects(world, sc.policy)


def same_access(a: Any, b: Any, world: Any) -> bool:
    ta, tb = AccessTable(world, a), AccessTable(world, b)
    return all((ta.matrix[s] != tb.matrix[s]).nnz == 0 for s in ACCESS_SCOPES)


@pytest.mark.parametrize("lever,value,field", [
    ("sharing_scope", "in_state", "sharing_scope"), ("sharing_scope", "none", "sharing_scope"),
    ("federal_firewall", True, "federal_firewall"), ("alpr_retention_days", 7, "alpr_retention_days"),
    ("state_law_compliance", 0.5, "state_law_compliance"),
])
def test_an_override_of_every_agency_is_the_national_lever(lever: str, value: Any, field: str) -> None:
    world, national = effects({f"policy.{lever}": value})
    _, override = effects({"policy.overrides": [{"set": {field: value}}]})
    assert np.array_equal(national.alpr_retention_days, override.alpr_retention_days)
    assert np.array_equal(national.refuses_federal, override.refuses_federal)
    assert same_access(national, override, world)


def test_a_state_law_is_a_state_level_override() -> None:
    world, by_list = effects({"policy.state_laws": ["NC"]})
    _, by_override = effects({"policy.state_laws": [], "policy.overrides": [{"where": {"state": "NC"},
                                                                               "set": {"state_law": True}}]})
    assert np.array_equal(by_list.refuses_out_of_state, by_override.refuses_out_of_state)
    assert by_list.refuses_out_of_state.any()
    assert same_access(by_list, by_override, world)


def test_selectors_and_order() -> None:
    world, fx = effects({"policy.overrides": [
        {"where": {"state": "NC", "type": ["sheriff", "local_police"]}, "set": {"sharing_scope": "none"}},
        {"where": {"agency": ["NC PD 0001", 3], "cameras_min": 0}, "set": {"sharing_scope": "in_state"}},
    ]})
    a = world.agencies
    nc = a.state == 33
    picked = nc & np.isin(a.kind, [0, 1])
    expected = np.where(picked, 2, 0)
    expected[[int(np.flatnonzero(a.name == "NC PD 0001")[0]), 3]] = 1  # the later override wins
    assert np.array_equal(fx.sharing_scope, expected)
    assert fx.override_agencies == (int(picked.sum()), 2)
    table = AccessTable(world, fx)
    closed = np.flatnonzero(fx.sharing_scope == 2)
    # nobody but the owner itself searches an owner with sharing_scope none
    nat = table.matrix["national"].tocsc()
    for owner in closed[:20]:
        assert nat[:, owner].nonzero()[0].tolist() == [owner]


def test_dropping_federal_grants_and_statewide_edges() -> None:
    world, base = effects({"policy.national_lookup": False})
    _, cut = effects({"policy.national_lookup": False,
                      "policy.overrides": [{"set": {"federal_grants": False, "statewide_sharing": False}}]})
    fed = np.flatnonzero(world.agencies.kind == FEDERAL)
    before, after = AccessTable(world, base), AccessTable(world, cut)
    assert before.networks["national"][fed].sum() > 0  # the federal units had grants (networks with cameras)
    assert after.networks["national"][fed].sum() == 0
    assert after.networks["in_state_shared"].sum() < before.networks["in_state_shared"].sum()


def test_moderation_per_agency_and_as_the_national_lever() -> None:
    rule = {"blocked": ["theft"], "warned": ["traffic"]}
    world, national = effects({"policy.moderation": rule})
    _, everyone = effects({"policy.overrides": [{"set": {"moderation": rule}}]})
    for fx in (national, everyone):
        assert {fx.moderation_rules[r] for r in fx.moderation_rule} == {(frozenset({"theft"}), frozenset({"traffic"}))}
    _, nc_only = effects({"policy.overrides": [{"where": {"state": "NC"}, "set": {"moderation": {"blocked": ["theft"]}}},
                                               {"where": {"state": "CA"}, "set": {"national_lookup": False}}]})
    nc = world.agencies.state == 33
    got = [nc_only.moderation_rules[r] for r in nc_only.moderation_rule]
    assert all(g == (frozenset({"theft"}), frozenset()) for g, n in zip(got, nc, strict=True) if n)
    assert all(g == (frozenset(), frozenset()) for g, n in zip(got, nc, strict=True) if not n)
    with pytest.raises(ScenarioError) as err:
        scenario({"policy.overrides": [{"set": {"moderation": {"blokced": ["theft"]}}}]})
    assert "policy.overrides.0.set.moderation.blokced" in str(err.value)


def test_unknown_agency_name_names_the_override_and_suggests() -> None:
    sc = scenario({"policy.overrides": [{"set": {"national_lookup": False}},
                                        {"where": {"agency": "nc pd 0001"}, "set": {"national_lookup": False}}]})
    world = build_world_cached(sc)
    with pytest.raises(ScenarioError) as err:
        check_overrides(world, sc.policy)
    text = str(err.value)
    assert "policy.overrides.1.where.agency" in text and "did you mean" in text and "'NC PD 0001'" in text


def test_bad_selector_values_list_what_is_valid() -> None:
    with pytest.raises(ScenarioError) as err:
        scenario({"policy.overrides": [{"where": {"type": "sherif"}, "set": {"sharing_scope": "state"}}]})
    text = str(err.value)
    assert "policy.overrides.0.where.type" in text and "sheriff" in text
    assert "policy.overrides.0.set.sharing_scope" in text and "in_state" in text
