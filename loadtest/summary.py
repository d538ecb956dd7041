"""`loadtest.json`: one load test's figures, from Locust's CSV files, the process monitor and `/metrics`.

(Folders written before it was renamed call the file ``summary.json``, the name of a run's summary;
`sim.results.read.read_loadtest` still reads them.)

- ``endpoints``: per endpoint (``METHOD /route``: Locust's type and name) and ``Aggregated``: requests, failures,
  fail_ratio, rps, avg/min/max and p50..p99.99 in milliseconds (Locust's client-side response times).
- ``over_time``: per second (Locust's history rows): users, rps, failures/s, p50/p95/p99 of the aggregate,
  plus client and server CPU (share of one core) and server memory (MiB) from the monitor.
- ``errors_by_status``: failures counted by HTTP status (``connection`` when no answer).
- ``cpu``: client (Locust, all its processes, between test start and stop; and in all, with start-up) and
  server CPU seconds and shares of the machine's cores, and Locust's CPU milliseconds per request.
- ``server``: server-side time per route (milliseconds) from the `/metrics` difference, reads ingested.
"""

from __future__ import annotations

import csv
import json
import math
import re
from pathlib import Path
from typing import Any

PCTS = {
    "50%": "p50",
    "66%": "p66",
    "75%": "p75",
    "80%": "p80",
    "90%": "p90",
    "95%": "p95",
    "98%": "p98",
    "99%": "p99",
    "99.9%": "p99.9",
    "99.99%": "p99.99",
    "100%": "p100",
}
STATUS_RE = re.compile(r"HTTP (\d{3})")


def _num(text: str | None) -> float | None:
    if text is None or text in {"", "N/A"}:
        return None
    try:
        v = float(text)
    except ValueError:
        return None
    return None if math.isnan(v) else v


def endpoint_key(method: str, name: str) -> str:
    """``METHOD /route`` as thresholds name endpoints (``Aggregated`` has no method)."""
    return f"{method} {name}" if method and name != "Aggregated" else name


