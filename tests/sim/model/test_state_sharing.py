"""Sharing links between states under a policy (world.json's state_sharing), on a small hand-built federation."""

from __future__ import annotations

from sim.config.policy import Policy
from sim.model.access import AccessTable
from sim.model.policy_effects import policy_effects
from sim.model.state_sharing import state_sharing
from tests.sim.model.test_access import legacy, world


def pairs_of(w, policy: Policy) -> dict[tuple[str, str], tuple[int, int]]:
    p = state_sharing(w, policy_effects(w, policy))["pairs"]
    return {(o, s): (n, k) for o, s, n, k in zip(p["owner"], p["searcher"], p["links"], p["open"], strict=True)}


def test_links_are_counted_per_pair_of_states_with_federal_units_as_fed() -> None:
    # edges: A(CA)->C(NV), A->ICE, B(CA)->A statewide, C(NV)->D(NV), D(NV)->A(CA)
    assert pairs_of(world(), legacy(state_laws=[])) == {("CA", "NV"): (1, 1), ("CA", "FED"): (1, 1), ("CA", "CA"): (1, 1),
                                           ("NV", "NV"): (1, 1), ("NV", "CA"): (1, 1)}


def test_a_state_law_closes_the_compliant_owners_links_out_of_state_and_to_federal_units() -> None:
    pairs = pairs_of(world(), legacy(state_laws=["CA"]))  # A (CA) complies, B does not
    assert pairs[("CA", "NV")] == (1, 0) and pairs[("CA", "FED")] == (1, 0)
    assert pairs[("CA", "CA")] == (1, 1) and pairs[("NV", "CA")] == (1, 1)  # in-state, and other states' owners


def test_open_links_are_exactly_the_edges_the_access_rules_allow() -> None:
    """With national lookup off, a searcher's national scope is its own reads plus the edges its owners keep
    open: each pair's open count must be the number of edges the access table allows."""
    w = world(national=[False] * 5)
    for policy in (legacy(state_laws=["CA"]), legacy(federal_firewall=True), legacy(sharing_scope="in_state"),
                   legacy(state_laws=["NV"], state_law_compliance=1.0)):
        table = AccessTable(w, policy_effects(w, policy))
        got = {pair: k for pair, (_, k) in pairs_of(w, policy).items()}
        code = {0: "CA", 1: "CA", 2: "NV", 3: "NV", 4: "FED"}
        want: dict[tuple[str, str], int] = {}
        for u, v in w.sharing.edges():
            key = (code[u], code[v])
            want[key] = want.get(key, 0) + int(table.can_search(v, u, "national"))
        assert got == want, policy


def test_states_hold_agencies_cameras_and_owners_open_to_lookup() -> None:
    summary = state_sharing(world(), policy_effects(world(), legacy(state_laws=[])))
    assert summary["states"] == {"CA": {"agencies": 2, "private_networks": 0, "cameras": 8, "lookup_owners": 1},
                                 "NV": {"agencies": 2, "private_networks": 0, "cameras": 18, "lookup_owners": 1}}
    assert summary["federal_lookup"] is True
