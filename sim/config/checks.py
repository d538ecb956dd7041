"""Warnings about a valid scenario that likely does not do what its author meant.

Unlike a validation error, a warning does not stop the scenario: it names the field path, the value and what
the scenario offers instead, is printed when the scenario is loaded by `fedsim validate`, `run` and `sweep`,
and is kept in the run's ``summary.json`` (``scenario_warnings``) beside the results it qualifies.

A reason key spelt almost like an existing category (``behavior.searches.reasons.imigration``) adds a new
category instead of changing that one: warned with "did you mean".

Moderation (``policy.moderation`` and ``policy.overrides[i].set.moderation``) matches a search's reason
category exactly. A category no search can carry (a typo, or "abortion" where the scenario's reason mixes have
no such entry) blocks or warns about nothing, silently: the run looks moderated and is not. The categories a
search can carry are the keys of ``behavior.searches.reasons`` and of each federal unit's ``reasons``, the
proxy lookups' reason and the offense-type drop-down's catch-all (`sim.config.behavior_alpr`). Under
``policy.reason_mode: offense_type`` a category that is no offense type is audited as "other", so moderation
cannot see it either (the model counts those searches as ``search.moderation.unseen_*``): warned the same way.

``policy.federal_access: federal_category`` gives federal units exactly the reach of ``paused`` (their 1:1 grants;
lookups closed): the figures date both rules to Aug 2025 and give no measure of what the label changed (docs/MODEL.md,
"federal_access: paused and federal_category"). A user who picks it to see what the label does is told so.

Retention limits compared (``policy.alpr_retention_days`` beside an override's, or a sweep over it) in a run shorter
than the longest of them (``run.warmup_days + run.days``): tracked vehicles move only in simulated days, so the
``exposure.*`` outcomes (days of a car's history, reads held, agencies and federal units able to see it) count at
most the simulated days: with ``--set run.days=7``, 14-, 30- and 90-day retention read the same.
"""

from __future__ import annotations

import difflib
from typing import Any

from sim.config.behavior_alpr import OTHER_REASON, PROXY_REASON, Searches, audited_reason
from sim.config.errors import ScenarioError
from sim.config.load import validate_dict
from sim.config.policy import Policy
from sim.config.policy_overrides import Moderation
from sim.config.scenario import Scenario


def reason_categories(searches: Searches) -> list[str]:
    """Every reason category a search of this scenario can carry, sorted."""
    names = set(searches.reasons) | {PROXY_REASON, OTHER_REASON}
    for unit in searches.federal_units.values():
        names |= set(unit.reasons)
    return sorted(names)


def _unmatched(path: str, moderation: Moderation, known: list[str], reason_mode: str) -> list[str]:
    out = []
    for field, does in (("blocked", "blocks"), ("warned", "warns about")):
        for value in getattr(moderation, field):
            if value in known:
                if audited_reason(value, reason_mode) != value:  # the drop-down files it under "other"
                    out.append(f"{path}.{field}: {value!r} is no offense type, and under policy.reason_mode "
                               f"offense_type a search run for it is audited as {OTHER_REASON!r}, so it {does} "
                               f"nothing (search.moderation.unseen_{field} counts those searches)")
                continue
            close = difflib.get_close_matches(value, known, n=1, cutoff=0.6)
            hint = f"did you mean {close[0]!r}? " if close else ""
            out.append(f"{path}.{field}: {value!r} is a reason no search carries, so it {does} nothing; "
                       f"{hint}the scenario's reasons: {', '.join(known)}")
    return out


def _new_reasons(searches: Searches) -> list[str]:
    """Reason keys the scenario adds that are spelt almost like a category it already has: the mapping merges
    over the defaults, so ``reasons: {imigration: 0.1}`` adds a reason and leaves immigration's weight as it was."""
    default = set(Searches().reasons)
    known = reason_categories(searches)
    out = []
    for key in sorted(set(searches.reasons) - default):
        close = difflib.get_close_matches(key, [k for k in known if k != key], n=1, cutoff=0.8)
        if close:
            out.append(f"behavior.searches.reasons.{key}: a new reason category, not {close[0]!r}: did you mean "
                       f"{close[0]!r}? (its weight is added to the mix; {close[0]!r} keeps its own)")
    return out


