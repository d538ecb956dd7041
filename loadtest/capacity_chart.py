"""The capacity chart: throughput and the SLO's latency percentile against offered load, the knee marked, drawn
from the step table.

Reads ``capacity_steps.csv`` (its ``all`` rows; a level run several times is drawn as the mean with its
runs as dots) and the capacity document, writes PNG and SVG beside the CSV. Offered and achieved load in
requests per second; latency in milliseconds. Okabe-Ito colours, as the reports use.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

BLUE, ORANGE, VERMILLION, GREY = "#0072B2", "#E69F00", "#D55E00", "#8C8C8C"


def capacity_chart(csv_path: Path, doc: dict[str, Any], stem: Path) -> list[Path]:
    steps = pd.read_csv(csv_path)
    agg = steps[steps.endpoint == "all"].sort_values("offered_rps")
    slo = doc["slo"]
    pct = slo["percentile"]  # the latency drawn is the one the SLO limits (p95 was drawn against a p99 SLO's line)
    levels = agg.groupby("offered_rps", as_index=False).agg(achieved=("achieved_rps", "mean"), lat=(f"{pct}_ms", "mean"))
    fig, ax = plt.subplots(figsize=(8, 4.5), dpi=110)
    top = max(levels.offered_rps.max(), levels.achieved.max()) * 1.05
    ax.plot([0, top], [0, top], color=GREY, lw=0.8, ls=":", label="achieved = offered")
    ax.plot(levels.offered_rps, levels.achieved, color=BLUE, marker="o", label="achieved throughput")
    ax.scatter(agg.offered_rps, agg.achieved_rps, color=BLUE, s=10, alpha=0.5)
    ax.set_xlabel("offered load (requests/s, open model)")
    ax.set_ylabel("achieved throughput (requests/s)", color=BLUE)
    ax.set_xlim(0, top)
    ax.set_ylim(0, top)
    lat = ax.twinx()
    lat.plot(levels.offered_rps, levels.lat, color=ORANGE, marker="s", label=f"{pct} latency")
    lat.axhline(slo["latency_ms"], color=ORANGE, lw=0.8, ls="--")
    lat.text(top * 0.01, slo["latency_ms"], f" SLO {slo['percentile']} < {slo['latency_ms']:g} ms", color=ORANGE,
             va="bottom", fontsize=8)
    lat.set_ylabel(f"{pct} latency (ms)", color=ORANGE)
    lat.set_ylim(0, max(levels.lat.max() * 1.1, slo["latency_ms"] * 1.3))
    if doc.get("capacity_rps"):
        cap = doc["capacity_rps"]
        ax.axvline(cap, color=VERMILLION, lw=1.2)
        what = "knee" if doc.get("upper_bound_rps") else "highest tried"  # no step broke: no knee was seen
        right = cap > 0.6 * top  # the label on the line's left near the right edge, so it stays inside the axes
        ax.text(cap, top * 0.97, f" {what}: {cap:.0f} req/s held the SLO ", color=VERMILLION, va="top", fontsize=9,
                ha="right" if right else "left")
    title = (f"Capacity {doc['capacity_rps']:.0f} req/s within {slo['text']}" if doc.get("capacity_rps")
             else f"No offered load held {slo['text']}")
    if doc.get("search_finished") is False:  # the budget ran out: the capacity is a bracket (capacity.json note)
        title += (f" (search cut short: below {doc['upper_bound_rps']:g} req/s)" if doc.get("upper_bound_rps")
                  else " (search cut short: at least that, no step broke the SLO)")
    ax.set_title(title, loc="left", fontsize=11)
    ax.spines["top"].set_visible(False)
    fig.tight_layout()
    out = [stem.with_suffix(".png"), stem.with_suffix(".svg")]
    for path in out:
        fig.savefig(path)
    plt.close(fig)
    return out
