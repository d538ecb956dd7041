"""From server-side timings to the model's platform queues: `calibration.json` and predicted vs measured use.

For each queue of `sim.config.platform` the run measures a service-time distribution (seconds) from the
service's `/metrics` histograms and pairs it with a worker count:

- ``search``: the model's base search time is a full-plate lookup's, which ``platform.search.type_cost``
  multiplies per search type (`sim.config.platform.SearchQueue`), so the base is fitted to the service's plate
  searches alone: the load test also sends description searches (a vehicle's colour, make and body, standing in
  for every other type), whose mean would otherwise be counted once in the base and again in the type costs.
  On SQLite, where a search and its audit record run in the single group writer (workers = 1), the writer's own
  time per plate search (``fedsim_writer_service_seconds{op="search_plate"}``: its statements and its share of
  the group's BEGIN and COMMIT); the server time would add the time spent waiting for the writer, which under a
  saturating load grows with the queue, not with the work (it drifted from 0.1 to 0.3 s per window in one 20 s
  run, benchmarks/loadtest-notes.md). Elsewhere (PostgreSQL) the server time of a plate search
  (``fedsim_search_server_seconds{kind="plate"}``), and worker processes x pooled read connections per
  process (``read_connections`` in the service's settings): each search holds one connection, so that is how
  many run at once. ``measured.search.by_kind`` gives both kinds' jobs and mean times and the description
  searches' cost in plate lookups (``vehicle_over_plate``), to set beside the scenario's assumed type costs;
  it is not written into the model (the service's description match is no measure of Flock's freeform,
  visual, convoy or multiGeo searches). ``per_million_reads_s`` is not written: the scenario's stays. The
  run's sequential probe searches (before and after it) are reported in ``measured.search``, with the change of
  their median time per million reads ingested in between, but that change is not a per-read cost: a probe is
  a plate lookup, which finds its plate's few reads by index whatever the table holds, and its time through
  HTTP is mostly the durable commit of its audit record (fsync), which moves with the disk. At a fixed
  300,000-read table five probes' medians read 12.0-19.2 ms; written into the model, such a difference over
  64,700 reads (4.2 -> 19.6 ms) gave 0.24 s per million reads, which the model charges per million reads
  *scanned* (64 million for a search in the small world: 15 s a search, 12 times the scenario's assumed term,
  which is already 100 times the measured base). How the description searches' cost grows with the table is
  measured by benchmarks/bench_search_growth.py.
- ``packaging``: time of the background packaging passes that built packages
  (``fedsim_db_batch_duration_seconds{op="job_packaging"}``, idle passes left out) per package built; workers = the
  service's packaging threads (one per worker process).
- ``ingest``: capacity = mean reads per batch / mean writer time per batch (SQLite; the server time per
  ``POST /v1/alpr/reads`` where the writer does not report it) x writers
  (1 on SQLite, whose writes are serialised; the worker processes on PostgreSQL), but never less than the
  reads per second the run achieved: under concurrency the server time of a batch includes waiting for the
  writer, which would understate capacity.

The distribution is the better fit, by Kolmogorov-Smirnov distance at the bucket bounds, of an exponential
and a lognormal with the histogram's mean and coefficient of variation; when neither is within
`KS_EMPIRICAL`, an empirical distribution of quantile samples. `samples_s` (quantiles of the histogram) is
always written. The file is exactly what `sim.model.platform.apply_calibration` reads (the ``queues``
block); the ``measured`` block and `utilization()` put the model's prediction at the tested load
(offered rate x mean service time / workers) beside the busy share measured on the server (summed server
time / (run time x workers); above 1 when requests overlapped inside the server, waiting on one another).
"""

from __future__ import annotations

import math
from typing import Any

from scipy import stats

from loadtest.prom import Histogram, Scrape

