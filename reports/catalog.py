"""What each metric of ``metrics.csv`` means in words, its unit, and how to print it.

Metric names are the runner's stable names (docs/metrics.md). Only metrics a policymaker reads are listed
with a label; anything else prints under its own name. Units: counts are whole-run totals per replication
over the recorded days; ``_s`` are seconds; bytes print as GB (10^9 bytes); shares and rates print as %.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from reports.stats import Estimate


@dataclass(frozen=True)
class MetricInfo:
    label: str
    unit: str  # "count", "share", "seconds", "bytes", "number"


CATALOG: dict[str, MetricInfo] = {
    "requests.posted": MetricInfo("Footage requests posted", "count"),
    "requests.refused": MetricInfo("Footage requests refused by policy", "count"),
    "requests.households_in_area": MetricInfo("Households with a camera in request areas", "count"),
    "requests.households_eligible": MetricInfo("Households eligible (stored video)", "count"),
    "requests.households_notified": MetricInfo("Households notified", "count"),
    "requests.with_submission": MetricInfo("Requests with at least one submission", "count"),
    "optin.rate": MetricInfo("Opt-in rate per notified household", "share"),
    "optin.submitting_households": MetricInfo("Households that shared footage", "count"),
    "footage.clips": MetricInfo("Clips shared", "count"),
    "footage.bytes": MetricInfo("Footage shared", "bytes"),
    "footage.delivered_packages": MetricInfo("Footage packages delivered to agencies", "count"),
    "packaging.wait_mean_s": MetricInfo("Packaging queue: mean wait", "seconds"),
    "packaging.wait_p95_s": MetricInfo("Packaging queue: 95th-percentile wait", "seconds"),
    "packaging.utilization": MetricInfo("Packaging workers: utilization", "share"),
    "alpr.reads": MetricInfo("Plate reads", "count"),
    "alpr.hotlist_hits": MetricInfo("Hotlist hits", "count"),
    "alpr.alerts_false": MetricInfo("False hotlist alerts", "count"),
    "alpr.stops": MetricInfo("Stops after an alert", "count"),
    "alpr.searches": MetricInfo("ALPR searches", "count"),
    "alpr.searches_federal_direct": MetricInfo("Federal searches, direct or national lookup", "count"),
    "alpr.searches_federal_proxy": MetricInfo("Federal searches run by local officers (proxy)", "count"),
    "search.networks_touched_mean": MetricInfo("Networks touched per search (mean)", "number"),
    "search.cameras_touched_p95": MetricInfo("Cameras touched per search (95th percentile)", "number"),
    "search.wait_p95_s": MetricInfo("Search queue: 95th-percentile wait", "seconds"),
    "search.utilization": MetricInfo("Search workers: utilization", "share"),
    "ingest.utilization_peak": MetricInfo("Ingest: peak utilization", "share"),
    "audit.records": MetricInfo("Audit records written", "count"),
    "storage.reads_held": MetricInfo("Plate reads held in storage", "count"),
    "exposure.agencies_per_vehicle_mean": MetricInfo("Agencies able to see a tracked car (mean)", "number"),
    "exposure.federal_units_per_vehicle_mean": MetricInfo("Federal units able to see a tracked car (mean)", "number"),
    "exposure.vehicle_days_observed_share": MetricInfo("Car-days seen by at least one camera", "share"),
}

# The numbers at the top of a report and in a comparison, in this order.
KEY_METRICS = [
    "requests.posted",
    "requests.households_notified",
    "optin.rate",
    "footage.clips",
    "footage.bytes",
    "alpr.reads",
    "alpr.searches",
    "alpr.searches_federal_direct",
    "alpr.searches_federal_proxy",
    "alpr.alerts_false",
    "exposure.agencies_per_vehicle_mean",
    "exposure.federal_units_per_vehicle_mean",
    "exposure.vehicle_days_observed_share",
    "packaging.wait_p95_s",
    "search.wait_p95_s",
]


def info(metric: str) -> MetricInfo:
    if metric in CATALOG:
        return CATALOG[metric]
    if metric.startswith("search.reason."):
        return MetricInfo(f"Searches giving reason '{metric.removeprefix('search.reason.').replace('_', ' ')}'", "count")
    return MetricInfo(metric, "number")


def fmt(value: float, unit: str) -> str:
    """One number in words a reader can take in: 1.2 million, 3.4%, 12 s, 5.6 GB."""
    if value is None or not math.isfinite(value):
        return "n/a"
    if unit == "share":
        return f"{value * 100:.3g}%" if abs(value) < 0.001 else f"{value * 100:.1f}%"
    if unit == "bytes":
        return f"{value / 1e9:,.2f} GB"
    if unit == "seconds":
        return f"{value:,.1f} s" if abs(value) < 100 else f"{value / 60:,.1f} min"
    if unit == "count" or abs(value) >= 1000:
        return big(value)
    return f"{value:,.3g}" if abs(value) < 10 else f"{value:,.1f}"


def big(value: float) -> str:
    """A count for prose: 1.23 million, 5,267, 86.3, 4.2."""
    a = abs(value)
    if a >= 1e9:
        return f"{value / 1e9:,.3g} billion"
    if a >= 1e6:
        return f"{value / 1e6:,.3g} million"
    if a >= 100:
        return f"{value:,.0f}"
    return f"{value:.3g}"


def fmt_estimate(est: Estimate, unit: str) -> str:
    """``mean (95% CI low to high)``, or ``mean (no CI: n replication)``."""
    if est.n == 0:
        return "n/a"
    if not est.has_ci:
        return f"{fmt(est.mean, unit)} (no CI: {est.n} replication{'s' if est.n != 1 else ''})"
    return f"{fmt(est.mean, unit)} (95% CI {fmt(est.low, unit)} to {fmt(est.high, unit)})"


def fmt_ci(est: Estimate, unit: str) -> str:
    """Only the interval part: ``95% CI a to b`` or ``no CI``."""
    return f"95% CI {fmt(est.low, unit)} to {fmt(est.high, unit)}" if est.has_ci else f"no CI (n={est.n})"
