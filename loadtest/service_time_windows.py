"""Service times over repeated windows: an interval for each measured queue and a stability verdict.

One load test used to give one number per queue, and four runs at the same settings gave ingest capacities
from 3,900 to 23,000 reads/s without a word of doubt. Here `/metrics` is scraped every `window_s` seconds
while Locust runs (`Scraper`); each window between two scrapes is calibrated on its own
(`loadtest.service_times.calibration` of the difference), and per queue the windows give a mean with a
t-based 95% interval (`sim.results.stats`). `stability` then says whether the calibration means
anything, and if not, why:

- a queue needs at least `MIN_WINDOWS` windows with `MIN_JOBS` jobs each (searches, packages, read batches);
- the 95% interval of its window means must lie within `MAX_RELATIVE_HALFWIDTH` of the mean;
- the ingest writer must be busy at least `MIN_BUSY` of the time: a capacity extrapolated from a writer
  that is nearly idle (the 1%-scale run that "measured" 23,000 reads/s) is refused as too light.

Drift is told apart from noise. On SQLite the search and ingest service times are the group writer's own
time per item (`loadtest.service_times`), which grows with the reads table while the table is small: a batch's
inserts share index pages in a small B-tree and dirty one page each in a large one, and each commit writes those
pages to the WAL, so the writer's time per item rises until the indexes are much larger than one commit's
writes, then levels off (measured: search 2.6 -> 7.4 ms per window over 30 s from an empty table, 0 -> 120,000
reads; 6.3-11.5 ms without a trend on a table prefilled with 600,000; benchmarks/loadtest-notes.md). A queue
whose windows trend steadily (rank correlation >= `TREND_RHO`) while the table grew by half or more is
reported as that warm-up, with the remedy (``--prefill-reads``); a trend on a steady table is reported as a
change in the server's conditions.

``calibration.json`` gets ``stable`` (true/false), ``why`` (the reasons, empty when stable) and
``windows`` (per queue: values per window, mean, interval); `sim.model.platform.load_calibration`
refuses a file marked ``stable: false``. Service times in seconds, capacities in reads per second.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from typing import Any

import numpy as np
from scipy.stats import rankdata

from loadtest.prom import Scrape
from loadtest.service_times import calibration
from sim.results.stats import halfwidth

MIN_WINDOWS = 3  # assumption: fewer windows give no interval worth the name
MIN_JOBS = 20  # jobs per window for a window's mean to count (assumption)
MAX_RELATIVE_HALFWIDTH = 0.25  # assumption: a 95% interval wider than +-25% of the mean is not a measurement
MIN_BUSY = 0.10  # assumption: below this writer busy share, capacity is an extrapolation of more than 10x
MIN_WINDOW_S, MAX_WINDOW_S, WINDOWS_WANTED = 4.0, 60.0, 6
MIN_TREND_WINDOWS, TREND_RHO = 4, 0.8  # assumption: a rank correlation this strong over 4+ windows is a trend
TABLE_GROWTH = 1.5  # assumption: a table that grew by half during the run is still warming up


def window_seconds(run_time_s: float) -> float:
    """About `WINDOWS_WANTED` windows over the run, each `MIN_WINDOW_S` to `MAX_WINDOW_S` seconds."""
    return min(MAX_WINDOW_S, max(MIN_WINDOW_S, run_time_s / WINDOWS_WANTED))


class Scraper(threading.Thread):
    """Scrapes `/metrics` every `every_s` seconds until stopped (at most `limit` scrapes; failures skipped)."""

    def __init__(self, scrape: Callable[[], Scrape], every_s: float, limit: int) -> None:
        super().__init__(daemon=True)
        self.scrape_fn, self.every_s, self.limit = scrape, every_s, limit
        self.scrapes: list[tuple[float, Scrape]] = []
        self._halt = threading.Event()

    def run(self) -> None:
        while not self._halt.wait(self.every_s) and len(self.scrapes) < self.limit:
            try:
                self.scrapes.append((time.monotonic(), self.scrape_fn()))
            except Exception:  # a missed scrape only merges two windows
                continue

    def stop(self) -> list[tuple[float, Scrape]]:
        self._halt.set()
        self.join(timeout=15)
        return self.scrapes


def per_window(scrapes: list[tuple[float, Scrape]], **calib: Any) -> list[dict[str, Any]]:
    """Per window between consecutive scrapes: search (plate searches: the base) and packaging mean service time
    (s), the jobs each is measured on,
    ingest capacity (reads/s) and the writer's busy share."""
    rows = []
    for (t0, a), (t1, b) in zip(scrapes, scrapes[1:], strict=False):
        seconds = t1 - t0
        if seconds <= 0:
            continue
        doc = calibration(b.minus(a), duration_s=seconds, probe={}, offered_per_s={}, **calib)
        q, m = doc["queues"], doc["measured"]
        row: dict[str, Any] = {"seconds": seconds}
        for name in ("search", "packaging"):
            if name in q:  # the jobs the value is fitted to: a search's base, plate searches alone
                jobs = m[name]["by_kind"]["plate"]["jobs"] if name == "search" else m[name]["jobs"]
                row[name] = {"value": q[name]["service_time"]["mean_s"], "jobs": jobs}
        if "ingest" in q:
            ing = m["ingest"]
            row["ingest"] = {"value": ing["capacity_by_service_time"], "jobs": ing["batches"],
                             "busy": ing["busy_s"] / (seconds * ing["writers"])}
        rows.append(row)
    return rows


