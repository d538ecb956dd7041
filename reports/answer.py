"""The answer first: the top of every report says what was asked, what was changed, what came out, what it is.

- The question: the scenario's ``description``.
- The change, in words, from the resolved differences between the scenario and the national baseline (the
  schema defaults, which are the baseline's values): policy, behaviour and platform settings one by one
  ("days plate reads are kept: 7 instead of 30", the config key in a ``title``: `reports.setting_words`), the
  world summarised in one line (its states and how many world settings differ).
- The answer: two to four declared *outcome* metrics (never input echoes or load metrics) with their 95% CI
  across replications: for a sweep the outcomes it moves most (`sim.results.sweep_response.movers`), for a
  run the outcomes of the levers it changes (`LEVER_OUTCOMES`; with none, `BOTH_SYSTEMS`: footage requests and who
  can see a tracked car), then the headline outcomes (`KEY_METRICS` order).
- A "what this is and is not" box: a simulation, not a measurement; what the intervals cover.
"""

from __future__ import annotations

from itertools import zip_longest
from typing import Any

from reports import html as H
from reports.catalog import KEY_METRICS, fmt, fmt_ci, fmt_estimate, info
from reports.compare import flatten
from reports.setting_words import setting_html
from reports.sources import show
from reports.tables import Results
from sim.results.stats import estimate_from_summary
from sim.results.sweep import SweepTables
from sim.results.sweep_response import curves, movers, swept, within_noise

SECTIONS = ("world", "policy", "behavior", "platform")
MAX_CHANGES = 5
MAX_ANSWERS = 4


def _baseline() -> dict[str, Any]:
    from sim.config.scenario import Scenario
    return Scenario(name="baseline").model_dump(mode="json")


def changes(scenario: dict[str, Any] | None) -> list[tuple[str, H.Safe]]:
    """The scenario's differences from the national baseline (policy and behaviour first), each as (config key, or
    "" for a summary line; the line as HTML in plain words, the key in a ``title``: `reports.setting_words`)."""
    if not scenario:
        return []
    base = flatten({k: v for k, v in _baseline().items() if k in SECTIONS})
    mine = flatten({k: v for k, v in scenario.items() if k in SECTIONS})
    diff = [k for k in sorted(set(base) & set(mine)) if base[k] != mine[k]]  # a field only one side has: no change
    world = [k for k in diff if k.startswith("world.")]
    rest = [k for k in diff if not k.startswith("world.")]
    order = sorted(rest, key=lambda k: (not k.startswith("policy."), k))
    lines = [(k, H.Safe(f"{setting_html(k)}: {H.esc(value_words(mine.get(k), k))} instead of "
                        f"{H.esc(value_words(base.get(k), k))}")) for k in order[:MAX_CHANGES]]
    if len(order) > MAX_CHANGES:
        lines.append(("", H.Safe(f"and {len(order) - MAX_CHANGES} more settings (listed under the assumptions below)")))
    if world:
        states = mine.get("world.states")
        where = f" ({show(states, 'world.states')})" if states is not None and "world.states" in world else ""
        lines.append(("", H.Safe(H.esc(f"a different world{where}: {len(world)} world setting(s) differ from the "
                                       "national one"))))
    return lines


def value_words(value: Any, dotted: str) -> str:
    """A setting's value as `show` writes it, a word choice's underscores as spaces (``offense_type``)."""
    text = show(value, dotted)
    return text.replace("_", " ") if isinstance(value, str | list) else text


def sweep_answers(sweep: SweepTables) -> tuple[str, list[list[str]]]:
    """The first swept parameter, and per moving outcome its value at the lowest and highest setting."""
    params = swept(sweep)
    if not params:
        return "", []
    p, rows, noise = params[0], [], within_noise(sweep)
    for metric in movers(sweep, MAX_ANSWERS):
        c = curves(sweep, p, metric)
        c = c[c["others"] == c["others"].iloc[0]] if len(c) else c
        if len(c) < 2:
            continue
        d = info(metric)
        lo, hi = c.iloc[0], c.iloc[-1]
        label = d.label + (" (within noise)" if metric in noise else "")
        rows.append([label, f"{lo[p]}: " + fmt_estimate(estimate_from_summary(lo), d.unit),
                     f"{hi[p]}: " + fmt_estimate(estimate_from_summary(hi), d.unit)])
    return p, rows


