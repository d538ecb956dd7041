"""Sharing reach: how far one agency's search reaches through the federation, and what federal units can reach.

Inputs come from ``world.json`` (the ``fedsim world --json`` summary): ``access`` (per search scope, local,
statewide, national: quantiles over agencies of the networks and cameras one search can reach) or else
``reach_by_hops`` (agencies and cameras reachable within k sharing hops); ``federal_reach`` (per federal
unit, local agencies whose reads it can reach directly by 1:1 grant, through national lookup, and those
closed to it by a state law); the sharing degree quantiles; and ``state_graph`` (one state's federation:
nodes and edges with how they were made). A world is one draw from its seed, so these are exact counts of
that world, not estimates.
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd

from reports.catalog import big, fmt
from reports.charts.common import label_line_end, source_line
from reports.style import ACTOR_COLORS, ACTOR_LABELS, GREY, OKABE_ITO, Chart, Skipped, compact, frame, new_figure
from reports.tables import Results

REACH_PARTS = [("direct", "Direct 1:1 grants", OKABE_ITO["vermillion"]),
               ("national_lookup", "Through national lookup", OKABE_ITO["orange"]),
               ("closed_by_law", "Closed by a state law", OKABE_ITO["sky_blue"])]
SCOPE_LABELS = {"local": "own reads", "statewide": "statewide", "national": "national"}
EDGE_STYLE = {"grant": (OKABE_ITO["blue"], "solid"), "statewide": (GREY, "solid"),
              "national": (OKABE_ITO["orange"], "dashed")}


def _world_note(res: Results, short: bool = False) -> str:
    """Which world the counts come from; unless `short`, that they are exact, and the sharing degrees."""
    world = res.world or {}
    seed = world.get("seed", res.meta.get("seed", res.param("run.seed")))
    note = f"One synthetic world (seed {seed}"
    if world.get("scenario") and world["scenario"] != res.name:
        note += f", scenario '{world['scenario']}'"
    note += ")"
    if short:
        return note + "."
    note += ": exact counts for that world, not estimates."
    deg = (world.get("sharing") or {}).get("out_degree") or {}
    if deg:
        note += (f" Agencies share with a median of {big(deg.get('median', np.nan))} others "
                 f"(p25 {big(deg.get('p25', np.nan))}, p75 {big(deg.get('p75', np.nan))}, max {big(deg.get('max', np.nan))}).")
    return note


def reach_table(world: dict) -> pd.DataFrame | None:
    """Reach by search scope (``access``: median and quartiles per scope) or else by hops (``reach_by_hops``)."""
    access = world.get("access") or {}
    if access:
        rows = []
        for scope, label in SCOPE_LABELS.items():
            if scope not in access:
                continue
            row = {"kind": "scope", "step": label}
            for col, key in (("agencies", "networks"), ("cameras", "cameras")):
                q = access[scope].get(key) or {}
                row |= {col: q.get("median", np.nan), f"{col}_p25": q.get("p25", np.nan), f"{col}_p75": q.get("p75", np.nan)}
            rows.append(row)
        if rows:
            return pd.DataFrame(rows)
    hops = world.get("reach_by_hops") or []
    if not hops:
        return None
    df = pd.DataFrame(hops).sort_values("hops")
    df = df.assign(kind="hops", step=[f"{h:g} hop{'s' if h != 1 else ''}" for h in df["hops"]])
    for col in ("agencies", "cameras"):
        if col not in df:
            df[col] = np.nan
        df[f"{col}_p25"] = df[f"{col}_p75"] = np.nan
    return df


def reach_chart(res: Results) -> Chart | Skipped:
    title = "How far the sharing federation reaches"
    world = res.world
    reach = reach_table(world or {})
    fed = pd.DataFrame.from_dict((world or {}).get("federal_reach") or {}, orient="index")
    if reach is None and not len(fed):
        return Skipped("reach", title, "world.json with access, reach_by_hops or federal_reach is not in the results folder")
    panels = int(reach is not None) + int(len(fed) > 0)
    fig, axes = new_figure(9.0, 4.9, ncols=panels, squeeze=False, gridspec_kw={"wspace": 0.55})
    axes = list(axes[0])
    frames, alt = [], []
    if reach is not None:
        ax = axes.pop(0)
        x = np.arange(len(reach))
        for col, color in (("agencies", OKABE_ITO["blue"]), ("cameras", OKABE_ITO["bluish_green"])):
            lo, hi = reach[f"{col}_p25"].to_numpy(dtype=float), reach[f"{col}_p75"].to_numpy(dtype=float)
            ok = np.isfinite(lo) & np.isfinite(hi)
            if ok.any():
                ax.errorbar(x[ok], reach[col][ok], yerr=np.abs(np.vstack([lo[ok], hi[ok]]) - reach[col][ok].to_numpy()),
                            fmt="none", ecolor=color, capsize=3, lw=1)
            ax.plot(x, reach[col], marker="o", color=color, lw=2)
            label_line_end(ax, float(x[-1]), float(reach[col].iloc[-1]), f"{big(reach[col].iloc[-1])} {col}", color)
        ax.set_yscale("log")
        ax.yaxis.set_major_formatter(compact)
        ax.set_xticks(x, reach["step"])
        ax.set_xlim(-0.3, len(x) - 0.4)
        kind = reach["kind"].iloc[0]
        ax.set_xlabel("scope of one agency's search" if kind == "scope" else "sharing hops from the searching agency")
        ax.set_title("What one search reaches (log scale)", loc="left", fontsize=10)
        frames.append(reach.assign(table=f"reach_by_{kind}"))
        alt.append(f"Reach by {kind}: " + "; ".join(
            f"{r.step}: {big(r.agencies)} agencies, {big(r.cameras)} cameras" for r in reach.itertuples()))
    if len(fed):
        ax = axes.pop(0)
        fed = fed.reindex(columns=[k for k, _, _ in REACH_PARTS], fill_value=0).fillna(0)
        fed = fed.sort_values("national_lookup", ascending=True)
        left = np.zeros(len(fed))
        y = np.arange(len(fed))
        for key, label, color in REACH_PARTS:
            ax.barh(y, fed[key], left=left, color=color, height=0.6, label=label)
            left += fed[key].to_numpy()
        for yi, total, direct in zip(y, fed["direct"] + fed["national_lookup"], fed["direct"], strict=True):
            ax.text(left[yi] + left.max() * 0.02, yi, f"{big(total)} open\n({big(direct)} direct)", va="center", fontsize=8)
        ax.set_yticks(y, fed.index)
        ax.set_xlim(0, left.max() * 1.45)
        ax.set_xlabel("local agencies whose reads a federal unit can reach")
        ax.set_title("Federal units' reach", loc="left", fontsize=10)
        ax.legend(loc="lower center", bbox_to_anchor=(0.45, -0.42), ncol=2, frameon=False, fontsize=8)
        frames.append(fed.rename_axis("federal_unit").reset_index().assign(table="federal_reach"))
        alt.append("Federal reach: " + "; ".join(
            f"{u}: {big(r.direct)} direct, {big(r.national_lookup)} via national lookup, {big(r.closed_by_law)} closed by law"
            for u, r in fed.iterrows()))
        top = fed.assign(open=fed["direct"] + fed["national_lookup"]).sort_values(["open", "direct"]).iloc[-1]
        share = top["national_lookup"] / top["open"] if top["open"] else 0.0
        title = (f"{top.name} can reach the reads of {big(top['open'])} local agencies, "
                 f"{fmt(share, 'share')} of them through national lookup")
    else:
        last = reach.iloc[-1]
        title = f"One agency's {last['step']} search reaches {big(last['cameras'])} cameras of {big(last['agencies'])} agencies"
    subtitle = _world_note(res)
    if reach is not None and reach["kind"].iloc[0] == "scope":
        subtitle += " Left: median over agencies, whiskers p25 to p75."
    frame(fig, title, subtitle, source_line(res), left=0.08, right=0.88, bottom_in=1.35 if len(fed) else 0.8)
    data = pd.concat(frames, ignore_index=True)
    return Chart("reach", title, subtitle, ". ".join(alt) + ".", source_line(res), data, fig)


def state_graph_chart(res: Results) -> Chart | Skipped:
    title = "One state's sharing federation"
    graph = (res.world or {}).get("state_graph")
    if not graph or not graph.get("nodes"):
        return Skipped("state_graph", title, "world.json has no state_graph (one state's federation) to draw")
    g = nx.DiGraph()
    for node in graph["nodes"]:
        g.add_node(node["id"], kind=node.get("kind", "local_police"), name=node.get("name", str(node["id"])),
                   lookup=bool(node.get("national_lookup", False)))
    for u, v, how in graph.get("edges", []):
        g.add_edge(u, v, how=how)
    state = graph.get("state", "one state")
    pos = nx.kamada_kawai_layout(g) if len(g) <= 400 else nx.spring_layout(g, seed=7)
    fig, ax = new_figure(8.0, 6.6)
    counts: dict[str, int] = {}
    for how, (color, style) in EDGE_STYLE.items():
        edges = [(u, v) for u, v, d in g.edges(data=True) if d["how"] == how]
        counts[how] = len(edges)
        if edges:
            nx.draw_networkx_edges(g, pos, edgelist=edges, ax=ax, edge_color=color, style=style, alpha=0.35, width=0.6,
                                   arrows=True, arrowsize=5, node_size=60)
    kinds = nx.get_node_attributes(g, "kind")
    lookup = nx.get_node_attributes(g, "lookup")
    for kind in ("local_police", "sheriff", "state_police", "federal"):
        nodes = [n for n, k in kinds.items() if k == kind]
        if nodes:
            nx.draw_networkx_nodes(g, pos, nodelist=nodes, ax=ax, node_color=ACTOR_COLORS[kind],
                                   node_shape="D" if kind == "federal" else "o", node_size=170 if kind == "federal" else 55,
                                   edgecolors=["#000000" if lookup[n] and kind != "federal" else "white" for n in nodes],
                                   linewidths=[1.3 if lookup[n] and kind != "federal" else 0.5 for n in nodes])
    fed_nodes = [n for n, k in kinds.items() if k == "federal"]
    for n in fed_nodes:
        x, _ = pos[n]
        k = g.in_degree(n)
        ax.annotate(f"{g.nodes[n]['name']}: 1:1 grants from {k} agenc{'y' if k == 1 else 'ies'}", pos[n],
                    xytext=(-8 if x > 0 else 8, 8), textcoords="offset points", ha="right" if x > 0 else "left",
                    fontsize=9, color=ACTOR_COLORS["federal"], fontweight="bold",
                    bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.8, "pad": 1})
    ax.margins(0.08)
    ax.axis("off")
    n_local = len(g) - len(fed_nodes)
    n_lookup = sum(1 for n in g if lookup[n] and kinds[n] != "federal")
    key = [f"{ACTOR_LABELS[k]} ({sum(1 for x in kinds.values() if x == k)})"
           for k in ("local_police", "sheriff", "state_police", "federal") if k in kinds.values()]
    ax.text(0.0, -0.02, "Nodes: " + ", ".join(key) + f"; black ring = in national lookup ({n_lookup}).\nEdges: "
            + ", ".join(f"{how} ({n:,})" for how, n in counts.items() if n) + ".", transform=ax.transAxes,
            fontsize=8, color="#333333", va="top")
    fed_in = len({u for n in fed_nodes for u in g.predecessors(n)})
    of = f"{n_local} of its {graph['agencies_in_state']} agencies" if graph.get("sampled") else f"{n_local} agencies"
    title = (f"In {state}, {of} share through {g.number_of_edges():,} links; "
             f"{n_lookup} are open to federal units by national lookup, {fed_in} by 1:1 grants")
    subtitle = (f"Edge u -> v: v may search u's reads. Median out-degree {np.median([d for _, d in g.out_degree()]):.0f}"
                + (" (within this random sample)" if graph.get("sampled") else "") + ". "
                + _world_note(res, short=True))
    frame(fig, title, subtitle, source_line(res), left=0.03, right=0.97, bottom_in=0.75)
    data = pd.DataFrame([{"source": u, "target": v, "how": d["how"], "source_kind": kinds[u], "target_kind": kinds[v]}
                         for u, v, d in g.edges(data=True)])
    alt = (f"Network drawing of the sharing federation in {state}: {of} ({', '.join(key)}) and "
           f"{g.number_of_edges()} directed sharing links. {n_lookup} agencies are in national lookup; federal units, "
           f"drawn as vermillion diamonds, hold 1:1 grants from {fed_in} agenc{'y' if fed_in == 1 else 'ies'}.")
    return Chart("state_graph", title, subtitle, alt, source_line(res), data, fig)
