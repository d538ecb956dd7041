"""Fit how read rates spread between agencies and between one agency's cameras: ``python -m sim.calibration.fit_rate_spread``.

Figure: each transparency portal states the vehicles its cameras detected in 30 days and how many cameras it owns;
vehicles / cameras / 30 is the agency's *average* vehicles per camera-day (`sim.calibration.portals`: 322 portals
in 2024, p25 301, median 526, p75 820; 770 in 2026). Its spread between agencies is read as a lognormal log-sd from
the p25-p75 spread, ln(p75 / p25) / 1.349 (robust to the few portals at ~40 or ~2,300), overall and by the agency's
camera count (bins of 1-3, 4-8, 9-16, 17-40 and 41 or more cameras).

Model (`sim.model.alpr_reads`): a camera of owner a reads at the basis figure x A_a x C_c, where A_a is lognormal of
log-sd ``behavior.alpr.agency_rate_sigma``, one per owner (place, traffic, where it puts its cameras), and C_c is
lognormal of log-sd ``behavior.alpr.camera_rate_sigma``, one per camera (the camera about its agency's). An
agency's average is then A_a x (the mean of its k cameras' C): its spread between agencies narrows with k, from
about sqrt(agency^2 + camera^2) at one camera towards the agency log-sd. The portals' spread narrows little (2024:
0.95 at 1-3 cameras, 0.60 at 41 or more), so most of it is the agency's.

Fit: for each pair (agency, camera) the model's log-sd by bin is computed for agencies with the portals' own camera
counts, by Monte Carlo with common random numbers (`REPS` sets of standard normal draws per portal and camera from
one fixed seed, the same for every pair: the fit is deterministic and smooth in the pair); the pair minimising the
sum over bins of portals x (model - portals)^2 is kept, searched on a grid of step 0.05 over [0, 1.5]^2 and then of
0.01 around its best. The bins' own uncertainty is a bootstrap over portals (`bin_spread_ci`). Scales play no part
(a log-sd is the same for any basis figure and for mean-1 or median-1 multipliers).

Units: log-sd in natural-log units; cameras; vehicles per camera-day.
"""

from __future__ import annotations

import argparse
import math
from dataclasses import dataclass

import numpy as np

from sim.calibration.portals import vehicles_per_camera_day
from sim.model.alpr_reads import IQR_Z
from sim.model.alpr_reads import iqr_log_sd as log_sd

SIZE_BINS = ((1, 3), (4, 8), (9, 16), (17, 40), (41, 10**9))  # owned cameras, inclusive
REPS = 40  # Monte Carlo draws per portal (common random numbers)
SEED = 20240401  # the fit's fixed seed (the 2024 snapshot's month): the fit is a function of the data alone
GRID_MAX = 1.5


def size_bin(cameras: np.ndarray) -> np.ndarray:
    """int per agency: the index of its camera-count bin in `SIZE_BINS` (-1 for no camera)."""
    cameras = np.asarray(cameras)
    out = np.full(len(cameras), -1, dtype=np.int64)
    for i, (lo, hi) in enumerate(SIZE_BINS):
        out[(cameras >= lo) & (cameras <= hi)] = i
    return out


def bin_label(i: int) -> str:
    lo, hi = SIZE_BINS[i]
    return f"{lo}-{hi}" if hi < 10**9 else f"{lo}+"


@dataclass(frozen=True)
class BinSpread:
    label: str  # "1-3", ..., "41+"
    agencies: int
    median: float  # vehicles per camera-day
    log_sd: float


def spread_by_size(rate: np.ndarray, cameras: np.ndarray) -> list[BinSpread]:
    """Per camera-count bin: agencies, median rate and the log-sd of the agencies' rates (NaN in a bin without any)."""
    b = size_bin(cameras)
    return [BinSpread(bin_label(i), n, float(np.median(rate[b == i])) if n else math.nan,
                      float(log_sd(rate[b == i])) if n else math.nan)
            for i, n in ((i, int((b == i).sum())) for i in range(len(SIZE_BINS)))]


