"""The terminal lines `fedsim run --focus STATE` / `--focus-agency NAME` prints after the national table.

The brief (report.html) leads with the focus; the terminal showed only national whole-run metrics, so a user
asking about one state read nothing about it until opening the page. These lines give the focus's own counts
from the run's ``by_state`` (a state) or ``by_agency`` (an agency: its first row of that name) table, mean over
the replications with the same t-based 95% CI as the national table (`sim.results.stats.mean_ci`, cut to >= 0),
in the recorded days; a yes/no column (unit ``0/1``, ``federal.proxy_open``) reads yes or no
(`sim.results.stats.yes_no`), not a count with a CI. Labels are the columns' declared labels (`sim.results.places`).
A state's lines add how much each figure varies between the replications, flagging those that vary a lot or that the
world sets (`sim.results.spread`), with what the flags mean and how much of its searches its busiest agency ran.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.results import layout
from sim.results.places import PLACE_METRICS, added_note, rules_acted
from sim.results.spread import Spread, drawn_agencies, one_world, searches_sigma, spread, spread_notes, spread_text
from sim.results.stats import YES_NO, Estimate, bounded, mean_ci, yes_no

# who reaches the focus's cameras, by channel, then what it runs and holds
SHOWN: tuple[str, ...] = (
    "audit.records_received", "audit.records_received_local_police_sheriff", "audit.records_received_state_police",
    "audit.records_received_out_of_state", "audit.records_received_federal_own", "audit.records_received_proxy",
    "alpr.searches", "storage.reads_held",
)
STATE_ONLY: tuple[str, ...] = ("federal.owners_direct", "federal.owners_proxy_only")
AGENCY_ONLY: tuple[str, ...] = ("federal.units_direct", "federal.proxy_open")


def _fmt(x: float) -> str:
    return f"{x:,.0f}" if abs(x) >= 100 or float(x).is_integer() else f"{x:,.3g}"


def focus_lines(focus: dict[str, str], by_state: pd.DataFrame | None, by_agency: pd.DataFrame | None,
                days: int, scenario: dict[str, Any] | None = None) -> list[str]:
    """Lines for `focus` ({"state": code} or {"agency": name}); none when the table it needs was not written.
    `scenario`: the resolved scenario the run saved (its search-rate spread, `sim.results.spread.searches_sigma`)."""
    if "agency" in focus:
        if by_agency is None:
            return []
        rows = by_agency[by_agency["name"] == focus["agency"]]
        rows = rows[rows["agency"] == rows["agency"].min()] if len(rows) else rows
        values = {m: rows[m].to_numpy() for m in (*SHOWN, *AGENCY_ONLY, *rules_acted(rows)) if m in rows}
        where = f"{focus['agency']} ({rows['state'].iloc[0]})" if len(rows) else focus["agency"]
    else:
        if by_state is None:
            return []
        rows = by_state[by_state["state"] == focus["state"]]
        wide = by_state.pivot_table(index=["replication", "state"], columns="metric", values="value")
        values = {m: rows.loc[rows["metric"] == m, "value"].to_numpy() for m in (*SHOWN, *STATE_ONLY, *rules_acted(wide))}
        where = focus["state"]
    values = {m: v for m, v in values.items() if len(v)}
    if not values:
        return []
    width = max(len(PLACE_METRICS[m].label) for m in values)
    cis = {m: _ci(v) for m, v in values.items() if PLACE_METRICS[m].unit != YES_NO}
    spreads = _spreads(focus["state"], by_state, by_agency, values, scenario) if "state" in focus else {}
    ci_width = max(len(c) for _, c in cis.values()) if spreads else 0
    lines = [f"focus {where}, in {days} simulated day(s) (the brief leads with it):",
             f"  {'':<{width}}  {'mean':>14}  {'95% CI':<{ci_width}}" + ("  run to run" if spreads else "")]
    lines[-1] = lines[-1].rstrip()
    for m, v in values.items():
        if PLACE_METRICS[m].unit == YES_NO:  # 'open to proxy lookups 1 [1, 1]' read as a count
            lines.append(f"  {PLACE_METRICS[m].label:<{width}}  {yes_no(v):>14}")
            continue
        est, ci = cis[m]
        line = f"  {PLACE_METRICS[m].label:<{width}}  {_fmt(est.mean):>14}  {ci:<{ci_width}}"
        lines.append(line + f"  {spread_text(spreads[m], _fmt)}" if m in spreads else line.rstrip())
    if spreads:
        notes = spread_notes(by_state, focus["state"], focus["state"], spreads, added_note(()))
        lines += [ln for note in notes for ln in textwrap.wrap(note, 116, initial_indent="  ", subsequent_indent="    ")]
    return lines


def _ci(v: np.ndarray) -> tuple[Estimate, str]:
    est = bounded(mean_ci(v), "count")
    return est, "n/a (1 replication)" if est.n < 2 else f"[{_fmt(est.low)}, {_fmt(est.high)}]"


def _spreads(state: str, by_state: pd.DataFrame | None, by_agency: pd.DataFrame | None,
             values: dict[str, np.ndarray], scenario: dict[str, Any] | None) -> dict[str, Spread]:
    """Each shown state figure's spread between replications (`sim.results.spread`); none without a by_state table."""
    if by_state is None:
        return {}
    drawn, sigma, one = drawn_agencies(by_state, by_agency, state), searches_sigma(scenario), one_world(scenario)
    return {m: spread(m, v, drawn, sigma, one) for m, v in values.items() if PLACE_METRICS[m].unit != YES_NO}


def agency_world_lines(folder: Path, name: str) -> list[str]:
    """The world's lines on agency `name` from `folder`'s world.json (written with the run's ``--focus-agency``;
    under ``run.world_per_replication`` replication 0's world, and the first line says so); none when the file or
    the agency's block is missing. Austin TX PD's terminal lines said 0 audit entries without
    saying why: its portal states no cameras."""
    from sim.world.summary_agency import agency_text

    try:
        world = json.loads((folder / layout.WORLD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    agency = world.get("agency") or {}
    if agency.get("name") != name:
        return []
    lines = agency_text(agency).splitlines()
    if "world_replication" in world:  # run.world_per_replication: "this world" is one of the run's worlds
        lines[0] += (f" (replication {world['world_replication']}'s world: each replication drew its own, "
                     "run.world_per_replication)")
    return lines