FEDERAL_CATEGORY_SAME_REACH = (
    "policy.federal_access: 'federal_category' gives federal units the same reach as 'paused' (the networks that "
    "grant them 1:1; lookups closed to them). It differs only in counting their own searches as labelled Federal "
    "in audits (alpr.searches_federal_labelled). docs/sources.md dates the pause and the Federal category to the same "
    "month (Aug 2025) and gives no figure of owners that changed their sharing because of the label, so the model "
    "does not tell them apart (docs/MODEL.md). To bracket federal reach, run 'open' beside it.")


def _federal_access(policy: Policy) -> list[str]:
    return [FEDERAL_CATEGORY_SAME_REACH] if policy.federal_access == "federal_category" else []


RETENTION = "policy.alpr_retention_days"


def _retention_limits(scenario: Scenario) -> dict[int, str]:
    """Each ALPR retention the scenario sets (national, overrides, swept), with where the first of it is set."""
    policy = scenario.policy
    limits = {policy.alpr_retention_days: RETENTION}
    for i, override in enumerate(policy.overrides):
        if override.set.alpr_retention_days is not None:
            limits.setdefault(override.set.alpr_retention_days, f"policy.overrides[{i}].set.alpr_retention_days")
    swept = scenario.sweep.grid.get(RETENTION, []) + [p[RETENTION] for p in scenario.sweep.points if RETENTION in p] \
        if scenario.sweep is not None else []
    for days in swept:
        if isinstance(days, int) and not isinstance(days, bool):
            limits.setdefault(days, "sweep")
    return limits


def _run_shorter_than_retention(scenario: Scenario) -> list[str]:
    """Retention limits compared over a run shorter than the longest of them (exposure.* cannot show it)."""
    limits = _retention_limits(scenario)
    span = scenario.run.warmup_days + scenario.run.days
    longest = max(limits)
    if len(limits) < 2 or span >= longest:
        return []
    given = ", ".join(f"{d} ({where})" for d, where in sorted(limits.items()))
    return [f"run.days: {span} simulated day(s) (run.warmup_days + run.days) are fewer than the longest ALPR "
            f"retention compared, {longest} days (retention limits: {given}): vehicles move only in simulated days, "
            f"so exposure.* (history days, reads held, agencies and federal units per vehicle) count at most {span} "
            f"day(s) of a car's movements, and limits of {span} days or more read the same. Run at least {longest} "
            f"days (run.days or run.warmup_days) to compare them"]


def scenario_warnings(scenario: Scenario) -> list[str]:
    """What in `scenario` is valid but likely not meant, one sentence each (empty: nothing)."""
    known = reason_categories(scenario.behavior.searches)
    policy = scenario.policy
    out = _unmatched("policy.moderation", policy.moderation, known, policy.reason_mode)
    for i, override in enumerate(policy.overrides):
        if override.set.moderation is not None:
            out += _unmatched(f"policy.overrides[{i}].set.moderation", override.set.moderation, known, policy.reason_mode)
    return (scenario.renamed_keys + out + _new_reasons(scenario.behavior.searches) + _federal_access(policy)
            + _run_shorter_than_retention(scenario))


def resolved_warnings(resolved: dict[str, Any] | None) -> list[str]:
    """`scenario_warnings` of a results folder's ``resolved_scenario.yaml`` (as read back), for a folder without a
    summary.json that keeps them: a sweep's own folder, whose base scenario (its ``sweep:`` section included) a
    report describes. An unreadable or invalid one gives none: the report says what it can."""
    if not resolved:
        return []
    try:
        return scenario_warnings(validate_dict({k: v for k, v in resolved.items() if k != "meta"}))
    except ScenarioError:
        return []
