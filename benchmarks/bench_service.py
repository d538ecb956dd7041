"""The service under a mixed Locust workload, against the database ceiling of the same statements (issue 22).

One `fedsim loadtest` run: Locust runs the closed-loop mix of agencies, residents, cameras and portal visitors
back to back (no think time, rate limits off) with `USERS` users for `RUN_S` seconds, on SQLite, with every
statement the service runs traced (`loadtest.service.storage.sql_trace`). The same statements are then
replayed in-process on a fresh copy of the database (seeding included, untimed): the same prepared statements
with the same parameters, the same commit groups in the order the run committed them, each traced connection
on a replay connection of its own with its PRAGMAs (so the same durability, ``synchronous=FULL`` for a group
with a durable write), see `benchmarks.db_replay`; the statements of the Locust window are timed (wall, of
which write COMMITs, i.e. mostly fsync, and CPU). The database ceiling is the run's requests over that replay
time: what the mix would reach if HTTP, JSON, validation and the service's Python cost nothing. Target: the
mix reaches at least half of it (``mixed_to_db_ceiling_ratio`` >= 0.5). Tracing slows the service a little,
so the ratio is conservative.

Context, as before: `wrk`'s ``GET /healthz`` ceiling before and after the mix and the server's CPU per
request for each (``server_cost_ratio``); the old target, half of the ``/healthz`` ceiling, compared the
service with a request that does nothing and cannot hold on 2 cores (benchmarks/loadtest-notes.md). When
PostgreSQL at 127.0.0.1:5432 is reachable the same mix runs there with 2 service workers
(``postgres_w2_mixed_rps`` beside its ``/healthz`` ceiling). Client and server share this machine, so all
figures are co-located ones.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from benchmarks.common import postgres_url, record, with_schema
from benchmarks.db_replay import read_trace, replay, units
from loadtest.harness import Options, run
from loadtest.service.storage.sql_trace import ENV

USERS = 48  # enough back-to-back users to saturate the server (benchmarks/loadtest-notes.md)
RUN_S = 20.0
WRK_S = 5.0
TARGET_RATIO = 0.5


def mix(out: Path, db: str | None = None, workers: int = 1) -> dict:
    return run(Options(out=out, users=USERS, run_time_s=RUN_S, think_s=0.0, wrk_s=WRK_S, wrk_after=True,
                       rate_scale=0.0, db=db, server_workers=workers))


def db_ceiling(trace: Path, tmp: Path, summary: dict) -> dict[str, float]:
    """Replay the traced statements; the Locust window's database time and the ceiling it implies."""
    rows = summary["over_time"].get("locust") or []
    if not rows:
        return {}
    window = (rows[0]["t"] - 1.0, rows[-1]["t"])  # Locust's per-second rows; its first second starts before
    done = replay(tmp / "replay.db", units(read_trace(trace)), window)
    count = summary["endpoints"]["Aggregated"]["count"]
    if done["seconds"] <= 0:
        return {}
    return {"db_replay_s": done["seconds"], "db_replay_cpu_s": done["cpu_seconds"],
            "db_replay_commit_s": done["commit_seconds"], "db_replay_units": done["units"],
            "db_replay_errors": done["errors"], "db_ceiling_rps": count / done["seconds"],
            "run_window_s": window[1] - window[0]}


def postgres(tmp: Path) -> dict[str, float]:
    """The same mix on PostgreSQL with 2 service workers, when reachable ({} otherwise)."""
    import psycopg

    url = postgres_url("bench service")
    if url is None:
        return {}
    schema = f"bench_service_{os.getpid()}"
    try:
        s = mix(tmp / "pg", with_schema(url, schema), workers=2)["loadtest"]
    finally:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
    agg = s["endpoints"]["Aggregated"]
    out = {"postgres_w2_mixed_rps": agg["rps"], "postgres_w2_mixed_p95_ms": agg["p95"] or 0.0}
    if s["ceiling"].get("rps"):
        out["postgres_w2_healthz_ceiling_rps"] = s["ceiling"]["rps"]
    return out


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="fedsim-bench-service-") as name:
        tmp = Path(name)
        os.environ[ENV] = str(tmp / "trace")  # inherited by the service's processes (SQLite only)
        try:
            result = mix(tmp / "lt")
        finally:
            del os.environ[ENV]
        s = result["loadtest"]
        ceiling_db = db_ceiling(tmp / "trace", tmp, s)
        pg = postgres(tmp)
    agg = s["endpoints"]["Aggregated"]
    ceiling = s["ceiling"].get("rps")
    figures = {
        "mixed_rps": agg["rps"],
        "mixed_p95_ms": agg["p95"] or 0.0,
        "mixed_fail_ratio": agg["fail_ratio"],
        "reads_ingested_per_s": s["server"]["reads_per_s"],
        "locust_cpu_ms_per_request": s["cpu"].get("client_cpu_ms_per_request") or 0.0,
        "server_cpu_share": s["cpu"].get("server_cpu_share") or 0.0,
        **ceiling_db,
    }
    targets = {}
    if ceiling_db:
        figures["mixed_to_db_ceiling_ratio"] = agg["rps"] / ceiling_db["db_ceiling_rps"]
        targets["mixed_to_db_ceiling_ratio"] = (">=", TARGET_RATIO)
    if ceiling:  # context: the trivial-endpoint ceiling and the server's own cost per request
        figures["healthz_ceiling_rps"] = ceiling  # the higher of wrk before and after the mix
        figures["mixed_to_healthz_ratio"] = agg["rps"] / ceiling
        healthz_ms = s["ceiling"].get("server_cpu_ms_per_request")
        mixed_ms = s["cpu"].get("server_cpu_ms_per_request")
        if healthz_ms and mixed_ms:
            figures["server_cpu_ms_per_healthz"] = healthz_ms
            figures["server_cpu_ms_per_mixed_request"] = mixed_ms
            figures["server_cost_ratio"] = healthz_ms / mixed_ms
    else:
        print(f"bench service: no /healthz ceiling ({s['ceiling'].get('note')})")
    figures |= pg
    load = os.getloadavg()[0]
    figures["load_average_1m"] = load
    print(f"bench service: {s['label']}, {USERS} users, {RUN_S:.0f} s, {agg['count']} requests, load average {load:.1f}")
    record("service", figures, targets)


if __name__ == "__main__":
    main()
