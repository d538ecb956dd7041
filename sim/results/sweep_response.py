"""A sweep's response to each swept parameter: which outcome metrics it moves, and the curves, for any parameter.

Each function takes the folder's tables as read once (`sim.results.sweep.read_sweep`). `swept` lists the
parameters of ``design_points.csv`` that take more than one value. `movers` ranks the declared *outcome*
metrics (never input echoes or load) by how far their mean travels across the sweep, relative to their
largest mean (a metric constant over the sweep is left out), keeping the headline (`KEY_METRICS`) outcome
that moves most among them. `curves` gives, per swept parameter and metric, rows (parameter value, the
other swept parameters' values as ``others``, design_point, mean, ci_low, ci_high, n) sorted by the
parameter: a grid over several axes gives one curve per combination of the other axes. `table_text` is the
plain table `fedsim sweep` prints: one row per design point, the parameters then the moving outcomes as
``mean [95% CI]``.

A sensitivity folder (`fedsim sensitivity`) is a sweep too, but its parameters vary together at random
(`SweepTables.random`): no single parameter's curve is meaningful there, so `swept` returns nothing for it.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from sim.results.catalog import KEY_METRICS, info
from sim.results.sweep import SweepTables, parameters

MOVERS = 4


def swept(sweep: SweepTables) -> list[str]:
    if sweep.random:
        return []
    points = sweep.points
    return [p for p in parameters(points) if points[p].astype(str).nunique() > 1]


def movers(sweep: SweepTables, k: int = MOVERS) -> list[str]:
    """Outcome metrics ranked by relative spread of their per-point means, largest first; at most `k`."""
    table = sweep.table
    if table is None:
        return []
    spread = {}
    for metric, rows in table.groupby("metric"):
        d = info(str(metric))
        if d is None or d.kind != "outcome":
            continue
        means = rows["mean"].to_numpy(float)
        means = means[np.isfinite(means)]
        if len(means) < 2:
            continue
        top = np.abs(means).max()
        if top > 0 and means.max() > means.min():
            spread[str(metric)] = (means.max() - means.min()) / top
    ranked = sorted(spread, key=lambda m: -spread[m])
    key = [m for m in ranked if m in KEY_METRICS]
    if not key or key[0] in ranked[:k]:
        return ranked[:k]
    return [*ranked[:k - 1], key[0]]  # the headline outcome that moves most is always shown


def curves(sweep: SweepTables, parameter: str, metric: str) -> pd.DataFrame:
    points, table = sweep.points, sweep.table
    if table is None or parameter not in points.columns:
        return pd.DataFrame(columns=[parameter, "others", "design_point", "mean", "ci_low", "ci_high", "n"])
    others = [p for p in swept(sweep) if p != parameter]
    rows = table[table["metric"] == metric][["design_point", "mean", "ci_low", "ci_high", "n"]]
    merged = points.merge(rows, on="design_point", how="inner")
    merged["others"] = ["; ".join(f"{o}={r[o]}" for o in others) for _, r in merged.iterrows()]
    out = merged[[parameter, "others", "design_point", "mean", "ci_low", "ci_high", "n"]]
    return out.sort_values(["others", parameter]).reset_index(drop=True)


def _cell(mean: float, low: float, high: float) -> str:
    if not math.isfinite(mean):
        return "n/a"
    if math.isfinite(low) and math.isfinite(high):
        return f"{mean:.4g} [{low:.4g}, {high:.4g}]"
    return f"{mean:.4g}"


def table_text(sweep: SweepTables, k: int = MOVERS) -> str:
    """The sweep as a fixed-width text table (empty when nothing is swept or no outcome moves)."""
    params, metrics = swept(sweep), movers(sweep, k)
    points, table = sweep.points, sweep.table
    if not params or not metrics or table is None:
        return ""
    by = table.set_index(["design_point", "metric"])
    header = ["point", *params, *metrics]
    lines = []
    for _, p in points.iterrows():
        dp = int(p["design_point"])
        row = [str(dp), *(str(p[c]) for c in params)]
        for m in metrics:
            r = by.loc[(dp, m)] if (dp, m) in by.index else None
            row.append("failed" if r is None else _cell(float(r["mean"]), float(r["ci_low"]), float(r["ci_high"])))
        lines.append(row)
    widths = [max(len(h), *(len(r[i]) for r in lines)) for i, h in enumerate(header)]
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    return "\n".join([fmt.format(*header), *(fmt.format(*r) for r in lines)])
