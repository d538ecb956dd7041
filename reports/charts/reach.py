"""Sharing reach: how far one agency's search reaches through the federation, and what federal units can reach.

Inputs come from ``world.json`` (the ``fedsim world --json`` summary): ``access`` (per access scope, local,
in_state_shared, national: quantiles over agencies of the networks and cameras one search can reach) or else
``reach_by_hops`` (agencies and cameras reachable within k sharing hops); ``federal_reach`` (per federal
unit, the networks of agencies and private owners whose reads it can reach directly by 1:1 grant (``direct``),
only through its own national lookup (``lookup_only``; ``national_lookup`` in world.json files written before
the rename, read the same), and those closed to it by a state law (``closed_by_law``)); the sharing degree
quantiles; and ``state_graph`` (one state's federation: nodes and edges with how they were made). A world is
one draw from its seed, so these are exact counts of that world, not estimates.
"""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.colors import ListedColormap

from reports.catalog import big, fmt, pct
from reports.charts.common import label_line_end, source_line
from reports.charts.sharing_map import states_in
from reports.style import ACTOR_COLORS, ACTOR_LABELS, OKABE_ITO, Chart, Skipped, compact, frame, new_figure
from reports.tables import Results

REACH_PARTS = [("direct", "Direct 1:1 grants", OKABE_ITO["vermillion"]),
               ("lookup_only", "Through its own national lookup only", OKABE_ITO["orange"]),
               ("closed_by_law", "Closed by a state law", OKABE_ITO["sky_blue"])]
# world.json ``access`` scopes (`sim.model.access.ACCESS_SCOPES`); "statewide" is the same scope in folders written
# before it was renamed (it never meant Flock's statewide lookup)
SCOPE_LABELS = {"local": "own reads", "in_state_shared": "shared in state", "statewide": "shared in state",
                "national": "national"}
EDGE_STYLE = {"grant": (OKABE_ITO["blue"], "solid"), "statewide": (OKABE_ITO["sky_blue"], "solid"),
              "national": (OKABE_ITO["orange"], "dashed")}
KIND_ORDER = ("local_police", "sheriff", "state_police", "federal")


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
    """Reach by search scope (``access``: median and quartiles per scope of the ``networks``, owners with cameras,
    agencies' and private alike, and ``cameras`` one search reaches) or else by hops (``reach_by_hops`` of an older
    world.json: ``agencies`` and ``cameras``). The first column is named for what it counts."""
    access = world.get("access") or {}
    if access:
        rows = []
        for scope, label in SCOPE_LABELS.items():
            if scope not in access:
                continue
            row = {"kind": "scope", "step": label}
            for col in ("networks", "cameras"):  # "agencies" before: it held networks, private ones included
                q = access[scope].get(col) or {}
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
    if "lookup_only" not in fed:  # a world.json written before the rename: the same count under its old name
        fed = fed.rename(columns={"national_lookup": "lookup_only", "national_lookup_cameras": "lookup_only_cameras"})
    if reach is None and not len(fed):
        return Skipped("reach", title, "world.json with access, reach_by_hops or federal_reach is not in the results folder")
    panels = int(reach is not None) + int(len(fed) > 0)
    fig, axes = new_figure(9.0, 4.9, ncols=panels, squeeze=False, gridspec_kw={"wspace": 0.55})
    axes = list(axes[0])
    frames, alt = [], []
    if reach is not None:
        ax = axes.pop(0)
        x = np.arange(len(reach))
        first = "networks" if "networks" in reach else "agencies"  # by hops (older world.json): agencies
        for col, color in ((first, OKABE_ITO["blue"]), ("cameras", OKABE_ITO["bluish_green"])):
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
            f"{r.step}: {big(r[first])} {first}, {big(r.cameras)} cameras" for _, r in reach.iterrows()))
    if len(fed):
        ax = axes.pop(0)
        fed = fed.reindex(columns=[k for k, _, _ in REACH_PARTS], fill_value=0).fillna(0)
        fed = fed.sort_values("lookup_only", ascending=True)
        left = np.zeros(len(fed))
        y = np.arange(len(fed))
        for key, label, color in REACH_PARTS:
            ax.barh(y, fed[key], left=left, color=color, height=0.6, label=label)
            left += fed[key].to_numpy()
        for yi, total, direct in zip(y, fed["direct"] + fed["lookup_only"], fed["direct"], strict=True):
            ax.text(left[yi] + left.max() * 0.02, yi, f"{big(total)} open\n({big(direct)} direct)", va="center", fontsize=8)
        ax.set_yticks(y, fed.index)
        ax.set_xlim(0, left.max() * 1.45)
        ax.set_xlabel("networks (agencies' and private) whose reads a federal unit can reach")
        ax.set_title("Federal units' reach", loc="left", fontsize=10)
        ax.legend(loc="lower center", bbox_to_anchor=(0.45, -0.42), ncol=2, frameon=False, fontsize=8)
        frames.append(fed.rename_axis("federal_unit").reset_index().assign(table="federal_reach"))
        alt.append("Federal reach: " + "; ".join(
            f"{u}: {big(r.direct)} direct, {big(r.lookup_only)} only via its national lookup, "
            f"{big(r.closed_by_law)} closed by law"
            for u, r in fed.iterrows()))
        top = fed.assign(open=fed["direct"] + fed["lookup_only"]).sort_values(["open", "direct"]).iloc[-1]
        share = top["lookup_only"] / top["open"] if top["open"] else 0.0
        title = (f"{top.name} can reach the reads of {big(top['open'])} networks of agencies and private owners, "
                 f"{fmt(share, 'share')} of them only through its national lookup")
    else:
        last = reach.iloc[-1]
        first = "networks" if "networks" in reach else "agencies"
        title = f"One agency's {last['step']} search reaches {big(last['cameras'])} cameras of {big(last[first])} {first}"
    subtitle = _world_note(res)
    if reach is not None and reach["kind"].iloc[0] == "scope":
        subtitle += " Left: median over agencies, whiskers p25 to p75."
    frame(fig, title, subtitle, source_line(res), left=0.08, right=0.88, bottom_in=1.35 if len(fed) else 0.8)
    data = pd.concat(frames, ignore_index=True)
    return Chart("reach", title, subtitle, ". ".join(alt) + ".", source_line(res), data, fig)


