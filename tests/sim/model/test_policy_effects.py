"""Policy applied to a built world: retention, compliance, refusals, national lookup, the Ring cap."""

from __future__ import annotations

import numpy as np

from sim.config import load_scenario, with_overrides
from sim.config.policy import Policy
from sim.geo.states import STATE_CODES
from sim.model.policy_effects import alpr_retention, policy_effects
from sim.world.build import build_world_cached
from sim.world.types import FEDERAL
from tests.conftest import SCENARIOS


def small():
    sc = with_overrides(load_scenario(SCENARIOS / "small.yaml"), {"world.states": ["NC", "CA"]}, "test")
    return sc, build_world_cached(sc)


def test_alpr_retention_defaults_unknown_agencies_and_a_short_policy_caps_everyone() -> None:
    own = np.array([0, 30, 365, 0])
    assert alpr_retention(own, 30).tolist() == [30, 30, 365, 30]
    assert alpr_retention(own, 90).tolist() == [90, 30, 365, 90]  # longer than Flock's default: no cap
    assert alpr_retention(own, 7).tolist() == [7, 7, 7, 7]  # a legal limit caps the 365-day portals too
    assert alpr_retention(own, 1).min() == 1


def test_compliance_is_nested_in_the_share_and_never_federal() -> None:
    _, world = small()
    shares = [policy_effects(world, Policy(state_law_compliance=s)).law_compliant for s in (0.0, 0.3, 0.9, 1.0)]
    assert not shares[0].any()
    for lower, higher in zip(shares, shares[1:], strict=False):
        assert (lower <= higher).all() and lower.sum() < higher.sum()
    federal = world.agencies.kind == FEDERAL
    assert not shares[-1][federal].any() and shares[-1][~federal].all()


def test_refusals_follow_state_laws_and_the_firewall() -> None:
    _, world = small()
    a = world.agencies
    ca = a.state == STATE_CODES.index("CA")
    fx = policy_effects(world, Policy(state_laws=["CA"], state_rules={}))
    assert np.array_equal(fx.refuses_out_of_state, fx.law_compliant & ca)
    assert np.array_equal(fx.refuses_federal, fx.refuses_out_of_state)
    fw = policy_effects(world, Policy(state_laws=["CA"], federal_firewall=True, state_rules={}))
    assert np.array_equal(fw.refuses_federal, fw.law_compliant)
    none = policy_effects(world, Policy(state_laws=[], state_rules={}))
    assert not none.refuses_out_of_state.any() and not none.refuses_federal.any()
    rule = policy_effects(world, Policy(state_laws=[]))  # the default: California's platform rule, for every owner
    assert np.array_equal(rule.refuses_out_of_state, ca & (a.kind != FEDERAL))
    assert np.array_equal(rule.no_national_lookup, ca & (a.kind != FEDERAL)) and not rule.federal_lookup
    # proxying is bound by what binds the officer (a law or firewall it complies with), never by a platform rule
    assert np.array_equal(fx.proxy_refused, fx.law_compliant & ca)
    assert np.array_equal(fw.proxy_refused, fw.law_compliant) and not none.proxy_refused.any()
    assert rule.refuses_federal[ca].any() and not rule.proxy_refused.any()


def test_national_lookup_lever_and_the_ring_cap() -> None:
    sc, world = small()
    on = policy_effects(world, sc.policy)
    assert np.array_equal(on.national_lookup, world.agencies.national_lookup) and on.national_lookup.any()
    assert not policy_effects(world, Policy(national_lookup=False)).national_lookup.any()
    assert on.ring_retention_days.max() == 180
    capped = policy_effects(world, Policy(ring_retention_days_max=14)).ring_retention_days
    assert capped.max() == 14
    assert np.array_equal(capped == 0, ~world.households.paid)
