"""The metrics the ALPR component (`sim.model.alpr.AlprModel`, with its exposure model) records, declared once.

Reads are counted on the ``behavior.alpr.reads_basis``; searches, proxy lookups included, on the day they
arrive (their audit record is written then). Input echoes here are counts that play back scenario inputs
(read rates and hotlist shares times cameras, search rates, the reason and scope mixes): checks that the
model reproduces its inputs, not findings. See `sim.model.metrics.Metric` for the fields; docs/metrics.md
is generated from these declarations.
"""

from __future__ import annotations

from sim.config.behavior_alpr import SEARCH_SCOPES, SEARCH_TYPES
from sim.model.metrics import Metric, queue_metrics


def _m(name: str, unit: str, label: str, meaning: str, kind: str, series: str = "value", whole_run: str = "") -> Metric:
    return Metric(name, unit, label, meaning, kind, series, whole_run)  # type: ignore[arg-type]


def _count(name: str, unit: str, label: str, meaning: str, kind: str = "outcome") -> Metric:
    return _m(name, unit, label, meaning, kind, "count")


ECHO = "input_echo"

DAILY = (
    _count("alpr.reads", "reads", "Plate reads",
           "plate reads by all cameras: `reads_per_camera_day` × cameras played back", ECHO),
    _count("alpr.misreads", "reads", "Misread plates", "reads with a misread plate (share `misread_share`)", ECHO),
    _count("alpr.hotlist_hits", "alerts", "Hotlist hits",
           "reads matching a hotlist: alerts to the owning agency (share `hotlist_hit_share` of reads)", ECHO),
    _count("alpr.alerts_false", "alerts", "False hotlist alerts",
           "hits that are false (misread or stale list; share `false_hit_share` of hits)", ECHO),
    _count("alpr.alerts_true", "alerts", "True hotlist alerts", "hits minus false alerts", ECHO),
    _count("alpr.stops", "stops", "Stops after an alert", "true alerts leading to a stop (share `stop_share`)", ECHO),
    _count("alpr.searches", "searches", "ALPR searches",
           "all searches, proxy lookups included: the agencies' search rates (`behavior.searches`) played back", ECHO),
    _count("alpr.searches_federal_own", "searches", "Federal units' own searches run (reaching data or not)",
           "searches federal units ran themselves (by 1:1 grants or national lookup), counted whether or not any "
           "network was open to them: a firewall or state law cuts what they reach "
           "(`audit.records_per_owner_mean.federal_own`, `by_state`'s `audit.records_received_federal_own`), not "
           "this count"),
    _count("alpr.searches_federal_proxy", "searches", "Federal searches run by local officers (proxy)",
           "lookups by local officers on behalf of a federal unit (immigration-tagged); state laws and the firewall cut them"),
    _count("audit.records", "records", "Audit records written", "audit records written: one per search", ECHO),
    _count("audit.owner_entries", "records", "Audit entries in camera owners' logs",
           "audit entries seen by owners (one per search and network it reached): sum over searches of the networks touched"),
    _count("search.results", "records", "Plate reads returned by searches", "results returned (records moved to searchers)"),
    _count("search.case_numbers", "searches", "Searches carrying a case number",
           "searches carrying a case number (`case_number_share`, or all under `policy.case_number_required`)", ECHO),
    *(_count(f"search.scope.{s}", "searches", f"Searches run {s}",
             f"searches run in Flock's scope `{s}`: the scope mix `behavior.searches.scope_mix` played back",
             ECHO) for s in SEARCH_SCOPES),
    _count("search.moderation.blocked", "searches", "Searches refused by moderation",
           "searches whose audited reason `policy.moderation` blocks: audited, reaching nothing"),
    _count("search.moderation.warned", "searches", "Searches run with a moderation warning",
           "searches whose audited reason `policy.moderation` warns about"),
    _count("search.moderation.unseen_blocked", "searches", "Searches for a blocked purpose that moderation could not see",
           "searches run for a purpose `policy.moderation` blocks (e.g. immigration) whose audited reason hides it: "
           "under `reason_mode: offense_type` the officer picks an offense type and moderation sees that, not the "
           "purpose; 0 under free text"),
    _count("search.moderation.unseen_warned", "searches", "Searches for a warned purpose that moderation could not see",
           "as `unseen_blocked`, for the purposes `policy.moderation` warns about"),
    _count("search.purpose.immigration", "searches", "Searches run for immigration enforcement",
           "searches whose purpose is immigration (proxy lookups, federal units' immigration searches, the local "
           "`immigration` reason share), whatever reason the audit records (`search.reason.immigration` counts the "
           "audited reason)"),
    _count("search.scope_downgraded", "searches", "National searches run statewide by a state rule",
           "national searches by agencies of a state whose `policy.state_rules` bar national lookup (California)"),
    _count("alpr.searches_federal_labelled", "searches", "Federal searches labelled 'Federal' in audits",
           "federal units' own searches shown under the distinct Federal category (`policy.federal_access: "
           "federal_category`); 0 otherwise"),
    _count("audit.owner_entries_identified", "records", "Audit entries showing the searcher's identity",
           "audit entries whose owner sees the officer and plate: all under no redaction, only the searcher's own "
           "network's under `policy.audit_redaction`"),
    *(_count(f"search.type.{t}", "searches", f"Searches of type {t}",
             f"searches of type `{t}` (`behavior.searches.type_mix` played back; statewide and national lookups "
             "are all `lookup`)",
             ECHO) for t in SEARCH_TYPES),
    _count("search.reason.<reason>", "searches", "Searches giving reason '<reason>'",
           "searches by audited reason <reason> (`behavior.searches.reasons` and `immigration` played back; "
           "`unspecified` for all when `policy.search_reason_required` is false)", ECHO),
    _m("storage.reads_held", "reads", "Plate reads held in storage",
       "reads held by all owners at the end of the day, under each owner's retention", "outcome", "level",
       "mean of the daily levels"),
    _m("ingest.utilization_peak", "share", "Ingest: peak utilization",
       "highest hourly read rate of the day / `platform.ingest.capacity_reads_per_s`", "load", "level",
       "maximum over recorded hours"),
    _m("ingest.utilization_mean", "share", "Ingest: mean utilization", "mean of the day's hourly utilizations", "load",
       "level", "mean over recorded hours"),
)