def _ordered(nodes: list[dict]) -> list[dict]:
    """Agencies grouped by kind (in `KIND_ORDER`), those in national lookup first within a kind, then by id."""
    rank = {k: i for i, k in enumerate(KIND_ORDER)}
    return sorted(nodes, key=lambda n: (rank.get(n.get("kind", "local_police"), len(rank)),
                                        not n.get("national_lookup", False), n["id"]))


def _group_ticks(ax: Axes, axis: str, kinds: list[str]) -> None:
    """One tick label per run of equal kinds (centred, in the kind's colour) and a line between runs."""
    starts = [i for i, k in enumerate(kinds) if i == 0 or k != kinds[i - 1]]
    ends = starts[1:] + [len(kinds)]
    centres = [(a + b - 1) / 2 for a, b in zip(starts, ends, strict=True)]
    labels = [f"{ACTOR_LABELS.get(kinds[a], kinds[a])} ({b - a})" for a, b in zip(starts, ends, strict=True)]
    line = ax.axhline if axis == "y" else ax.axvline
    for a in starts[1:]:
        line(a - 0.5, color="#444444", lw=0.8)
    if axis == "y":
        ax.set_yticks(centres, labels)
        ticks = ax.get_yticklabels()
    else:
        ax.set_xticks(centres, labels, rotation=90, ha="right", va="center", rotation_mode="anchor")
        ticks = ax.get_xticklabels()
    for tick, a in zip(ticks, starts, strict=True):
        tick.set_color(ACTOR_COLORS.get(kinds[a], "#222222"))
        tick.set_fontweight("bold")


def state_graph_chart(res: Results) -> Chart | Skipped | None:
    """One state's federation as an adjacency matrix, agencies grouped by kind, for a world of one state (None
    for a world of several: `reports.charts.sharing_map` draws sharing between states instead).

    A node-link drawing of a state's federation is a hairball (the national baseline's is 33 agencies with 909
    links, nearly every pair), and its layout and curved arrows cost seconds. A matrix stays legible however
    dense the federation: a row is a camera owner, a column an agency that may search its reads, a cell's
    colour how the link was made; groups of agency kinds read as blocks.
    """
    if len(states_in(res)) >= 2:
        return None  # several states: the map of sharing between states (sharing_map) stands for it
    return agency_graph_chart(res)


