"""Briefs that lead with one state (or one agency's state): ``--focus STATE`` / ``--focus-agency NAME``.

Reads ``by_state`` and ``by_agency`` of a results folder (`sim.results.places`). For a report
(`report_focus`): a first sentence about the state, above the question and answer; after the answer and
its caveats, its numbers beside the national figure (mean over replications with a 95% CI) with how much each
varies from run to run (`reports.focus_spread`: "varies a lot", "set by the world"), federal reach
into it by channel (direct 1:1 grant, the units' own lookup, only through proxies) and a map of the states
with the focus state outlined; further down, in place of the national sharing drawings, the state's sharing
(`reports.focus_charts`: its links with other states and its agencies' graph, from world.json as the run saved it).
For a comparison (`compare_focus`): a first sentence saying what each scenario changes in the state, and the
same measures in the rest of the country, with paired 95% CIs when the runs share a root seed.
With ``--focus-agency`` the agency's own answer (`reports.focus_agency`: how it searches, who can search its
cameras, its audit log) and row open the page, then its state's sentence, then the question and answer.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from reports import html as H
from reports.catalog import big, fmt_estimate, pct
from reports.focus_agency import agency_block, agency_lede, agency_note, agency_value, camera_sources
from reports.focus_estimates import (
    change_text,
    count_change,
    count_estimate,
    is_clear,
    is_uncertain,
    is_unchanged,
    noise_words,
    per_rep,
    shared,
)
from reports.focus_rates import compare_rate_sentence, rate_input_sentence, state_rate_sentence
from reports.focus_reach import channel_sentence, compare_reach_sentence, proxy_runs
from reports.focus_rules import names_agencies, override_agency_states, rules_paragraphs, rules_sentence
from reports.focus_spread import HEADER as SPREAD_HEADER
from reports.focus_spread import spread_cell, spread_note, state_spreads
from reports.readable import signed, signed_pct
from reports.tables import ReportInputError, Results
from sim.geo.states import NAMES
from sim.results.focus import check_focus, check_focus_in, saved_focus
from sim.results.places import (
    ADDED_COLUMNS,
    AGENCY_COLUMNS,
    PLACE_METRICS,
    RULE_COLUMNS,
    added_note,
    in_folder,
    rules_acted,
)
from sim.results.read import read_by_state, read_flows_by_state
from sim.results.spread import Spread
from sim.results.stats import Estimate

# Plate reads searches returned from a state's networks: flows_by_state's `records` summed per owner state (the
# national `search.results` split by the reads each state's owners hold, `sim.model.alpr_state_flows`). With
# `HELD`, by_state's reads held, the measures here that a retention rule moves: the other counts are searches and
# audit entries, which it leaves alone.
RESULTS = "search.results"
HELD = "storage.reads_held"
LABELS = {name: m.label for name, m in PLACE_METRICS.items()} | {
    RESULTS: "plate reads returned to searches from its networks"}
# What a reader asks about a state first, in this order.
SHOWN = ("agencies", "cameras", "alpr.reads", HELD, "alpr.searches", "audit.records_received", RESULTS,
         "audit.records_received_out_of_state", "audit.records_received_federal_own", "audit.records_received_proxy",
         "alpr.searches_federal_proxy", "federal.owners_direct", "federal.owners_lookup_only",
         "federal.owners_proxy_only", "requests.posted", "footage.clips")
CHANGED = ("audit.records_received_federal_own", "audit.records_received_proxy", "federal.owners_direct",
           "federal.owners_lookup_only", "federal.owners_proxy_only", "audit.records_received_out_of_state",
           "audit.records_received", HELD, RESULTS, "alpr.searches_federal_proxy", "alpr.searches",
           "search.moderation.blocked", "search.moderation.warned")



def rule_rows(scenarios: list[dict[str, Any] | None], metrics: set[str]) -> list[str]:
    """The by_state counts of what the rules the scenarios set did (`reports.answer.lever_outcomes` that by_state
    holds and `SHOWN` lacks): searches moderation blocked, warned or could not see, in the searcher's state; audit
    entries still showing who searched, in the owner's. A flock-2026 brief focused on a state gave none of them."""
    from reports.answer import lever_outcomes  # reports.answer imports reports.compare, which imports this

    out = [m for outs in lever_outcomes(*scenarios) for m in outs if m in metrics]
    return [m for m in dict.fromkeys(out) if m not in SHOWN]


