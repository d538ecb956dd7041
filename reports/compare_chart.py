"""The comparison brief's dot plot: each scenario's difference from the baseline, with its 95% CI.

A difference reads in the unit that suits its metric (the metric's declared unit, `reports.catalog.info`):
- shares (opt-in rate, utilisation, share of vehicle-days observed: declared unit ``share``, 0..1) in
  **percentage points** (0.42 -> 0.45 is +3 points); a percent change of a share (+7.1%) reads as if the
  share itself were 7 points higher;
- everything else (counts, waits, bytes, rates) as **percent of the baseline mean**, so metrics of different
  sizes sit on one axis.
Each kind gets its own panel with its own axis label when both are present. Intervals are cut to the metric's
range first (`reports.readable.bounded_diff`). The CSV beside the chart holds both scales (``diff_pct`` and
friends for every row, ``shown``/``shown_low``/``shown_high`` in the panel's unit, ``scale`` naming it).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from reports import readable
from reports.catalog import info
from reports.readable import bounded_diff, signed, signed_pct
from reports.style import GREY, SERIES, Chart, frame, new_figure
from reports.tables import Results

CHART_METRICS = 8
PERCENT, POINTS = "percent of baseline", "percentage points"
GAP_IN = 0.75  # between two panels: the upper one's tick labels and axis label


def lower_first(label: str) -> str:
    """'Plate reads' -> 'plate reads', but 'ALPR searches' stays."""
    return label if label[1:2].isupper() else label[:1].lower() + label[1:]


def plotted(table: pd.DataFrame, others: list[str]) -> pd.DataFrame:
    """The rows the plot draws, with intervals in range, both scales, and the one each row is drawn in."""
    sub = table[table["scenario"].isin(others) & (table["baseline_mean"].abs() > 0) & ~table["unchanged"]
                & (table["kind"] != "input_echo")].copy()
    if not len(sub):
        return sub
    cut = [bounded_diff(r.diff_ci_low, r.diff_ci_high, r.baseline_mean, info(r.metric).unit) for r in sub.itertuples()]
    sub["diff_ci_low"], sub["diff_ci_high"] = [c[0] for c in cut], [c[1] for c in cut]  # inside the metric's range
    for col in ("diff", "diff_ci_low", "diff_ci_high"):
        sub[f"{col}_pct"] = sub[col] / sub["baseline_mean"].abs() * 100
    points = sub["metric"].map(lambda m: info(m).unit == "share").astype(bool)
    sub["scale"] = np.where(points, POINTS, PERCENT)
    for col, shown in (("diff", "shown"), ("diff_ci_low", "shown_low"), ("diff_ci_high", "shown_high")):
        sub[shown] = np.where(points, sub[col] * 100, sub[f"{col}_pct"])
    sub["clear"] = (sub["diff_ci_low"] > 0) | (sub["diff_ci_high"] < 0)
    # The most relevant metrics that moved: outcomes before load, clear differences first, then by relative size.
    rank = sub.assign(size=sub["diff_pct"].abs()).groupby("metric")[["clear", "size"]].max()
    rank["kind"] = rank.index.map(readable.kind_rank)
    keep = list(rank.sort_values(["kind", "clear", "size"], ascending=[True, False, False]).index[:CHART_METRICS])
    return sub[sub["metric"].isin(keep)]


def _panel(ax: Axes, sub: pd.DataFrame, others: list[str], label: str) -> None:
    keep = list(dict.fromkeys(sub["metric"]))  # reading order
    y_of = {m: i for i, m in enumerate(reversed(keep))}
    offsets = np.linspace(0.18, -0.18, len(others)) if len(others) > 1 else [0.0]
    for (name, off), color in zip(zip(others, offsets, strict=True), SERIES, strict=False):
        s = sub[sub["scenario"] == name]
        if not len(s):
            continue
        y = np.array([y_of[m] for m in s["metric"]]) + off
        ok = (np.isfinite(s["shown_low"]) & np.isfinite(s["shown_high"])).to_numpy()
        ax.errorbar(s["shown"][ok], y[ok], xerr=np.abs(
            np.vstack([s["shown_low"][ok], s["shown_high"][ok]]) - s["shown"][ok].to_numpy()),
            fmt="none", ecolor=color, lw=1.5, capsize=2)
        ax.plot(s["shown"], y, "o", color=color, ms=6)
        first = s.iloc[0]
        # the scenario's name just above its first dot, clear of the interval's bar
        ax.annotate(name, (first["shown"], y_of[first["metric"]] + off), xytext=(0, 7), textcoords="offset points",
                    ha="center", va="bottom", fontsize=8.5, color=color, fontweight="bold")
    ax.axvline(0, color=GREY, lw=1)
    ax.set_yticks(list(y_of.values()), [info(m).label for m in y_of])
    ax.set_ylim(-0.6, len(keep) - 0.4)
    ax.tick_params(axis="y", length=0)
    ax.set_xlabel(label)


def _change(row: pd.Series) -> str:
    """A difference in its plotted unit: ``+3.1 points`` for a share, ``−12.0%`` otherwise."""
    return signed(row["diff"], "share") if row["scale"] == POINTS else signed_pct(row["diff_pct"])


def difference_chart(table: pd.DataFrame, results: list[Results], where: str = "") -> Chart | None:
    """Dot plot of each scenario's difference from the baseline with its 95% CI (shares in percentage points,
    other metrics as % of the baseline mean); None when nothing moved. `where`, when given, opens the title with
    what the numbers cover (a brief focused on one state plots the whole world's)."""
    others = [r.name for r in results[1:]]
    sub = plotted(table, others)
    if not len(sub):
        return None
    base = results[0].name
    panels = [(scale, sub[sub["scale"] == scale]) for scale in (PERCENT, POINTS) if (sub["scale"] == scale).any()]
    sizes = [s["metric"].nunique() for _, s in panels]
    height = 2.2 + 0.45 * sum(sizes) * max(1, len(others)) ** 0.5 + 0.6 * (len(panels) - 1)
    fig, axes = new_figure(9.0, height, nrows=len(panels), squeeze=False, gridspec_kw={"height_ratios": sizes})
    labels = {PERCENT: f"difference from '{base}' (% of its mean)",
              POINTS: f"difference from '{base}' (percentage points)"}
    for ax, (scale, rows) in zip(axes[:, 0], panels, strict=True):
        _panel(ax, rows, others, labels[scale])
    clear = sub[sub["clear"]]
    if len(clear):
        # the headline: the largest clear change (relative size) among the most relevant kind that has one
        clear = clear[clear["metric"].map(readable.kind_rank) == clear["metric"].map(readable.kind_rank).min()]
        big = clear.reindex(clear["diff_pct"].abs().sort_values().index).iloc[-1]
        title = (f"Against '{base}', '{big['scenario']}' changes "
                 f"{lower_first(info(big['metric']).label)} by {_change(big)}")
    elif any(r.replications < 2 for r in results):  # no interval: nothing can be told from noise
        title = f"One replication: no difference from '{base}' can be called clear"
    else:
        title = f"No key number differs clearly from '{base}' at these replication counts"
    methods = set(sub["method"]) - {"none"}
    how = {"paired": "paired over replications (same root seed: common random numbers)",
           "welch": "Welch (independent replications)"}
    dots = " and ".join({PERCENT: "as % of the baseline mean", POINTS: "shares in percentage points"}[s]
                        for s, _ in panels)
    subtitle = (f"Dots: difference of means, {dots}; bars: 95% CI of the difference, "
                + (" or ".join(how[m] for m in sorted(methods)) or "none computed") + ".")
    source = "Source: fedsim simulations; " + ", ".join(
        f"'{r.name}' ({r.replications} replications, hash {str(r.meta.get('content_hash', ''))[:8]})" for r in results) + "."
    title = f"{where}: {lower_first(title)}" if where else title
    frame(fig, title, subtitle, source, left=0.4, right=0.95)
    if len(panels) > 1:  # room for the upper panel's axis label: a gap in inches, as hspace (a share of a panel)
        pars = fig.subplotpars
        area = (pars.top - pars.bottom) * height
        fig.subplots_adjust(hspace=GAP_IN / max((area - GAP_IN) / len(panels), 0.1))
    data = sub[["metric", "scenario", "diff", "diff_ci_low", "diff_ci_high", "baseline_mean", "diff_pct",
                "diff_ci_low_pct", "diff_ci_high_pct", "scale", "shown", "shown_low", "shown_high", "clear"]]
    alt = "Dot plot of differences from the baseline with 95% CIs: " + "; ".join(
        f"{r['scenario']}, {info(r['metric']).label}: {_change(r)}" for _, r in data.iterrows()) + "."
    return Chart("compare", title, subtitle, alt, source, data.reset_index(drop=True), fig)
