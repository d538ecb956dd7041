"""The figures a calibrated scenario should reproduce, each with its source and how to read it off saved results.

A `Target` is one published figure (docs/sources.md) and the model quantity that should
come close to it: a whole-run metric of ``summary.json`` (mean and 95% CI over replications), possibly
rescaled by scenario inputs, or a statistic of the built world in ``world.json`` (`fedsim world -o`,
written by `fedsim calibration-report` beside the run). Units are those of the figure: reads per
camera-day, shares as fractions, searches per agency per 30 days, organisations, requests per
agency-year, households per request.

Figures compared, all national (a state-sized scenario such as ``small`` is not calibrated to them):
reads per camera-day (8,300 raw scans; Flock's "over 20 billion a month" over 80,000 cameras, or the
portals' median 526 vehicles detected on the ``unique`` basis); hotlist hits per vehicle detected
(median 0.18%, private_eyes 2024-04); the log-sd of vehicles per camera-day between agencies (the period's
portals: 0.74 in 2024, 0.71 in 2026); sharing out-degree median/p25/p75/p90 (128/60/204/305,
private_eyes) or the 2026 portals' partners (connectionCount, median 104, p90 1,136: the 2026 lists), by the
world's own data (a flock-2026 world: 2026; private_eyes: 2024) or, for a synthetic world, by the period (2026
for 2026), over the world's portals in a real-data world (`sharing_period`, `targets_for(period, source)`);
community requests per agency-year (~16, FT/Ring data 2020); households e-mailed per request (~14.5, Fort
Lauderdale PD 2018 via Gizmodo 2019); share of notified households responding (3.5%, same source); how far local
police's and sheriffs' cameras stand from their agency (median km of the 2026 OSM cameras whose operator names
them; not in a real-geography world, whose mapped cameras are those). Searches
per agency, audit logs and federal grants: `sim.calibration.targets_search`, appended as `TARGETS` = `BASE_TARGETS` + those rows.
"""

from __future__ import annotations

from collections.abc import Callable

from sim.calibration.observed import observed
from sim.calibration.target import NAN, Estimate, Reading, Saved, Target
from sim.calibration.target import const as _const
from sim.calibration.target import metric as _metric
from sim.calibration.targets_search import SEARCH_TARGETS, _obs


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


def _degree(stat: str, q: str) -> Callable[[Saved], Reading]:
    """Quantile `q` of world.json's ``stat`` (``out_degree`` or ``partners``): over the world's portals when it has
    them (``sharing.portals``, real data: the agencies the source's published figures describe, the 2026 portals or
    the 2024 portals that list their sharing), else over its owners (a synthetic world)."""
    def get(s: Saved) -> Reading:
        if s.world is None:
            return None
        sharing = s.world.get("sharing", {})
        portals = sharing.get("portals") or {}
        if not portals and sharing.get("out_degree_over", "owners") != "owners":
            return "world.json of a real-data world without portal statistics (older fedsim): run `fedsim world` again"
        value = (portals.get(stat) if portals.get("count") else sharing.get(stat)) or {}
        if q not in value:
            return f"world.json holds no {stat} (written by an older fedsim: run `fedsim world SCENARIO -o DIR`)"
        return float(value[q]), NAN, NAN

    return get


def _camera_distance(agency_type: str) -> Callable[[Saved], Reading]:
    """world.json's median distance (km) of an agency type's cameras from their agency."""
    def get(s: Saved) -> Reading:
        if s.world is None:
            return None
        by_type = s.world.get("camera_distance_km")
        if by_type is None:
            return "world.json holds no camera distances (written by an older fedsim: run `fedsim world SCENARIO -o DIR`)"
        if agency_type not in by_type:
            return f"the world has no {agency_type.replace('_', ' ')} cameras"
        return float(by_type[agency_type]["median"]), NAN, NAN

    return get


def _camera_distance_target(agency_type: str) -> Callable[[Saved], float]:
    def get(_s: Saved) -> float:
        from sim.calibration.fit_placement import median_distance_km  # reads the 2026 data: only when compared

        return median_distance_km(agency_type)

    return get


def _partners_target(q: str) -> Callable[[Saved], float]:
    def get(_s: Saved) -> float:
        return observed("2026")[f"partners_{q}"].value  # the 2026 lists: the only connection counts

    return get


