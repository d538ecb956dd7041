"""The agency a brief focuses on (``--focus-agency NAME``): its own answer, which leads the page.

From its by_agency rows (one per replication, `sim.results.places.AGENCY_COLUMNS`): how it searches (its own
published rate, its federal unit's, or a draw for its type: `reports.focus_rates`), who can search its cameras
(federal units through a 1:1 grant, by their own lookup, and whether a proxy lookup could reach it: a possible
channel, not a measured flow) and what its audit log would hold (entries, one per search reaching its networks, by
searcher). Counts are whole-run totals over the run's recorded days, means over replications; the table beside
them gives 95% CIs. A report on Savannah GA PD opened with Georgia's heading and paragraph and showed the agency's
own row only after the caveats.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from reports import html as H
from reports.catalog import big, fmt_estimate
from reports.focus_rates import rate_sentence, read_rate_sentence
from sim.results import layout
from sim.results.places import AGENCY_COLUMNS, RULE_COLUMNS, added_note, in_folder, rules_acted
from sim.results.stats import YES_NO, mean_ci, yes_no

AGENCY_NOTE = "not read from its own audit log; what reaches its networks follows from the whole federation."
PRIVATE_NOTE = ("A company's or HOA's network (private): it owns cameras and shares their reads, and never searches; "
                "what reaches its networks follows from the whole federation.")
# audit entries by searcher, in the order a reader asks "who searched my cameras"
BY_SEARCHER = (("audit.records_received_local_police_sheriff", "local police and sheriffs"),
               ("audit.records_received_state_police", "state police"),
               ("audit.records_received_federal_own", "federal units' own searches"),
               ("audit.records_received_proxy", "proxy lookups for federal units"))


def is_private(rows: pd.DataFrame | None) -> bool:
    return rows is not None and "type" in rows and bool((rows["type"] == "private").any())


def agency_note(rows: pd.DataFrame | None) -> str:
    """What the agency's row can and cannot say: a private network never searches; an agency searches at its own
    published figure or at a rate drawn for its type, and its cameras read at its portal's figure or a drawn rate
    (`reports.focus_rates`)."""
    reads = read_rate_sentence(rows)
    return PRIVATE_NOTE if is_private(rows) else f"{rate_sentence(rows)}; {reads + '; ' if reads else ''}{AGENCY_NOTE}"


def _mean(rows: pd.DataFrame, column: str) -> float:
    return float(rows[column].mean()) if column in rows else 0.0


def who_can_search(rows: pd.DataFrame) -> str:
    """Federal units' channels into its cameras, from its row (the same in every replication of one world)."""
    if _mean(rows, "cameras") == 0:
        return "It owns no cameras in this world, so no search reaches it"
    direct, lookup = _mean(rows, "federal.units_direct"), _mean(rows, "federal.units_lookup")
    proxy = agency_value(rows["federal.proxy_open"].to_numpy(dtype=float), "0/1") if "federal.proxy_open" in rows \
        else "unknown"
    proxy_words = {"yes": "a proxy lookup local officers run for one could reach it (a possible channel, not a "
                          "measured flow)",
                   "no": "no proxy lookup can reach it"}.get(proxy, f"a proxy lookup could reach it ({proxy})")
    return (f"Who can search its {big(_mean(rows, 'cameras'))} cameras: the local and state police its sharing and "
            f"lookups allow; of federal units, {big(direct)} through a 1:1 grant and {big(lookup)} by their own "
            f"lookup, and {proxy_words}")


def audit_sentence(rows: pd.DataFrame) -> str:
    """What its audit log holds: entries (one per search reaching its networks) by searcher, and out-of-state."""
    total = _mean(rows, "audit.records_received")
    if _mean(rows, "cameras") == 0:
        return ""
    parts = [f"{big(_mean(rows, column))} from {who}" for column, who in BY_SEARCHER if column in rows]
    out = _mean(rows, "audit.records_received_out_of_state")
    return (f"Its audit log holds {big(total)} entries, one per search reaching its networks ({'; '.join(parts)}; "
            f"{big(out)} of all of them from agencies of other states)")


