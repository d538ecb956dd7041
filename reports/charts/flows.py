"""Data flows: plate-read records moving from the type of agency that owns the camera to the type that searched.

Drawn as a two-column flow diagram with smooth bands (cubic Bezier edges), band width proportional to the
whole-run records per replication (mean across replications). Federal units are split by path: direct or
national lookup, and "via local proxy" (a local officer searching on a federal unit's behalf), because
the second is the one audits miss. The statistic is the federal share of records, with its 95% CI across
replications. When no records were counted the bands weigh searches instead, and the chart says so.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.patches import PathPatch
from matplotlib.path import Path as MplPath

from reports.catalog import big, fmt, fmt_estimate
from reports.charts.common import source_line
from reports.style import ACTOR_COLORS, ACTOR_LABELS, GREY, Chart, Skipped, frame, new_figure
from reports.tables import Results
from sim.results.stats import Estimate, mean_ci

OWNERS = ["local_police", "sheriff", "state_police", "private"]
SEARCHERS = ["local_police", "sheriff", "state_police", "federal", "federal_proxy"]
X_LEFT, X_RIGHT, NODE_W, GAP, LABEL_GAP = 0.0, 1.0, 0.035, 0.04, 0.085


def with_searcher(flows: pd.DataFrame) -> pd.DataFrame:
    """Add the drawn searcher: the searcher type, or ``federal_proxy`` for searches run on a federal unit's behalf."""
    return flows.assign(searcher=np.where(flows["path"] == "proxy", "federal_proxy", flows["searcher_type"].astype(str)))


# Wider than this, a share's 95% CI across replications says the runs cannot tell even roughly how big it is: the
# baseline's 2-replication title read "61.5% of that goes through local officers" for replications of 69% and 51%
# (95% CI 0% to 100%), proxy lookups being few (219 in 7 days, national).
UNSURE_WIDTH = 0.2


def proxy_share(per_rep: pd.DataFrame, weight: str) -> Estimate:
    """Per replication, the federal units' records (or searches) that came through local officers' proxy lookups as a
    share of all theirs: mean with its 95% CI (replications with none for federal units left out)."""
    fed = per_rep[per_rep["searcher"].isin(["federal", "federal_proxy"])]
    by_rep = fed.groupby("replication")[weight].sum()
    via = fed[fed["searcher"] == "federal_proxy"].groupby("replication")[weight].sum().reindex(by_rep.index, fill_value=0)
    return mean_ci((via / by_rep.replace(0, np.nan)).dropna().to_numpy())


def unsure(est: Estimate) -> str:
    """'' when the share's CI is narrow enough to state it alone; else what its CI is, or that there is none."""
    if est.n < 2 or not est.has_ci:
        return " (1 replication: no CI)"
    if est.high - est.low <= UNSURE_WIDTH:
        return ""
    return f" (uncertain: 95% CI {fmt(max(est.low, 0.0), 'share')} to {fmt(min(est.high, 1.0), 'share')})"


# The chart CSV's column of each weight (flows.csv's records or searches), mean per run. A flows.csv row counts the
# searches that reached a network of its cell (owner type, searcher type, relation, path), so one search reaching
# owners of two types, or one type by two routes (its own network and a statewide lookup), is counted in each: the
# chart's column summed to more than the run's searches, under the name 'searches_mean'. It says what it counts.
MEAN_COLUMN = {"records": "records_mean", "searches": "search_reaches_mean"}


