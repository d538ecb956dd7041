"""What a focused agency's search rate is: its own published figure, its federal unit's, or a draw for its type; and
where its cameras' read rate comes from (``read_rate_source``: its portal's vehicles per camera-day, or a draw).

by_agency says per row where the rate came from (``search_rate_source``: `sim.model.alpr_searches.RATE_SOURCES`)
and what it was (``search_rate_30d``, searches per 30 days before the weekly profile; a drawn rate differs by
replication, so the sentences give its mean). A folder written before those columns existed drew every rate.
Units: searches per 30 days.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from reports.catalog import pct
from reports.setting_words import setting_words

SPREAD = "from the spread of the period's published portal figures"  # behavior.searches, in words
OLD_FOLDER = f"Its searches are drawn for an agency of its type, {SPREAD}"


def rate_sentence(rows: pd.DataFrame | None) -> str:
    """One sentence on the agency's search rate in one run (its by_agency rows, one per replication), no full stop."""
    if rows is None or rows.empty or "search_rate_source" not in rows:
        return OLD_FOLDER
    source = str(rows.search_rate_source.iloc[0])
    rate = float(rows.search_rate_30d.mean())
    if source == "portal":
        zero = ": a published 0, so it runs no searches of its own" if rate == 0 else ""
        return (f"It searches at its own published figure, {rate:,.0f} searches per 30 days (its transparency portal's "
                f"count, April 2026){zero}")
    if source == "unit":
        return f"It searches at its federal unit's sourced rate, {rate:,.0f} searches per 30 days"
    if source == "drawn":
        return (f"Its search rate is drawn for an agency of its type, {SPREAD} ({rate:,.0f} per 30 days, mean over "
                "replications), not its own figure")
    if source == "ended":
        return ("It runs no searches: its Flock program had ended before this scenario's period "
                "(a sourced date; docs/world.md, 'Portal zeros')")
    return "It runs no searches of its own in this run"


def read_rate_sentence(rows: pd.DataFrame | None) -> str:
    """One clause on where the agency's cameras' read rate came from (by_agency's ``read_rate_source``,
    `sim.model.alpr_reads.READ_RATE_SOURCES`), no full stop; '' without cameras or in a folder written before it."""
    if rows is None or rows.empty or "read_rate_source" not in rows or rows.read_rate_source.isna().all():
        return ""
    source = str(rows.read_rate_source.iloc[0])
    if source == "portal":
        return ("its cameras read at the rate its own portal published (vehicles captured per camera-day, April "
                "2026), scaled by an assumed 15.8 plate reads per vehicle counted")
    if source == "drawn":
        return "its cameras read at the national average times a random factor for the agency, not a published figure"
    return ""


def compare_rate_sentence(runs: list[tuple[str, pd.DataFrame | None]]) -> str:
    """Per run, where the agency's rate came from, when the runs differ in it (a 2025 draw against its own 2026
    count moves its searches by construction, not by any rule); '' when every run's rate has the same source."""
    sources = {str(r.search_rate_source.iloc[0]) if r is not None and "search_rate_source" in r and not r.empty
               else "drawn" for _, r in runs}
    if len(sources) <= 1:
        return ""
    said = [(name, rate_sentence(rows)) for name, rows in runs]
    parts = [f"'{name}': {text[0].lower()}{text[1:]}" for name, text in said]
    return ("Its search rate has different sources in these runs, so its own searches differ by construction, not "
            "by a rule: " + "; ".join(parts) + ".")


def state_rate_sentence(by_agency: pd.DataFrame | None, state: str, place: str) -> str:
    """How the state's agencies' search rates were set: how many search at their own published counts, how many at
    drawn rates, and the share of the state's rate that is published; '' for a folder without the columns."""
    if by_agency is None or "search_rate_source" not in by_agency:
        return ""
    mine = by_agency[(by_agency.state == state) & by_agency.search_rate_source.isin(["portal", "drawn", "unit"])]
    if mine.empty:
        return ""
    first = mine[mine.replication == mine.replication.min()]
    portal = first[first.search_rate_source == "portal"]
    drawn = int((first.search_rate_source == "drawn").sum())
    if portal.empty:
        return (f"Every one of {place}'s {len(first):,} searching agencies searches at a rate drawn for its type "
                f"{SPREAD}, none at its own published count.")
    rate = mine.groupby("replication").search_rate_30d.sum().mean()
    own = float(portal.search_rate_30d.sum())
    zeros = int((portal.search_rate_30d == 0).sum())
    return (f"Of {place}'s {len(first):,} searching agencies, {len(portal):,} search at their own published portal "
            f"counts (April 2026; {zeros:,} of them publish 0) and {drawn:,} at rates "
            f"drawn for their type: {own:,.0f} of the state's {rate:,.0f} searches per 30 days "
            f"({pct(own / rate) if rate else 'n/a'}) are published figures.")


# The settings that set how many searches run (per agency per 30 days, the proxies' and federal units' rates, the
# portals' own counts): scenarios that differ in them differ in searches run by construction, and so in the audit
# entries searches write and the plate reads they return (flock-2025 against flock-2026: 2026's portal medians).
RATE_INPUTS = ("behavior.searches.per_agency_30d_median", "behavior.searches.per_agency_sigma",
               "behavior.searches.per_agency_zero_share", "behavior.searches.federal_units",
               "behavior.searches.proxy_agency_share", "behavior.searches.proxy_per_agency_30d_median",
               "behavior.searches.proxy_per_agency_sigma", "world.flock.portal_searches")
FULL_KEY = {k.rsplit(".", 1)[1]: k for k in RATE_INPUTS}  # `rate_setters`' last keys back to the config keys


def _get(scenario: dict[str, Any] | None, dotted: str) -> Any:
    node: Any = scenario or {}
    for key in dotted.split("."):
        node = node.get(key) if isinstance(node, dict) else None
    return node


# Metrics that count searches or what they write and return: they move with the search rates themselves
SEARCH_DRIVEN = ("search.", "audit.", "alpr.searches")


def rate_setters(runs: list[tuple[str, dict[str, Any] | None]]) -> dict[str, list[str]]:
    """The scenarios (name, resolved scenario; the baseline first) that set search rates apart from the baseline,
    each with the `RATE_INPUTS` (last key) it changes."""
    (_, base), others = runs[0], runs[1:]
    out = {}
    for name, scenario in others:
        keys = [k.rsplit(".", 1)[1] for k in RATE_INPUTS if _get(scenario, k) != _get(base, k)]
        if keys:
            out[name] = keys
    return out


def rate_input_sentence(runs: list[tuple[str, dict[str, Any] | None]]) -> str:
    """Which scenarios (name, resolved scenario; the baseline first) set search rates apart from the baseline, and
    what that means for a change in searches; '' when none does. A focused 2025-against-2026 comparison led with
    'audit entries from out-of-state searches -13.4%' in Georgia, a change that follows from 2026's lower portal
    search rates (an input), with no word of it."""
    base_name = runs[0][0]
    parts = [f"'{name}' ({', '.join(setting_words(FULL_KEY[k]) for k in keys)})" for name, keys in rate_setters(runs).items()]
    if not parts:
        return ""
    return (f"{'; '.join(parts)} set{'s' if len(parts) == 1 else ''} search rates apart from '{base_name}', so searches "
            "run differ by construction: changes in searches, the audit entries they write and the plate reads they "
            "return mix those inputs with the effect of any rule.")