KS_EMPIRICAL = 0.15  # assumption: above this distance neither parametric form describes the histogram
N_SAMPLES = 200
MIN_SAMPLE_S = 1e-6
MIN_READS_FOR_SLOPE = 10_000
VEHICLE_RATIO_NOTE = (
    "this service's description match at this run's reads_in_table: it walks its class's reads in the window, so the "
    "ratio grows with the table (in-process 1.05 at 20,000 reads, 3.6 at 400,000; benchmarks/README.md, 'How a "
    "description search's cost grows with the table'); reported only, not Flock's type costs"
)
PROBE_NOT_A_COST = (
    "not written into the model (the scenario's per_million_reads_s stays): the probe is a plate lookup, found by "
    "index whatever the table holds, timed through HTTP with its audit record's durable commit, so the change of "
    "its median between two moments says how the disk and the box moved, not what a read costs"
)
SEARCH_SERIES = "fedsim_search_server_seconds"  # {kind}: "plate" or "vehicle" (loadtest.service.queries.search)
INGEST_ROUTE = ("POST", "/v1/alpr/reads")
WRITER_SERIES = "fedsim_writer_service_seconds"
BASIS_WRITER = "the group writer's own time per item (its statements and its share of the group's COMMIT)"
BASIS_ROUTE = "server time per request (includes waiting inside the server)"


def _cdf_points(h: Histogram) -> list[tuple[float, float]]:
    return [(b, c / h.count) for b, c in zip(h.bounds, h.cumulative, strict=True) if not math.isinf(b)]


def moments_s(h: Histogram) -> tuple[float, float]:
    """(mean seconds, coefficient of variation) from the sum and bucket midpoints."""
    mean = h.sum / h.count
    lower, below, second = 0.0, 0.0, 0.0
    for b, c in zip(h.bounds, h.cumulative, strict=True):
        n = c - below
        mid = lower * 1.5 if math.isinf(b) else (lower + b) / 2
        second += n * mid * mid
        lower, below = (lower if math.isinf(b) else b), c
    var = max(second / h.count - mean * mean, 0.0)
    return mean, math.sqrt(var) / mean if mean > 0 else 0.0


def quantile_samples(h: Histogram, n: int = N_SAMPLES) -> list[float]:
    k = int(min(n, max(h.count, 1)))
    return [max(h.quantile((i + 0.5) / k), MIN_SAMPLE_S) for i in range(k)]


def fit_service_time(h: Histogram) -> dict[str, Any]:
    """A `sim.config.base.ServiceTime` dict fitted to a histogram in seconds, plus its KS distance."""
    mean, cv = moments_s(h)
    points = _cdf_points(h)
    sigma = math.sqrt(math.log1p(cv * cv)) if cv > 0 else 1e-6
    mu = math.log(mean) - sigma * sigma / 2
    candidates = {
        "exponential": lambda x: stats.expon.cdf(x, scale=mean),
        "lognormal": lambda x: stats.lognorm.cdf(x, s=sigma, scale=math.exp(mu)),
    }
    ks = {name: max((abs(f(x) - p) for x, p in points), default=1.0) for name, f in candidates.items()}
    best = min(ks, key=ks.get)
    dist = best if ks[best] <= KS_EMPIRICAL else "empirical"
    return {"dist": dist, "mean_s": mean, "cv": cv, "samples_s": quantile_samples(h), "ks": ks}


def _writer(scrape: Scrape, op: str) -> Histogram | None:
    """The group writer's own time per item of `op` (``fedsim_writer_service_seconds``), when the run has it."""
    for labels, h in scrape.family(WRITER_SERIES).items():
        if dict(labels).get("op") == op and h.count > 0:
            return h
    return None


def _service_time(scrape: Scrape, route: tuple[str, str], op: str) -> tuple[Histogram | None, str]:
    """A queue's service times and their basis: the writer's own time for `op` when the run has it (and served
    `route`), else the server time of `route`."""
    served = _route(scrape, *route)
    writer = _writer(scrape, op) if served is not None else None
    return (writer, BASIS_WRITER) if writer is not None else (served, BASIS_ROUTE)


