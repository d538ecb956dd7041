"""Summaries across replications: mean with a t-based 95% confidence interval, median, p5 and p95.

Replications are independent runs, so a whole-run metric gives one value per replication. The CI of the mean
is mean +/- t(0.975, n-1) * s / sqrt(n) with the sample standard deviation s (ddof=1). With one replication
there is no CI: its bounds and half-width are NaN (null in JSON). Percentiles use numpy's linear
interpolation between order statistics. The relative half-width (half-width / |mean|) drives
``--replications auto``; it is 0 when every value is the same and infinite when the mean is 0 but values vary.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from scipy.special import stdtrit  # Student's t quantile (what scipy.stats.t.ppf calls), without scipy.stats

LEVEL = 0.95
FIELDS = ("mean", "ci_low", "ci_high", "halfwidth", "median", "p5", "p95", "n")


def halfwidth(values: Sequence[float], level: float = LEVEL) -> float:
    """Half-width of the t-based CI of the mean; NaN for fewer than two values."""
    x = np.asarray(values, dtype=float)
    n = len(x)
    if n < 2:
        return math.nan
    sd = float(np.std(x, ddof=1))
    return float(stdtrit(n - 1, 0.5 + level / 2.0)) * sd / math.sqrt(n)


def summarize(values: Sequence[float], level: float = LEVEL) -> dict[str, float | int]:
    """Mean, CI bounds, half-width, median, p5, p95 and n of one metric's per-replication values."""
    x = np.asarray(values, dtype=float)
    if len(x) == 0:
        raise ValueError("summarize() needs at least one value")
    mean = float(np.mean(x))
    hw = halfwidth(x, level)
    p5, median, p95 = (float(v) for v in np.percentile(x, [5, 50, 95]))
    return {
        "mean": mean,
        "ci_low": mean - hw,
        "ci_high": mean + hw,
        "halfwidth": hw,
        "median": median,
        "p5": p5,
        "p95": p95,
        "n": int(len(x)),
    }


def relative_halfwidth(values: Sequence[float], level: float = LEVEL) -> float:
    """CI half-width over |mean|: NaN below two values, 0 for constant values, inf for a zero mean."""
    hw = halfwidth(values, level)
    if math.isnan(hw):
        return math.nan
    if hw == 0.0:
        return 0.0
    mean = abs(float(np.mean(np.asarray(values, dtype=float))))
    return hw / mean if mean > 0 else math.inf