def flow_table(flows: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    """Whole-run totals per (owner, searcher) averaged over replications, and the weight used (flows.csv's column:
    records, or searches when no records were counted; the table's column of it is `MEAN_COLUMN`'s).
    ``search_reaches_mean``: searches that reached this owner type's networks, counted once per route (relation and
    path) they reached them by, so summed over owner types it exceeds the searches run."""
    df = with_searcher(flows)
    weight = "records" if df["records"].sum() > 0 else "searches"
    per_rep = df.groupby(["replication", "owner_type", "searcher"])[["searches", "records"]].sum().reset_index()
    reps = per_rep["replication"].unique()
    full = pd.MultiIndex.from_product([reps, per_rep["owner_type"].unique(), per_rep["searcher"].unique()],
                                      names=["replication", "owner_type", "searcher"])
    per_rep = per_rep.set_index(["replication", "owner_type", "searcher"]).reindex(full, fill_value=0.0).reset_index()
    rows = []
    for (owner, searcher), g in per_rep.groupby(["owner_type", "searcher"]):
        est = mean_ci(g[weight].to_numpy())
        if est.mean <= 0:
            continue
        # a count's interval stops at 0 (the brief's rule, reports/readable.py): flock-2026's flows.csv gave proxy
        # lookups' records a 95% CI from -4,124,275 (2 replications)
        rows.append({"owner_type": owner, "searcher": searcher, MEAN_COLUMN[weight]: est.mean, "ci_low": max(est.low, 0.0),
                     "ci_high": est.high, MEAN_COLUMN["searches"]: float(g["searches"].mean()), "n": est.n})
    return pd.DataFrame(rows), weight


def _band(ax: object, x0: float, y0: tuple[float, float], x1: float, y1: tuple[float, float], color: str) -> None:
    xm = (x0 + x1) / 2
    verts = [(x0, y0[1]), (xm, y0[1]), (xm, y1[1]), (x1, y1[1]), (x1, y1[0]), (xm, y1[0]), (xm, y0[0]), (x0, y0[0]),
             (x0, y0[1])]
    codes = [MplPath.MOVETO, *[MplPath.CURVE4] * 3, MplPath.LINETO, *[MplPath.CURVE4] * 3, MplPath.CLOSEPOLY]
    ax.add_patch(PathPatch(MplPath(verts, codes), facecolor=color, edgecolor="none", alpha=0.5))


def spread(ys: list[float], gap: float) -> list[float]:
    """Label positions near `ys` (given top-down) that are at least `gap` apart, pushed downwards."""
    out: list[float] = []
    for y in ys:
        out.append(min(y, out[-1] - gap) if out else y)
    return out


def _stack(totals: dict[str, float], order: list[str], scale: float) -> dict[str, tuple[float, float]]:
    """Node extents (bottom, top), stacked top-down in `order` with gaps."""
    out, top = {}, 1.0
    for key in order:
        if totals.get(key, 0) <= 0:
            continue
        h = totals[key] * scale
        out[key] = (top - h, top)
        top -= h + GAP
    return out


def flows_chart(res: Results) -> Chart | Skipped:
    title = "Where plate-read records flow"
    if res.flows is None or not len(res.flows):
        return Skipped("flows", title, "the flows table is missing or empty")
    table, weight = flow_table(res.flows)
    if not len(table):
        return Skipped("flows", title, "flows.csv has no searches or records to draw")
    col = MEAN_COLUMN[weight]
    out_tot = table.groupby("owner_type")[col].sum().to_dict()
    in_tot = table.groupby("searcher")[col].sum().to_dict()
    total = float(table[col].sum())
    owners = [o for o in OWNERS if o in out_tot] + sorted(set(out_tot) - set(OWNERS))
    searchers = [s for s in SEARCHERS if s in in_tot] + sorted(set(in_tot) - set(SEARCHERS))
    span = 1.0 - GAP * (max(len(owners), len(searchers)) - 1)
    scale = span / total
    left, right = _stack(out_tot, owners, scale), _stack(in_tot, searchers, scale)

    fig, ax = new_figure(9.0, 5.8)
    l_cur = {k: v[1] for k, v in left.items()}
    r_cur = {k: v[1] for k, v in right.items()}
    order = table.assign(o=table["owner_type"].map(owners.index), s=table["searcher"].map(searchers.index))
    for _, row in order.sort_values(["o", "s"]).iterrows():
        h = row[col] * scale
        o, s = row["owner_type"], row["searcher"]
        y0 = (l_cur[o] - h, l_cur[o])
        y1 = (r_cur[s] - h, r_cur[s])
        l_cur[o] -= h
        r_cur[s] -= h
        _band(ax, X_LEFT + NODE_W, y0, X_RIGHT, y1, ACTOR_COLORS.get(s, GREY))
    label_bottoms: list[float] = []
    for nodes, tot, x, ha, dx in ((left, out_tot, X_LEFT, "right", -0.02),
                                  (right, in_tot, X_RIGHT, "left", NODE_W + 0.02)):
        label_y = spread([(b + t) / 2 for b, t in nodes.values()], LABEL_GAP)
        label_bottoms.append(label_y[-1])
        for (key, (b, t)), ly in zip(nodes.items(), label_y, strict=True):
            ax.add_patch(PathPatch(MplPath([(x, b), (x + NODE_W, b), (x + NODE_W, t), (x, t), (x, b)]),
                                   facecolor=ACTOR_COLORS.get(key, GREY), edgecolor="none"))
            label = ACTOR_LABELS.get(key, key)
            if ha == "right":  # the figure's left edge cut "Private networks (companies, HOAs)": the short form
                label = label.split(" (")[0]  # here, the long one in the subtitle
            ax.text(x + dx, ly, f"{label}\n{big(tot[key])} ({fmt(tot[key] / total, 'share')})",
                    ha=ha, va="center", fontsize=9, color=ACTOR_COLORS.get(key, "#222222"), fontweight="bold")
    ax.text(X_LEFT + NODE_W / 2, 1.04, "Camera owner", ha="center", fontsize=10, color="#222222")
    ax.text(X_RIGHT + NODE_W / 2, 1.04, "Who searched", ha="center", fontsize=10, color="#222222")
    ax.set_xlim(-0.45, 1.5)
    ax.set_ylim(min(min(v[0] for v in left.values()), min(v[0] for v in right.values()), *label_bottoms) - 0.05, 1.08)
    ax.axis("off")

    per_rep = with_searcher(res.flows)
    fed_rows = per_rep[per_rep["searcher"].isin(["federal", "federal_proxy"])].groupby("replication")[weight].sum()
    all_rows = per_rep.groupby("replication")[weight].sum()
    share = mean_ci((fed_rows.reindex(all_rows.index, fill_value=0.0) / all_rows.replace(0, np.nan)).to_numpy())
    proxy = in_tot.get("federal_proxy", 0.0)
    fed = in_tot.get("federal", 0.0) + proxy
    # "records" named plate reads here and audit entries elsewhere in the same brief (metric labels say which)
    unit = "plate reads returned" if weight == "records" else "searches"
    via = proxy_share(per_rep, weight)
    if fed > 0:
        title = (f"Federal units receive {fmt(fed / total, 'share')} of the {unit} to searches; "
                 f"{fmt(proxy / fed, 'share')} of that goes through local officers{unsure(via)}")
    else:
        title = f"No plate-read {unit} flow to federal units in this scenario"
    subtitle = (f"Federal share of {unit}: {fmt_estimate(share, 'share')}"
                + (f"; through local officers, mean of the replications' shares: {fmt_estimate(via, 'share')}"
                   if fed > 0 else "")
                + f". Band width = {unit} per run (mean of {res.replications} replications), from camera-owner type to "
                "searcher type.")
    if "private" in left:
        subtitle += " Private networks: the cameras of companies and HOAs, which share their reads but never search."
    if weight == "searches":
        subtitle += (" No records were counted, so bands weigh searches, each counted once per owner type and route "
                     "it reached.")
    frame(fig, title, subtitle, source_line(res), left=0.02, right=0.98, bottom_in=0.35)
    alt = (f"Flow diagram of {unit} from camera-owner agency types to searcher types. " + "; ".join(
        f"{ACTOR_LABELS.get(r.owner_type, r.owner_type)} to {ACTOR_LABELS.get(r.searcher, r.searcher)}: {big(r[col])}"
        for _, r in table.sort_values(col, ascending=False).iterrows()) + f". Federal share {fmt_estimate(share, 'share')}.")
    return Chart("flows", title, subtitle, alt, source_line(res), table, fig)
