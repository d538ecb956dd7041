"""The rules a focus brief's state ran under, in one sentence, from the folder's resolved scenario.

A reader asks "in my state, under the rules of which period?": the platform's rules moved in 2025-26 (federal
pilots paused Aug 2025, California's national lookup and out-of-state sharing closed Mar and Jun 2025,
moderation Nov 2025, the offense-type drop-down Jan 2026; `sim.config.policy`), and a scenario's name does not
say which of them it applies (flock-2026-real runs the baseline's late-2025 rules). `rules_sentence` lists, for
one state: the platform's national rules (federal access, national lookup, moderation, reasons, redaction), the
platform's rule for the state (`policy.state_rules`), its state law and how many honour it (`policy.state_laws`,
`state_law_compliance`), retention, a federal firewall and sharing scope when set, and every `policy.overrides`
entry that can select the state's agencies (its `where` names the state or no state), written as the comparison
writes it (`reports.sources.show`).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from reports.catalog import pct
from reports.sources import show

FEDERAL_ACCESS = {
    "open": "federal units search like any agency, national lookup included (the pilots before Aug 2025)",
    "paused": "federal units reach only networks that grant them 1:1 (pilots paused, Aug 2025; the same reach as "
              "federal_category)",
    "federal_category": "federal units reach only networks that grant them 1:1, as under paused, and are labelled "
                        "Federal in audits (Aug 2025 on; the model has no figure to give the label any other effect)",
}


def _state_rule(rule: dict[str, Any] | None, place: str) -> str | None:
    if not rule:
        return None
    closed = [what for key, what in (("may_run_national_lookup", "no national lookup"),
                                     ("out_of_state_sharing", "no out-of-state or federal sharing"))
              if rule.get(key) is False]
    return (f"the platform's rule for {place}: {' and '.join(closed)}, for every agency" if closed
            else f"the platform's rule for {place}: national lookup and out-of-state sharing open")


def _listed(value: Any) -> list[Any]:
    return [value] if isinstance(value, (str, int)) else list(value)


def _selects(where: dict[str, Any], state: str, states_of: dict[Any, str]) -> bool:
    """Whether the override can select an agency of `state`: its `where.state` names it (or none is given), and
    its `where.agency` (names or by_agency row numbers; `states_of` maps both to a state) holds one of the state's."""
    states = where.get("state")
    if states is not None and state not in _listed(states):
        return False
    agencies = where.get("agency")
    return agencies is None or any(states_of.get(a) == state for a in _listed(agencies))


def rules_sentence(scenario: dict[str, Any] | None, state: str, place: str,
                   states_of: dict[Any, str] | None = None) -> str:
    """The rules the run applied in `state` (`place`: its name); "" without a resolved scenario. `states_of`: the
    state of each agency an override names (by name and by by_agency row), from `override_agency_states`."""
    policy = (scenario or {}).get("policy") or {}
    if not policy:
        return ""
    parts = [FEDERAL_ACCESS.get(str(policy.get("federal_access")), f"federal access {policy.get('federal_access')}")]
    if policy.get("national_lookup") is False:
        # the lever closes every owner's lookup opt-in, which the model's statewide lookups use too (unlike a state
        # rule's may_run_national_lookup: false, whose national searches run statewide)
        parts.append("no owner open to lookups anywhere (lookups switched off for the scenario: statewide lookups too, as the "
                     "opt-in stands for both; searches reach own and shared networks only)")
    rule = _state_rule((policy.get("state_rules") or {}).get(state), place)
    if rule:
        parts.append(rule)
    if state in (policy.get("state_laws") or []):
        share = float(policy.get("state_law_compliance", 1.0))
        parts.append(f"a state law against out-of-state and federal sharing, honoured by {pct(share)} of its agencies")
    if policy.get("federal_firewall"):
        parts.append("a federal firewall at every compliant agency")
    if policy.get("sharing_scope", "any") != "any":
        parts.append(f"sharing scope {policy['sharing_scope']}")
    moderation = policy.get("moderation") or {}
    blocked, warned = moderation.get("blocked") or [], moderation.get("warned") or []
    parts.append(f"moderation set to block {show(blocked, 'policy.moderation.blocked')}" if blocked
                 else "no moderation")
    if warned:
        parts.append(f"moderation set to warn on {show(warned, 'policy.moderation.warned')}")
    parts.append("reasons from the offense-type drop-down (Jan 2026 on)" if policy.get("reason_mode") == "offense_type"
                 else "reasons in free text")
    if policy.get("audit_redaction"):
        parts.append("network audits redacted (Dec 2025 on)")
    parts.append(f"reads kept {policy.get('alpr_retention_days')} days")
    overrides = [o for o in policy.get("overrides") or [] if _selects(o.get("where") or {}, state, states_of or {})]
    parts += [f"then, for agencies where {show(o.get('where') or {}, nested=True)}: "
              f"{show(o.get('set') or {}, nested=True)} (an override of the scenario)" for o in overrides]
    return f"Rules in {place} in this run: " + "; ".join(parts) + "."


def names_agencies(scenario: dict[str, Any] | None) -> bool:
    """Whether an override of the scenario selects agencies by name or row (so their states must be looked up)."""
    overrides = (((scenario or {}).get("policy") or {}).get("overrides")) or []
    return any((o.get("where") or {}).get("agency") is not None for o in overrides)


def override_agency_states(by_agency: pd.DataFrame | None) -> dict[Any, str]:
    """Agency name and by_agency row number -> state code, from a folder's by_agency table (empty without it)."""
    if by_agency is None:
        return {}
    rows = by_agency.drop_duplicates("agency")
    return {**dict(zip(rows.name.astype(str), rows.state.astype(str), strict=True)),
            **dict(zip(rows.agency.astype(int), rows.state.astype(str), strict=True))}


def rules_paragraphs(scenarios: list[tuple[str, dict[str, Any] | None, dict[Any, str]]], state: str,
                     place: str) -> list[str]:
    """Sentences for a comparison: the first scenario's rules, then each other scenario's where they differ."""
    first = rules_sentence(scenarios[0][1], state, place, scenarios[0][2])
    out = [f"'{scenarios[0][0]}': {first}"] if first else []
    for name, scenario, states_of in scenarios[1:]:
        mine = rules_sentence(scenario, state, place, states_of)
        if mine and mine != first:
            out.append(f"'{name}': {mine}")
    return out