def sharing_period(period: str, source: str) -> str:
    """Which portals' sharing figures a world is compared with: its data's, whatever the run's period (a flock-2026
    world is drawn to the 2026 lists' counts; a private_eyes world is the 2024 portals' graph), else the period's
    (a synthetic world: the 2026 lists for 2026, the 2024 portals for 2024 and 2025, which have no other)."""
    if source == "flock-2026":
        return "2026"
    if source not in ("", "synthetic"):
        return "2024"
    return "2026" if period == "2026" else "2024"


OSM_OPERATORS = ("OSM cameras whose operator names an agency of their state (7,690 of local police, 892 of sheriffs), "
                 "from that agency's point in the 2026 lists (data/flock_2026; sim.calibration.fit_placement)")
DISTANCE_NOTE = ("all of an agency type's cameras, arterial (world.alpr.placement_radius_m) and at places "
                 "(world.places_radius_m), from their agency (world.json); tolerance: the figure's 95% interval when "
                 "agencies are resampled (+-17-19%); not compared in a real-geography world, whose mapped cameras are "
                 "the figure's own")
PRIVATE_EYES = "Flock transparency portals, 2024-04 (N&O Private Eyes, data/private_eyes; docs/sources.md)"
FORT_LAUDERDALE = "Fort Lauderdale PD 2018: 22 requests, 319 e-mails, 3.5% responding (Gizmodo 2019)"
DEGREE_INPUTS = ("world.sharing.out_degree_median", "world.sharing.out_degree_sigma", "world.sharing.out_degree_sigma_low",
                 "world.sharing.out_degree_max")

PORTALS_OF_PERIOD = ("each portal's vehicles detected in 30 days / its cameras / 30: 2024-04 portals (data/private_eyes) "
                     "for 2024 and 2025, 2026-04 (data/flock_2026) for 2026")
RATE_SPREAD_NOTE = ("ln(p75 / p25) / 1.349 over local police and sheriffs with cameras, model reads on the run's basis (a "
                    "log-sd is the same for any scale); the pair of log-sds is fitted to the 2024 portals by camera "
                    "count (sim.calibration.fit_rate_spread), so this overall figure checks the fit on the world's "
                    "camera counts. Tolerance +-0.1: the portal figure's own 95% bootstrap interval is +-0.09 (2024, "
                    "322 portals) and +-0.07 (2026, 770)")
OUT_DEGREE_2024 = {"median": 128.0, "p25": 60.0, "p75": 204.0, "p90": 305.0}  # docs/sources.md (private_eyes, 2024-04)
LISTS_2026 = "Flock portals 2026-04: connectionCount of the 906 portals (DeFlock, data/flock_2026; docs/sources.md)"
DEGREE_NOTE = ("organisations that may search an owner's reads through edges (world.json): over the world's portals "
               "in a real-data world, over its owners in a synthetic one")
PARTNERS_NOTE = ("distinct agencies an owner shares with or receives from (world.json), over the world's portals in a "
                 "real-data world (whose edges are drawn to the lists' counts: a check of that construction), over "
                 "its owners in a synthetic one (fitted to the 2024 out-degree: a check)")

READS_NOTE = "raw basis: a mean over cameras; unique basis: the figure is a median, the model value a mean"


def portals_read_own_figures(s: Saved) -> bool:
    """Whether the run's portal agencies read at their own April 2026 vehicles per camera-day
    (``world.flock.portal_reads`` in the real-geography world)."""
    return bool(s.param("world.flock.portal_reads")) and (s.world or {}).get("source") == "flock-2026"