def _search_time(scrape: Scrape, kind: str) -> tuple[Histogram | None, str]:
    """Service times of searches of one `kind` ("plate", "vehicle") and their basis: the writer's own time when
    the run has it, else the server time of that kind of search."""
    writer = _writer(scrape, f"search_{kind}")
    if writer is not None:
        return writer, BASIS_WRITER
    served = next((h for labels, h in scrape.family(SEARCH_SERIES).items()
                   if dict(labels).get("kind") == kind and h.count > 0), None)  # fmt: skip
    return served, BASIS_ROUTE


def search_kinds(scrape: Scrape) -> dict[str, dict[str, float]]:
    """Jobs, busy seconds and mean seconds per kind of search that ran ("plate", "vehicle")."""
    out: dict[str, dict[str, float]] = {}
    for kind in ("plate", "vehicle"):
        h, _ = _search_time(scrape, kind)
        if h is not None:
            out[kind] = {"jobs": int(h.count), "busy_s": h.sum, "mean_s": h.mean}
    return out


def _route(scrape: Scrape, method: str, route: str) -> Histogram | None:
    for labels, h in scrape.family("fedsim_http_server_duration_seconds").items():
        d = dict(labels)
        if d.get("method") == method and d.get("route") == route and h.count > 0:
            return h
    return None


def packaging_fit(scrape: Scrape) -> dict[str, Any] | None:
    """Service time per package from the background packaging passes (``op=job_packaging``).

    A pass that finds nothing to pack takes well under a millisecond; the `passes - packages` shortest passes
    are taken as those idle ones and left out, and the busy passes' times are spread over the packages built.
    """
    built = scrape.total("fedsim_packages_built_total")
    passes = next(
        (h for labels, h in scrape.family("fedsim_db_batch_duration_seconds").items()
         if dict(labels).get("op") == "job_packaging"),
        None,
    )
    if built <= 0 or passes is None or passes.count <= 0:
        return None
    busy = passes.drop_lowest(passes.count - min(passes.count, built))
    fit = fit_service_time(busy)
    share = busy.count / built  # a pass may pack several requests
    fit["mean_s"] *= share
    fit["samples_s"] = [max(x * share, MIN_SAMPLE_S) for x in fit["samples_s"]]
    fit["packages"], fit["busy_s"] = built, busy.sum
    return fit


def search_slope(before_ms: float | None, after_ms: float | None, reads_between: float) -> tuple[float | None, str]:
    """The change of the probe's median time, seconds per million reads ingested in between (None when it cannot
    be computed), and what it is: reported only, never the model's per-read term (see module doc)."""
    if before_ms is None or after_ms is None:
        return None, "not computed: no probe searches"
    if reads_between < MIN_READS_FOR_SLOPE:
        return None, f"not computed: only {reads_between:.0f} reads ingested between the probes"
    return (after_ms - before_ms) * 1e-3 / (reads_between / 1e6), PROBE_NOT_A_COST


