"""The load generator's honesty check: a trivial endpoint's ceiling measured by `wrk` in the same run.

`wrk` (C, epoll; Debian package ``wrk``) drives ``GET /healthz`` for a few seconds before Locust starts. Its
requests per second bound what this machine and this server can do for the cheapest request; Locust's
throughput beside it shows how much of the result is the generator's own limit. When `wrk` is not
installed the ceiling is reported as not measured, with the reason.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from typing import Any

from loadtest.procs import tree_usage

WRK_RE = re.compile(r"Requests/sec:\s+([0-9.]+)")
COUNT_RE = re.compile(r"^\s*(\d+) requests in ", re.M)
LAT_RE = re.compile(r"^\s+50%\s+([0-9.]+)(us|ms|s)\s*$", re.M)
UNIT_MS = {"us": 1e-3, "ms": 1.0, "s": 1000.0}


def parse_wrk(text: str) -> dict[str, float | None]:
    rps = WRK_RE.search(text)
    p50 = LAT_RE.search(text)
    count = COUNT_RE.search(text)
    return {"rps": float(rps.group(1)) if rps else None, "p50_ms": float(p50.group(1)) * UNIT_MS[p50.group(2)] if p50 else None,
            "requests": int(count.group(1)) if count else None}


def wrk_ceiling(url: str, seconds: float = 3.0, connections: int = 16, threads: int = 1,
                server_pid: int | None = None) -> dict[str, Any]:
    """Requests/s of `wrk` against `url` (bounded: `seconds` + 30 s at most).

    With `server_pid`, also the server's CPU seconds (its process tree) over the measurement and so its CPU
    milliseconds per request: what one trivial request costs the server, whoever sends it.
    """
    exe = shutil.which("wrk")
    info: dict[str, Any] = {"tool": "wrk", "url": url, "seconds": seconds, "connections": connections, "threads": threads}
    if exe is None:
        return info | {"rps": None, "note": "wrk not installed (apt-get install -y wrk); ceiling not measured"}
    cmd = [exe, f"-t{threads}", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--latency", url]
    cpu0 = tree_usage(server_pid)[0] if server_pid else None
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 30, check=False)
    except subprocess.TimeoutExpired:
        return info | {"rps": None, "note": "wrk did not finish in time"}
    parsed = parse_wrk(out.stdout)
    if parsed["rps"] is None:
        return info | {"rps": None, "note": f"could not read wrk's output (exit {out.returncode})"}
    if cpu0 is not None and parsed["requests"]:
        used = tree_usage(server_pid)[0] - cpu0
        parsed |= {"server_cpu_s": used, "server_cpu_ms_per_request": 1000.0 * used / parsed["requests"]}
    return info | parsed
