"""`fedsim schema`: every field described with its range; state codes listed; the errors a new user meets first."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sim.cli.main import main
from sim.config import ScenarioError, load_scenario
from sim.geo.states import STATE_CODES


@pytest.fixture(scope="module")
def schema() -> dict:
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["schema"]) == 0
    return json.loads(out.getvalue())


def properties(schema: dict):
    for name, model in [("Scenario", schema), *schema["$defs"].items()]:
        for field, prop in model.get("properties", {}).items():
            yield f"{name}.{field}", prop


def test_every_field_has_a_description_with_its_allowed_values(schema: dict) -> None:
    props = dict(properties(schema))
    assert len(props) > 100
    missing = [k for k, p in props.items() if not p.get("description")]
    assert missing == []
    numeric = [k for k, p in props.items() if p.get("type") in ("integer", "number") or
               any(b.get("type") in ("integer", "number") for b in p.get("anyOf", []))]
    assert len(numeric) > 60
    unstated = [k for k in numeric if not any(f"allowed: {w}" in props[k]["description"]
                                              for w in ("a number", "a whole number", "one of"))]
    assert unstated == []
    assert "allowed: one of 2024, 2025, 2026 or null" in props["Scenario.period"]["description"]
    assert "allowed: a number 0 to 1" in props["Policy.state_law_compliance"]["description"]
    assert "days" in props["Policy.alpr_retention_days"]["description"]
    assert "allowed: a whole number 1 to 3650" in props["Policy.alpr_retention_days"]["description"]


def test_state_laws_and_states_list_the_valid_codes(schema: dict) -> None:
    props = dict(properties(schema))
    laws = props["Policy.state_laws"]
    assert laws["items"]["enum"] == list(STATE_CODES) and "NC" in laws["description"]
    array = next(b for b in props["World.states"]["anyOf"] if b.get("type") == "array")
    assert array["items"]["enum"] == list(STATE_CODES)


def problems(scenarios_dir: Path, *overrides: str) -> str:
    with pytest.raises(ScenarioError) as caught:
        load_scenario(scenarios_dir / "small.yaml", list(overrides))
    return str(caught.value)


def test_lower_case_state_codes_get_did_you_mean(scenarios_dir: Path) -> None:
    text = problems(scenarios_dir, "policy.state_laws=[nc, IL]", "world.states=[ca, XX]")
    assert "policy.state_laws: state codes are upper case: 'nc': did you mean 'NC'?" in text
    assert "'ca': did you mean 'CA'?; unknown state codes ['XX']; valid codes: AL, AK" in text


def test_shares_given_as_percents_get_did_you_mean(scenarios_dir: Path) -> None:
    text = problems(scenarios_dir, "policy.state_law_compliance=90", "world.sharing.federal_grant_share.CBP=2",
                    "behavior.alpr.stop_share=1.5e3")
    assert "policy.state_law_compliance: shares are 0..1: did you mean 0.9? (got 90)" in text
    assert "world.sharing.federal_grant_share.CBP: shares are 0..1: did you mean 0.02? (got 2)" in text
    assert "behavior.alpr.stop_share: Input should be less than or equal to 1" in text  # not a percent


@pytest.mark.parametrize("override, words", [
    ("behavior.searches.scope_mix={cops: {local: 1}}",
     "behavior.searches.scope_mix: unknown agency types ['cops']; allowed local_police, sheriff, state_police, federal"),
    ("behavior.searches.scope_mix={sheriff: {galaxy: 1}}",
     "scope_mix.sheriff: unknown scopes ['galaxy']; allowed local, shared, statewide, national"),
    ("behavior.searches.type_mix={lookup: 1, teleport: 1}",
     "behavior.searches.type_mix: unknown search types ['teleport']; allowed lookup, search, freeform"),
    ("platform.search.type_cost={teleport: 2}",
     "platform.search.type_cost: unknown search types ['teleport']; allowed lookup, search, freeform"),
    ("behavior.optin.agency_type={dogs: 1}",
     "behavior.optin.agency_type: unknown agency types ['dogs']; allowed local_police, sheriff"),
    ("policy.overrides=[{where: {type: [privat]}, set: {state_law: true}}]",
     "policy.overrides.0.where.type: unknown owner types ['privat']; allowed local_police, sheriff, state_police, "
     "federal, private"),
])
def test_an_unknown_name_in_a_keyed_setting_is_one_message(scenarios_dir: Path, override: str, words: str) -> None:
    """Field, the unknown names and what is allowed, worded one way (`sim.config.base.known_names`): the copies
    said 'allowed a, b', "allowed ['a', 'b']" or 'valid: a, b'."""
    with pytest.raises(ScenarioError) as err:
        load_scenario(scenarios_dir / "small.yaml", [override])
    assert words in str(err.value)


def test_a_states_full_name_gets_its_code(scenarios_dir: Path) -> None:
    """{where: {state: Texas}} listed all 51 codes without saying which one Texas is."""
    text = problems(scenarios_dir, "policy.state_laws=[Illinois, new york, ZZ]")
    assert ("'Illinois' is a state's name; state codes are two letters: did you mean 'IL'?; 'new york' is a state's "
            "name; state codes are two letters: did you mean 'NY'?; unknown state codes ['ZZ']") in text
