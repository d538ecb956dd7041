"""How much a focus brief's state figures vary from run to run: the state table's "Run to run" column and the note
under it (`reports.focus.state_table`, `report_focus`).

Each figure's spread between the replications, from the folder's saved per-replication by_state rows: the
replications' standard deviation over their mean (CV) and their range (p5 to p95), with the flags of
`sim.results.spread` ("varies a lot", "set by the world"). The note says what the flags shown mean, where the
docs explain them, and how much of the state's searches its busiest agency ran (by_state's
`alpr.searches_busiest_agency_share`; "not in the folder of ..." for a folder written before it).
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from reports import html as H
from reports.catalog import fmt
from reports.focus_estimates import per_rep
from reports.tables import Results
from sim.results.places import added_note
from sim.results.spread import (
    NOISY,
    WORLD,
    Spread,
    drawn_agencies,
    one_world,
    searches_sigma,
    spread,
    spread_notes,
    spread_text,
)

HEADER = "Run to run"  # the column's header; the note's first words (`sim.results.spread.spread_notes`)


def state_spreads(res: Results, by_state: pd.DataFrame, state: str, metrics: Iterable[str]) -> dict[str, Spread]:
    """Each of `metrics` the state has rows of: its spread over the replications (`sim.results.spread.spread`;
    `res` the folder, for its by_agency and resolved scenario)."""
    count, sigma, one = drawn_agencies(by_state, res.by_agency, state), searches_sigma(res.scenario), one_world(res.scenario)
    out = {}
    for metric in metrics:
        values = per_rep(by_state, metric, {state})
        if values:
            out[metric] = spread(metric, [values[r] for r in sorted(values)], count, sigma, one)
    return out


def spread_cell(s: Spread) -> H.Safe:
    """The "Run to run" cell: the spread in words (`sim.results.spread.spread_text`), a flag in bold."""
    text = H.esc(spread_text(s, lambda x: fmt(x, "count")))
    for flag in (NOISY, WORLD):
        text = text.replace(H.esc(flag), f"<strong>{H.esc(flag)}</strong>", 1)
    return H.Safe(text)


def spread_note(by_state: pd.DataFrame, state: str, place: str, spreads: dict[str, Spread], run: str) -> str:
    """The paragraph under the table, in plain words: what "Run to run" shows, the flags it shows, the busiest
    agency's share."""
    notes = spread_notes(by_state, state, place, spreads, added_note([run]), plain=True)
    return " ".join(f"{t[0].upper()}{t[1:]}." for t in notes)