WHOLE_RUN = (
    _m("search.networks_touched_mean", "networks", "Networks touched per search (mean)",
       "mean over searches of owner networks (agencies with cameras) in reach", "outcome"),
    _m("search.networks_touched_p50", "networks", "Networks touched per search (median)",
       "median over searches of owner networks in reach (Okaloosa County SO's own searches: median 1)", "outcome"),
    _m("search.networks_touched_p90", "networks", "Networks touched per search (90th percentile)",
       "90th percentile over searches of owner networks in reach", "outcome"),
    _m("search.networks_touched_p95", "networks", "Networks touched per search (95th percentile)",
       "its 95th percentile", "outcome"),
    _m("search.networks_touched_national_mean", "networks", "Networks touched per national search (mean)",
       "mean over national-scope searches by non-federal agencies (compare EFF's ~6,700 networks)", "outcome"),
    _m("search.cameras_touched_mean", "cameras", "Cameras touched per search (mean)",
       "cameras of the networks in reach, mean over searches", "outcome"),
    _m("search.cameras_touched_p95", "cameras", "Cameras touched per search (95th percentile)", "its 95th percentile",
       "outcome"),
    _m("search.reads_scanned_mean", "reads", "Reads scanned per search (mean)",
       "reads held by the networks in reach within the look-back window, mean over searches", "outcome"),
    _m("search.reads_scanned_p95", "reads", "Reads scanned per search (95th percentile)", "its 95th percentile",
       "outcome"),
    _m("search.results_mean", "records", "Plate reads returned per search (mean)", "results per search", "outcome"),
    *queue_metrics("search", "searches", "Search queue", "`platform.search.workers`"),
    _m("ingest.backlog_peak_reads", "reads", "Ingest: peak backlog",
       "largest fluid backlog of reads beyond ingest capacity (0 below capacity)", "load"),
    _m("audit.records_per_owner_mean", "records", "Audit entries per camera owner (mean)",
       "audit entries at an owner's network, mean over owners with cameras", "outcome"),
    # labels about as long as the old ('... from federal direct searchers'): they head answer rows on a phone's first screen
    *(_m(f"audit.records_per_owner_mean.{channel}", "records", f"Audit entries per camera owner from {who}",
         f"audit entries at an owner's network from {what}, mean over owners with cameras"
         + (f" (older folders' {old}: read under this name)" if old else ""), "outcome")
      for channel, who, what, old in (
          ("local_police_sheriff", "local police and sheriffs", "searches by local police and sheriffs", "`.local`"),
          ("state_police", "state police", "searches by state police", "`.state`"),
          ("federal_own", "federal units themselves", "searches federal units ran themselves (by grant or lookup)",
           "`.federal_direct`"),
          ("federal_proxy", "federal proxy lookups", "proxy lookups local officers ran for federal units", ""))),
    _m("audit.records_per_owner_out_of_state_mean", "records", "Audit entries per camera owner from other states",
       "audit entries at an owner's network from searches by agencies of another state (their proxy "
       "lookups included; federal units' own searches are `federal_own`'s), mean over owners with cameras "
       "(per owner: by_agency's `audit.records_received_out_of_state`)", "outcome"),
    _m("audit.records_per_owner_p50", "records", "Audit entries per camera owner (median)",
       "audit entries at an owner's network, median over owners with cameras", "outcome"),
    _m("audit.records_per_owner_p90", "records", "Audit entries per camera owner (90th percentile)",
       "audit entries at an owner's network, 90th percentile over owners with cameras", "outcome"),
    _m("audit.records_per_owner_max", "records", "Audit entries per camera owner (max)",
       "audit entries at an owner's network, maximum over owners with cameras", "outcome"),
    _m("alpr.reads_per_camera_day", "reads", "Plate reads per camera-day",
       "`alpr.reads` / (cameras × days) (calibration: ~8,300 raw, ~526 unique median)", ECHO),
    _m("alpr.reads_per_camera_day_log_sd", "log-sd", "Spread of reads per camera-day between agencies",
       "log-sd (ln(p75 / p25) / 1.349) of local police's and sheriffs' reads per camera-day, between agencies with "
       "cameras: `agency_rate_sigma` and `camera_rate_sigma` played back over the world's camera counts (portals' "
       "vehicles per camera-day: 0.74 in 2024, 0.71 in 2026)", ECHO),
    _m("alpr.hotlist_hit_share", "share", "Hotlist hits per read",
       "`alpr.hotlist_hits` / `alpr.reads` (raw basis: 0.18% × 526 / 8,300)", ECHO),
    *(_m(f"alpr.searches_per_agency_30d_{q}", "searches", f"Searches per agency per 30 days ({q})",
         f"{q} over police agencies (not federal units or private networks) of own searches per 30 days "
         "(portals 2024: p25 36, median 137, p75 273, "
         "p90 617, mean 238; 2026: 12, 62, 214, 522, 217); empty (not measured) in a world without police",
         ECHO) for q in ("p25", "median", "p75", "p90", "mean")),
    _m("alpr.searches_per_agency_30d_by_type.<type_quantile>", "searches",
       "Searches per agency per 30 days of <type_quantile>",
       "a quantile (`p25`, `median`, `p75`, `p90`) or the mean over the agencies of one type (`local_police`, "
       "`sheriff`, `state_police`) of own searches per 30 days, as `<type>.<quantile>` (portals 2024, typed by name: "
       "sheriffs median 211 of 29, local police 130 of 279; 2026: 68 of 111, 64 of 776); empty (not measured) in a "
       "world without agencies of the type", ECHO),
    _m("search.scope_share.<type_scope>", "share", "Share of <type_scope> searches",
       "share of an agency type's own searches run in a scope, as `<type>.<scope>` (Eugene OR PD, local police: "
       "70% local, 29% statewide, 1% national)", ECHO),
    _m("search.purpose_share.<type_purpose>", "share", "Share of <type_purpose> searches by purpose",
       "share of an agency type's own searches by purpose (why each was run: the audited reason under free text, "
       "whatever an offense-type drop-down files it under), as `<type>.<reason>`: `behavior.searches.reasons` (or "
       "a federal unit's) played back (Eugene OR PD, local police: stolen vehicle 20%, property crime 22%, person "
       "crime 22%, investigation 33%, missing person 3%)", ECHO),
    _m("search.hour_share.<type_block>", "share", "Share of <type_block> searches by hour of day",
       "share of an agency type's own searches run in a four-hour block of the day (`h00_04` ... `h20_24`), as "
       "`<type>.<block>`: `behavior.searches.hourly_profile` played back (Eugene OR PD, local time)", ECHO),
    _m("search.weekday_share.<type_day>", "share", "Share of <type_day> searches by day of week",
       "share of an average week's own searches of an agency type run on a day of week (`mon` ... `sun`; each day's "
       "searches per recorded day of it), as `<type>.<day>`: `behavior.searches.weekly_profile` played back (Eugene "
       "OR PD, local dates)", ECHO),
    _m("search.networks_share.<type_threshold>", "share", "Share of <type_threshold> searches by networks reached",
       "share of an agency type's own searches reaching more than 1 (`over_1`) or at least 100, 1,000, 5,000 "
       "networks (`ge_100`...), as `<type>.<threshold>` (Okaloosa County SO: 46.8%, 44%, 21.6%, 7.3%)", "outcome"),
    _m("search.lookback_share.<type_band>", "share", "Share of <type_band> searches by look-back",
       "share of an agency type's own searches whose look-back reaches beyond Flock's 30-day preset (a custom range), "
       "as `<type>.over_30`: `behavior.searches.lookback_beyond_share` played back over the type's Search-tool "
       "searches (Okaloosa County SO: 463 of 7,273, 6.4%)", ECHO),
    _m("search.cameras_median.<type_scope>", "cameras", "Median cameras per <type_scope> search",
       "median cameras reached by an agency type's own searches in a scope, as `<type>.<scope>` (`all`: every "
       "non-federal searcher; Eugene OR PD: statewide 2,683, national 85,185)", "outcome"),
    _m("search.cameras_median_statewide.<state>", "cameras", "Median cameras per statewide lookup in <state>",
       "median cameras reached by the statewide lookups of the state's local police (Eugene OR PD, Oregon: 2,683)",
       "outcome"),
)

