"""The report's "How the results respond to ..." section: a response curve per swept parameter, for any parameter.

For a sweep folder, each parameter that takes more than one value (`sim.results.sweep_response.swept`) gets
one chart: a panel per outcome metric the sweep moves most (`movers`: outcomes only, never input echoes or
load), the mean per design point with its 95% CI across replications as a band; a grid over several axes
draws one line per combination of the other axes. Drawn from ``design_points.csv`` and ``sweep.csv`` alone,
saved as PNG, SVG and CSV. When the runs are shorter than a swept day-valued limit, the subtitle says that
limits above the run's length cannot bind.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.ticker import FuncFormatter

from reports import html as H
from reports.catalog import info
from reports.style import GREY, SERIES, Chart, compact, frame, new_figure, save
from sim.results.layout import DESIGN_POINTS, SWEEP
from sim.results.sweep import SweepTables
from sim.results.sweep_response import curves, movers, swept, within_noise

MAX_LINES = len(SERIES)


def _label(metric: str) -> str:
    d = info(metric)
    return d.label if d else metric


def curve_chart(sweep: SweepTables, parameter: str, metrics: list[str], charts_dir: Path, run_days: float | None) -> Chart:
    """One panel per metric: its mean and 95% CI against `parameter` over the sweep's points (`run_days`: the
    runs' length; the subtitle says when a swept day count exceeds it and so cannot bind)."""
    fig, axes = new_figure(4.2 * min(len(metrics), 2) + 0.6, 3.2 * ((len(metrics) + 1) // 2) + 1.4,
                          ncols=min(len(metrics), 2), nrows=(len(metrics) + 1) // 2, squeeze=False,
                          gridspec_kw={"wspace": 0.35, "hspace": 0.6})
    frames, alt, noise = [], [], within_noise(sweep)
    for ax, metric in zip(axes.flat, metrics, strict=False):
        table = curves(sweep, parameter, metric)
        frames.append(table.assign(metric=metric))
        for i, (others, line) in enumerate(list(table.groupby("others", sort=True))[:MAX_LINES]):
            x = pd.to_numeric(line[parameter], errors="coerce").to_numpy(float)
            color = SERIES[i % len(SERIES)]
            ok = np.isfinite(line["ci_low"].to_numpy(float)) & np.isfinite(x)
            if ok.any():
                ax.fill_between(x[ok], line["ci_low"][ok], line["ci_high"][ok], color=color, alpha=0.2, lw=0)
            ax.plot(x, line["mean"], marker="o", color=color, lw=2, label=others or None)
            alt.append(f"{_label(metric)}{' (' + others + ')' if others else ''}: " + "; ".join(
                f"{v:g} -> {m:.3g}" for v, m in zip(x, line["mean"], strict=True)))
        xs = pd.to_numeric(table[parameter], errors="coerce").dropna()
        if len(xs) and xs.min() > 0 and xs.max() / xs.min() >= 10:
            ax.set_xscale("log")
            ax.set_xticks(sorted(set(xs)), [f"{v:g}" for v in sorted(set(xs))])
            ax.minorticks_off()
        ax.yaxis.set_major_formatter(FuncFormatter(compact))
        ax.set_title(_label(metric) + (" (within noise)" if metric in noise else ""), loc="left", fontsize=9.5)
        ax.set_xlabel(parameter, fontsize=8)
        ax.grid(axis="y", color=GREY, alpha=0.25)
        if table["others"].nunique() > 1:
            ax.legend(fontsize=7, frameon=False)
    for ax in list(axes.flat)[len(metrics):]:
        ax.set_visible(False)
    title = f"How the results respond to {parameter}"
    subtitle = ("Mean per design point; band: 95% CI across replications. The outcomes the CIs show moving most"
                + ("; none moves clearly: these move within noise." if noise & set(metrics) else "."))
    values = pd.to_numeric(pd.concat(frames)[parameter], errors="coerce")
    if run_days and parameter.endswith("_days") and values.max() > run_days:
        subtitle += f" Runs last {run_days:g} days, so values above {run_days:g} days cannot bind."
    frame(fig, title, subtitle, f"Source: fedsim sweep, {sweep.folder.name}/sweep.csv", left=0.1, right=0.97)
    safe = parameter.replace(".", "_")
    return save(Chart(f"response_{safe}", title, subtitle, "Response curves. " + ". ".join(alt) + ".",
                      f"fedsim sweep {sweep.folder.name}", pd.concat(frames, ignore_index=True), fig), charts_dir)


def section(sweep: SweepTables, charts_dir: Path) -> list[str]:
    """HTML of the section ([] when the sweep has no swept parameter or no moving outcome)."""
    params, metrics = swept(sweep), movers(sweep)
    if not params or not metrics:
        return []
    folder = sweep.folder
    run_days = ((sweep.scenario or {}).get("run") or {}).get("days")
    charts = [curve_chart(sweep, p, metrics, charts_dir, run_days) for p in params]
    return ["<h2>How the results respond to the swept parameters</h2>",
            "<p>One chart per swept parameter; the panels are the outcomes the sweep moves most, ranked by the change "
            "their 95% CIs support.</p>",
            *H.charts_section(charts),
            H.files_line("The sweep's tables", [H.file_link(folder / name, charts_dir.parent)
                                                for name in (DESIGN_POINTS, SWEEP) if (folder / name).is_file()])]
