"""The figures a calibrated scenario should reproduce, each with its source and how to read it off saved results.

A `Target` is one published figure (../shared/reference/figures.md) and the model quantity that should
come close to it: a whole-run metric of ``summary.json`` (mean and 95% CI over replications), possibly
rescaled by scenario inputs, or a statistic of the built world in ``world.json`` (`fedsim world -o`,
written by `fedsim calibration-report` beside the run). Units are those of the figure: reads per
camera-day, shares as fractions, searches per agency per 30 days, organisations, requests per
agency-year, households per request.

Figures compared, all national (a state-sized scenario such as ``small`` is not calibrated to them):
reads per camera-day (8,300 raw scans; Flock's "over 20 billion a month" over 80,000 cameras, or the
portals' median 526 vehicles detected on the ``unique`` basis); hotlist hits per vehicle detected
(median 0.18%, private_eyes 2024-04); sharing out-degree median/p25/p75/p90 (128/60/204/305,
private_eyes); community requests per agency-year (~16, FT/Ring data 2020); households e-mailed per
request (~14.5, Fort Lauderdale PD 2018 via Gizmodo 2019); share of notified households responding (3.5%,
same source). Searches per agency, audit logs and federal grants: `sim.calibration.targets_search`,
appended as `TARGETS` = `BASE_TARGETS` + those rows.
"""

from __future__ import annotations

from collections.abc import Callable

from sim.calibration.target import NAN, Estimate, Saved, Target
from sim.calibration.target import const as _const
from sim.calibration.target import metric as _metric
from sim.calibration.targets_search import SEARCH_TARGETS


def _raw(s: Saved) -> bool:
    return s.param("behavior.alpr.reads_basis") != "unique"


def _reads_target(s: Saved) -> float:
    return 8300.0 if _raw(s) else 526.0


def _hits_per_vehicle(s: Saved) -> Estimate | None:
    """alpr.hotlist_hit_share is hits per read; on the raw basis a vehicle detected is unique/raw reads."""
    est = s.metric("alpr.hotlist_hit_share")
    if est is None:
        return None
    if not _raw(s):
        return est
    raw, unique = s.param("behavior.alpr.reads_per_camera_day"), s.param("behavior.alpr.unique_vehicles_per_camera_day")
    if not raw or not unique:
        return None
    return tuple(v * float(raw) / float(unique) for v in est)  # type: ignore[return-value]


def _out_degree(q: str) -> Callable[[Saved], Estimate | None]:
    def get(s: Saved) -> Estimate | None:
        if s.world is None:
            return None
        value = s.world.get("sharing", {}).get("out_degree", {}).get(q)
        return None if value is None else (float(value), NAN, NAN)

    return get


PRIVATE_EYES = "Flock transparency portals, 2024-04 (../data/private_eyes; figures.md)"
FORT_LAUDERDALE = "Fort Lauderdale PD 2018: 22 requests, 319 e-mails, 3.5% responding (Gizmodo 2019)"
DEGREE_INPUTS = ("world.sharing.out_degree_median", "world.sharing.out_degree_sigma", "world.sharing.out_degree_sigma_low",
                 "world.sharing.out_degree_max")

BASE_TARGETS: tuple[Target, ...] = (
    Target("reads_per_camera_day", "plate reads per camera-day", "reads", _reads_target,
           "raw: Flock 'over 20 billion scans a month' / 80,000 cameras (2025); unique: portal median 526",
           _metric("alpr.reads_per_camera_day"),
           ("behavior.alpr.reads_basis", "behavior.alpr.reads_per_camera_day",
            "behavior.alpr.unique_vehicles_per_camera_day"),
           "raw basis: a mean over cameras; unique basis: the figure is a median, the model value a mean",
           tolerance=0.05),
    Target("hotlist_hit_share", "hotlist hits per vehicle detected", "share", _const(0.0018),
           f"median portal, {PRIVATE_EYES}", _hits_per_vehicle,
           ("behavior.alpr.hotlist_hit_share",),
           "raw basis: alpr.hotlist_hit_share x reads_per_camera_day / unique_vehicles_per_camera_day", tolerance=0.2),
    Target("out_degree_median", "sharing out-degree, median", "organisations", _const(128.0), PRIVATE_EYES,
           _out_degree("median"), DEGREE_INPUTS, "from world.json", tolerance=0.15),
    Target("out_degree_p25", "sharing out-degree, p25", "organisations", _const(60.0), PRIVATE_EYES,
           _out_degree("p25"), DEGREE_INPUTS, "from world.json", tolerance=0.15),
    Target("out_degree_p75", "sharing out-degree, p75", "organisations", _const(204.0), PRIVATE_EYES,
           _out_degree("p75"), DEGREE_INPUTS, "from world.json", tolerance=0.15),
    Target("out_degree_p90", "sharing out-degree, p90", "organisations", _const(305.0), PRIVATE_EYES,
           _out_degree("p90"), DEGREE_INPUTS, "from world.json", tolerance=0.15),
    Target("requests_per_agency_year", "community requests per agency-year", "requests", _const(16.0),
           ">22,335 requests in 2020, about 16 per partner agency-year (FT / Ring data)",
           _metric("requests.per_agency_year"),
           ("behavior.incidents.per_agency_per_day", "behavior.incidents.request_share"),
           "all agencies of the world, federal units included", tolerance=0.15),
    Target("households_per_request", "households notified per request", "households", _const(14.5), FORT_LAUDERDALE,
           _metric("requests.notified_per_request"),
           ("world.households.neighborhood_spread_m", "world.households.count"), "", tolerance=0.1),
    Target("response_rate", "share of notified households responding", "share", _const(0.035), FORT_LAUDERDALE,
           _metric("optin.rate"), ("behavior.optin.base_rate",), "submitting households per notified household",
           tolerance=0.2),
)

TARGETS: tuple[Target, ...] = BASE_TARGETS + SEARCH_TARGETS
