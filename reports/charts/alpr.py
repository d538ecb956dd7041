"""ALPR searches by stated reason, and exposure of a car against the retention limit (a sweep's response curve).

Reasons come from the ``search.reason.<reason>`` whole-run counts, mean across replications with 95% CI;
immigration is highlighted because it is the reason state laws and federal-access debates turn on. The
exposure curve reads a sweep over ``policy.alpr_retention_days``: per retention value, the mean number of
agencies able to see a tracked car (``exposure.agencies_per_vehicle_mean``) with its 95% CI band.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from reports.catalog import big, fmt, fmt_estimate, info
from reports.charts.common import keep_inside, source_line
from reports.style import GREY, OKABE_ITO, Chart, Skipped, compact, frame, new_figure
from reports.tables import Results
from sim.results.stats import Estimate, estimate_from_summary, mean_ci, welch_diff
from sim.results.sweep import response

HIGHLIGHT = {"immigration"}
RETENTION = "policy.alpr_retention_days"
EXPOSURE = ["exposure.agencies_per_vehicle_mean", "exposure.federal_units_per_vehicle_mean"]


def hidden_purpose(res: Results, reason: str, wide: pd.DataFrame) -> tuple[float, Estimate] | None:
    """Searches run for `reason` whatever reason was entered (``search.purpose.<reason>``): their mean count and share
    of the searches with a reason (95% CI across replications), when more were run for it than entered it; else None.
    Under the 2026 offense-type drop-down, 'immigration' is no offense type: the brief read 'immigration: 0%' while
    2.1% of searches (6,023 in 7 days) were run for it and audited as other offenses."""
    metric = f"search.purpose.{reason}"
    if metric not in res.metric_names():
        return None
    purpose = res.whole_run_wide([metric]).reindex(wide.index)[metric]
    if not purpose.notna().any() or purpose.mean() <= wide[f"search.reason.{reason}"].mean() + 0.5:
        return None
    return float(purpose.mean()), mean_ci((purpose / wide.sum(axis=1)).dropna().to_numpy())


def reasons_chart(res: Results) -> Chart | Skipped:
    title = "Why agencies search plate reads"
    metrics = [m for m in res.metric_names() if m.startswith("search.reason.")]
    rows = []
    for m in metrics:
        est = res.estimate(m)
        if est is not None and est.n:
            rows.append({"reason": m.removeprefix("search.reason."), "metric": m, "mean": est.mean, "ci_low": est.low,
                         "ci_high": est.high, "n": est.n})
    if not rows:
        return Skipped("reasons", title, "metrics has no search.reason.<reason> counts")
    data = pd.DataFrame(rows).sort_values("mean").reset_index(drop=True)
    total = float(data["mean"].sum())
    data["share"] = data["mean"] / total if total else np.nan
    # Share of each reason per replication, for the CI of a highlighted reason's share.
    wide = res.whole_run_wide(list(data["metric"])).fillna(0.0)
    fig, ax = new_figure(8.5, 1.9 + 0.36 * len(data))
    y = np.arange(len(data))
    colors = [OKABE_ITO["vermillion"] if r in HIGHLIGHT else OKABE_ITO["blue"] for r in data["reason"]]
    ax.barh(y, data["mean"], color=colors, height=0.65)
    err = data[["ci_low", "ci_high"]].to_numpy()
    has = np.isfinite(err).all(axis=1)
    if has.any():
        ax.errorbar(data["mean"][has], y[has], xerr=np.abs(err[has].T - data["mean"][has].to_numpy()), fmt="none",
                    ecolor="#222222", capsize=2.5, lw=0.9)
    right = np.where(np.isfinite(err[:, 1]), err[:, 1], data["mean"])
    texts = [ax.text(right[yi] + right.max() * 0.015, yi, f"{big(r.mean)}  ({fmt(r.share, 'share')})", va="center",
                     fontsize=8.5) for yi, r in zip(y, data.itertuples(), strict=True)]
    ax.set_yticks(y, [r.replace("_", " ") for r in data["reason"]])
    ax.tick_params(axis="y", length=0)
    ax.set_xlim(0, right.max() * 1.3)
    ax.xaxis.set_major_formatter(compact)
    ax.set_xlabel("searches per run (mean across replications)")
    top = data.iloc[-1]
    title = f"{fmt(top['share'], 'share')} of searches cite {top['reason'].replace('_', ' ')}, the most common reason"
    subtitle = "Searches by the reason entered, with 95% CI across replications."
    for r in sorted(HIGHLIGHT & set(data["reason"])):
        if len(wide):
            share = mean_ci((wide[f"search.reason.{r}"] / wide.sum(axis=1)).to_numpy())
            title += f"; {r.replace('_', ' ')}: {fmt(share.mean, 'share')}"
            subtitle = f"Share citing {r.replace('_', ' ')}: {fmt_estimate(share, 'share')}. " + subtitle
            run_for = hidden_purpose(res, r, wide)
            if run_for is not None:
                data.loc[data["reason"] == r, "run_for_mean"] = run_for[0]
                title += (f" as entered, while {fmt(run_for[1].mean, 'share')} were run for it and filed under other "
                          "reasons")
                subtitle = (f"Run for {r.replace('_', ' ')} whatever the reason entered: {big(run_for[0])} searches, "
                            f"{fmt_estimate(run_for[1], 'share')} (search.purpose.{r}). " + subtitle)
    frame(fig, title, subtitle, source_line(res), left=0.2)
    keep_inside(ax, texts)
    alt = "Horizontal bar chart of ALPR searches by stated reason: " + "; ".join(
        f"{r.reason.replace('_', ' ')} {big(r.mean)} ({fmt(r.share, 'share')})" for r in data[::-1].itertuples()) + "."
    if "run_for_mean" in data:
        alt += "".join(f" Run for {r.reason.replace('_', ' ')} whatever the reason entered: {big(r.run_for_mean)}."
                       for r in data.dropna(subset=["run_for_mean"]).itertuples())
    return Chart("reasons", title, subtitle, alt, source_line(res), data, fig)


def retention_takeaway(lo: pd.Series, hi: pd.Series) -> str:
    """The title: the change from the longest to the shortest retention, or that the runs cannot tell."""
    est = [Estimate(r["mean"], r["ci_low"], r["ci_high"], int(r["n"])) for r in (lo, hi)]
    est = [estimate_from_summary({"mean": e.mean, "ci_low": e.low, "ci_high": e.high, "n": e.n}) for e in est]
    diff = welch_diff(est[0], est[1])
    span = f"{lo[RETENTION]:g} instead of {hi[RETENTION]:g} days"
    if diff.has_ci and (diff.low > 0 or diff.high < 0) and hi["mean"]:
        verb = "cuts" if diff.mean < 0 else "raises"
        return f"Keeping reads {span} {verb} the agencies able to see a car by {fmt(abs(diff.mean / hi['mean']), 'share')}"
    return f"Keeping reads {span} makes no clear difference to how many agencies can see a car"


def retention_chart(res: Results) -> Chart | Skipped:
    title = "Exposure of a car against the ALPR retention limit"
    if res.sweep is None:
        return Skipped("retention", title, "needs a sweep over policy.alpr_retention_days (fedsim report --sweep DIR)")
    curves = []
    for metric, color in zip(EXPOSURE, (OKABE_ITO["blue"], OKABE_ITO["vermillion"]), strict=True):
        got = response(res.sweep, RETENTION, metric)
        if got is None:
            return Skipped("retention", title, f"{res.sweep.folder} is not a sweep over {RETENTION}")
        table, missing = got
        if len(table) >= 2:
            curves.append((metric, color, table, missing))
    if not curves:
        return Skipped("retention", title, f"the sweep has fewer than two points with {EXPOSURE[0]}")
    fig, axes = new_figure(8.5, 4.8, ncols=len(curves), squeeze=False, gridspec_kw={"wspace": 0.45})
    frames, alt = [], []
    for ax, (metric, color, table, _missing) in zip(axes[0], curves, strict=True):
        x = table[RETENTION].to_numpy(dtype=float)
        ok = np.isfinite(table["ci_low"]) & np.isfinite(table["ci_high"])
        if ok.any():
            ax.fill_between(x[ok], table["ci_low"][ok], table["ci_high"][ok], color=color, alpha=0.2, lw=0)
        ax.plot(x, table["mean"], marker="o", color=color, lw=2)
        for xi, yi in zip(x, table["mean"], strict=True):
            ax.annotate(f"{yi:.3g}", (xi, yi), xytext=(0, 7), textcoords="offset points", ha="center", fontsize=8, color=color)
        ax.set_xscale("log")
        ax.set_xticks(x, [f"{v:g}" for v in x])
        ax.minorticks_off()
        ax.set_xlabel("ALPR retention limit (days, log scale)")
        ax.set_title(info(metric).label, loc="left", fontsize=9.5, wrap=True)
        ax.set_ylim(0, float(np.nanmax(np.where(ok, table["ci_high"], table["mean"]))) * 1.15)
        ax.grid(axis="y", color=GREY, alpha=0.25)
        frames.append(table.assign(metric=metric))
        alt.append(f"{info(metric).label}: " + "; ".join(
            f"{v:g} days {r.mean:.3g}" + (f" (95% CI {r.ci_low:.3g} to {r.ci_high:.3g})" if np.isfinite(r.ci_low) else "")
            for v, r in zip(x, table.itertuples(), strict=True)))
    metric, _, table, missing = curves[0]
    lo, hi = table.iloc[0], table.iloc[-1]
    title = retention_takeaway(lo, hi)
    subtitle = (f"Mean per tracked car at {lo[RETENTION]:g} d: {lo['mean']:.3g} (95% CI {lo['ci_low']:.3g} to "
                f"{lo['ci_high']:.3g}); at {hi[RETENTION]:g} d: {hi['mean']:.3g} (95% CI {hi['ci_low']:.3g} to "
                f"{hi['ci_high']:.3g}). Band: 95% CI across replications at each design point.")
    days = res.param("run.days")
    if days and hi[RETENTION] > days:
        subtitle += f" Runs last {days} days, so limits above {days} days cannot bind."
    if missing:
        subtitle += f" Left out (no results): design points {', '.join(missing)}."
    frame(fig, title, subtitle, source_line(res, f"Sweep: {res.sweep.folder.name}."), left=0.08, right=0.95)
    return Chart("retention", title, subtitle, "Line charts of exposure against retention. " + ". ".join(alt) + ".",
                 source_line(res, f"Sweep: {res.sweep.folder.name}."), pd.concat(frames, ignore_index=True), fig)