@dataclass(frozen=True, eq=False)
class Focus:
    """The state (and agency) a brief leads with, and the folder's tables `resolve` read to check it."""

    state: str  # two-letter code
    by_state: pd.DataFrame = field(repr=False)  # the folder's by_state table (`sim.results.places`)
    agency: str | None = None  # the agency's name with --focus-agency
    agency_rows: pd.DataFrame | None = field(default=None, repr=False)  # its by_agency rows, one per replication

    @property
    def place(self) -> str:
        return NAMES.get(self.state, self.state)


def resolve(res: Results, state: str | None, agency: str | None) -> Focus | None:
    """The focus asked for (`sim.results.focus.check_focus`), checked against the folder's tables (`FocusError`,
    a ReportInputError: exit 2 with what is valid)."""
    wanted = check_focus(state, agency)
    if wanted is None:
        return None
    by_state = state_rows(res.folder)
    if by_state is None:
        raise ReportInputError(f"{res.folder}: no by_state table (left out by run.tables / --tables, or written "
                               "before per-state outputs); rerun the scenario with by_state among its tables to focus "
                               "on a state")
    by_agency = res.by_agency if "agency" in wanted else None
    if "agency" in wanted and by_agency is None:  # else every name read as unknown ("no agency named ...")
        raise ReportInputError(f"{res.folder}: no by_agency table (left out by run.tables / --tables); rerun the "
                               "scenario with by_agency among its tables to focus on an agency")
    agencies = zip(by_agency.name, by_agency.state, strict=True) if by_agency is not None else ()
    code = check_focus_in(wanted, f"the world of {res.folder}", by_state.state, agencies)
    if "agency" in wanted:
        return Focus(code, by_state, wanted["agency"], by_agency[by_agency.name == wanted["agency"]])
    return Focus(code, by_state)


def state_rows(folder: Path) -> pd.DataFrame | None:
    """The folder's by_state table plus a `RESULTS` row per (replication, state) from flows_by_state (left out when
    the folder has no flows_by_state); None without by_state."""
    by_state = read_by_state(folder)
    flows = read_flows_by_state(folder) if by_state is not None else None
    if flows is None or flows.empty:
        return by_state
    keys = ["scenario", "design_point", "replication", "owner_state"]
    results = (flows.groupby(keys, sort=True).records.sum().reset_index()
               .rename(columns={"owner_state": "state", "records": "value"}).assign(metric=RESULTS))
    return pd.concat([by_state, results[list(by_state.columns)]], ignore_index=True)


def span(res: Results) -> str:
    """The span a whole-run count covers: the run's recorded days (`Results.days_text`)."""
    return f"in {res.days_text} simulated days" if res.days_text else "over the run's recorded days"


ONE_REP = "one replication in common with the baseline: no CI tells it from run-to-run noise"
ENTRIES_NOTE = ("An audit entry is one search reaching one network: a search that reaches 40 networks writes 40 "
                "entries, so entries are not searches.")


