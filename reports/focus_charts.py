"""The drawings of a focus brief (`reports.focus`): the focus state's sharing (`focus_network`: its links with other
states and its agencies' graph, from world.json as the run saved it) and a map of audit entries from federal
searches per 100 cameras in each state with the focus state outlined (`focus_map`)."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from reports import html as H
from reports.focus import ENTRIES_NOTE, Focus, span
from reports.style import Chart, Skipped
from reports.tables import Results
from sim.geo.states import NAMES
from sim.results.places import FEDERAL_STATE
from sim.results.stats import mean_ci


def focus_network(res: Results, focus: Focus, charts_dir: Path) -> list[str]:
    """The focus state's sharing, drawn from world.json as the run saved it: its links with other states
    (``state_sharing``, saved by every run) and its agencies' graph (``state_graph``: the focus state's when
    the run was made with ``--focus``); a note where the folder holds neither, never a rebuilt world."""
    from reports.charts.reach import agency_graph_chart
    from reports.charts.sharing_map import focus_sharing_chart
    from reports.style import save

    out: list[str] = [f"<h2>Who shares with {H.esc(focus.place)}</h2>"]
    between = focus_sharing_chart(res, focus.state)
    graph = (res.world or {}).get("state_graph") or {}
    if graph.get("state") == focus.state:
        agencies: Chart | Skipped = agency_graph_chart(res)
    elif res.world is None:
        agencies = Skipped("state_graph", f"{focus.place}'s agencies", "no world.json in this folder")
    else:
        drawn = f"holds {NAMES.get(graph['state'], graph['state'])}'s" if graph.get("state") else "holds no"
        agencies = Skipped("state_graph", f"{focus.place}'s agencies and their links",
                           f"this folder's world.json {drawn} agency graph; the run saves the focus state's when made "
                           f"with `fedsim run SCENARIO --focus {focus.state}`")
    for item in (between, agencies):
        if isinstance(item, Chart):
            out.append(H.figure(save(item, charts_dir)))
        elif isinstance(item, Skipped):
            out.append(H.skipped(item))
    return out if len(out) > 1 else []


def per_100_ci(by_state: pd.DataFrame) -> pd.DataFrame:
    """Per state, the 95% CI across replications of federal audit entries (own and proxy) per 100 cameras: columns
    state, ci_low, ci_high. Proxy lookups are few (230 in 7 days, national), so in a short run the map's level is
    noise-bound: Georgia's 1,334 per 100 cameras came from replications of 1,448 and 1,219 (95% CI 0 to 2,789)."""
    wanted = ["cameras", "audit.records_received_federal_own", "audit.records_received_proxy"]
    rows = by_state[(by_state.state != FEDERAL_STATE) & by_state.metric.isin(wanted)]
    wide = rows.pivot_table(index=["state", "replication"], columns="metric", values="value", aggfunc="sum")
    per_100 = 100 * (wide[wanted[1]] + wide[wanted[2]]) / wide["cameras"].where(wide["cameras"] > 0)
    out = []
    for state, values in per_100.dropna().groupby(level="state"):
        est = mean_ci(values.to_numpy())
        out.append({"state": state, "ci_low": max(est.low, 0.0), "ci_high": est.high})  # a count: not below 0
    return pd.DataFrame(out, columns=["state", "ci_low", "ci_high"])


def focus_map(res: Results, focus: Focus, charts_dir: Path) -> str:
    """A map of audit entries from federal searches (own and proxy) in each state's networks per 100 cameras over
    the run's recorded days, the focus state outlined in black; saved as PNG, SVG and CSV like every chart. Empty
    when no state has cameras."""
    from matplotlib.collections import PolyCollection

    from reports.charts.common import source_line
    from reports.maps import CREDIT, choropleth_figure, projected_states
    from reports.style import Chart, frame, save

    by_state = focus.by_state
    means = by_state[by_state.state != FEDERAL_STATE].groupby(["state", "metric"]).value.mean().unstack()
    needed = {"cameras", "audit.records_received_federal_own", "audit.records_received_proxy"}
    if not needed <= set(means.columns):
        return ""
    table = means[sorted(needed)].reset_index()
    cams = table["cameras"].where(table["cameras"] > 0)
    table["federal_per_100_cameras"] = 100 * (table["audit.records_received_federal_own"]
                                              + table["audit.records_received_proxy"]) / cams
    spread = per_100_ci(by_state)
    table = table.merge(spread, on="state", how="left")
    if table["federal_per_100_cameras"].notna().sum() == 0:
        return ""
    fig, ax = choropleth_figure(table, "federal_per_100_cameras",
                                label=f"audit entries from federal searches (own and proxy) per 100 cameras, {span(res)}")
    rings = projected_states().get(focus.state, [])
    ax.add_collection(PolyCollection(rings, facecolors="none", edgecolors="#000000", linewidths=1.6))
    row = table[table.state == focus.state].iloc[0]
    nation = 100 * (table["audit.records_received_federal_own"].sum() + table["audit.records_received_proxy"].sum()) \
        / max(table["cameras"].sum(), 1)
    ci = (row["ci_low"], row["ci_high"])
    wide = not all(map(math.isfinite, ci)) or ci[1] - ci[0] > row["federal_per_100_cameras"]
    said = (f"95% CI {ci[0]:,.0f} to {ci[1]:,.0f}" if all(map(math.isfinite, ci)) else "1 replication: no CI")
    title = (f"{focus.place}: {row['federal_per_100_cameras']:,.0f} audit entries from federal searches per 100 "
             f"cameras {span(res)}{f' (uncertain: {said})' if wide else ''}; {nation:,.0f} across the states modelled")
    subtitle = (f"Federal units' own searches and proxy lookups for them. {ENTRIES_NOTE} Mean over replications "
                f"({focus.state}: {said}; every state's CI in the CSV). Grey: no agency of that state in this run's "
                "world. The focus state is outlined.")
    source = source_line(res, CREDIT)
    frame(fig, title, subtitle, source, left=0.02, right=0.98, bottom_in=0.7)
    ranked = table.dropna(subset=["federal_per_100_cameras"]).sort_values("federal_per_100_cameras", ascending=False)
    alt = (f"Map of the United States: audit entries from federal searches in each state's camera networks per 100 "
           f"cameras {span(res)}. "
           + ", ".join(f"{r.state} {r.federal_per_100_cameras:.0f}" for r in ranked.head(8).itertuples())
           + f". {focus.state} (outlined): {row['federal_per_100_cameras']:.0f}. The CSV beside the image has every state.")
    chart = save(Chart("focus_map", title, subtitle, alt, source, table, fig), charts_dir)
    return H.figure(chart)
