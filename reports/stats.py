"""Uncertainty across replications: t-based 95% confidence intervals, and CIs on a difference of scenarios.

Replications are independent runs with their own seeds, so a whole-run metric gives one value per
replication. The mean's CI uses Student's t with n-1 degrees of freedom. A difference between two scenarios
run from the same root seed is paired: replication r of each used the same named random streams (common
random numbers), so the CI is the t interval of the per-replication differences (`paired_diff`), which
removes the noise the two runs share. Otherwise it uses Welch's t with the Welch-Satterthwaite degrees of
freedom (`welch_diff`, no equal-variance assumption). With fewer than two replications there is no CI and
the interval is NaN, shown as "no CI (1 replication)".
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import stats

from sim.runner.stats import LEVEL, halfwidth


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


def t_quantile(df: float) -> float:
    return float(stats.t.ppf(0.5 + LEVEL / 2.0, df))


def mean_ci(values: np.ndarray | list[float]) -> Estimate:
    """Mean and t-based 95% CI of independent replication values (NaNs dropped), as the runner computes it."""
    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    n = len(x)
    if n == 0:
        return Estimate(math.nan, math.nan, math.nan, 0)
    mean = float(x.mean())
    if n < 2:
        return Estimate(mean, math.nan, math.nan, n)
    hw = halfwidth(x, LEVEL)
    return Estimate(mean, mean - hw, mean + hw, n, float(x.std(ddof=1)))


def _num(value: object) -> float:
    """A number from JSON or a table cell; None and non-numbers are NaN."""
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return math.nan


def estimate_from_summary(entry: dict[str, float]) -> Estimate:
    """An `Estimate` from a ``summary.json`` metric entry; the sd is recovered from the half-width."""
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
