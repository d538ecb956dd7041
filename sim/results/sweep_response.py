"""A sweep's response to each swept parameter: which outcome metrics it moves, and the curves, for any parameter.

Each function takes the folder's tables as read once (`sim.results.sweep.read_sweep`). `swept` lists the
parameters of ``design_points.csv`` that take more than one value. `movers` ranks the declared *outcome*
metrics (never input echoes or load) by the change their 95% intervals support: the largest lower bound
minus the smallest upper bound over the design points (the widest gap between two points' intervals),
relative to their largest mean, keeping the headline (`KEY_METRICS`) outcome that moves most among them. A
metric whose intervals all overlap moves within noise (`within_noise`): it is shown only when no metric
moves clearly, and then marked so. Without intervals (1 replication) the spread of the means ranks, as
nothing can tell noise from change there. `curves` gives, per swept parameter and metric, rows (parameter value, the
other swept parameters' values as ``others``, design_point, mean, ci_low, ci_high, n) sorted by the
parameter: a grid over several axes gives one curve per combination of the other axes. `table_text` is the
plain table `fedsim sweep` prints: one row per design point, the parameters then the moving outcomes as
``mean [95% CI]``, the interval cut to the metric's range (`sim.results.stats.bounded`: counts >= 0).

A sensitivity folder (`fedsim sensitivity`) is a sweep too, but its parameters vary together at random
(`SweepTables.random`): no single parameter's curve is meaningful there, so `swept` returns nothing for it.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from sim.results.catalog import KEY_METRICS, info, metric_unit
from sim.results.stats import Estimate, bounded
from sim.results.sweep import SweepTables, parameters

MOVERS = 4


def swept(sweep: SweepTables) -> list[str]:
    if sweep.random:
        return []
    points = sweep.points
    return [p for p in parameters(points) if points[p].astype(str).nunique() > 1]


def _changes(sweep: SweepTables) -> dict[str, tuple[float, bool]]:
    """Outcome metric -> (its change across the sweep relative to its largest |mean|, whether the intervals
    support it). Supported change: max(ci_low) - min(ci_high) when every point has an interval and that is > 0;
    else the spread of the means, marked unsupported when intervals exist (they all overlap)."""
    table = sweep.table
    out: dict[str, tuple[float, bool]] = {}
    if table is None:
        return out
    for metric, rows in table.groupby("metric"):
        d = info(str(metric))
        if d is None or d.kind != "outcome":
            continue
        means, lows, highs = (rows[c].to_numpy(float) for c in ("mean", "ci_low", "ci_high"))
        ok = np.isfinite(means)
        means, lows, highs = means[ok], lows[ok], highs[ok]
        if len(means) < 2:
            continue
        top = np.abs(means).max()
        if top == 0 or means.max() == means.min():
            continue  # constant over the sweep
        if np.isfinite(lows).all() and np.isfinite(highs).all():
            gap = lows.max() - highs.min()
            out[str(metric)] = (gap / top, True) if gap > 0 else ((means.max() - means.min()) / top, False)
        else:  # one replication: no interval to tell change from noise
            out[str(metric)] = ((means.max() - means.min()) / top, True)
    return out


def within_noise(sweep: SweepTables) -> set[str]:
    """Outcome metrics whose means differ across the sweep but whose 95% intervals all overlap."""
    return {m for m, (_, supported) in _changes(sweep).items() if not supported}


def movers(sweep: SweepTables, k: int = MOVERS) -> list[str]:
    """Outcome metrics ranked by the change their intervals support, largest first; at most `k`. Only when none
    moves clearly, the ones moving within noise (ranked by the spread of their means; `within_noise` names them)."""
    changes = _changes(sweep)
    clear = sorted((m for m, (_, ok) in changes.items() if ok), key=lambda m: -changes[m][0])
    ranked = clear or sorted(changes, key=lambda m: -changes[m][0])
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


def _cell(metric: str, mean: float, low: float, high: float) -> str:
    if not math.isfinite(mean):
        return "n/a"
    if math.isfinite(low) and math.isfinite(high):
        # cut to the metric's range, as the report does: a count read '198.3 [-170.6, 567.2]'
        cut = bounded(Estimate(mean, low, high, 2), metric_unit(metric))
        return f"{mean:.4g} [{cut.low:.4g}, {cut.high:.4g}]"
    return f"{mean:.4g}"


def table_text(sweep: SweepTables, k: int = MOVERS) -> str:
    """The sweep as a fixed-width text table (empty when nothing is swept or no outcome moves); a column moving
    within noise says so in its header."""
    params, metrics = swept(sweep), movers(sweep, k)
    points, table = sweep.points, sweep.table
    if not params or not metrics or table is None:
        return ""
    by = table.set_index(["design_point", "metric"])
    noise = within_noise(sweep)
    header = ["point", *params, *(f"{m} (within noise)" if m in noise else m for m in metrics)]
    lines = []
    for _, p in points.iterrows():
        dp = int(p["design_point"])
        row = [str(dp), *(str(p[c]) for c in params)]
        for m in metrics:
            r = by.loc[(dp, m)] if (dp, m) in by.index else None
            row.append("failed" if r is None else _cell(m, float(r["mean"]), float(r["ci_low"]), float(r["ci_high"])))
        lines.append(row)
    widths = [max(len(h), *(len(r[i]) for r in lines)) for i, h in enumerate(header)]
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    return "\n".join([fmt.format(*header), *(fmt.format(*r) for r in lines)])