# The outcomes a lever acts on, shown first when a run sets it apart from the baseline (in `policy` or in an
# override's `set`): none of the key outcomes moves with retention, so a retention-7d report answered with footage
# requests and opt-in; a federal ban's answer now starts with what federal searches reach.
FEDERAL_OUTCOMES = ("audit.records_per_owner_mean.federal_own", "exposure.federal_units_per_vehicle_mean")
LEVER_OUTCOMES = {
    # not exposure.history_days_mean: it counts only the run's own days (a 5-day run reads 4.88 at 7 and at 30)
    "alpr_retention_days": ("storage.reads_held", "search.results"),
    **dict.fromkeys(("federal_firewall", "state_law", "state_laws", "federal_grants"), FEDERAL_OUTCOMES),
    # the 2025-26 rules: flock-2025 against flock-2026 showed none of what they do (moderation blocking 0 while
    # 25,884 immigration-purpose searches ran unseen under the drop-down; redaction leaving owners 1.24 million of
    # 382 million audit lines with officer and plate, 2 replications) and led with a 15% fall in searches
    # that only the 2026 portal rates set
    # the label first: 0 (left out) unless federal_category, whose reach is paused's (docs/MODEL.md)
    "federal_access": ("alpr.searches_federal_labelled", *FEDERAL_OUTCOMES),
    "moderation": ("search.moderation.blocked", "search.moderation.warned", "search.moderation.unseen_blocked"),
    "reason_mode": ("search.moderation.unseen_blocked", "search.purpose.immigration"),
    "audit_redaction": ("audit.owner_entries_identified",),
    "national_lookup": ("exposure.agencies_per_vehicle_mean", "search.results"),
    # an owner that refuses searchers of other states (and federal units) is reached by fewer agencies and fewer
    # networks per national search (NC+SC, 5 days, NC closed: 177 -> 144 agencies per car, 198 -> 150 networks,
    # federal units per car 0.44 -> 0.12); `sharing_scope: in_state` also cuts the 1:1 grants across the state
    # line (177 -> 110, 198 -> 111, federal reach 0), `none` every grant. A state's out-of-state rule leads with what
    # it closes: the audit records other states' searches write in an owner's log (by_agency's out-of-state column)
    "sharing_scope": ("exposure.agencies_per_vehicle_mean", "search.networks_touched_national_mean",
                      *FEDERAL_OUTCOMES),
    "state_rules.out_of_state_sharing": ("audit.records_per_owner_out_of_state_mean",
                                         "exposure.agencies_per_vehicle_mean",
                                         "search.networks_touched_national_mean", *FEDERAL_OUTCOMES),
    # a state's national lookup barred: its national searches run statewide (what they reach is counted in
    # search.results); agencies per car do not move, the opted-in reads stay open to the other states
    "state_rules.may_run_national_lookup": ("search.scope_downgraded", "search.results"),
}


# With no lever to follow (the national baseline, flock-2025), the answer covers both systems its question names: two
# footage outcomes, then who can see a tracked car. The baseline answered with four footage numbers (requests,
# households notified, opt-in, clips) and nothing on its 126,000 plate readers.
BOTH_SYSTEMS = ("requests.posted", "optin.rate", "exposure.agencies_per_vehicle_mean",
                "exposure.federal_units_per_vehicle_mean")


def _rule_levers(mine: dict[str, Any], base: dict[str, Any]) -> list[str]:
    """`state_rules` as the rules it changes in some state ("state_rules.out_of_state_sharing"); a state without
    an entry has the default rule (everything allowed)."""
    from sim.config.policy import StateRule
    default = StateRule().model_dump(mode="json")
    return [f"state_rules.{f}" for f in ("out_of_state_sharing", "may_run_national_lookup")  # the wider rule first
            if any({**default, **(mine.get(s) or {})}[f] != {**default, **(base.get(s) or {})}[f]
                   for s in {*mine, *base})]


def levers(scenario: dict[str, Any] | None) -> list[str]:
    """The policy levers the scenario sets apart from the baseline, overrides' `set` keys included, in order;
    `state_rules` as the rules it changes (`_rule_levers`)."""
    mine, base = (scenario or {}).get("policy") or {}, _baseline()["policy"]
    out = [k for k in mine if k != "overrides" and mine.get(k) != base.get(k)]
    if "state_rules" in out:
        i = out.index("state_rules")
        out[i:i + 1] = _rule_levers(mine.get("state_rules") or {}, base.get("state_rules") or {})
    out += [k for o in mine.get("overrides") or [] for k, v in (o.get("set") or {}).items() if v is not None]
    return list(dict.fromkeys(out))