def trend(values: list[float]) -> float:
    """Spearman rank correlation of `values` with their order (1: rising every window, -1: falling): the
    Pearson correlation of their ranks with the window numbers, tied values sharing their average rank
    (`scipy.stats.rankdata`). Windows all equal have no trend (0); so do fewer than 3."""
    n = len(values)
    if n < 3:
        return 0.0
    ranks = rankdata(values)  # average ranks: equal windows must not count as rising in window order
    dr = ranks - ranks.mean()
    di = np.arange(n) - (n - 1) / 2
    if not dr.any():
        return 0.0
    return float(dr @ di / math.sqrt(float(dr @ dr) * float(di @ di)))


def _drift(name: str, values: list[float], table: tuple[float, float] | None, unit: str = "s"
           ) -> tuple[dict[str, Any], str] | None:
    """A steady trend over the windows, and what it is: the reads table's warm-up when the table grew during
    the run and the queue got slower as it did (see the module docstring), else a change in the server's
    conditions. Slower is a rising service time (`unit` s) or a falling capacity (reads/s): a search time that
    *fell* while the table grew was put down to the writer's time 'growing' with the table."""
    rho = trend(values)
    if len(values) < MIN_TREND_WINDOWS or abs(rho) < TREND_RHO:
        return None
    way = "rises" if rho > 0 else "falls"
    slower = rho > 0 if unit == "s" else rho < 0
    grew = table is not None and table[1] >= TABLE_GROWTH * max(table[0], 1.0)
    if slower and grew and table is not None:
        info = {"trend": rho, "kind": "table warm-up", "table_reads": list(table)}
        return info, (
            f"{name}: {way} steadily over the windows (rank correlation {rho:+.2f}) while the reads table grew from "
            f"{table[0]:,.0f} to {table[1]:,.0f} reads: the writer's time per item grows while the indexes are small "
            "(each insert comes to dirty index pages of its own, each commit to write more WAL pages) and levels off "
            "at steady-state size, so this is the table's warm-up, not noise; calibrate on a table at its "
            "steady-state size (--prefill-reads)"
        )
    info = {"trend": rho, "kind": "unexplained", "table_reads": list(table) if table else None}
    where = "while the reads table grew, the other way from its warm-up" if grew else "on a table that did not grow much"
    return info, (f"{name}: {way} steadily over the windows (rank correlation {rho:+.2f}) {where}: the server's "
                  "conditions changed during the run (other load on the machine?)")


def stability(rows: list[dict[str, Any]], table: tuple[float, float] | None = None) -> dict[str, Any]:
    """Per queue: the window values kept, their mean and 95% interval; and the verdict with its reasons.
    `table`: reads stored at the start and the end of the run, to tell a table's warm-up from other drift."""
    queues: dict[str, Any] = {}
    why: list[str] = []
    for name, unit in (("search", "s"), ("packaging", "s"), ("ingest", "reads/s")):
        seen = [r[name] for r in rows if name in r]
        kept = [w for w in seen if w["jobs"] >= MIN_JOBS]
        if not seen:
            if name == "search" and rows:  # the model's base search time is what a calibration is for
                why.append(f"search: no window completed a plate search (need {MIN_WINDOWS} windows of at least "
                           f"{MIN_JOBS}): too light to measure; raise the load (--users, --scale) or --run-time")
            continue
        values = [w["value"] for w in kept]
        entry: dict[str, Any] = {"unit": unit, "values": values, "windows": len(kept), "windows_seen": len(seen),
                                 "jobs_per_window": [w["jobs"] for w in seen]}
        if len(values) >= 2:
            mean, hw = sum(values) / len(values), halfwidth(values)
            entry |= {"mean": mean, "interval": [mean - hw, mean + hw],
                      "relative_halfwidth": hw / abs(mean) if mean else math.inf}
        if name == "ingest":
            busy = [w["busy"] for w in (kept or seen)]
            entry["writer_busy"] = sum(busy) / len(busy)
        queues[name] = entry
        if name == "packaging" and not kept:
            continue  # few packages: the scenario's packaging queue stays (the model is told nothing)
        if len(kept) < MIN_WINDOWS:
            why.append(f"{name}: only {len(kept)} of {len(seen)} windows had at least {MIN_JOBS} jobs (need "
                       f"{MIN_WINDOWS}): too light to measure; raise the load (--users, --scale) or --run-time")
        elif entry["relative_halfwidth"] > MAX_RELATIVE_HALFWIDTH:
            drift = _drift(name, values, table, unit)
            if drift is not None:
                entry["drift"] = drift[0]
                why.append(drift[1])
            else:
                why.append(f"{name}: the window means vary too much: 95% interval +-{entry['relative_halfwidth']:.0%} "
                           f"of the mean (limit {MAX_RELATIVE_HALFWIDTH:.0%}); run longer or at a steadier load")
        if name == "ingest" and entry["writer_busy"] < MIN_BUSY:
            why.append(f"ingest: the writer was busy {entry['writer_busy']:.1%} of the time (< {MIN_BUSY:.0%}): the "
                       "capacity would be an extrapolation from a nearly idle server; raise the load")
    if not queues:
        why.append("no queue was measured: no searches, packages or read batches completed")
    return {"stable": not why, "why": why, "queues": queues}
