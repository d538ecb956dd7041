"""Synthetic agencies: state police go to states, one each, never to the District of Columbia."""

from __future__ import annotations

from collections import Counter

import pytest

from sim.config import Scenario, ScenarioError, load_scenario, with_overrides
from sim.geo.states import BY_CODE, NOT_STATES, STATE_CODES
from sim.rng import Streams, root_seed
from sim.world.agencies import _state_police_states, synthetic_agencies
from sim.world.types import STATE_POLICE


def state_police_per_state(scenario: Scenario) -> Counter[str]:
    agencies = synthetic_agencies(scenario.world, Streams(root_seed(scenario.run.seed)))
    return Counter(STATE_CODES[s] for s in agencies.state[agencies.kind == STATE_POLICE])


def test_the_model_knows_50_states_and_dc_is_not_one() -> None:
    assert NOT_STATES == {"DC"}
    assert len(set(STATE_CODES) - NOT_STATES) == 50


def test_a_national_world_has_one_state_police_in_each_state_and_none_in_dc() -> None:
    """With `states: all` the 50 agencies went to the 50 most populous of 51 codes: DC one, Wyoming none."""
    from tests.conftest import SCENARIOS

    baseline = load_scenario(SCENARIOS / "baseline.yaml")
    assert baseline.world.states == "all" and baseline.world.agencies.state_police == 50
    per_state = state_police_per_state(baseline)
    assert per_state["DC"] == 0
    assert per_state["WY"] == 1
    assert per_state == Counter(set(STATE_CODES) - NOT_STATES)


def test_wyoming_takes_dcs_place_and_no_other_state_police_moves() -> None:
    """The agencies used to be the 50 most populous codes in that order; Wyoming now stands where DC stood, so every
    other state police agency keeps its position and the random draws made per agency in order."""
    most_populous = sorted(STATE_CODES, key=lambda c: -BY_CODE[c].population_m)[:50]
    assert "DC" in most_populous and "WY" not in most_populous
    assert _state_police_states(list(STATE_CODES), 50) == ["WY" if c == "DC" else c for c in most_populous]


@pytest.mark.parametrize(("codes", "count", "expected"), [
    (["NC"], 1, {"NC": 1}),
    (["NC", "SC", "GA"], 3, {"NC": 1, "SC": 1, "GA": 1}),
    (["DC", "MD", "VA"], 2, {"MD": 1, "VA": 1}),
    (["DC", "MD"], 3, {"MD": 3}),  # more than states: again by population, over the states only
    (["NC", "SC"], 1, {"NC": 1}),  # fewer than states: the most populous
])
def test_a_few_states_keep_one_each_and_dc_none(codes: list[str], count: int, expected: dict[str, int]) -> None:
    assert Counter(_state_police_states(codes, count)) == Counter(expected)


def test_a_dc_only_world_must_ask_for_no_state_police(small_scenario: Scenario) -> None:
    with pytest.raises(ScenarioError, match=r"agencies.state_police is 1, but states \['DC'\] holds no state"):
        with_overrides(small_scenario, {"world.states": ["DC"]})
    dc = with_overrides(small_scenario, {"world.states": ["DC"], "world.agencies.state_police": 0})
    assert state_police_per_state(dc) == Counter()
