"""Community footage requests: the opt-in funnel, and footage and plate reads over time.

Funnel stages are whole-run totals per replication (households counted once per request that reached
them), drawn as the mean across replications with its t-based 95% CI. Over-time panels show, per day, the
mean across replications and a band from the lowest to the highest replication.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from reports.catalog import big, fmt, fmt_estimate, info
from reports.charts.common import keep_inside, label_line_end, source_line
from reports.style import GREY, OKABE_ITO, SERIES, Chart, Skipped, compact, frame, new_figure
from reports.tables import Results
from sim.results.stats import Estimate

FUNNEL = [
    ("requests.households_in_area", "Households with a camera\nin request areas"),
    ("requests.households_eligible", "Eligible\n(footage still stored)"),
    ("requests.households_notified", "Notified"),
    ("optin.submitting_households", "Shared footage"),
    ("footage.delivered_packages", "Delivered to police\n(packages)"),
]
OVER_TIME = [
    ("footage.clips", "Clips shared per day"),
    ("alpr.reads", "Plate reads per day"),
    ("storage.reads_held", "Plate reads held in storage"),
]
LEVELS = {"storage.reads_held"}  # stocks, not flows: a whole-run sum means nothing
FLAT_SPREAD = 0.02  # a daily series whose daily means all lie within 2% of their average is stated, not drawn


Stage = tuple[str, str, Estimate]  # metric, label, estimate


def fold_equal_steps(res: Results, stages: list[Stage]) -> list[list[Stage]]:
    """Stages grouped into bars: a step that holds exactly the households of the step above, in every
    replication (the model notifies every household in a request's area), is not a bar of its own (two equal
    bars read as a step that lost nobody, or as a mistake) but a line of the bar above's label."""
    bars: list[list[Stage]] = []
    for stage in stages:
        if bars and res.whole_run_by_rep(stage[0]) == res.whole_run_by_rep(bars[-1][0][0]):
            bars[-1].append(stage)
        else:
            bars.append([stage])
    return bars


def bar_label(bar: list[Stage]) -> str:
    return bar[0][1] + "".join(f"\n(all {label.replace(chr(10), ' ').lower()})" for _, label, _ in bar[1:])


def funnel(res: Results) -> Chart | Skipped:
    title = "The opt-in funnel of community footage requests"
    stages = [(m, label, res.estimate(m)) for m, label in FUNNEL]
    stages = [(m, label, e) for m, label, e in stages if e is not None and e.n > 0]
    # A funnel narrows: the model may notify every household in the area before eligibility is known, so
    # steps are drawn widest first (stable, so ties keep the listed order).
    stages.sort(key=lambda s: -s[2].mean)
    if len(stages) < 2:
        return Skipped("funnel", title, "needs at least two funnel stages (requests.households_* , optin.*) in metrics")
    bars = fold_equal_steps(res, stages)
    data = pd.DataFrame(
        [{"stage": label.replace("\n", " "), "metric": m, "mean": e.mean, "ci_low": e.low, "ci_high": e.high, "n": e.n,
          "bar": bar_label(bar).replace("\n", " ")} for bar in bars for m, label, e in bar]
    )
    shared = next((e for m, _, e in stages if m == "optin.submitting_households"), None)
    stages = [(bar[0][0], bar_label(bar), bar[0][2]) for bar in bars]
    first = stages[0][2].mean
    rate = res.estimate("optin.rate")
    if shared is not None and first > 0:
        title = (f"Of {big(first)} households with a camera in request areas, "
                 f"{fmt(shared.mean / first, 'share')} shared footage with police")
    subtitle = "Households at each step, whole run, mean across replications with 95% CI."
    if rate is not None:
        subtitle = f"Opt-in per notified household: {fmt_estimate(rate, 'share')}. " + subtitle

    fig, ax = new_figure(8.5, 4.8)
    y = np.arange(len(stages))[::-1]
    means = np.array([e.mean for _, _, e in stages], dtype=float)
    colors = [OKABE_ITO["blue"]] * len(stages)
    for i, (m, _, _) in enumerate(stages):
        if m in ("optin.submitting_households", "footage.delivered_packages"):
            colors[i] = OKABE_ITO["orange"]
    ax.barh(y, means, color=colors, height=0.62)
    err = np.array([[e.low, e.high] for _, _, e in stages], dtype=float)
    has = np.isfinite(err).all(axis=1)
    if has.any():
        ax.errorbar(means[has], y[has], xerr=np.abs(err[has].T - means[has]), fmt="none", ecolor="#222222",
                    capsize=3, lw=1)
    ax.set_yticks(y, [label for _, label, _ in stages])
    ax.set_xlabel("households (packages for the last step), whole run")
    ax.xaxis.set_major_formatter(compact)
    xmax = float(np.nanmax(np.where(np.isfinite(err[:, 1]), err[:, 1], means)))
    ax.set_xlim(0, xmax * 1.35 if xmax > 0 else 1)
    prev = None
    texts = []
    for yi, (_, _, e) in zip(y, stages, strict=True):
        text = big(e.mean)
        if prev:
            text += f"  ({fmt(e.mean / prev, 'share')} of step above)"
        texts.append(ax.text(max(e.high if e.has_ci else e.mean, e.mean) + xmax * 0.02, yi, text, va="center",
                             fontsize=9))
        prev = e.mean if e.mean > 0 else None
    ax.tick_params(axis="y", length=0)
    ax.spines["left"].set_visible(False)
    frame(fig, title, subtitle, source_line(res), left=0.27)
    keep_inside(ax, texts)
    alt = "Horizontal bar chart of the opt-in funnel. " + "; ".join(
        f"{label.replace(chr(10), ' ')}: {fmt_estimate(e, 'count')}" for _, label, e in stages) + "."
    return Chart("funnel", title, subtitle, alt, source_line(res), data, fig)