def state_table(res: Results, focus: Focus, spreads: dict[str, Spread]) -> list[list[str]]:
    """Rows measure, the state, the nation, its share, how much the state's figure varies from run to run
    (`focus.by_state`, the table read from `res`; `spreads` per metric, `reports.focus_spread.state_spreads`):
    `SHOWN`, then what the scenario's rules did (`rule_rows`, a count 0 nationally left out: flock-2026's
    moderation warns about nothing)."""
    rows: list[list[str]] = []
    by_state = focus.by_state
    metrics = set(by_state.metric)
    for metric in (*SHOWN, *rule_rows([res.scenario], metrics | set(ADDED_COLUMNS))):
        if metric not in metrics:
            if metric in ADDED_COLUMNS:  # an older folder's: not 0, unknown
                rows.append([LABELS.get(metric, metric), added_note([res.name]), added_note([res.name]), "n/a", "n/a"])
            continue
        here = count_estimate(per_rep(by_state, metric, {focus.state}))
        nation = count_estimate(per_rep(by_state, metric, None))
        if metric not in SHOWN and nation.mean == 0:
            continue
        share = pct(here.mean / nation.mean) if nation.mean else "n/a"
        run_to_run = spread_cell(spreads[metric]) if metric in spreads else "n/a"
        rows.append([LABELS.get(metric, metric), fmt_estimate(here, "count"), fmt_estimate(nation, "count"), share,
                     run_to_run])
    return rows


def _states_of(res: Results) -> dict[Any, str]:
    """The states of the agencies the folder's overrides name (by_agency read only when one names agencies)."""
    return override_agency_states(res.by_agency) if names_agencies(res.scenario) else {}


def report_focus(res: Results, focus: Focus, charts_dir: Path | None = None) -> tuple[list[str], list[str]]:
    """HTML blocks of a report focused on one state (or agency): the sentence that opens the page (before the
    question and answer), and the detail that follows the answer and its caveats (the agency's row, the state
    beside the nation; with `charts_dir`, its map)."""
    by_state = focus.by_state
    received = count_estimate(per_rep(by_state, "audit.records_received_federal_own", {focus.state}))
    proxied = count_estimate(per_rep(by_state, "audit.records_received_proxy", {focus.state}))
    nat = count_estimate(per_rep(by_state, "audit.records_received_federal_own", None))
    searches = count_estimate(per_rep(by_state, "alpr.searches_federal_own", None))
    # what the numbers are (means of simulated runs, uncertain) and where the rules they ran under are given
    reps = received.n
    kind = (f"means of {reps} replications, with 95% CIs and the run's rules below" if reps > 1 else
            "1 replication, so no CI; the run's rules below")
    ran = proxy_runs(by_state, focus.state, focus.place)
    first = (f"In {focus.place}, {span(res)}, federal units' own searches wrote {big(received.mean)} audit entries "
             f"in camera owners' logs and proxy lookups for them {big(proxied.mean)} ({kind}; "
             f"{ran + '; ' if ran else ''}an entry per search and "
             f"network reached: nationally, {big(searches.mean)} federal searches wrote {big(nat.mean)} entries).")
    # the answer to "can federal units see this state's cars, directly or through local police?" comes first
    channels = channel_sentence(by_state, focus.state, focus.place)
    state_words = H.esc(" ".join(t for t in (channels, first) if t))
    opening = [f'<p class="lede focus">{state_words}</p>']
    body: list[str] = []
    if focus.agency:  # the agency's own answer leads; its state's follows, then the question and answer
        lede = agency_lede(focus.agency_rows, focus.agency, focus.place, span(res))
        sources = camera_sources(res.folder, focus.agency)  # real geography: mapped, filled, or a stopped program
        opening = [f'<p class="lede focus">{H.esc(lede)}</p>', *([f"<p>{H.esc(sources)}</p>"] if sources else []),
                   *agency_block(focus.agency_rows, focus.agency, res.name),
                   f"<h2>Its state, {H.esc(focus.place)}</h2>", f"<p>{state_words}</p>"]
    note = (f"Counts {span(res)} (agencies and cameras: as the world holds them), mean over replications with "
            f"a 95% CI. {ENTRIES_NOTE}")
    rules = rules_sentence(res.scenario, focus.state, focus.place, _states_of(res))
    rates = state_rate_sentence(res.by_agency, focus.state, focus.place)
    spreads = state_spreads(res, by_state, focus.state, (*SHOWN, *rule_rows([res.scenario], set(by_state.metric))))
    body += [f"<h2>{H.esc(focus.place)} beside the nation</h2>", f"<p>{H.esc(rules)}</p>" if rules else "",
             f"<p>{H.esc(rates)}</p>" if rates else "",
             f"<p>{H.esc(note)}</p>",
             H.table(["Measure", focus.place, "National", f"{focus.state} share", SPREAD_HEADER],
                     state_table(res, focus, spreads), numeric=(1, 2, 3)),
             f"<p>{H.esc(spread_note(by_state, focus.state, focus.place, spreads, res.name))}</p>"]
    if charts_dir is not None:
        from reports.focus_charts import focus_map  # it imports this module
        body.append(focus_map(res, focus, charts_dir))
    return opening, [b for b in body if b]