def calibration(
    scrape: Scrape,
    *,
    duration_s: float,
    server_workers: int,
    search_workers: int,
    packaging_workers: int,
    writers: int,
    probe: dict[str, Any],
    offered_per_s: dict[str, float],
    reads_in_table: tuple[float, float] | None = None,
) -> dict[str, Any]:
    """The calibration document: ``queues`` for the model, ``measured`` for people. `reads_in_table`: the reads
    table's size at the run's start and end (prefilled plus ingested), when known."""
    queues: dict[str, Any] = {}
    measured: dict[str, Any] = {"duration_s": duration_s, "server_workers": server_workers}
    search, basis = _search_time(scrape, "plate")  # the base: a full-plate lookup's (see module doc)
    if search is not None:
        fit = fit_service_time(search)
        kinds = search_kinds(scrape)
        jobs, busy = sum(k["jobs"] for k in kinds.values()), sum(k["busy_s"] for k in kinds.values())
        vehicle = kinds.get("vehicle")  # a description search's cost in plate lookups, when both kinds ran
        slope, how = search_slope(probe.get("before_ms"), probe.get("after_ms"), probe.get("reads_between", 0.0))
        queues["search"] = {  # no per_million_reads_s: the scenario's stays (see module doc)
            "workers": search_workers,
            "service_time": {k: fit[k] for k in ("dist", "mean_s", "cv", "samples_s")},
        }
        measured["search"] = {
            "jobs": jobs,  # both kinds: the load on the queue
            "busy_s": busy,
            "mean_s_all_kinds": busy / jobs,
            "by_kind": kinds,
            "vehicle_over_plate": vehicle["mean_s"] / fit["mean_s"] if vehicle else None,
            # the ratio grows with the table (the description walks its class's reads): at what size it was measured
            "reads_in_table": {"start": reads_in_table[0], "end": reads_in_table[1]} if reads_in_table else None,
            "vehicle_over_plate_note": VEHICLE_RATIO_NOTE,
            "ks": fit["ks"],
            "service_time_basis": f"plate searches only: {basis}",
            "per_million_reads": how,
            "probe": probe | {"change_s_per_million_reads": slope},
            "offered_per_s": offered_per_s.get("search", jobs / duration_s),
        }
    pack = packaging_fit(scrape)
    if pack is not None:
        queues["packaging"] = {
            "workers": packaging_workers,
            "service_time": {k: pack[k] for k in ("dist", "mean_s", "cv", "samples_s")},
        }
        measured["packaging"] = {
            "jobs": int(pack["packages"]),
            "busy_s": pack["busy_s"],
            "ks": pack["ks"],
            "offered_per_s": offered_per_s.get("packaging", pack["packages"] / duration_s),
        }
    else:
        measured["packaging"] = {"jobs": 0, "note": "no packages built in the run; the scenario's packaging queue stays"}
    ingest, basis = _service_time(scrape, INGEST_ROUTE, "alpr_ingest")
    reads = scrape.total("fedsim_alpr_reads_ingested_total")
    if ingest is not None and reads > 0:
        per_batch = reads / ingest.count
        by_service_time = per_batch / ingest.mean * writers
        queues["ingest"] = {"capacity_reads_per_s": max(by_service_time, reads / duration_s)}
        measured["ingest"] = {
            "batches": int(ingest.count),
            "reads": reads,
            "reads_per_batch": per_batch,
            "capacity_by_service_time": by_service_time,
            "service_time_basis": basis,
            "capacity_basis": "service time" if by_service_time >= reads / duration_s else "achieved throughput",
            "busy_s": ingest.sum,
            "writers": writers,
            "reads_per_s": reads / duration_s,
            "offered_reads_per_s": offered_per_s.get("reads", reads / duration_s),
        }
    return {"queues": queues, "measured": measured}


def utilization(doc: dict[str, Any], server_cpu_share: float | None) -> dict[str, dict[str, float | None]]:
    """Per queue: the model's predicted utilization at the offered load beside the measured busy share."""
    q, m = doc["queues"], doc["measured"]
    duration = m["duration_s"]
    out: dict[str, dict[str, float | None]] = {}
    for name in ("search", "packaging"):
        if name in q:
            workers = q[name]["workers"]
            # a search's mean over both kinds: the base (plate lookups) x the measured mix's cost
            mean_s = m[name].get("mean_s_all_kinds", q[name]["service_time"]["mean_s"])
            out[name] = {
                "offered_per_s": m[name]["offered_per_s"],
                "mean_service_s": mean_s,
                "workers": workers,
                "predicted": m[name]["offered_per_s"] * mean_s / workers,
                "measured_busy": m[name]["busy_s"] / (duration * workers),
            }
    if "ingest" in q:
        out["ingest"] = {
            "offered_reads_per_s": m["ingest"]["offered_reads_per_s"],
            "capacity_reads_per_s": q["ingest"]["capacity_reads_per_s"],
            "predicted": m["ingest"]["offered_reads_per_s"] / q["ingest"]["capacity_reads_per_s"],
            "measured_busy": m["ingest"]["busy_s"] / (duration * m["ingest"]["writers"]),
        }
    out["server_cpu"] = {"measured_busy": server_cpu_share}
    return out
