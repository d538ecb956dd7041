"""Uncertainty across replications, computed one way: t-based 95% confidence intervals of means and differences.

Replications are independent runs, so a whole-run metric gives one value per replication. The CI of the mean
is mean +/- t(0.975, n-1) * s / sqrt(n) with the sample standard deviation s (ddof=1); Student's quantile is
`scipy.special.stdtrit` (what ``scipy.stats.t.ppf`` calls, without importing scipy.stats). With one
replication there is no CI: its bounds and half-width are NaN (null in JSON). Percentiles use numpy's linear
interpolation between order statistics. The relative half-width (half-width / |mean|) drives
``--replications auto``; it is 0 when every value is the same and infinite when the mean is 0 but values vary.

The runner's ``summary.json`` and ``sweep.csv`` (`summarize`) and every report (`mean_ci`, `Estimate`) use
these functions. A difference between two scenarios run from the same root seed is paired: replication r of
each used the same named random streams (common random numbers), so its CI is the t interval of the
per-replication differences (`paired_diff`). Otherwise it is Welch's t with the Welch-Satterthwaite degrees
of freedom (`welch_diff`, no equal-variance assumption).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

import numpy as np

LEVEL = 0.95
FIELDS = ("mean", "ci_low", "ci_high", "halfwidth", "median", "p5", "p95", "n")


def t_quantile(df: float, level: float = LEVEL) -> float:
    """The two-sided `level` quantile of Student's t with `df` degrees of freedom."""
    # Imported on first use (speed): scipy.special is ~0.1 s of a `fedsim report`'s start, and results of one
    # replication never need a quantile (no CI). Student's t quantile is what scipy.stats.t.ppf calls, without
    # importing scipy.stats.
    from scipy.special import stdtrit

    return float(stdtrit(df, 0.5 + level / 2.0))


def halfwidth(values: Sequence[float] | np.ndarray, level: float = LEVEL) -> float:
    """Half-width of the t-based CI of the mean; NaN for fewer than two values."""
    x = np.asarray(values, dtype=float)
    n = len(x)
    if n < 2:
        return math.nan
    sd = float(np.std(x, ddof=1))
    return t_quantile(n - 1, level) * sd / math.sqrt(n)


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


@dataclass(frozen=True)
class Estimate:
    mean: float
    low: float
    high: float
    n: int
    sd: float = math.nan

    @property
    def has_ci(self) -> bool:
        return self.n >= 2 and math.isfinite(self.low) and math.isfinite(self.high)


# Display units (`sim.results.catalog.display_unit`) whose values cannot be negative; a share is also at most 1.
NONNEGATIVE = frozenset({"count", "amount", "bytes", "seconds", "share"})


def bounded(est: Estimate, unit: str) -> Estimate:
    """`est` with its interval cut to the range a value of display `unit` can take (>= 0; shares also <= 1). A t
    interval of few replications can cross those bounds (``-488.9 to 819.9`` households); the true value cannot,
    so cutting keeps the coverage."""
    low, high = est.low, est.high
    if unit in NONNEGATIVE and math.isfinite(low):
        low = max(low, 0.0)
    if unit == "share" and math.isfinite(high):
        high = min(high, 1.0)
    return replace(est, low=low, high=high)


def mean_ci(values: np.ndarray | Sequence[float], nan: Literal["drop", "propagate"] = "drop") -> Estimate:
    """Mean and t-based 95% CI of independent replication values, as `summarize` computes it. `nan`: what a value
    that is not finite (NaN, an infinity) does: ``"drop"`` leaves it out (an estimate of the replications that have a
    value, as reports give it); ``"propagate"`` makes the mean NaN (or infinite) and the CI unknown, as `summarize`
    and `relative_halfwidth` do (``--replications auto``, `sim.runner.replicate`)."""
    x = np.asarray(values, dtype=float)
    finite = np.isfinite(x)
    if nan == "propagate" and not finite.all():
        return Estimate(float(x.mean()), math.nan, math.nan, len(x))
    x = x[finite]
    n = len(x)
    if n == 0:
        return Estimate(math.nan, math.nan, math.nan, 0)
    mean = float(x.mean())
    if n < 2:
        return Estimate(mean, math.nan, math.nan, n)
    hw = halfwidth(x, LEVEL)
    return Estimate(mean, mean - hw, mean + hw, n, float(x.std(ddof=1)))


YES_NO = "0/1"  # the unit of a yes/no column (`sim.results.places`): shown by `yes_no`, never as a count with a CI


def yes_no(values: np.ndarray | Sequence[float]) -> str:
    """A yes/no column (unit ``0/1``) over replications: "yes" or "no", or "yes in k of n replications" when they
    differ. Its mean with a CI read as a count ('open to proxy lookups 1 [1, 1]')."""
    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    yes = int((x > 0).sum())
    return "yes" if yes == len(x) else "no" if yes == 0 else f"yes in {yes} of {len(x)} replications"


def _num(value: object) -> float:
    """A number from JSON or a table cell; None and non-numbers are NaN."""
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return math.nan


def estimate_from_summary(entry: dict[str, float]) -> Estimate:
    """An `Estimate` from a ``summary.json`` metric entry or a ``sweep.csv`` row; sd recovered from the CI."""
    n = int(_num(entry.get("n")) if math.isfinite(_num(entry.get("n"))) else 0)
    mean, low, high = (_num(entry.get(k)) for k in ("mean", "ci_low", "ci_high"))
    sd = math.nan
    if n >= 2 and math.isfinite(low) and math.isfinite(high):
        sd = (high - low) / 2.0 * math.sqrt(n) / t_quantile(n - 1)
    return Estimate(mean, low, high, n, sd)


def paired_diff(b: dict[int, float], a: dict[int, float]) -> Estimate | None:
    """Mean difference b - a over the replications both have, with the t CI of the differences.

    None when fewer than two replications are shared (the caller then falls back to Welch).
    """
    common = sorted(set(a) & set(b))
    if len(common) < 2:
        return None
    d = np.array([b[r] - a[r] for r in common], dtype=float)
    if not np.all(np.isfinite(d)):
        return None
    est = mean_ci(d)
    if est.sd == 0.0:
        return Estimate(est.mean, est.mean, est.mean, est.n, 0.0)
    return est


def welch_diff(b: Estimate, a: Estimate) -> Estimate:
    """Difference of means b - a with Welch's 95% CI (NaN interval unless both have n >= 2 and an sd)."""
    diff = b.mean - a.mean
    if b.n < 2 or a.n < 2 or not (math.isfinite(a.sd) and math.isfinite(b.sd)):
        return Estimate(diff, math.nan, math.nan, min(a.n, b.n))
    va, vb = a.sd**2 / a.n, b.sd**2 / b.n
    se = math.sqrt(va + vb)
    if se == 0.0:
        return Estimate(diff, diff, diff, min(a.n, b.n), 0.0)
    df = (va + vb) ** 2 / (va**2 / (a.n - 1) + vb**2 / (b.n - 1))
    hw = t_quantile(df) * se
    return Estimate(diff, diff - hw, diff + hw, min(a.n, b.n), se)