def _change_words(metric: str, base: Estimate, diff: Estimate) -> str:
    pct = f" ({signed_pct(diff.mean / abs(base.mean) * 100)})" if base.mean else ""
    ci = (f"; 95% CI {signed(diff.low, 'count')} to {signed(diff.high, 'count')}"
          if math.isfinite(diff.low) and math.isfinite(diff.high) else "")
    return f"{LABELS.get(metric, metric).lower()} from {big(base.mean)} by {signed(diff.mean, 'count')}{pct}{ci}"


def compare_focus(results: list[Results], focus: Focus) -> list[str]:
    """HTML blocks that open a comparison focused on one state: what each scenario changes there and elsewhere.
    `focus`: resolved against the first (the baseline), whose by_state it holds."""
    tables = [focus.by_state, *(state_rows(r.folder) for r in results[1:])]
    if any(t is None for t in tables):
        missing = [str(r.folder) for r, t in zip(results, tables, strict=True) if t is None]
        raise ReportInputError(f"--focus needs by_state tables; missing in {', '.join(missing)}")
    base_run, base = results[0], tables[0]
    sentences, agency_body = compare_agency(results, focus) if focus.agency else ([], [])
    rows = []
    for run, table in zip(results[1:], tables[1:], strict=True):
        same_seed = base_run.meta.get("seed") is not None and base_run.meta.get("seed") == run.meta.get("seed")
        moved, elsewhere = [], {}
        # CHANGED, then what the rules either scenario sets did there (moderation's unseen searches, identified entries)
        have = [(base_run.name, set(base.metric)), (run.name, set(table.metric))]  # each run's metrics, once
        ruled = rule_rows([base_run.scenario, run.scenario], have[0][1] | set(ADDED_COLUMNS))
        for metric in dict.fromkeys((*CHANGED, *ruled)):
            lacking = [name for name, metrics in have if metric not in metrics]
            if lacking and metric in ADDED_COLUMNS:  # an older folder's: unknown, not 0
                rows.append([run.name, LABELS.get(metric, metric), added_note(lacking), *["n/a"] * 3])
                continue
            if metric not in have[0][1]:
                continue
            here_b, here_o = shared(per_rep(base, metric, {focus.state}), per_rep(table, metric, {focus.state}), same_seed)
            rest_b, rest_o = shared(per_rep(base, metric, None, exclude=focus.state),
                                    per_rep(table, metric, None, exclude=focus.state), same_seed)
            d_here, d_rest = count_change(here_b, here_o, same_seed), count_change(rest_b, rest_o, same_seed)
            elsewhere[metric] = d_rest
            rows.append([run.name, LABELS.get(metric, metric), fmt_estimate(count_estimate(here_b), "count"),
                         change_text(d_here), fmt_estimate(count_estimate(rest_b), "count"), change_text(d_rest)])
            if is_clear(d_here) or is_uncertain(d_here):
                moved.append((metric, count_estimate(here_b), d_here))
        # clear changes lead (without a CI none is clear), what a rule the scenarios set did first, as the national
        # answer: flock-2025 vs flock-2026 in TX led with out-of-state entries -13.2%, which the 2026 portal rates
        # move, not with the entries redaction left identified (-99.8%)
        moved.sort(key=lambda mbd: (not is_clear(mbd[2]), mbd[0] not in ruled))
        if moved:
            metric, b, d = moved[0]
            sentences.append(f"In {focus.place}, '{run.name}' changes {_change_words(metric, b, d)}"
                             f"{'' if is_clear(d) else ' (' + ONE_REP + ')'}; {rest_clause(metric, elsewhere)}.")
        else:
            sentences.append(f"In {focus.place}, '{run.name}' makes no clear difference to federal reach, searches, "
                             "the plate reads they return or moderation "
                             f"against '{base_run.name}' at these replication counts.")
    rates = rate_input_sentence([(r.name, r.scenario) for r in results])
    reach = compare_reach_sentence([(r.name, t) for r, t in zip(results, tables, strict=True) if t is not None],
                                   focus.state, focus.place)
    sentences += [t for t in (rates, reach) if t]
    body = [f'<p class="lede focus">{H.esc(" ".join(sentences))}</p>', *agency_body,
            f"<h2>{H.esc(focus.place)} and the rest of the country</h2>",
            *(f"<p>{H.esc(t)}</p>" for t in rules_paragraphs(
                [(r.name, r.scenario, _states_of(r)) for r in results], focus.state, focus.place)),
            "<p>Per scenario: each measure in the state and in every other state together (audit entries counted "
            f"where they land), {span(base_run)}, the baseline's value and the change against it with a 95% CI. "
            f"{ENTRIES_NOTE}</p>",
            H.table(["Scenario", "Measure", f"{focus.state}: baseline", f"{focus.state}: change", "Elsewhere: baseline",
                     "Elsewhere: change"], rows, numeric=(2, 3, 4, 5))]
    return body


