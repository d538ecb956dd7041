"""Platform load: how busy each modelled queue is, and, from a load test, latency as users grow.

Model side: utilization (busy share of workers, 0-1) and 95th-percentile wait in seconds per queue
(packaging of footage, ALPR search, plate-read ingest), whole run, mean across replications with 95% CI.
Load-test side: ``loadtest.json`` written by `fedsim loadtest` (loadtest/summary.py); the chart reads its
per-second rows ``over_time.locust`` (users and Locust's running p50/p95/p99 of all endpoints, in
milliseconds; a top-level ``timeline`` or ``history`` list of the same rows is read too) and takes, per user
count, the median of the rows at that count. Rows without requests (no percentiles) are left out.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from reports.catalog import fmt, fmt_estimate
from reports.charts.common import keep_inside, label_line_end, source_line
from reports.style import GREY, OKABE_ITO, Chart, Skipped, frame, new_figure
from reports.tables import Results

QUEUES = [  # label, utilization metric, p95 wait metric
    ("Footage packaging", "packaging.utilization", "packaging.wait_p95_s"),
    ("ALPR search", "search.utilization", "search.wait_p95_s"),
    ("Plate-read ingest (peak)", "ingest.utilization_peak", None),
]
HEADROOM = 0.5  # below this utilization a queue's waits stay short (M/M/c); said in the title
PERCENTILES = [("p50", OKABE_ITO["blue"]), ("p95", OKABE_ITO["orange"]), ("p99", OKABE_ITO["vermillion"])]
TIMELINE_KEYS = ("timeline", "history")


def platform_chart(res: Results) -> Chart | Skipped:
    title = "How busy the platform's queues are"
    rows = []
    for label, util_m, wait_m in QUEUES:
        util = res.estimate(util_m)
        wait = res.estimate(wait_m) if wait_m else None
        if util is None and wait is None:
            continue
        row: dict[str, Any] = {"queue": label}
        for key, est in (("utilization", util), ("wait_p95_s", wait)):
            row[key] = est.mean if est else np.nan
            row[f"{key}_ci_low"] = est.low if est else np.nan
            row[f"{key}_ci_high"] = est.high if est else np.nan
        rows.append(row)
    if not rows:
        return Skipped("platform", title, "metrics has no queue utilization or wait (packaging.*, search.*, ingest.*)")
    data = pd.DataFrame(rows)
    fig, (ax_u, ax_w) = new_figure(9.0, 1.9 + 0.5 * len(data) + 0.6, ncols=2, gridspec_kw={"wspace": 0.3})
    y = np.arange(len(data))[::-1]
    texts = {}
    for ax, key, color, xlabel in ((ax_u, "utilization", OKABE_ITO["blue"], "utilization (share of worker time busy)"),
                                   (ax_w, "wait_p95_s", OKABE_ITO["orange"], "95th-percentile wait (seconds)")):
        vals = data[key].to_numpy(dtype=float)
        lo, hi = data[f"{key}_ci_low"].to_numpy(dtype=float), data[f"{key}_ci_high"].to_numpy(dtype=float)
        ok = np.isfinite(vals)
        ax.barh(y[ok], vals[ok], color=color, height=0.6)
        ci = ok & np.isfinite(lo) & np.isfinite(hi)
        if ci.any():
            ax.errorbar(vals[ci], y[ci], xerr=np.abs(np.vstack([lo[ci], hi[ci]]) - vals[ci]), fmt="none",
                        ecolor="#222222", capsize=2.5, lw=0.9)
        top = np.nanmax(np.where(np.isfinite(hi), hi, vals))
        for yi, v, h in zip(y, vals, hi, strict=True):
            text = "not measured" if not np.isfinite(v) else fmt(v, "share" if key == "utilization" else "seconds")
            end = h if np.isfinite(h) else (v if np.isfinite(v) else 0.0)
            texts.setdefault(key, []).append(ax.annotate(
                text, (end, yi), xytext=(5, 0), textcoords="offset points", va="center", fontsize=8.5,
                color="#222222" if np.isfinite(v) else GREY))
        ax.set_yticks(y, data["queue"] if key == "utilization" else [""] * len(y))
        ax.set_ylim(-0.5, len(y) - 0.5)
        ax.tick_params(axis="y", length=0)
        ax.set_xlabel(xlabel, fontsize=9)
        ax.set_title("Utilization" if key == "utilization" else "Wait before service starts", loc="left", fontsize=10)
        ax.set_xlim(0, max(top * 1.4, 1.0 if key == "utilization" else top * 1.4) or 1.0)
        if key == "utilization":
            ax.axvline(1.0, color=GREY, lw=0.8, ls=":")
    busiest = data.sort_values("utilization", na_position="first").iloc[-1]
    title = f"The busiest queue, {busiest['queue'].lower()}, is {fmt(busiest['utilization'], 'share')} utilized"
    if busiest["utilization"] < HEADROOM:
        title = "The platform has headroom: " + title[0].lower() + title[1:]
    util_est = res.estimate(next(m for q, m, _ in QUEUES if q == busiest["queue"]))
    subtitle = f"Utilization: {fmt_estimate(util_est, 'share')}" if util_est else ""
    subtitle += ". Whole run, mean across replications with 95% CI; dotted line = all workers busy."
    frame(fig, title, subtitle, source_line(res), left=0.2, right=0.97, bottom_in=0.85)
    keep_inside(ax_u, texts.get("utilization", []))
    keep_inside(ax_w, texts.get("wait_p95_s", []))
    alt = "Bar charts of platform queues. " + "; ".join(
        f"{r.queue}: utilization {fmt(r.utilization, 'share')}, p95 wait {fmt(r.wait_p95_s, 'seconds')}"
        for r in data.itertuples()) + "."
    return Chart("platform", title, subtitle, alt, source_line(res), data, fig)


def _pct(row: dict[str, Any], name: str) -> float:
    for key in (name, f"{name}_ms", f"{name[1:]}%", f"latency_{name}_ms"):
        if key in row and row[key] is not None:
            return float(row[key])
    return np.nan


def latency_table(summary: dict[str, Any]) -> pd.DataFrame | None:
    """Median latency percentiles (ms) per user count from a load-test summary, or None."""
    candidates = [(summary.get("over_time") or {}).get("locust") if isinstance(summary.get("over_time"), dict) else None]
    candidates += [summary.get(k) for k in TIMELINE_KEYS]
    series = next((c for c in candidates if isinstance(c, list) and c), None)
    if series is None:
        return None
    rows = [{"users": float(r["users"]), **{p: _pct(r, p) for p, _ in PERCENTILES}}
            for r in series if isinstance(r, dict) and r.get("users") is not None]
    df = pd.DataFrame(rows)
    if not len(df):
        return None
    df = df.dropna(how="all", subset=[p for p, _ in PERCENTILES])
    df = df[df["users"] > 0]
    return df.groupby("users").median().reset_index() if len(df) else None


def latency_chart(res: Results) -> Chart | Skipped:
    title = "Latency of the reference service as users grow"
    if res.loadtest is None:
        return Skipped("latency", title, "no load test (run `fedsim loadtest -o DIR`, then report with --loadtest DIR)")
    table = latency_table(res.loadtest)
    if table is None or len(table) < 2:
        return Skipped("latency", title, "the load-test summary has no users timeline with latency percentiles")
    fig, ax = new_figure(8.5, 4.6)
    for p, color in PERCENTILES:
        if table[p].notna().any():
            ax.plot(table["users"], table[p], marker="o", color=color, lw=2)
            label_line_end(ax, float(table["users"].iloc[-1]), float(table[p].iloc[-1]), f"{p}: {table[p].iloc[-1]:.3g} ms",
                           color)
    ax.set_xlabel("concurrent simulated users")
    ax.set_ylabel("response time (ms)")
    ax.set_ylim(bottom=0)
    ax.grid(axis="y", color=GREY, alpha=0.25)
    lo, hi = table.iloc[0], table.iloc[-1]
    title = (f"From {lo['users']:g} to {hi['users']:g} users, p95 latency goes from {lo['p95']:.3g} to {hi['p95']:.3g} ms")
    subtitle = ("At each user count: the median of Locust's per-second running percentiles over all endpoints. "
                "One load-test run: no replications, so no CI.")
    if res.loadtest.get("label"):
        subtitle += f" {str(res.loadtest['label']).capitalize()}."
    where = res.loadtest_path.parent.name if res.loadtest_path else "load test"
    file = res.loadtest_path.name if res.loadtest_path else "loadtest.json"
    source = f"Source: `fedsim loadtest` against the reference service, {where}/{file}."
    frame(fig, title, subtitle, source, left=0.1, right=0.85)
    alt = "Line chart of response-time percentiles against users: " + "; ".join(
        f"{r.users:g} users p50 {r.p50:.3g} ms, p95 {r.p95:.3g} ms, p99 {r.p99:.3g} ms" for r in table.itertuples()) + "."
    return Chart("latency", title, subtitle, alt, source, table, fig)