def bin_spread_ci(rate: np.ndarray, cameras: np.ndarray, boots: int = 1000, seed: int = SEED
                  ) -> tuple[np.ndarray, np.ndarray]:
    """95% bootstrap intervals (low, high per bin, then overall as the last entry) of the log-sds, resampling the
    portals of each bin (and all portals for the overall figure)."""
    rng = np.random.default_rng(seed)
    b = size_bin(cameras)
    groups = [rate[b == i] for i in range(len(SIZE_BINS))] + [rate]
    lo, hi = [], []
    for g in groups:
        draws = g[rng.integers(0, len(g), size=(boots, len(g)))]
        q = np.percentile(log_sd(draws, axis=1), [2.5, 97.5])
        lo.append(q[0])
        hi.append(q[1])
    return np.array(lo), np.array(hi)


class SpreadModel:
    """The model's log-sd of agencies' average rate by bin, for agencies with given camera counts, as a function of
    the pair (agency, camera) log-sds, on one fixed set of standard normal draws."""

    def __init__(self, cameras: np.ndarray, reps: int = REPS, seed: int = SEED) -> None:
        cameras = np.asarray(cameras, dtype=np.int64)
        rng = np.random.default_rng(seed)
        self.k = cameras
        self.z_agency = rng.standard_normal((reps, len(cameras)))
        self.z_camera = rng.standard_normal((reps, int(cameras.sum())))
        self.starts = np.concatenate([[0], np.cumsum(cameras)[:-1]])
        self.bins = size_bin(cameras)

    def camera_part(self, camera_sigma: float) -> np.ndarray:
        """(reps, agencies): ln of the mean of each agency's camera multipliers."""
        sums = np.add.reduceat(np.exp(camera_sigma * self.z_camera), self.starts, axis=1)
        return np.log(sums / self.k)

    def spreads(self, agency_sigmas: np.ndarray, camera_sigma: float) -> np.ndarray:
        """(len(agency_sigmas), bins + 1): the log-sd by bin, then over every agency, for each agency sigma."""
        part = self.camera_part(camera_sigma)
        sig = np.asarray(agency_sigmas, dtype=float)[:, None, None]
        out = np.empty((len(sig), len(SIZE_BINS) + 1))
        for i in range(len(SIZE_BINS) + 1):
            m = self.bins == i if i < len(SIZE_BINS) else np.ones(len(self.k), dtype=bool)
            if not m.any():
                out[:, i] = np.nan
                continue
            logs = (sig * self.z_agency[None, :, m] + part[None, :, m]).reshape(len(sig), -1)
            p25, p75 = np.percentile(logs, [25, 75], axis=1)
            out[:, i] = (p75 - p25) / IQR_Z
        return out


@dataclass(frozen=True)
class RateSpreadFit:
    period: str
    agency_sigma: float
    camera_sigma: float
    portals: list[BinSpread]
    portals_overall: float  # log-sd over every portal
    model: np.ndarray  # the fitted pair's log-sd by bin, then overall (the portals' camera counts)
    rms: float  # portal-weighted root mean square gap over the bins

    def model_for(self, agency_sigma: float, camera_sigma: float) -> np.ndarray:
        _, cameras = vehicles_per_camera_day(self.period)
        return SpreadModel(cameras).spreads(np.array([agency_sigma]), camera_sigma)[0]


