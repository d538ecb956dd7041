"""A zero-inflated lognormal fitted to quantiles: how searches per agency per 30 days are spread.

Portals report 30-day search counts; some agencies ran none (2.3% of the 2024 portals, 17% of 2026's).
The model gives each agency a search rate: 0 with probability ``zero_share``, else a lognormal of median
``median`` and log-sd ``sigma``. `fit_lognormal(values, quantiles)` takes the zero share from the data
and fits (median, sigma) by least squares on the log of the data's quantiles at ``quantiles`` (levels
above the zero share), each level q mapped to the lognormal's level (q - zero_share) / (1 - zero_share).
Poisson noise around each agency's rate is ignored in the fit (at these rates it moves a quantile by a few
percent); `quantiles_of_fit` gives the fitted quantiles for the comparison.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.special import ndtri

DEFAULT_LEVELS = (0.25, 0.5, 0.75, 0.9)


@dataclass(frozen=True)
class LognormalFit:
    median: float
    sigma: float
    zero_share: float
    levels: tuple[float, ...]
    data_quantiles: tuple[float, ...]

    def quantile(self, q: float) -> float:
        if q <= self.zero_share:
            return 0.0
        return self.median * math.exp(self.sigma * float(ndtri((q - self.zero_share) / (1 - self.zero_share))))

    def mean(self) -> float:
        return (1 - self.zero_share) * self.median * math.exp(self.sigma**2 / 2)


def fit_lognormal(values: np.ndarray, levels: tuple[float, ...] = DEFAULT_LEVELS) -> LognormalFit:
    x = np.asarray(values, dtype=float)
    if len(x) < 10:
        raise ValueError(f"need at least 10 values to fit, got {len(x)}")
    zero = float((x <= 0).mean())
    use = tuple(q for q in levels if q > zero)
    if len(use) < 2:
        raise ValueError(f"need two quantile levels above the zero share {zero:.2f}, got {levels}")
    data_q = np.quantile(x, use)
    z = ndtri((np.asarray(use) - zero) / (1 - zero))
    sigma, mu = np.polyfit(z, np.log(data_q), 1)
    return LognormalFit(median=float(math.exp(mu)), sigma=float(sigma), zero_share=zero, levels=use,
                        data_quantiles=tuple(float(v) for v in data_q))


@dataclass(frozen=True)
class TypeFit:
    """Zero-inflated lognormals with one median per agency type and a common log-sd and zero share."""

    median: dict[str, float]
    sigma: float
    zero_share: float
    levels: tuple[float, ...]

    def of(self, agency_type: str) -> LognormalFit:
        """One type's lognormal (its data quantiles are not kept: empty)."""
        return LognormalFit(self.median[agency_type], self.sigma, self.zero_share, self.levels, ())


def fit_by_type(by_type: dict[str, np.ndarray], levels: tuple[float, ...] = DEFAULT_LEVELS) -> TypeFit:
    """One median per type, one log-sd and zero share for all: the zero share is the pooled data's; (log medians,
    log-sd) by least squares on the log of each type's quantiles at `levels` above it (levels mapped as
    `fit_lognormal` maps them), each type's rows weighted by its number of agencies, so that the common log-sd is
    the agencies' and not the types'. With one type it is `fit_lognormal`."""
    data = {t: np.asarray(x, dtype=float) for t, x in by_type.items()}
    if any(len(x) < 10 for x in data.values()):
        raise ValueError(f"need at least 10 values per type to fit, got {({t: len(x) for t, x in data.items()})}")
    zero = float(np.mean(np.concatenate(list(data.values())) <= 0))
    use = tuple(q for q in levels if q > zero)
    if len(use) < 2:
        raise ValueError(f"need two quantile levels above the zero share {zero:.2f}, got {levels}")
    z = ndtri((np.asarray(use) - zero) / (1 - zero))
    names = list(data)
    design = np.zeros((len(names) * len(use), 1 + len(names)))
    y = np.empty(len(names) * len(use))
    w = np.empty(len(names) * len(use))
    for i, t in enumerate(names):
        rows = slice(i * len(use), (i + 1) * len(use))
        design[rows, 0] = z
        design[rows, 1 + i] = 1.0
        y[rows] = np.log(np.quantile(data[t], use))
        w[rows] = math.sqrt(len(data[t]))
    coef = np.linalg.lstsq(design * w[:, None], y * w, rcond=None)[0]
    return TypeFit({t: float(math.exp(coef[1 + i])) for i, t in enumerate(names)}, float(coef[0]), zero, use)