def compare_agency(results: list[Results], focus: Focus) -> tuple[list[str], list[str]]:
    """With --focus-agency: per scenario, a sentence on what it changes at the agency (its by_agency row) and a table
    of every measure of that row, the baseline's value and the change (paired under a shared root seed)."""
    rows_by_run = [focus.agency_rows]
    for run in results[1:]:
        table = run.by_agency
        mine = table[table.name == focus.agency] if table is not None else None
        if mine is None or mine.empty:
            raise ReportInputError(f"--focus-agency: no agency named {focus.agency!r} in the world of {run.folder}; "
                                   "compare runs of one world")
        rows_by_run.append(mine)

    def values(rows: pd.DataFrame | None, column: str) -> dict[int, float]:
        assert rows is not None  # resolve() found the baseline's rows for --focus-agency
        return {int(r): float(v) for r, v in zip(rows.replication, rows[column], strict=True)}

    base_run, sentences, table_rows = results[0], [], []
    for run, mine in zip(results[1:], rows_by_run[1:], strict=True):
        same_seed = base_run.meta.get("seed") is not None and base_run.meta.get("seed") == run.meta.get("seed")
        moved = []
        # what the 2025-26 rules did, where they acted at the agency in either run (a folder without the column: not)
        ruled = set(rules_acted(rows_by_run[0])) | set(rules_acted(mine))
        for m in AGENCY_COLUMNS:
            if m.name in RULE_COLUMNS and m.name not in ruled:
                continue
            lacking = [r.name for r, t in ((base_run, rows_by_run[0]), (run, mine))
                       if not in_folder(t, m.name)]  # type: ignore[arg-type]
            if lacking:  # a column added since an older folder was written: unknown there, not 0
                table_rows.append([run.name, m.label, added_note(lacking), "n/a"])
                continue
            b, o = shared(values(rows_by_run[0], m.name), values(mine, m.name), same_seed)
            d = count_change(b, o, same_seed)
            if m.unit == "0/1":  # yes/no: 'open to proxy lookups 1 (95% CI 1 to 1), +0' read as a count
                was, now = (agency_value(np.array(list(v.values())), m.unit) for v in (b, o))
                table_rows.append([run.name, m.label, was, "unchanged" if was == now else f"now {now}"])
            else:
                table_rows.append([run.name, m.label, fmt_estimate(count_estimate(b), "count"), change_text(d)])
            if is_clear(d) or is_uncertain(d):
                moved.append((m.name, count_estimate(b), d))
        moved.sort(key=lambda mbd: not is_clear(mbd[2]))
        sentences.append(f"At {focus.agency}, '{run.name}' changes {_change_words(*moved[0])}"
                         f"{'' if is_clear(moved[0][2]) else ' (' + ONE_REP + ')'}." if moved else
                         f"At {focus.agency}, '{run.name}' makes no clear difference to its own row against "
                         f"'{base_run.name}' at these replication counts.")
    # a rate drawn in one run and read from the portal in another moves its searches by construction: the lede says so
    rates = compare_rate_sentence([(r.name, rows) for r, rows in zip(results, rows_by_run, strict=True)])
    sentences += [rates] if rates else []
    body = [f"<h2>{H.esc(focus.agency or '')}</h2>",
            f"<p>Its own row (by_agency), {span(base_run)}: the baseline's value and each scenario's change with a "
            f"95% CI. {H.esc(agency_note(focus.agency_rows))}</p>",
            H.table(["Scenario", "Measure", "baseline", "change"], table_rows, numeric=(2, 3))]
    return sentences, body


