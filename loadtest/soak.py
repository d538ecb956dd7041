"""The soak: a step run measures capacity, then 10 minutes at 80% of it, reported over time.

Capacity is the highest mean throughput (requests/s) over any step of the step run (`loadtest/shapes/step.yaml`,
back-to-back users), the first `SETTLE_S` seconds of each step left out while users start. The soak holds the
closed mix at `SOAK_SHARE` of that rate (`loadtest/shapes/soak.yaml` users, each at a constant throughput) and
reports failures, latency percentiles per minute and the server's memory per minute (`soak_report.json`).
Both runs turn the service's per-token rate limits off: back-to-back users would otherwise measure the limits.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

from loadtest import harness
from loadtest.shapes import Stage, load_shape, resolve_shape_path
from loadtest.summary import history, percentiles_over_time

SOAK_SHARE = 0.8
SETTLE_S = 3
SOAK_S = 600.0


def capacity(prefix: Path, stages: list[Stage]) -> dict[str, Any]:
    """Mean requests/s per step from Locust's per-second history; the capacity is the best step."""
    rows = history(prefix).get("Aggregated", [])
    if not rows:
        return {"rps": 0.0, "steps": []}
    t0 = rows[0]["t"]
    steps, start = [], 0.0
    for stage in stages:
        window = [r["rps"] for r in rows if start + SETTLE_S <= r["t"] - t0 < stage.end_s]
        steps.append({"users": stage.users, "rps": sum(window) / len(window) if window else 0.0})
        start = stage.end_s
    return {"rps": max(s["rps"] for s in steps), "steps": steps}


def memory_per_minute(summary: dict[str, Any]) -> list[dict[str, float]]:
    rows = summary["over_time"]["resources"]
    if not rows:
        return []
    t0, out = rows[0]["t"], {}
    for r in rows:
        if "server_rss_mib" in r:
            out[int((r["t"] - t0) // 60)] = {"minute": int((r["t"] - t0) // 60), "server_rss_mib": r["server_rss_mib"]}
    return list(out.values())


def run(o: harness.Options) -> dict[str, Any]:
    o = replace(o, rate_limits=False)  # capacity, not the per-token limits, is what the soak sizes and holds
    step_shape = str(resolve_shape_path("step"))
    stages = load_shape(step_shape)
    step = harness.run(replace(o, out=o.out / "step", shape=step_shape, think_s=0.0, thresholds=None, run_time_s=None))
    cap = capacity(step["folder"] / "locust", stages)
    if cap["rps"] <= 0:
        raise harness.HarnessError("the step run measured no throughput; cannot size the soak")
    soak_shape = str(resolve_shape_path("soak"))
    soak = harness.run(
        replace(o, out=o.out / "soak", shape=soak_shape, rate_rps=SOAK_SHARE * cap["rps"], run_time_s=o.run_time_s or SOAK_S + 10)
    )
    summ = soak["summary"]
    agg = summ["endpoints"].get("Aggregated", {})
    report = {
        "capacity_rps": cap["rps"],
        "steps": cap["steps"],
        "target_rps": SOAK_SHARE * cap["rps"],
        "achieved_rps": agg.get("rps"),
        "requests": agg.get("count"),
        "failures": agg.get("failures"),
        "errors_by_status": summ["errors"]["by_status"],
        "latency_per_minute_ms": percentiles_over_time(history(soak["folder"] / "locust")),
        "server_memory_per_minute": memory_per_minute(summ),
        "label": summ["label"],
        "exit_code": soak["exit_code"],
    }
    (o.out / "soak_report.json").write_text(json.dumps(report, indent=2) + "\n")
    return {"exit_code": soak["exit_code"], "folder": o.out, "report": report}
