"""The service under a mixed Locust workload, against the same server's trivial-endpoint ceiling in the same run.

One `fedsim loadtest` run: `wrk` drives ``GET /healthz`` for `WRK_S` seconds (the ceiling), then Locust runs
the closed-loop mix of agencies, residents, cameras and portal visitors back to back (no think time, rate
limits off) with `USERS` users for `RUN_S` seconds. Target: the mixed workload reaches at least half the
ceiling's requests per second (the mix does real work: ALPR batches, audited searches, durable writes).
Client and server share this machine, so both figures are co-located ones. Figures are appended to
benchmarks/results.md.

Both sides are measured at saturation. `wrk`'s 16 connections saturate ``/healthz`` (about 2 ms a request).
The mix's writes wait tens of milliseconds for their group commit, so 16 closed-loop users leave the server
idle part of the time (py-spy: the GIL held about 60% of a run) and measure latency, not capacity; from about
32 users on the mix's throughput stops rising (measured 16: 1,250-1,540, 32: 1,610, 48: 1,550-1,850, 96:
1,550 requests/s) and the server process is CPU-bound (one core: its GIL). `USERS` is 48.

The ceiling is measured before and after the mix (each `WRK_S` seconds) and the higher figure is the ceiling:
one 5 s measurement on a freshly started server varied from 4,500 to 6,800 requests/s between runs.

Why the target is out of reach on two shared cores, in figures this benchmark records: the server's CPU per
request (its process tree, over the wrk measurement and over the mix: ``server_cpu_ms_per_healthz``,
``server_cpu_ms_per_mixed_request``; their quotient ``server_cost_ratio`` is the ratio the mix would reach if
the server's CPU were the only limit, i.e. with the load generator on other cores), and
``client_cores_needed_at_target``: the cores Locust itself would burn sending the mix at half the ceiling
(its CPU per request x that rate). On a 2-core box that figure near or above 1 leaves the server under one core
for the mix at exactly the rate the target asks of it.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from benchmarks.common import record
from loadtest.harness import Options, run

USERS = 48  # enough back-to-back users to saturate the server (see above)
RUN_S = 20.0
WRK_S = 5.0
TARGET_RATIO = 0.5


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="fedsim-bench-service-") as tmp:
        result = run(Options(out=Path(tmp) / "lt", users=USERS, run_time_s=RUN_S, think_s=0.0, wrk_s=WRK_S, wrk_after=True,
                             rate_limits=False))
    s = result["summary"]
    agg = s["endpoints"]["Aggregated"]
    ceiling = s["ceiling"].get("rps")
    figures = {
        "mixed_rps": agg["rps"],
        "mixed_p95_ms": agg["p95"] or 0.0,
        "mixed_fail_ratio": agg["fail_ratio"],
        "reads_ingested_per_s": s["server"]["reads_per_s"],
        "locust_cpu_ms_per_request": s["cpu"].get("client_cpu_ms_per_request") or 0.0,
        "server_cpu_share": s["cpu"].get("server_cpu_share") or 0.0,
    }
    targets = {}
    if ceiling:
        figures["healthz_ceiling_rps"] = ceiling  # the higher of wrk before and after the mix
        figures["healthz_before_rps"] = s["ceiling"].get("rps_before") or ceiling
        figures["healthz_after_rps"] = s["ceiling"].get("rps_after") or 0.0
        figures["mixed_to_ceiling_ratio"] = agg["rps"] / ceiling
        targets["mixed_to_ceiling_ratio"] = (">=", TARGET_RATIO)
        healthz_ms = s["ceiling"].get("server_cpu_ms_per_request")
        mixed_ms = s["cpu"].get("server_cpu_ms_per_request")
        if healthz_ms and mixed_ms:  # the server's own cost per request, whoever sends it
            figures["server_cpu_ms_per_healthz"] = healthz_ms
            figures["server_cpu_ms_per_mixed_request"] = mixed_ms
            figures["server_cost_ratio"] = healthz_ms / mixed_ms
            client_ms = s["cpu"].get("client_cpu_ms_per_request")
            if client_ms:  # the cores Locust itself would burn sending the mix at half the ceiling
                figures["client_cores_needed_at_target"] = client_ms * TARGET_RATIO * ceiling / 1000.0
    else:
        print(f"bench service: no ceiling ({s['ceiling'].get('note')})")
    print(f"bench service: {s['label']}, {USERS} users, {RUN_S:.0f} s, {agg['count']} requests")
    record("service", figures, targets)


if __name__ == "__main__":
    main()