def agency_graph_chart(res: Results) -> Chart | Skipped:
    """world.json's ``state_graph`` (one state's agencies and their links) as an adjacency matrix."""
    title = "One state's sharing federation"
    graph = (res.world or {}).get("state_graph")
    if not graph or not graph.get("nodes"):
        return Skipped("state_graph", title, "world.json has no state_graph (one state's federation) to draw")
    nodes = _ordered(graph["nodes"])
    kinds = {n["id"]: n.get("kind", "local_police") for n in nodes}
    lookup = {n["id"]: bool(n.get("national_lookup", False)) for n in nodes}
    owners = [n["id"] for n in nodes if kinds[n["id"]] != "federal"]
    searchers = [n["id"] for n in nodes]
    row = {u: i for i, u in enumerate(owners)}
    col = {v: j for j, v in enumerate(searchers)}
    edges = [(int(u), int(v), str(how)) for u, v, how in graph.get("edges", []) if u in row and v in col]
    codes = {how: i + 1 for i, how in enumerate(EDGE_STYLE)}
    grid = np.zeros((len(owners), len(searchers)), dtype=int)
    for u, v, how in edges:
        grid[row[u], col[v]] = codes.get(how, codes["grant"])
    counts = {how: sum(1 for *_, h in edges if h == how) for how in EDGE_STYLE}
    state = graph.get("state", "one state")
    side = min(6.4, 2.2 + 0.11 * len(searchers))
    fig, ax = new_figure(8.0, side + 3.0)
    cmap = ListedColormap(["#F4F4F4"] + [color for color, _ in EDGE_STYLE.values()])
    ax.imshow(grid, cmap=cmap, vmin=0, vmax=len(EDGE_STYLE), interpolation="nearest", aspect="equal")
    ax.tick_params(length=0, labelsize=8.5)
    _group_ticks(ax, "y", [kinds[u] for u in owners])
    _group_ticks(ax, "x", [kinds[v] for v in searchers])
    for spine in ax.spines.values():
        spine.set_visible(False)
    marked = [row[u] for u in owners if lookup[u]]
    ax.scatter([len(searchers) - 0.5 + 0.9] * len(marked), marked, s=9, color="#000000", clip_on=False)
    focus = graph.get("focus_agency")
    if focus in row:  # --focus-agency: its row marked left of the matrix
        ax.scatter([-0.5 - 0.9], [row[focus]], s=28, marker=">", color="#C0392B", clip_on=False)
    ax.set_xlim(-0.5, len(searchers) - 0.5)
    ax.set_xlabel("agency that may search the reads")
    ax.set_ylabel("camera owner (whose reads)")
    fed_nodes = [v for v in searchers if kinds[v] == "federal"]
    names = {n["id"]: n.get("name", str(n["id"])) for n in nodes}
    n_local = len(owners)
    n_lookup = sum(1 for u in owners if lookup[u])
    fed_in = len({u for u, v, _ in edges if v in fed_nodes})
    key = [f"{how} links ({counts[how]:,})" for how in EDGE_STYLE if counts[how]]
    # National lookup is open to federal units only where the policy lets them search nationally (a policy.federal_access
    # other than open, or no national lookup, closes it): the title said "open to federal units" under the 2025
    # baseline's paused federal access, beside a reach chart giving 0 through national lookup.
    fed_lookup = res.param("policy.national_lookup") is not False and res.param("policy.federal_access") in (None, "open")
    lookup_note = "open to federal units" if fed_lookup else "closed to federal units under this policy"
    fig.text(0.02, 0.32 / fig.get_figheight(), "\n".join(textwrap.wrap(
        "Cell colour: " + ", ".join(key) + "; light grey = no link. Black dot right of a row: that owner is in "
        f"national lookup ({n_lookup}), open to every agency that searches nationally ({lookup_note}).", 150)),
        fontsize=8, color="#333333", va="bottom", ha="left")
    if graph.get("sampled"):  # "40 of its 201 agencies share" read as if the other 161 shared nothing
        of = f"{n_local} of its {graph['agencies_in_state']} agencies drawn, with {len(edges):,} sharing links among them"
    else:
        of = f"{n_local} agencies share through {len(edges):,} links"
    title = (f"In {state}, {of}; {n_lookup} in national lookup ({lookup_note.removesuffix(' under this policy')}), "
             f"{fed_in} grant federal units 1:1")
    out_deg = np.bincount([row[u] for u, _, _ in edges], minlength=n_local) if n_local else np.zeros(1)
    possible = n_local * (len(searchers) - 1)
    subtitle = (f"Row u, column v: v may search u's reads. {pct(len(edges) / possible)} of possible links within "
                f"the drawing exist; median agency shares with {np.median(out_deg):.0f}"
                + (" (within this sample)" if graph.get("sampled") else "") + ". "
                + (f"Red arrow: {names[focus]}'s row; the sample is it, its partners in {state}, then others at "
                   "random. " if focus in row and graph.get("sampled") else
                   f"Red arrow: {names[focus]}'s row. " if focus in row else "")
                + (f"Federal columns: {', '.join(names[v] for v in fed_nodes)}. " if fed_nodes else "")
                + _world_note(res, short=True))
    frame(fig, title, subtitle, source_line(res), left=0.2, right=0.93, bottom_in=2.4)
    data = pd.DataFrame([{"source": u, "target": v, "how": how, "source_kind": kinds[u], "target_kind": kinds[v]}
                         for u, v, how in edges], columns=["source", "target", "how", "source_kind", "target_kind"])
    kinds_shown = [f"{ACTOR_LABELS[k]} ({sum(1 for x in kinds.values() if x == k)})"
                   for k in KIND_ORDER if k in kinds.values()]
    alt = (f"Adjacency matrix of the sharing federation in {state}: {of} ({', '.join(kinds_shown)}) and "
           f"{len(edges)} directed sharing links ({', '.join(key)}). {n_lookup} agencies are in national lookup; "
           f"federal units hold 1:1 grants from {fed_in} agenc{'y' if fed_in == 1 else 'ies'}."
           + (f" {names[focus]}'s row is marked with a red arrow." if focus in row else ""))
    return Chart("state_graph", title, subtitle, alt, source_line(res), data, fig)