EXPOSURE = (
    _m("exposure.vehicles", "vehicles", "Tracked vehicles", "tracked vehicles (`behavior.exposure.tracked_vehicles`)",
       ECHO),
    _m("exposure.vehicle_days_observed_share", "share", "Car-days seen by at least one camera",
       "vehicle-days with at least one read / (vehicles × recorded days)", "outcome"),
    _m("exposure.observed_share", "share", "Tracked cars read at least once",
       "tracked vehicles read at least once in the recorded days", "outcome"),
    _m("exposure.distinct_cameras_mean", "cameras", "Distinct cameras that read a tracked car (mean)",
       "distinct cameras that read a vehicle in the recorded days", "outcome"),
    _m("exposure.reads_held_mean", "reads", "Reads of a tracked car held (mean)",
       "reads of a vehicle still held at the end of the run", "outcome"),
    _m("exposure.history_days_mean", "days", "Days of a car's movements on record (mean)",
       "days of a vehicle's movements those held reads cover", "outcome"),
    _m("exposure.agencies_per_vehicle_mean", "agencies", "Agencies able to see a tracked car (mean)",
       "non-federal agencies able to query a vehicle's held reads (national scope)", "outcome"),
    _m("exposure.agencies_per_vehicle_p90", "agencies", "Agencies able to see a tracked car (90th percentile)",
       "its 90th percentile over tracked vehicles", "outcome"),
    _m("exposure.federal_units_per_vehicle_mean", "units",
       "Federal units able to see a tracked car themselves (mean; proxy lookups not counted)",
       "federal units able to query them directly or by national lookup (proxies not included)", "outcome"),
)

METRICS: tuple[Metric, ...] = DAILY + WHOLE_RUN + EXPOSURE
