"""The rules a focus brief's state ran under (`reports.focus_rules`): the period's platform rules, the state's."""

from __future__ import annotations

from pathlib import Path

from reports import write_compare, write_report
from reports.focus_rules import rules_sentence
from sim.config import load_scenario
from tests.conftest import SCENARIOS


def resolved(name: str) -> dict:
    return load_scenario(SCENARIOS / name).model_dump(mode="json")


def test_each_period_says_its_own_rules_for_california() -> None:
    """flock-2024 (pilots open, no California rule yet), flock-2025 and flock-2026 say which rules they apply."""
    y24, y25, y26 = (rules_sentence(resolved(f"flock-{y}.yaml"), "CA", "California") for y in (2024, 2025, 2026))
    assert "national lookup included (the pilots before Aug 2025)" in y24
    assert "the platform's rule for California: national lookup and out-of-state sharing open" in y24
    for later in (y25, y26):
        assert "the platform's rule for California: no national lookup and no out-of-state or federal sharing" in later
        assert "honoured by 90.0% of its agencies" in later
    assert "reasons in free text" in y25 and "no moderation" in y25
    assert "as under paused, and are labelled Federal in audits" in y26
    assert "offense-type drop-down" in y26 and "audits redacted" in y26
    assert "moderation set to block immigration, abortion" in y26
    oregon = rules_sentence(resolved("flock-2026-real.yaml"), "OR", "Oregon")  # real geography: 2025's rules
    assert "pilots paused, Aug 2025" in oregon and "reasons in free text" in oregon and "California" not in oregon


def test_focus_briefs_state_the_rules_and_the_overrides_of_the_state(focus_pair: tuple[Path, Path],
                                                                    tmp_path: Path) -> None:
    """A California brief named none of California's rules (no national lookup, no out-of-state sharing), so a
    reader could not tell its zero federal reach from a model gap; a comparison named NC's ban only in the
    parameter table."""
    html = write_report(focus_pair[0], tmp_path / "ca.html", focus="CA").read_text()
    assert ("Rules in California in this run: federal units reach only networks that grant them 1:1 "
            "(pilots paused, Aug 2025; the same reach as federal_category); the platform&#x27;s rule for California: "
            "no national lookup and no out-of-state or federal sharing, for every agency") in html
    cmp = write_compare([str(p) for p in focus_pair], tmp_path / "cmp", focus="NC").read_text()
    assert "&#x27;base&#x27;: Rules in North Carolina in this run:" in cmp
    assert ("&#x27;ban&#x27;: Rules in North Carolina in this run:" in cmp and "then, for agencies where {state: NC}: "
            "{federal_grants: no, state_law: yes, federal_firewall: yes} (an override of the scenario)" in cmp)


def test_an_override_naming_agencies_is_listed_only_in_their_state() -> None:
    """`where: {agency: ['Raleigh NC PD']}` has no state key: it was listed among Oregon's rules too."""
    import pandas as pd

    from reports.focus_rules import override_agency_states
    by_agency = pd.DataFrame({"replication": [0, 0, 1, 1], "agency": [3, 7, 3, 7],
                              "name": ["Raleigh NC PD", "Eugene OR PD"] * 2, "state": ["NC", "OR"] * 2})
    states = override_agency_states(by_agency)
    scenario = resolved("baseline.yaml")
    scenario["policy"]["overrides"] = [{"where": {"agency": ["Raleigh NC PD"]}, "set": {"statewide_sharing": False}},
                                       {"where": {"agency": [7]}, "set": {"alpr_retention_days": 7}}]
    nc, oregon = rules_sentence(scenario, "NC", "North Carolina", states), rules_sentence(scenario, "OR", "Oregon", states)
    assert "{agency: Raleigh NC PD}: {statewide_sharing: no}" in nc and "Raleigh" not in oregon
    assert "{agency: 7}: {alpr_retention_days: 7}" in oregon and "alpr_retention_days: 7}" not in nc


def test_the_national_lookup_lever_says_it_closes_statewide_lookups_too() -> None:
    """policy.national_lookup: false closes every owner's lookup opt-in, which statewide lookups use too (small.yaml:
    an agency's statewide search reached 199 networks with it on, 62 = its shared networks with it off), yet the
    brief said only 'national lookup off everywhere', as a state rule (national searches run statewide) would."""
    off = load_scenario(SCENARIOS / "no-national-lookup.yaml").model_dump(mode="json")
    sentence = rules_sentence(off, "NC", "North Carolina")
    assert "statewide lookups too" in sentence and "searches reach own and shared networks only" in sentence