def _daily_stats(res: Results, metric: str) -> pd.DataFrame:
    g = res.daily(metric).groupby("day")["value"]
    stats = pd.DataFrame({"mean": g.mean(), "low": g.min(), "high": g.max(), "n": g.count()}).reset_index()
    stats.insert(0, "metric", metric)
    return stats


def is_flat(stats: pd.DataFrame) -> bool:
    """Whether a daily series hardly moves: its daily means stay within `FLAT_SPREAD` of their average.

    A panel of such a series is a straight line at the top of an axis from 0 (national plate reads: 664 million
    a day, +/- 0.01%): it says nothing a number cannot, so the chart states the number instead.
    """
    mean = stats["mean"].to_numpy(dtype=float)
    centre = float(np.mean(mean)) if len(mean) else 0.0
    return len(mean) > 1 and centre != 0 and float(np.ptp(mean)) / abs(centre) < FLAT_SPREAD


def over_time(res: Results) -> Chart | Skipped:
    title = "Footage and plate reads over time"
    series = [(m, label, _daily_stats(res, m)) for m, label in OVER_TIME if len(res.daily(m))]
    if not series:
        return Skipped("over_time", title, "metrics has no daily rows of footage.clips, alpr.reads or storage.reads_held")
    per_day = {m: float(st["mean"].mean()) for m, _, st in series if m not in LEVELS}
    flat = [(m, label, st) for m, label, st in series if is_flat(st)]
    panels = [(m, label, st) for m, label, st in series if not is_flat(st)] or series[:1]
    flat = [f for f in flat if f[0] != panels[0][0]]
    fig, axes = new_figure(8.5, 1.9 + 1.7 * len(panels) + (0.3 if flat else 0.0), nrows=len(panels), sharex=True,
                           squeeze=False)
    rows, alt_parts = [], []
    for ax, (m, label, stats), color in zip(axes[:, 0], panels, SERIES, strict=False):
        rows.append(stats)
        ax.fill_between(stats["day"], stats["low"], stats["high"], color=color, alpha=0.22, lw=0)
        ax.plot(stats["day"], stats["mean"], color=color, lw=2)
        ax.set_title(label, loc="left", fontsize=10, color="#222222")
        ax.set_ylim(bottom=0)
        ax.yaxis.set_major_formatter(compact)
        last = stats.iloc[-1]
        label_line_end(ax, float(last["day"]), float(last["mean"]), big(float(last["mean"])), color)
        est = res.estimate(m)
        if m in LEVELS:
            alt_parts.append(f"{label}: from {big(float(stats['mean'].iloc[0]))} on day 0 to {big(float(last['mean']))}")
        else:
            alt_parts.append(f"{label}: mean {big(per_day[m])} a day" +
                             (f", whole run {fmt_estimate(est, info(m).unit)}" if est is not None else ""))
    axes[-1, 0].set_xlabel("simulated day")
    data = pd.concat(rows, ignore_index=True)
    reps = int(data["n"].max())
    if "footage.clips" in per_day and "alpr.reads" in per_day:
        title = (f"Police get about {big(per_day['footage.clips'])} shared clips but "
                 f"{big(per_day['alpr.reads'])} plate reads a day")
    subtitle = (f"Daily values: line = mean of {reps} replication{'s' if reps != 1 else ''}, "
                f"band = lowest to highest replication. ")
    first = panels[0][0]
    est = res.estimate(first) if first not in LEVELS else None
    if est is not None:
        subtitle += f"Whole-run {info(first).label.lower()}: {fmt_estimate(est, info(first).unit)}. "
    if flat:
        steady = "; ".join(f"{label.lower()} about {big(float(st['mean'].mean()))}" for _, label, st in flat)
        subtitle += (f"Not drawn, as they change by less than {FLAT_SPREAD:.0%} from day to day: {steady}.")
        alt_parts += [f"{label}: steady at about {big(float(st['mean'].mean()))}" for _, label, st in flat]
    frame(fig, title, subtitle.strip(), source_line(res), left=0.09, right=0.86)
    fig.subplots_adjust(hspace=0.45)
    for ax in axes[:, 0]:
        ax.grid(axis="y", color=GREY, alpha=0.25)
    alt = "Line charts over simulated days with replication bands. " + "; ".join(alt_parts) + "."
    return Chart("over_time", title, subtitle.strip(), alt, source_line(res), data, fig)
