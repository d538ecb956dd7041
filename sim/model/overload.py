"""Overloaded queues: when a run's offered load reaches a platform queue's capacity, its waits mean nothing.

A queue whose offered load (arrivals x mean service time / servers) reaches 1 has no steady state: its
queue and waits grow with the length of the run, so a mean wait of "13.5 days" says how long the run was,
not how the platform behaves. The model's probes show it these ways:

- the offered load of the search and packaging queues, from their arrival rates
  (``<queue>.arrival_rate_per_s``) and the platform's mean service time and servers (after any load-test
  calibration): a search costs ``service_time.mean_s x mean type cost + per_million_reads_s x
  search.reads_scanned_mean / 1e6``, the mean type cost weighting ``type_cost`` by the run's ``search.type.<t>``
  counts (1 when the metrics lack them);
- a server pool (``search``, ``packaging``, ``transfer``: `sim.model.server_pool`) busy at least
  `SATURATED` of the recorded time (``<queue>.utilization``, a share of its servers): the servers never
  idle (this alone misses an overload that starts late in a short run, hence the offered load above);
- ALPR ingest (`sim.model.alpr_reads`), whose hourly utilization is offered reads / capacity and may pass
  1: a mean above 1 over the day means the backlog grows without bound; a peak hour above 1 means a
  backlog builds in the busy hours (and clears later only if the mean stays below 1).

`overload_warnings(metrics, platform)` reads the whole-run metric statistics of ``summary.json`` (mean
over replications) and the effective `sim.config.Platform`, and returns one sentence per overloaded queue,
or none. Utilizations and offered loads are shares of capacity (0..1+); rates per second.
"""

from __future__ import annotations

from typing import Any

SATURATED = 0.98  # busy share of a server pool taken as "no idle time": offered load at or above capacity
POOLS = {"search": "the search queue", "packaging": "the packaging queue", "transfer": "the upload link"}
UNSTABLE = "unstable queue: steady-state waits are meaningless"


def _mean(metrics: dict[str, Any], name: str) -> float | None:
    stat = metrics.get(name)
    if stat is None:
        return None
    value = stat.get("mean") if isinstance(stat, dict) else stat
    return float(value) if value is not None else None


def _mean_type_cost(metrics: dict[str, Any], queue: Any) -> float:
    """The search queue's ``type_cost`` weighted by the run's searches per type (1 without type counts)."""
    counts = {name.removeprefix("search.type."): _mean(metrics, name) or 0.0
              for name in metrics if name.startswith("search.type.")}
    total = sum(counts.values())
    if total <= 0:
        return 1.0
    return sum(n * queue.cost_of(t) for t, n in counts.items()) / total


def search_cost(metrics: dict[str, Any], platform: Any) -> tuple[float, float]:
    """A mean search's seconds: (base time x mean type cost, per-read term for the mean reads scanned)."""
    q = platform.search
    scanned = _mean(metrics, "search.reads_scanned_mean") or 0.0
    return q.service_time.mean_s * _mean_type_cost(metrics, q), q.per_million_reads_s * scanned / 1e6


def _search_parts(metrics: dict[str, Any], platform: Any) -> str:
    """Where a search's time goes, so that a reader sees which setting drives an overload (a load-test calibration
    measures the base and the workers, while the per-read term stays the scenario's assumption)."""
    base, per_read = search_cost(metrics, platform)
    q, scanned = platform.search, _mean(metrics, "search.reads_scanned_mean") or 0.0
    return (f" (a search costs {base + per_read:.3g} s: {base:.3g} s base x type cost, platform.search.service_time, "
            f"and {per_read:.3g} s for {scanned / 1e6:,.0f} million reads scanned at platform.search.per_million_reads_s "
            f"{q.per_million_reads_s:g}; {q.workers} worker(s))")


def offered_loads(metrics: dict[str, Any], platform: Any) -> dict[str, float]:
    """Offered load (share of capacity) of the search and packaging queues, where the metrics allow."""
    out = {}
    rate = _mean(metrics, "search.arrival_rate_per_s")
    if rate is not None:
        out["search"] = rate * sum(search_cost(metrics, platform)) / platform.search.workers
    rate = _mean(metrics, "packaging.arrival_rate_per_s")
    if rate is not None:
        out["packaging"] = rate * platform.packaging.service_time.mean_s / platform.packaging.workers
    return out


def overload_warnings(metrics: dict[str, Any], platform: Any = None) -> list[str]:
    """One warning per queue whose offered load reaches its capacity (`metrics`: name -> {"mean", ...};
    `platform`: the effective `sim.config.Platform`, or None to judge by busy shares only)."""
    out = []
    offered = offered_loads(metrics, platform) if platform is not None else {}
    for prefix, what in POOLS.items():
        busy, load = _mean(metrics, f"{prefix}.utilization"), offered.get(prefix)
        if (load is None or load < 1.0) and (busy is None or busy < SATURATED):
            continue
        wait = _mean(metrics, f"{prefix}.wait_mean_s")
        waits = f"; its mean wait ({wait:,.0f} s) grows with the run's length" if wait is not None else ""
        how = (f"is offered {load:.0%} of its capacity" if load is not None and load >= 1.0
               else f"is busy {busy:.1%} of the time (offered load at or above its capacity)")
        if prefix == "search" and load is not None and load >= 1.0:
            how += _search_parts(metrics, platform)
        out.append(f"{UNSTABLE}: {what} {how}{waits}. Add servers or lower the load (platform.{prefix}) "
                   "before reading its waits.")
    mean, peak = _mean(metrics, "ingest.utilization_mean"), _mean(metrics, "ingest.utilization_peak")
    if mean is not None and mean >= 1.0:
        out.append(f"{UNSTABLE}: ALPR ingest is offered {mean:.0%} of its capacity over the day; the backlog of reads "
                   "grows without bound (platform.ingest.capacity_reads_per_s).")
    elif peak is not None and peak >= 1.0:
        out.append(f"overloaded peak hours: ALPR ingest is offered {peak:.0%} of its capacity in the busiest hour; "
                   "a backlog builds and clears later in the day (platform.ingest.capacity_reads_per_s).")
    return out
