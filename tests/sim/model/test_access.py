"""Access rules on small hand-built federations: scopes, state laws, the federal firewall, national lookup."""

from __future__ import annotations

import numpy as np
import pytest

from sim.config import load_scenario
from sim.config.policy import Policy
from sim.model.access import AccessTable, federal_reach
from sim.model.policy_effects import policy_effects
from sim.world.build import build_world_cached
from tests.conftest import SCENARIOS
from tests.sim.world.conftest import hand_world

A, B, C, D, ICE = range(5)


def legacy(**kw) -> Policy:
    """A policy without the 2025 platform rules (federal pilots open, no state rule): the rules tested here."""
    return Policy(**({"federal_access": "open", "state_rules": {}} | kw))


def world(**kw):
    return hand_world(
        [("A", "local_police", "CA"), ("B", "local_police", "CA"), ("C", "local_police", "NV"),
         ("D", "sheriff", "NV"), ("ICE", "federal", "")],
        [(A, C, "grant"), (A, ICE, "grant"), (B, A, "statewide"), (C, D, "grant"), (D, A, "grant")],
        national=kw.get("national", [False, True, False, True, False]),
        compliant=kw.get("compliant", [True, False, True, False, False]),
        cameras=[3, 5, 7, 11, 0],
    )


def table_of(w, policy: Policy) -> AccessTable:
    return AccessTable(w, policy_effects(w, policy))


def reach_of(w, policy: Policy) -> dict:
    return federal_reach(w, policy_effects(w, policy))


def owners(table: AccessTable, v: int, scope: str) -> set[int]:
    return set(table.owners(v, scope).tolist())


def test_local_scope_is_own_reads_only() -> None:
    t = table_of(world(), legacy())
    for v in range(5):
        assert owners(t, v, "local") == {v}


def test_in_state_shared_counts_only_same_state_sharers() -> None:
    t = table_of(world(), legacy())
    assert owners(t, A, "in_state_shared") == {A, B}  # B's statewide edge; D (NV) grants A but is out of state
    assert owners(t, C, "in_state_shared") == {C}  # A grants C, but A is in CA
    assert owners(t, D, "in_state_shared") == {C, D}


def test_state_law_closes_compliant_owner_to_out_of_state_and_federal() -> None:
    t = table_of(world(), legacy(state_laws=["CA"]))
    assert owners(t, C, "national") == {B, C, D}  # A (compliant, CA) refuses C (NV); B, D opted in
    assert owners(t, ICE, "national") == {B, D, ICE}
    assert owners(t, A, "national") == {A, B, D}


def test_non_compliant_owner_ignores_the_law() -> None:
    t = table_of(world(compliant=[False] * 5), legacy(state_laws=["CA"]))
    assert owners(t, C, "national") == {A, B, C, D}
    assert owners(t, ICE, "national") == {A, B, D, ICE}


def test_no_state_law_opens_compliant_owners() -> None:
    t = table_of(world(), legacy(state_laws=[]))
    assert owners(t, C, "national") == {A, B, C, D}


def test_federal_firewall_closes_every_compliant_owner_to_federal_units() -> None:
    w = world(compliant=[False, True, True, False, False])
    without = table_of(w, legacy(state_laws=[]))
    with_fw = table_of(w, legacy(state_laws=[], federal_firewall=True))
    assert owners(without, ICE, "national") == {A, B, D, ICE}
    assert owners(with_fw, ICE, "national") == {A, D, ICE}  # B is compliant
    assert owners(with_fw, C, "national") == owners(without, C, "national")  # locals unaffected


def test_national_lookup_off_leaves_only_edges() -> None:
    t = table_of(world(), legacy(national_lookup=False, state_laws=[]))
    assert owners(t, ICE, "national") == {A, ICE}
    assert owners(t, C, "national") == {A, C}


def test_sharing_scope_in_state_and_none() -> None:
    t = table_of(world(), legacy(sharing_scope="in_state", state_laws=[]))
    assert owners(t, C, "national") == {C, D}
    assert owners(t, ICE, "national") == {ICE}
    t = table_of(world(), legacy(sharing_scope="none", state_laws=[]))
    for v in range(5):
        for scope in ("in_state_shared", "national"):
            assert owners(t, v, scope) == {v}


def test_networks_and_cameras_reachable() -> None:
    t = table_of(world(), legacy(state_laws=["CA"]))
    assert t.cameras["national"][C] == 5 + 7 + 11
    assert t.networks["national"][ICE] == 2  # B and D; ICE owns no camera
    assert t.cameras["local"].tolist() == [3, 5, 7, 11, 0]


def test_federal_reach_groups() -> None:
    reach = reach_of(world(), legacy(state_laws=["CA"]))
    assert reach["ICE"]["direct"] == 0 and reach["ICE"]["closed_by_law"] == 1
    assert reach["ICE"]["lookup_only"] == 2 and reach["ICE"]["lookup_only_cameras"] == 16
    open_ = reach_of(world(), legacy(state_laws=[]))["ICE"]
    assert (open_["direct"], open_["lookup_only"], open_["closed_by_law"]) == (1, 2, 0)


def test_unknown_scope_is_refused() -> None:
    t = table_of(world(), legacy())
    with pytest.raises(ValueError, match="scope must be one of"):
        t.owners(0, "galactic")


def test_matrices_match_can_search_on_the_small_world() -> None:
    small_scenario = load_scenario(SCENARIOS / "small.yaml")
    small_world = build_world_cached(small_scenario)
    t = table_of(small_world, small_scenario.policy)
    compliant = policy_effects(small_world, small_scenario.policy).law_compliant
    m = t.matrix["national"]
    assert m.shape == (len(small_world.agencies),) * 2 and m.indices.dtype == np.int32
    rng = np.random.default_rng(3)
    for v in rng.integers(0, m.shape[0], 20):
        row = set(t.owners(int(v), "national").tolist())
        assert set(t.owners(int(v), "in_state_shared").tolist()) <= row
        assert int(v) in row
        src = set(small_world.sharing.predecessors(int(v)))
        assert src <= row | set(np.flatnonzero(compliant).tolist())


def test_platform_rules_of_2025() -> None:
    """California's platform rule closes its owners to out-of-state and federal searchers whatever their
    compliance; with federal pilots paused a federal unit reaches only its 1:1 grants."""
    w = world(compliant=[False, False, False, False, False])
    t = table_of(w, Policy(state_laws=[]))  # the defaults: CA rule, federal access paused
    assert owners(t, C, "national") == {C, D}  # B (CA, opted in) is closed to NV by the platform
    assert owners(t, ICE, "national") == {ICE}  # A grants ICE 1:1, but the CA rule closes A to federal units too
    assert owners(t, A, "national") == {A, B, D}
    paused = table_of(w, legacy(state_laws=[], federal_access="paused"))
    assert owners(paused, ICE, "national") == {A, ICE}  # its 1:1 grant only: lookups closed to federal units
    opened = table_of(w, legacy(state_laws=[]))
    assert owners(opened, ICE, "national") == {A, B, D, ICE}
