"""Fit the arterial placement radius per agency type: ``python -m sim.calibration.fit_placement``.

Figure: how far from their agency the OSM cameras whose operator names an agency of their state stand (2026, the
real-geography world's agency positions: `sim.calibration.shipped_figures.operator_camera_distances_2026`; km):
local police 7,690 cameras, sheriffs 892. The model's comparable quantity is the distance of *all* of an
agency's cameras from it (a camera in the data is one the agency operates, wherever it stands).

Model: a police camera draws a site (``world.alpr.sites``). An arterial camera stands uniformly in a disc of
radius R = ``world.alpr.placement_radius_m[type]`` around its agency; a neighborhood, business or HOA camera stands
within 100 m of one of its agency's places, which stand uniformly in a disc of ``world.places_radius_m`` (P) around
it, or on an arterial site when the agency has no place of that kind (`sim.world.alpr.place_cameras`). Each area
agency (local police and sheriffs) gets one place of a kind while they last (`sim.world.places.make_places`), so a
share min(1, count / area agencies) of them has one, whatever their type or size. The share of a type's cameras
that stand on arterial sites is therefore, in expectation,

    a = w_arterial + sum over place kinds k of w_k * (1 - min(1, count_k / area agencies))

and a camera's distance d from its agency has the distribution F(d) = a * min(1, (d/R)^2) + (1 - a) * min(1, (d/P)^2)
(the 100 m jitter left out: < 2% of the median distance). The real-geography world (flock-2026-real.yaml) keeps
its OSM cameras where they are mapped and places only the cameras a portal count or the fill adds, all on arterial
sites (a = 1): the same fit there is the plain disc's, R = median / sqrt(0.5).

The fit: the R whose F has the data's **median** (bisection on F(median) = 0.5, rounded to 100 m). Why the median:
no single disc gives the data's shape (local police: p90 / p50 = 3.1 in the data, at most 1.7 for F), so one
statistic has to be chosen, and the median is the one the tail does not move. The tail holds what a disc is not
meant to describe: cameras far from an agency's point because the point is wrong (249 of 1,261 sheriffs of the
real-geography world are geocoded to a same-named place, not their county seat), because an operator name was
matched to the wrong agency, or because the agency runs a camera at a remote site (sheriffs' p95: 74 km). The fits
to the mean (within 50 km, as the figures script reads it) and to the p90 give the plausible range.

State police: their 570 operator-named cameras (474 of the California Highway Patrol; Illinois, Michigan,
Delaware, Missouri, New York) stand 190-300 km from the agency's point (a state's capital or its geocoded seat) but
close together (median 5.2 km from their own centre, p90 11.8): one metropolitan cluster per agency, away from its
seat. The synthetic world places a state police agency at a random point of its state and cannot say where that
cluster is; `cluster_distances_2026` gives the cluster's spread, whose disc fits bound the assumption (8 km).
Federal units' cameras (``world.alpr.federal_cameras``, default 0) stand uniformly in the scenario's states, not in
a disc: their entry is not read by the synthetic world.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import lru_cache

import numpy as np

from sim.config.world import World as WorldConfig

FITTED_TYPES = ("local_police", "sheriff")  # the types with operator-named cameras near their agency's point
PLACE_KINDS = {"neighborhood": "neighborhoods", "business": "businesses", "hoa": "hoas"}
ROUND_M = 100.0
MEAN_CUTOFF_KM = 50.0  # the figures script's mean: cameras within 50 km of their agency


def arterial_share(cfg: WorldConfig) -> float:
    """Expected share of a police agency's cameras that stand on arterial sites in a world of `cfg` (the same for
    local police and sheriffs: places go to area agencies at random). A real-geography world (``source:
    flock-2026``) places only the cameras it adds (portal counts, fill), all arterial: 1."""
    if cfg.source == "flock-2026":
        return 1.0
    sites = cfg.alpr.sites
    total = sum(sites.values())
    area = cfg.agencies.local_police + cfg.agencies.sheriff
    if area == 0:  # places then go to every non-federal agency
        area = cfg.agencies.non_federal
    share = sites.get("arterial", 0.0) / total
    for site, count_field in PLACE_KINDS.items():
        have = min(1.0, getattr(cfg, count_field) / area) if area else 0.0
        share += sites.get(site, 0.0) / total * (1.0 - have)
    return share


def distance_cdf(d_km: float, radius_km: float, arterial: float, place_km: float) -> float:
    """P(a camera stands within `d_km` of its agency): arterial discs of `radius_km`, places' disc `place_km`."""
    return arterial * min(1.0, (d_km / radius_km) ** 2) + (1.0 - arterial) * min(1.0, (d_km / place_km) ** 2)


def distance_mean(radius_km: float, arterial: float, place_km: float) -> float:
    """Mean distance (km) of a camera from its agency: 2/3 of each disc's radius."""
    return 2.0 / 3.0 * (arterial * radius_km + (1.0 - arterial) * place_km)


