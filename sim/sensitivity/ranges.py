"""Plausible ranges of the parameters docs/MODEL.md marks "assumption": what a sensitivity analysis varies.

Every row of MODEL.md's parameter table whose source says "assumption" is covered here, once: either by one
or more `Range` entries (a dotted path the runner can set, a low and high bound in the parameter's unit, and
the reason for the bounds) or by an entry of `NOT_VARIED` saying why it is not varied (a profile, a text
choice, a world-construction input that only applies to another world). Both are tested against MODEL.md, so
a new assumption without a range, or a range of a row no longer marked assumption, fails.

A `Range` of a mapping parameter sets one key (``behavior.incidents.per_agency_per_day.local_police``); its
``row`` names the MODEL.md row it belongs to. ``integer`` ranges are rounded after sampling.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Range:
    path: str  # dotted path set on the scenario
    low: float
    high: float
    reason: str
    integer: bool = False
    row: str = ""  # the MODEL.md row when `path` is one key of a mapping parameter

    @property
    def doc_row(self) -> str:
        return self.row or self.path


def _r(path: str, low: float, high: float, reason: str, *, integer: bool = False, row: str = "") -> Range:
    return Range(path, low, high, reason, integer, row)


RANGES: tuple[Range, ...] = (
    _r("world.households.extra_cameras_mean", 0.2, 1.2, "1.2-2.2 cameras per Ring household (owner surveys vary)"),
    _r("world.households.paid_plan_share", 0.3, 0.7, "paid-plan share of users is not published; +-0.2"),
    _r("world.private.national_lookup_share", 0.75, 1.0,
       "no figure on private networks' opt-in: from the agencies' ~75% (ACLU) to all"),
    _r("world.private.area_grant_share", 0.5, 1.0, "no figure on private networks' 1:1 grants: half to all"),
    _r("world.private.cameras_median", 2.0, 6.0,
       "fitted so agencies keep a median of 12 cameras (2.8-4.5 keep it within half a camera); wider for the "
       "assumed spread"),
    _r("behavior.incidents.per_agency_per_day.local_police", 0.25, 1.0,
       "half to twice the rate giving ~16 requests per agency-year", row="behavior.incidents.per_agency_per_day"),
    _r("behavior.requests.case_number_share", 0.8, 1.0, "most posts cite a case; up to all"),
    _r("behavior.requests.second_post_share", 0.0, 0.3, "policy allows 2 posts; between none and 30% repost"),
    _r("behavior.requests.expiry_days", 3.0, 14.0, "posts are open days to two weeks"),
    _r("behavior.requests.lag_hours_mean", 6.0, 72.0, "incident to post: hours to three days"),
    _r("behavior.optin.distance_per_km", -0.6, -0.1, "half to double the distance decay"),
    _r("behavior.optin.fatigue_per_request", -0.15, 0.0, "no fatigue to three times the default"),
    _r("behavior.optin.trust_sd", 0.2, 1.0, "neighbourhood spread of trust: half to twice"),
    _r("behavior.optin.delay_hours_mean", 2.0, 24.0, "answering within hours to a day"),
    _r("behavior.clips.extra_clips_mean", 0.3, 2.0, "one clip to three per submission"),
    _r("behavior.clips.length_s_mean", 15.0, 60.0, "clips are up to a minute (Ring policy)"),
    _r("behavior.clips.bytes_per_second", 125000.0, 500000.0, "1-4 Mbit/s: 720p to 1080p at high quality"),
    _r("behavior.alpr.camera_rate_sigma", 0.03, 1.33,
       "one camera's spread about its agency's: the fit's 90% bootstrap interval (2024 portals; 2026's alone give 0)"),
    _r("behavior.alpr.misread_share", 0.01, 0.1, "OCR error rates reported 1-10%"),
    _r("behavior.alpr.stop_share", 0.1, 0.6, "share of true alerts leading to a stop: no figure; wide"),
    _r("behavior.searches.per_agency_30d_median.state_police", 100.0, 900.0,
       "a third to three times the default (no state-police portal figure)",
       row="behavior.searches.per_agency_30d_median"),
    _r("behavior.searches.per_agency_sigma.state_police", 1.0, 1.52,
       "no state-police portal: up to the 2026 portals' spread (1.52)", row="behavior.searches.per_agency_sigma"),
    _r("behavior.searches.per_agency_zero_share.state_police", 0.0, 0.174,
       "no state-police portal: none silent to the 2026 portals' share (0.174)",
       row="behavior.searches.per_agency_zero_share"),
    _r("behavior.searches.per_agency_zero_share.federal", 0.0, 0.174,
       "federal units without a rate of their own (real-data worlds): none silent to the 2026 portals' share",
       row="behavior.searches.per_agency_zero_share"),
    _r("behavior.searches.reasons.immigration", 0.0, 0.05,
       "the Eugene log fits the other reasons but shows no immigration search in a state that bars immigration "
       "enforcement: none to 2.5 times the kept 0.02 (it sets what 2026 moderation blocks or cannot see)",
       row="behavior.searches.reasons"),
    _r("behavior.searches.case_number_share", 0.3, 0.9, "audit logs show case numbers missing often"),
    _r("behavior.searches.lookback_beyond_share", 0.13, 0.39,
       "one sheriff's fitted share (0.261) standing for every searcher type: half to one and a half times it"),
    _r("behavior.searches.lookback_beyond_days", 45.0, 365.0,
       "how far custom ranges reach is not in the figure: beyond the presets, up to the longest retention portals "
       "list (365 days)", integer=True),
    _r("behavior.searches.proxy_agency_share", 0.005, 0.1,
       "a quarter to five times the default 2%: no figure for how many agencies run lookups for federal units"),
    _r("behavior.searches.proxy_per_agency_30d_median", 1.0, 20.0,
       "a quarter to five times the default; at the top still far below ICE's 30,000 Vigilant queries a month"),
    _r("behavior.searches.proxy_per_agency_sigma", 0.75, 2.5, "half to 1.7 times the default log-sd: tail unknown"),
    _r("behavior.searches.results_per_million_reads", 0.1, 2.0, "results per search are not published"),
    _r("behavior.exposure.trips_per_day", 1.5, 4.0, "NHTS: about 3 vehicle trips per driver-day"),
    _r("behavior.exposure.cameras_per_trip", 0.5, 3.0, "depends on camera density along routes"),
    _r("behavior.exposure.trip_radius_m", 5000.0, 25000.0, "commute distances 5-25 km"),
    _r("platform.packaging.workers", 2, 8, "until load-test calibration: half to twice", integer=True),
    _r("platform.packaging.service_time.mean_s", 10.0, 40.0, "until load-test calibration: half to twice"),
    _r("platform.transfer.bandwidth_mbps", 50.0, 400.0, "a shared uplink: half to four times"),
    _r("platform.search.workers", 8, 32, "until load-test calibration: half to twice", integer=True),
    _r("platform.search.service_time.mean_s", 0.025, 0.1, "until load-test calibration: half to twice"),
    _r("platform.search.per_million_reads_s", 0.01, 0.04, "probe searches vary: half to twice"),
    _r("platform.search.type_cost.search", 1.0, 5.0, "a partial-plate search: as cheap as a lookup to five times",
       row="platform.search.type_cost"),
    _r("platform.search.type_cost.freeform", 2.0, 20.0, "description matching: no figure; twice to twenty times",
       row="platform.search.type_cost"),
    _r("platform.search.type_cost.visual", 2.0, 20.0, "image-attribute matching: as freeform",
       row="platform.search.type_cost"),
    _r("platform.search.type_cost.multigeo", 1.5, 10.0, "one search per area: a couple to ten areas",
       row="platform.search.type_cost"),
    _r("platform.search.type_cost.convoy", 3.0, 30.0, "a join over a target's reads: no figure; wide",
       row="platform.search.type_cost"),
    _r("platform.ingest.capacity_reads_per_s", 15000.0, 50000.0, "above the baseline's peak hour up to four times"),
    _r("policy.state_law_compliance", 0.7, 1.0, "71 California violations documented in 2023: not full"),
)

# MODEL.md assumption rows that are not varied, and why.
NOT_VARIED: dict[str, str] = {
    "behavior.searches.federal_units": "a table of units, each with a rate and a reason mix: vary a unit's rate "
    "by name (behavior.searches.federal_units.<UNIT>.per_30d) with --params when it matters",
    "policy.national_lookup": "a switch (a policy lever to compare with `fedsim compare`), not a number; its "
    "assumption, one opt-in for statewide and national lookups, is how the lever is built",
    "policy.moderation.warned": "a list of reason categories (a policy choice to compare with `fedsim compare`), "
    "not a number",
    "world.flock.types": "a mapping of data types, not a number; applies to the real-geography world only",
    "world.flock.fill": "a text choice of where unmapped cameras stand",
    "world.flock.unmapped_private": "fitted with world.alpr.total for the real-geography world (its placement and size "
                                    "rules are the assumption; the opt-in range 0.75-1 moves it 2,613-3,717: MODEL.md)",
    "world.flock.private_operators": "a switch (OSM private operators' cameras as private networks or agencies'); "
    "builds the real-geography world only",
    "world.flock.portal_searches": "a switch (portals' own 2026 search counts or drawn rates); the assumption it "
                                   "carries, that agencies without a portal search like portals, is varied through "
                                   "behavior.searches.per_agency_30d_median, which with it on moves only them",
    "world.flock.portal_reads": "a switch (portals' own 2026 vehicles per camera-day or drawn owner multipliers); the "
                                "assumption it carries, 8,300 / 526 captures per vehicle counted at every portal, "
                                "moves with behavior.alpr.reads_per_camera_day and unique_vehicles_per_camera_day "
                                "(docs/world.md, 'Read rates': 13.3 and 27 as alternatives)",
    "world.agencies.local_police": "the world's size, chosen by the scenario rather than estimated",
    "world.households.count": "the world's size, chosen by the scenario rather than estimated",
    "world.households.retention_days": "a weight mapping over plans",
    "world.alpr.placement_radius_m": "a mapping per agency type, fitted for local police and sheriffs; moves cameras, "
    "not rates (only the exposure metrics): varied through exposure.trip_radius_m instead",
    "world.places_radius_m": "moves places and households, not rates; households per request is calibrated with the "
    "places where they stand (world.households.neighborhood_spread_m)",
    "world.alpr.sites": "a share mapping summing to one",
    "world.private.enabled": "a switch (the world with or without private networks), not a number",
    "behavior.incidents.hourly_profile": "a 24-hour profile: shapes the day, not the totals",
    "behavior.incidents.weekly_profile": "a weekly profile: shapes the week, not the totals",
    "behavior.optin.agency_type": "logit offsets per agency type; trust_sd carries the spread",
    "behavior.alpr.hourly_profile": "a 24-hour profile: shapes the day, not the totals",
    "behavior.searches.scope_mix": "weights per type summing to one",
    "behavior.searches.lookback_days": "a weight mapping over windows",
    "behavior.searches.type_mix": "a weight mapping over search types (Okaloosa's); its assumption, that local and "
    "shared searches take the same types, is no number to vary: any other split moves Search-tool searches only "
    "within a type's shared share (local police 0, sheriffs 2.8%, state police 10%: MODEL.md)",
    "behavior.searches.hourly_profile": "a 24-hour profile: shapes the day, not the totals",
    "behavior.searches.weekly_profile": "a weekly profile: shapes the week, not the totals (plausible: flat to the "
    "Eugene fit, MODEL.md)",
    "platform.packaging.service_time.dist": "a distribution's name, not a number",
    "platform.search.service_time.dist": "a distribution's name, not a number",
}

BY_PATH: dict[str, Range] = {r.path: r for r in RANGES}


def covered_rows() -> set[str]:
    """MODEL.md rows this module covers (varied or explained)."""
    return {r.doc_row for r in RANGES} | set(NOT_VARIED)