def read_csv(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        return []
    with path.open(newline="") as fh:
        return list(csv.DictReader(fh))


def endpoint_stats(prefix: Path) -> dict[str, dict[str, Any]]:
    """Per-endpoint statistics from ``<prefix>_stats.csv``."""
    out = {}
    for row in read_csv(Path(f"{prefix}_stats.csv")):
        count = int(_num(row.get("Request Count")) or 0)
        failures = int(_num(row.get("Failure Count")) or 0)
        stats: dict[str, Any] = {
            "method": row.get("Type", ""),
            "count": count,
            "failures": failures,
            "fail_ratio": failures / count if count else 0.0,
            "rps": _num(row.get("Requests/s")) or 0.0,
            "avg": _num(row.get("Average Response Time")),
            "min": _num(row.get("Min Response Time")),
            "max": _num(row.get("Max Response Time")),
            "avg_bytes": _num(row.get("Average Content Size")),
        }
        stats |= {short: _num(row.get(col)) for col, short in PCTS.items()}
        out[endpoint_key(row.get("Type", ""), row["Name"])] = stats
    return out


def history(prefix: Path) -> dict[str, list[dict[str, Any]]]:
    """Per-second rows of ``<prefix>_stats_history.csv`` by endpoint name (``Aggregated`` included)."""
    out: dict[str, list[dict[str, Any]]] = {}
    for row in read_csv(Path(f"{prefix}_stats_history.csv")):
        out.setdefault(endpoint_key(row.get("Type", ""), row["Name"]), []).append(
            {
                "t": int(_num(row.get("Timestamp")) or 0),
                "users": int(_num(row.get("User Count")) or 0),
                "rps": _num(row.get("Requests/s")) or 0.0,
                "fails_per_s": _num(row.get("Failures/s")) or 0.0,
                "p50": _num(row.get("50%")),
                "p95": _num(row.get("95%")),
                "p99": _num(row.get("99%")),
                "requests": int(_num(row.get("Total Request Count")) or 0),
                "failures": int(_num(row.get("Total Failure Count")) or 0),
            }
        )
    return out


def errors_by_status(prefix: Path) -> dict[str, Any]:
    by_status: dict[str, int] = {}
    by_endpoint: dict[str, dict[str, int]] = {}
    for row in read_csv(Path(f"{prefix}_failures.csv")):
        m = STATUS_RE.search(row.get("Error", ""))
        status = m.group(1) if m else ("connection" if "connection" in row.get("Error", "").lower() else "other")
        n = int(_num(row.get("Occurrences")) or 0)
        by_status[status] = by_status.get(status, 0) + n
        per = by_endpoint.setdefault(endpoint_key(row.get("Method", ""), row.get("Name", "")), {})
        per[status] = per.get(status, 0) + n
    return {"by_status": by_status, "by_endpoint": by_endpoint}


def resource_series(samples: list[dict[str, float]], cores: int) -> list[dict[str, float]]:
    """Per monitor interval: CPU share (of all cores) of client and server, server memory in MiB."""
    rows = []
    for a, b in zip(samples, samples[1:], strict=False):
        dt = b["t"] - a["t"]
        if dt <= 0:
            continue
        row = {"t": round(b["t"], 3)}
        for who in ("client", "server"):
            if f"{who}_cpu_s" in b and f"{who}_cpu_s" in a:
                row[f"{who}_cpu_share"] = (b[f"{who}_cpu_s"] - a[f"{who}_cpu_s"]) / (dt * cores)
        if "server_rss_bytes" in b:
            row["server_rss_mib"] = b["server_rss_bytes"] / 2**20
        rows.append(row)
    return rows


def percentiles_over_time(hist: dict[str, list[dict[str, Any]]], window_s: int = 60) -> list[dict[str, Any]]:
    """Aggregate latency percentiles and failures per `window_s` window (Locust's running percentiles
    are per 10 s; the window's last row is kept), for long runs such as a soak."""
    rows = hist.get("Aggregated", [])
    if not rows:
        return []
    t0 = rows[0]["t"]
    out: dict[int, dict[str, Any]] = {}
    for r in rows:
        out[(r["t"] - t0) // window_s] = {"minute": (r["t"] - t0) // window_s, **r}
    return list(out.values())


def locust_reports(folder: Path) -> dict[str, float] | None:
    """Summed over Locust's processes (files written by the locustfile's --cpu-dir): CPU seconds used during
    the test, and backlogs dropped by paced users that fell behind their schedule."""
    files = sorted(folder.glob("locust_cpu_*.json"))
    if not files:
        return None
    rows = [json.loads(f.read_text()) for f in files]
    return {"cpu_s": sum(r["cpu_s"] for r in rows), "dropped_backlogs": sum(r.get("dropped_backlogs", 0) for r in rows)}


def build(prefix: Path, samples: list[dict[str, float]], cores: int, duration_s: float, extra: dict[str, Any]) -> dict[str, Any]:
    endpoints = endpoint_stats(prefix)
    hist = history(prefix)
    total = endpoints.get("Aggregated", {}).get("count", 0)
    first, last = (samples[0], samples[-1]) if samples else ({}, {})
    cpu: dict[str, Any] = {"cores": cores}
    for who in ("client", "server"):
        key = f"{who}_cpu_s"
        if key in first and key in last:
            used = last[key] - first[key]
            cpu[f"{who}_cpu_s"] = used
            cpu[f"{who}_cpu_share"] = used / (duration_s * cores) if duration_s > 0 else None
    test_cpu = extra.pop("client_cpu_test_s", None)
    cpu["client_cpu_total_s"] = extra.pop("client_cpu_total_s", None)  # Locust processes, start-up included
    if test_cpu is not None:  # between test start and stop, summed over Locust's processes
        cpu["client_cpu_s"] = test_cpu
        cpu["client_cpu_share"] = test_cpu / (duration_s * cores) if duration_s > 0 else None
    cpu["client_cpu_ms_per_request"] = 1000 * cpu["client_cpu_s"] / total if total and "client_cpu_s" in cpu else None
    cpu["server_cpu_ms_per_request"] = 1000 * cpu["server_cpu_s"] / total if total and "server_cpu_s" in cpu else None
    over_time = {
        "locust": [
            {k: r[k] for k in ("t", "users", "rps", "fails_per_s", "p50", "p95", "p99")} for r in hist.get("Aggregated", [])
        ],
        "resources": resource_series(samples, cores),
    }
    return {
        "duration_s": duration_s,
        "endpoints": endpoints,
        "errors": errors_by_status(prefix),
        "cpu": cpu,
        "over_time": over_time,
        **extra,
    }


KEPT_SHARE = 0.9  # an open-model run kept its offered rate when it achieved at least this share of it


def open_model(offered_rps: float, achieved_rps: float, dropped_backlogs: int | None) -> dict[str, Any]:
    """Did the generator keep an open model's offered rate? When it did not, latencies are understated: users
    waiting on slow answers sent less than planned (coordinated omission), so the warning says so."""
    kept = achieved_rps >= KEPT_SHARE * offered_rps and not dropped_backlogs
    out: dict[str, Any] = {"offered_rps": offered_rps, "achieved_rps": achieved_rps, "kept_offered_rate": kept,
                           "dropped_backlogs": dropped_backlogs}
    if not kept:
        out["warning"] = (f"the generator could not keep the offered rate: achieved {achieved_rps:.1f} of "
                          f"{offered_rps:.1f} req/s, {dropped_backlogs or 0} backlogs dropped; latencies are "
                          "understated (coordinated omission): the server or the generator is saturated, see the "
                          "CPU figures")
    return out