def rest_clause(headline: str, elsewhere: dict[str, Estimate], shown: int = 2) -> str:
    """What the rest of the country's column of the focus table supports, for the sentence that opens a focused
    comparison: the headline measure's change there, then every other measure of the table that changes there
    (clear changes first, the largest first; `shown` of them with figures, the rest counted). "Unchanged" only
    for a measure whose change is exactly 0, and "the rest of the country is unchanged" only when every row is."""
    def words(metric: str, d: Estimate) -> str:
        ci = f" (95% CI {signed(d.low, 'count')} to {signed(d.high, 'count')})" if d.has_ci else ""
        return f"{LABELS.get(metric, metric).lower()} by {signed(d.mean, 'count')}{ci}"

    head = elsewhere[headline]
    others = sorted(((m, d) for m, d in elsewhere.items() if m != headline and not is_unchanged(d)),
                    key=lambda md: (not is_clear(md[1]), -abs(md[1].mean)))
    if is_unchanged(head) and not others:
        return "the rest of the country is unchanged in every measure below"
    first = ("in the rest of the country it is unchanged" if is_unchanged(head)
             else f"in the rest of the country it moves by {words(headline, head).split(' by ', 1)[1]}"
             + ("" if is_clear(head) else f", {noise_words(head)}"))
    if not others:  # "moves by -5,203, within noise, as is every other measure" read as if the others moved too
        return f"{first}, as is every other measure below" if is_unchanged(head) else \
            f"{first}; every other measure below is unchanged there"
    clear = [m for m, d in others if is_clear(d)]
    listed = "; ".join(words(m, d) for m, d in others[:shown])
    more = f"; {len(others) - shown} more below" if len(others) > shown else ""
    every = "all " if len(others) > 1 else ""
    noise = ("no CI: 1 replication" if any(not d.has_ci for _, d in others) else f"{every}within noise" if not clear
             else f"{len(clear)} of {len(others)} clearly" if len(clear) < len(others) else f"{every}clearly")
    counted = f"{len(others)} other measures change" if len(others) > 1 else "1 other measure changes"
    return f"{first}, but {counted} there ({noise}): {listed}{more}"


def asked(folder: Path, state: str | None, agency: str | None) -> tuple[str | None, str | None]:
    """The focus given, else the one `fedsim run --focus` saved in the folder (`sim.results.focus.saved_focus`)."""
    if state is not None or agency is not None:
        return state, agency
    saved = saved_focus(folder) or {}
    return saved.get("state"), saved.get("agency")