def agency_lede(rows: pd.DataFrame | None, agency: str, place: str, span: str) -> str:
    """The paragraph that opens a brief focused on one agency: how it searches, who can search its cameras and what
    its audit log holds, in that order (means over replications)."""
    if rows is None or rows.empty:
        return ""
    reps = rows["replication"].nunique() if "replication" in rows else len(rows)
    head = f"{agency} ({place}), {span}, mean of {reps} replication{'s' if reps != 1 else ''}."
    searches = ("a company's or HOA's network (private): it owns cameras and shares their reads, and never searches"
                if is_private(rows) else
                f"{rate_sentence(rows)}; it ran {big(_mean(rows, 'alpr.searches'))} searches")
    said = [searches, who_can_search(rows), audit_sentence(rows)]
    return f"{head} " + " ".join(f"{s[0].upper()}{s[1:]}." for s in said if s)


def agency_block(rows: pd.DataFrame | None, agency: str, run: str) -> list[str]:
    """Its own row in the folder of run `run`, every by_agency measure with a 95% CI over replications (what the
    2025-26 rules did only where they acted at it: `sim.results.places.rules_acted`)."""
    assert rows is not None  # resolve() found them for --focus-agency
    quiet = set(RULE_COLUMNS) - set(rules_acted(rows))
    cells = [[m.label, agency_value(rows[m.name].to_numpy(dtype=float), m.unit)] for m in AGENCY_COLUMNS
             if m.name not in quiet and in_folder(rows, m.name)]
    lacking = [m.label for m in AGENCY_COLUMNS if not in_folder(rows, m.name)]  # an older folder's added columns
    return [f"<h2>{H.esc(agency)}: its own row</h2>",
            f"<p>Its by_agency row: simulated, {H.esc(AGENCY_NOTE)}</p>",
            H.table(["Measure", "Value (mean over replications)"], cells, numeric=(1,)),
            *([f"<p>{H.esc('; '.join(lacking) + ': ' + added_note([run]))}.</p>"] if lacking else [])]


def agency_value(values: Any, unit: str) -> str:
    """One by_agency column over replications: a yes/no column (unit ``0/1``) as yes or no (in k of n replications when
    they differ); else the mean with its 95% CI. Savannah GA PD's row read 'open to proxy lookups: 1 (95% CI 1 to 1)'."""
    if unit == YES_NO:
        return yes_no(values)
    return fmt_estimate(mean_ci(values), "count")


def camera_sources(folder: Path, agency: str) -> str:
    """Where the agency's cameras come from in a real-geography world, from world.json's ``agency`` block (the run's
    ``--focus-agency``, `sim.world.summary_agency`): what its portal states, how many cameras are mapped and how
    many filled by an assumption, and what OpenStreetMap maps near it. '' for another agency or another world."""
    try:
        s = json.loads((folder / layout.WORLD).read_text(encoding="utf-8")).get("agency") or {}
    except (OSError, ValueError):
        return ""
    p = s.get("portal")
    if s.get("name") != agency or not p:
        return ""
    r = s["cameras_by_route"]
    said = []
    if p["has_portal"]:
        cams = "no camera count" if p["cameras_stated"] is None else f"{p['cameras_stated']:,} cameras"
        said.append(f"Its transparency portal (April 2026) states {cams}, {p['searches_30d']:,} searches, "
                    f"{p['vehicles_30d']:,} vehicles captured and {p['hotlist_hits_30d']:,} hotlist hits per 30 days")
    if p["has_portal"] and p["cameras_stated"] == 0:
        said.append("every figure 0, as on the portal of a program that has stopped, so this world gives it only the "
                    f"cameras OpenStreetMap names it the operator of ({r['operator']:,})")
    else:
        said.append(f"of its {s['cameras']:,} cameras here, {r['operator'] + r['nearest']:,} are mapped in "
                    f"OpenStreetMap ({r['operator']:,} under its name, {r['nearest']:,} nearby), {r['portal']:,} are "
                    f"its portal's count beyond the mapped and {r['filled']:,} are filled by an assumption "
                    "(world.flock.fill)")
    said.append(f"OpenStreetMap maps {s['osm_nearby']:,} ALPR cameras within {s['nearest_radius_m'] / 1000:g} km of "
                "its geocoded point, whoever this world gives them to")
    if s.get("location"):  # the lists' point is approximate (sim.world.flock_2026_geocode)
        said.append(s["location"])
    return "; ".join(said) + " (docs/world.md, 'Real geography')."
