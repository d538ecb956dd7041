"""Every metric the model can record, as its components declare it, and the few a reader sees first.

`DECLARED` is the union of the components' declarations (`sim.model.requests_metrics`,
`sim.model.alpr_metrics`; the same set as ``Declared.of(sim.model.simulation.COMPONENTS)``, tested). It is
built from the declaration modules alone, so reading it does not import the model. `info(name)` gives
the declaration of a name (families such as ``search.reason.<reason>`` resolve to their member), or None
for a name no component declares. `KEY_METRICS` is the one list of headline numbers: the CLI prints them
after a run, reports put them at the top of a brief and a comparison.
"""

from __future__ import annotations

from sim.model.alpr_metrics import METRICS as ALPR_METRICS
from sim.model.metrics import Declared, Metric
from sim.model.requests_metrics import METRICS as REQUESTS_METRICS

DECLARED = Declared((*REQUESTS_METRICS, *ALPR_METRICS))

# The numbers at the top of a report, a comparison and `fedsim run`'s printout, in this order.
KEY_METRICS: tuple[str, ...] = (
    "requests.posted",
    "requests.households_notified",
    "optin.rate",
    "footage.clips",
    "footage.bytes",
    "alpr.reads",
    "alpr.searches",
    "alpr.searches_federal_own",
    "alpr.searches_federal_proxy",
    "alpr.alerts_false",
    "exposure.agencies_per_vehicle_mean",
    "exposure.federal_units_per_vehicle_mean",
    "exposure.vehicle_days_observed_share",
    "packaging.wait_p95_s",
    "packaging.utilization",
    "search.wait_p95_s",
)


def info(name: str) -> Metric | None:
    return DECLARED.get(name)


def display_unit(unit: str, series: str) -> str:
    """How a declared metric reads: ``share`` (prints as %), ``bytes``, ``seconds``, ``count`` (counts and levels:
    whole-run totals per replication over the recorded days) or ``amount`` (means, percentiles, rates). Every
    declared quantity is >= 0 (searches, records, cameras, rates...), so an interval of any of them is cut at 0
    (`sim.results.stats.bounded`; a per-owner mean read '145.9 (95% CI -404.0 to 695.9)'); ``number`` is left
    for names no component declares, whose sign is unknown."""
    if unit in ("share", "bytes"):
        return unit
    if unit == "s":
        return "seconds"
    return "count" if series in ("count", "level") else "amount"


def metric_unit(name: str) -> str:
    """The display unit of metric `name` (`display_unit`), or ``number`` where no component declares it."""
    m = info(name)
    return display_unit(m.unit, m.series) if m is not None else "number"
