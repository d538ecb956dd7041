"""The metrics the community-requests component (`sim.model.requests.RequestsModel`) records, declared once.

Days are counted by the event a metric describes: posts and what their notified households decide are a
cohort of the post's day; submissions, clips and bytes count on the day they reach the platform,
deliveries on the day the agency receives them. On route ``none`` every metric here except
``incidents.reported`` is 0. See `sim.model.metrics.Metric` for the fields; docs/metrics.md is generated
from these declarations.
"""

from __future__ import annotations

from sim.model.metrics import Metric, queue_metrics

ROUTES = ("axon", "flock")


def _count(name: str, unit: str, label: str, meaning: str, kind: str = "outcome") -> Metric:
    return Metric(name, unit, label, meaning, kind, "count")  # type: ignore[arg-type]


def _value(name: str, unit: str, label: str, meaning: str, kind: str = "outcome") -> Metric:
    return Metric(name, unit, label, meaning, kind, "value")  # type: ignore[arg-type]


DAILY = (
    _count("incidents.reported", "incidents", "Incidents reported",
           "incidents arising at all agencies (drawn even on route `none`): "
           "`behavior.incidents.per_agency_per_day` played back", "input_echo"),
    _count("requests.posted", "posts", "Footage requests posted",
           "community requests posted (first and repeat posts of a case)"),
    _count("requests.repeat_posts", "posts", "Repeat posts of a case",
           "posts after a case's first one (included in `requests.posted`; at most `policy.posts_per_case` per case)"),
    _count("requests.refused", "cases", "Footage requests refused by policy",
           "cases refused because they carry no case number while `policy.case_number_required` "
           "(counted at the first post; further posts are not attempted)"),
    _count("requests.refused_routing", "cases", "Footage requests refused by routing",
           "cases refused because the route does not take the agency: federal units on `axon` (Consumer Reports 2025)"),
    _count("requests.households_in_area", "households", "Households with a camera in request areas",
           "households with a camera inside the posted request areas, summed over posts"),
    _count("requests.households_notified", "households", "Households notified",
           "households the platform notifies: all of the above (kept apart for the funnel; equal in this version)"),
    _count("requests.households_eligible", "households", "Households eligible (stored video)",
           "of those, households with a paid plan whose retention still covers the requested window"),
    _count("requests.with_submission", "posts", "Requests with at least one submission",
           "posts that at least one household answers before expiry"),
    _count("optin.submitting_households", "households", "Households that shared footage",
           "notified households that decide to share before the request expires (cohort of the post day)"),
    _count("optin.expired_submissions", "households", "Households that shared too late",
           "households that decide to share only after the request expired (`behavior.requests.expiry_days`); dropped"),
    _count("footage.submissions", "packages", "Footage submissions",
           "submissions reaching the platform (one package per household and request)"),
    _count("footage.clips", "clips", "Clips shared", "clips in those submissions"),
    _count("footage.bytes", "bytes", "Footage shared", "bytes in those submissions"),
    _count("footage.delivered_packages", "packages", "Footage packages delivered to agencies",
           "packages the requesting agency has received (after packaging and transfer); each discloses a household"),
    _count("footage.delivered_clips", "clips", "Clips delivered", "clips in the delivered packages"),
    _count("footage.delivered_bytes_axon", "bytes", "Footage delivered into Axon Evidence",
           "bytes delivered into Axon Evidence (route `axon`)"),
    _count("footage.delivered_bytes_flock", "bytes", "Footage delivered into Flock",
           "bytes delivered into Flock's platform (route `flock`)"),
)

WHOLE_RUN = (
    _value("optin.rate", "share", "Opt-in rate per notified household",
           "submitting households per notified household (calibration target ~3.5%, Fort Lauderdale 2018); "
           "0 when nobody was notified"),
    _value("optin.rate_eligible", "share", "Opt-in rate per eligible household",
           "submitting households per eligible household"),
    _value("requests.notified_per_request", "households", "Households notified per request",
           "notified households per posted request (target ~14.5, Gizmodo 2019)"),
    _value("requests.per_agency_year", "posts", "Requests per agency-year",
           "posts per agency (federal units included) per 365 days (target ~16, FT/Ring 2020)"),
    _value("footage.delivery_latency_mean_s", "s", "Footage delivery: mean latency",
           "mean time from a submission's arrival to its delivery (packaging wait and service, link wait and transfer)",
           "load"),
    _value("footage.delivery_latency_p95_s", "s", "Footage delivery: 95th-percentile latency",
           "its 95th percentile", "load"),
    *queue_metrics("packaging", "packages", "Packaging queue", "`platform.packaging.workers`"),
    *queue_metrics("transfer", "packages", "Transfer link", "the one link (share of time sending)"),
)

METRICS: tuple[Metric, ...] = DAILY + WHOLE_RUN
DAILY_COUNTS = tuple(m.name for m in DAILY)