def _bisect(f: Callable[[float], float], lo: float, hi: float) -> float:
    """The root of an increasing `f` on [lo, hi] (f(lo) < 0 < f(hi)), to 1 m."""
    if not f(lo) < 0.0 < f(hi):
        raise ValueError("no radius in range gives that figure")
    while hi - lo > 1e-3:
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if f(mid) < 0.0 else (lo, mid)
    return 0.5 * (lo + hi)


def radius_for_quantile(q: float, d_km: float, arterial: float, place_km: float) -> float:
    """The arterial radius (km) at which a share `q` of cameras stand within `d_km` of their agency.

    F falls as R grows, from what the places alone give at R = d (every arterial camera within d) towards
    (1 - a) * F_places(d): a `q` outside that range has no radius, which is said."""
    top = distance_cdf(d_km, d_km, arterial, place_km)
    floor = (1.0 - arterial) * min(1.0, (d_km / place_km) ** 2)
    if not floor < q <= top:
        raise ValueError(f"no arterial radius puts {q:.0%} of cameras within {d_km:.1f} km when {1 - arterial:.0%} "
                         f"stand at places within {place_km:.1f} km (reachable {floor:.0%}-{top:.0%})")
    if q == top:
        return d_km
    return _bisect(lambda r: q - distance_cdf(d_km, r, arterial, place_km), d_km, 1e4 * d_km)


def radius_for_mean(mean_km: float, arterial: float, place_km: float) -> float:
    """The arterial radius (km) whose cameras stand `mean_km` from their agency on average."""
    r = (1.5 * mean_km - (1.0 - arterial) * place_km) / arterial
    if r <= 0:
        raise ValueError(f"a mean of {mean_km:.1f} km is below what the places alone give")
    return r


def fits(km: np.ndarray, arterial: float, place_km: float) -> dict[str, float]:
    """Arterial radius (km) matching the median, the mean within `MEAN_CUTOFF_KM` and the p90 of distances `km`."""
    p50, p90 = np.percentile(km, [50, 90])
    return {"median": radius_for_quantile(0.5, float(p50), arterial, place_km),
            "mean": radius_for_mean(float(km[km < MEAN_CUTOFF_KM].mean()), arterial, place_km),
            "p90": radius_for_quantile(0.9, float(p90), arterial, place_km)}


@lru_cache(maxsize=1)
def operator_distances() -> dict[str, np.ndarray]:
    """`operator_camera_distances_2026`, read once per process (a few seconds: it places the 2026 agencies)."""
    from sim.calibration.shipped_figures import operator_camera_distances_2026

    return operator_camera_distances_2026()


def median_distance_km(agency_type: str) -> float:
    """The data's median distance (km) of an agency type's operator-named cameras from their agency."""
    return float(np.median(operator_distances()[agency_type]))


def fitted_radii(cfg: WorldConfig | None = None) -> dict[str, float]:
    """Median fit per type in `FITTED_TYPES`, metres rounded to `ROUND_M`, for the world `cfg` (default: the
    defaults' world, that of scenarios/baseline.yaml)."""
    cfg = cfg if cfg is not None else WorldConfig()
    a, place_km = arterial_share(cfg), cfg.places_radius_m / 1000.0
    out = {}
    for t in FITTED_TYPES:
        r_km = radius_for_quantile(0.5, median_distance_km(t), a, place_km)
        out[t] = round(r_km * 1000.0 / ROUND_M) * ROUND_M
    return out


def cluster_distances_2026() -> np.ndarray:
    """km from each state police operator-named camera to its agency's cameras' centre (coordinate-wise median)."""
    from sim.calibration.shipped_figures import operator_camera_positions_2026

    owner, x, y, kind = operator_camera_positions_2026()
    sel = kind == "state_police"
    out = []
    for agency in np.unique(owner[sel]):
        m = sel & (owner == agency)
        out.append(np.hypot(x[m] - np.median(x[m]), y[m] - np.median(y[m])) / 1000.0)
    return np.concatenate(out) if out else np.zeros(0)


def main() -> None:
    cfg = WorldConfig()
    a, place_km = arterial_share(cfg), cfg.places_radius_m / 1000.0
    real = WorldConfig(source="flock-2026")
    print(f"arterial share of a police agency's cameras (baseline world): {a:.3f}; places' disc {place_km:.1f} km")
    for t in FITTED_TYPES:
        km = operator_distances()[t]
        p50, p90 = np.percentile(km, [50, 90])
        f = fits(km, a, place_km)
        print(f"{t}: {len(km):,} cameras, median {p50:.1f} km, p90 {p90:.1f} km; arterial radius fitted to the "
              f"median {f['median']:.1f} km, mean {f['mean']:.1f} km, p90 {f['p90']:.1f} km")
    print(f"world.alpr.placement_radius_m (median fit): {fitted_radii(cfg)}; real-geography world (every added "
          f"camera arterial): {fitted_radii(real)}")
    sp = cluster_distances_2026()
    if len(sp):
        p50, p90 = np.percentile(sp, [50, 90])
        print(f"state_police: {len(sp):,} cameras, median {p50:.1f} km (p90 {p90:.1f}) from their agency's cluster "
              f"centre: discs of {p50 / math.sqrt(0.5):.1f} km (median) to {p90 / math.sqrt(0.9):.1f} km (p90)")


if __name__ == "__main__":
    main()