def _own_reads_note(note: str, row: str) -> Callable[[Saved], str]:
    """`note`, or, in a run whose portals read at their own vehicles per camera-day, what that does to the row. Only
    the run's own conversion (its scenario's two read figures) is given here: how many portals read their own figure
    and at what rate depends on the run's world, and the national world's, measured and dated, are in docs/MODEL.md
    ("Read rates from the portals")."""

    def get(s: Saved) -> str:
        if not portals_read_own_figures(s):
            return note
        if row == "spread":
            said = ("partly by construction: the portals stating cameras and vehicles captured read at their own "
                    "vehicles per camera-day, the figures this row's 2026 target is taken from; the other agencies "
                    "draw (behavior.alpr.agency_rate_sigma)")
        else:
            raw, unique = (s.param(f"behavior.alpr.{k}") for k in ("reads_per_camera_day", "unique_vehicles_per_camera_day"))
            ratio = (f"{float(raw):,.0f} / {float(unique):,.0f} = {float(raw) / float(unique):.1f}"
                     if raw and unique else "reads_per_camera_day / unique_vehicles_per_camera_day")
            said = ("the figure and the portals disagree: the 2026 portals stating both cameras and vehicles captured "
                    f"read at their own vehicles per camera-day x {ratio} captures per vehicle (assumption), in the "
                    "national world below the mean every other owner keeps; Flock's 20 billion a month over 80,000 "
                    "cameras would need about 27 captures per vehicle the portals count (docs/MODEL.md, 'Read rates "
                    "from the portals', gives the national world's portals, cameras and rates)")
        return f"world.flock.portal_reads: {said}. {note[0].upper()}{note[1:]}"

    return get


BASE_TARGETS: tuple[Target, ...] = (
    Target("reads_per_camera_day", "plate reads per camera-day", "reads", _reads_target,
           "raw: Flock 'over 20 billion scans a month' / 80,000 cameras (2025); unique: portal median 526",
           _metric("alpr.reads_per_camera_day"),
           ("behavior.alpr.reads_basis", "behavior.alpr.reads_per_camera_day",
            "behavior.alpr.unique_vehicles_per_camera_day", "world.flock.portal_reads"),
           READS_NOTE, tolerance=0.05, note_for=_own_reads_note(READS_NOTE, "mean")),
    Target("hotlist_hit_share", "hotlist hits per vehicle detected", "share", _const(0.0018),
           f"median portal, {PRIVATE_EYES}", _hits_per_vehicle,
           ("behavior.alpr.hotlist_hit_share",),
           "raw basis: alpr.hotlist_hit_share x reads_per_camera_day / unique_vehicles_per_camera_day", tolerance=0.2),
    Target("reads_per_camera_day_log_sd", "vehicles per camera-day, log-sd between agencies", "log-sd",
           _obs("vehicles_per_camera_day_log_sd"), PORTALS_OF_PERIOD, _metric("alpr.reads_per_camera_day_log_sd"),
           ("behavior.alpr.agency_rate_sigma", "behavior.alpr.camera_rate_sigma", "world.flock.portal_reads"),
           RATE_SPREAD_NOTE, tolerance=0.1, absolute=True, note_for=_own_reads_note(RATE_SPREAD_NOTE, "spread")),
    *(Target(f"out_degree_{q}", f"sharing out-degree, {q} (2024 portals)", "organisations", _const(v), PRIVATE_EYES,
             _degree("out_degree", q), DEGREE_INPUTS, DEGREE_NOTE, tolerance=0.15,
             applies=lambda p, src: sharing_period(p, src) == "2024")
      for q, v in OUT_DEGREE_2024.items()),
    *(Target(f"partners_{q}", f"sharing partners, {q} (2026 portals' connectionCount)", "organisations",
             _partners_target(q), LISTS_2026, _degree("partners", q), DEGREE_INPUTS + ("world.flock.mutual_share",),
             PARTNERS_NOTE, tolerance=0.15, applies=lambda p, src: sharing_period(p, src) == "2026")
      for q in OUT_DEGREE_2024),
    *(Target(f"camera_distance_{t}", f"{label} cameras from their agency, median km", "km",
             _camera_distance_target(t), OSM_OPERATORS, _camera_distance(t),
             ("world.alpr.placement_radius_m", "world.places_radius_m", "world.alpr.sites"), DISTANCE_NOTE,
             tolerance=0.2, applies=lambda _p, src: src != "flock-2026")
      for t, label in (("local_police", "local police's"), ("sheriff", "sheriffs'"))),
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


def targets_for(period: str, source: str = "synthetic") -> tuple[Target, ...]:
    """The rows that compare a run of `period` on a world from `source` with real figures (`Target.applies`)."""
    return tuple(t for t in TARGETS if t.applies(period, source))