def lever_outcomes(*scenarios: dict[str, Any] | None) -> list[tuple[str, ...]]:
    """Per lever each scenario sets apart from the baseline (`levers`, scenario by scenario, in order), the outcomes
    it acts on (`LEVER_OUTCOMES`); a lever without outcomes of its own is left out. The answer takes one of each
    lever's before a second of any; a comparison and a focused brief take them in this order, repeats dropped."""
    return [LEVER_OUTCOMES[lever] for sc in scenarios for lever in levers(sc) if lever in LEVER_OUTCOMES]


def _nonzero(res: Results, metric: str) -> bool:
    est = res.estimate(metric)
    return est is not None and est.n > 0 and est.mean != 0


def answers(res: Results, sweep: SweepTables | None) -> list[list[str]]:
    """(label, mean, 95% CI) rows: the outcomes `sweep` moves most, else the outcomes of the levers the scenario
    changes (`LEVER_OUTCOMES`), then the key outcomes (zeros left out)."""
    names = set(res.metric_names())
    if sweep is not None:
        picked = [m for m in movers(sweep, MAX_ANSWERS) if m in names]
    else:
        # one outcome of each lever before a second of any: flock-2026 sets four rules, and the first lever's
        # outcomes alone filled the answer with federal reach that its federal_access change leaves the same
        outcomes = lever_outcomes(res.scenario)
        per_lever = [[m for m in outs if m in names and _nonzero(res, m)] for outs in outcomes]
        first = [m for rank in zip_longest(*per_lever) for m in rank if m] if outcomes else list(BOTH_SYSTEMS)
        key = [m for m in KEY_METRICS if (d := info(m)) is not None and d.kind == "outcome"]
        picked = [m for m in dict.fromkeys([*first, *key]) if m in names]
    rows = []
    for metric in picked:
        est = res.estimate(metric)
        if est is None or est.n == 0 or (sweep is None and est.mean == 0):
            continue
        d = info(metric)
        rows.append([d.label, fmt(est.mean, d.unit), fmt_ci(est, d.unit)])
        if len(rows) == MAX_ANSWERS:
            break
    return rows


def block(res: Results, sweep: SweepTables | None, note: str | None) -> list[str]:
    """HTML for the top of the report."""
    description = (res.scenario or {}).get("description") or ""
    out = ['<section class="answer">']
    out.append(f'<p class="lede"><strong>The question.</strong> {H.esc(description)}</p>' if description else
               '<p class="lede"><strong>The question.</strong> (the scenario has no description)</p>')
    lines = changes(res.scenario)
    param, sweep_rows = sweep_answers(sweep) if sweep is not None else ("", [])
    if sweep is not None:  # a sweep's point 0 is not the change: say what was swept
        points, names = sweep.points, swept(sweep)
        over = [(q, H.Safe(f"{setting_html(q)} swept over {H.esc(', '.join(str(v) for v in points[q].drop_duplicates()))}"))
                for q in names]
        lines = over + [line for line in lines if line[0] not in names]
    out.append("<p><strong>The change.</strong> " + ("Compared with the national baseline: " if lines else
               "None: these are the national baseline's settings.") + "</p>")
    if lines:
        out.append(H.bullets([line for _, line in lines], "changes"))
    if sweep_rows:
        out.append(f"<p><strong>The answer</strong>: the outcomes the sweep moves most clearly, at the lowest and highest "
                   f"{setting_html(param)} (mean across replications).</p>")
        out.append(H.table(["Outcome", "Lowest setting", "Highest setting"], sweep_rows))
    rows = [] if sweep_rows else answers(res, sweep)
    if rows:
        what = "the outcomes the sweep moves most" if sweep is not None else "the headline outcomes"
        shown = f" ({note})" if note else ""
        # a count needs its period: "Footage requests posted 55.5" read as a rate
        period = f" over the {res.days_text} simulated days" if res.days_text else ""
        out.append(f"<p><strong>The answer</strong>: {what}{period}, mean across replications{H.esc(shown)}.</p>")
        out.append(H.table(["Outcome", "Mean", "95% CI"], rows, numeric=(1,)))
    out.append('<aside class="box"><strong>What this is and is not.</strong> ' + H.bullets([
        "A simulation of the platform's rules and of assumed behaviour, not a measurement of real searches or "
        "requests.",
        "The 95% intervals cover run-to-run randomness only, not doubt about the inputs: most inputs are "
        "assumptions (listed below); `fedsim sensitivity` shows which of them the answer depends on.",
        "Input played back (search reasons, read rates) is never shown as a finding.",
    ], "is-not") + "</aside>")
    out.append("</section>")
    return out