def fit_pair(rate: np.ndarray, cameras: np.ndarray) -> tuple[float, float, float, np.ndarray]:
    """(agency log-sd, camera log-sd, rms gap, the pair's log-sd by bin then overall) fitted to portals' `rate` by bin."""
    bins = spread_by_size(rate, cameras)
    # a bin without portals (a bootstrap resample can empty one) has no log-sd (NaN): it leaves the loss, which
    # would otherwise be NaN for every pair, its argmin arbitrary
    held = np.array([b.agencies > 0 for b in bins])
    target = np.array([b.log_sd for b in bins])[held]
    weight = np.array([b.agencies for b in bins], dtype=float)[held]
    model = SpreadModel(cameras)

    def search(agency: np.ndarray, camera: np.ndarray) -> tuple[float, float, float]:
        best = (math.inf, 0.0, 0.0)
        for c in camera.tolist():
            loss = (weight * (model.spreads(agency, c)[:, :-1][:, held] - target) ** 2).sum(axis=1)
            j = int(np.argmin(loss))
            if loss[j] < best[0]:
                best = (float(loss[j]), float(agency[j]), c)
        return best

    def grid(center: float, half: float, step: float) -> np.ndarray:
        return np.round(np.arange(max(0.0, center - half), min(GRID_MAX, center + half) + step / 2, step), 2)

    _, a0, c0 = search(grid(0.75, 0.75, 0.05), grid(0.75, 0.75, 0.05))
    loss, a, c = search(grid(a0, 0.05, 0.01), grid(c0, 0.05, 0.01))
    return a, c, math.sqrt(loss / weight.sum()), model.spreads(np.array([a]), c)[0]


def fit_rate_spread(period: str = "2024") -> RateSpreadFit:
    """The pair (``agency_rate_sigma``, ``camera_rate_sigma``), 2 decimals, fitted to a period's portals by bin."""
    rate, cameras = vehicles_per_camera_day(period)
    a, c, rms, fitted = fit_pair(rate, cameras)
    return RateSpreadFit(period, a, c, spread_by_size(rate, cameras), float(log_sd(rate)), fitted, rms)


def bootstrap_fit(period: str, boots: int, seed: int = SEED) -> np.ndarray:
    """(boots, 2): the pair fitted to `boots` resamples of the period's portals (whole portals, with replacement)."""
    rate, cameras = vehicles_per_camera_day(period)
    rng = np.random.default_rng(seed)
    out = np.empty((boots, 2))
    for i in range(boots):
        pick = rng.integers(0, len(rate), len(rate))
        out[i] = fit_pair(rate[pick], cameras[pick])[:2]
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m sim.calibration.fit_rate_spread", description=__doc__.split("\n")[0])
    parser.add_argument("--bootstrap", type=int, default=0, metavar="N",
                        help="also fit N resamples of each period's portals and print the pair's 90%% interval")
    boots = parser.parse_args(argv).bootstrap
    for period in ("2024", "2026"):
        rate, cameras = vehicles_per_camera_day(period)
        fit = fit_rate_spread(period)
        lo, hi = bin_spread_ci(rate, cameras)
        q = np.percentile(rate, [25, 50, 75])
        print(f"{period} portals: {len(rate)} with cameras and vehicles; vehicles per camera-day p25 {q[0]:.0f}, median "
              f"{q[1]:.0f}, p75 {q[2]:.0f}; log-sd {fit.portals_overall:.2f} [{lo[-1]:.2f}, {hi[-1]:.2f}]")
        for i, b in enumerate(fit.portals):
            print(f"  {b.label:>5} cameras: {b.agencies:3d} portals, median {b.median:4.0f}, log-sd {b.log_sd:.2f} "
                  f"[{lo[i]:.2f}, {hi[i]:.2f}]; fitted model {fit.model[i]:.2f}")
        print(f"  fit: agency_rate_sigma {fit.agency_sigma:.2f}, camera_rate_sigma {fit.camera_sigma:.2f} (rms gap "
              f"{fit.rms:.3f}); the model's log-sd over these portals' camera counts {fit.model[-1]:.2f}")
        old = fit.model_for(0.0, 0.5)
        print(f"  before (no agency factor, camera_rate_sigma 0.5): by bin {' '.join(f'{x:.2f}' for x in old[:-1])}, "
              f"overall {old[-1]:.2f}")
        if boots > 0:
            pairs = bootstrap_fit(period, boots)
            lo, hi = np.percentile(pairs, [5, 95], axis=0)
            print(f"  {boots} resamples, 90%: agency_rate_sigma {lo[0]:.2f}-{hi[0]:.2f}, camera_rate_sigma "
                  f"{lo[1]:.2f}-{hi[1]:.2f}")


if __name__ == "__main__":
    main()
