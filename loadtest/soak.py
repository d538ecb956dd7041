"""The soak: a step run measures capacity, then 10 minutes at 80% of it, with the same mix, reported over time.

Capacity is the highest throughput (requests/s, from cumulative request counts) over any step of the step run
(`loadtest/shapes/step.yaml`, back-to-back users), the first `SETTLE_S` seconds of each step left out while users
start. The soak then runs
the users that step had, class by class (Locust records them in ``locust_users.jsonl``), each class held at
`SOAK_SHARE` of the requests per second it made in that step (its share of the step's requests, counted per
endpoint, times the capacity), split evenly over its users at a constant throughput. So the soak keeps the mix
the capacity was measured with: in a closed loop without think time a portal visitor (one quick read) makes
many more requests than an officer (whose searches wait for a commit), and holding every user at one common
rate, as the soak first did, asked officers for more than they could make and held portal visitors back,
which no server could meet. The report gives failures, latency percentiles per minute and the server's memory
per minute (`soak_report.json`). Both runs turn the service's per-token rate limits off: back-to-back users
would otherwise measure the limits.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

from loadtest import harness
from loadtest.plan import ACTOR_CLASSES, USERS_LOG
from loadtest.shapes import Stage, load_shape, resolve_shape_path
from loadtest.summary import history, percentiles_over_time

SOAK_SHARE = 0.8
SETTLE_S = 3
SOAK_S = 600.0
RAMP_S = 10.0  # seconds to start the soak's users
# Which actor class makes each request (the names `loadtest.users` gives them); the rest are an officer's.
ENDPOINT_ACTOR = {
    "POST /v1/alpr/reads": "camera",
    "GET /v1/transparency/{agency_id}": "portal",
    "GET /v1/feed": "resident",
    "POST /v1/requests/{id}/submissions": "resident",
}


def actor_of(endpoint: str) -> str | None:
    """The actor class behind a Locust endpoint name; None for Locust's own rows (Aggregated, CHECK ...)."""
    if endpoint in ENDPOINT_ACTOR:
        return ENDPOINT_ACTOR[endpoint]
    return "agency" if " /v1/" in endpoint else None


def capacity(prefix: Path, stages: list[Stage]) -> dict[str, Any]:
    """Requests/s per step from Locust's per-second history, and each class's share of the step's requests;
    the capacity is the best step.

    A step's rate is the growth of the cumulative request count across the step (after `SETTLE_S`) over the
    seconds it spans: the history's own "Requests/s" is a 10-second average lagging 2 s (Locust's
    ``current_rps``), which would mix in the previous, smaller step."""
    hist = history(prefix)
    rows = hist.get("Aggregated", [])
    if not rows:
        return {"rps": 0.0, "steps": []}
    t0 = rows[0]["t"]
    steps, start = [], 0.0
    for stage in stages:
        lo, hi = t0 + start + SETTLE_S, t0 + stage.end_s
        steps.append({"users": stage.users, "rps": _rate(rows, lo, hi), "from_t": lo, "to_t": hi,
                      "shares": _class_shares(hist, lo, hi)})  # fmt: skip
        start = stage.end_s
    best = max(steps, key=lambda s: s["rps"])
    return {"rps": best["rps"], "best": best, "steps": steps}


def _rate(rows: list[dict[str, Any]], lo: float, hi: float) -> float:
    """Requests per second made in [lo, hi): cumulative count at the window's last row minus the count at the
    last row before it (or the window's first row), over the seconds between those rows."""
    inside = [r for r in rows if lo <= r["t"] < hi]
    before = [r for r in rows if r["t"] < lo] or inside[:1]
    if not inside or inside[-1]["t"] <= before[-1]["t"]:
        return 0.0
    return (inside[-1]["requests"] - before[-1]["requests"]) / (inside[-1]["t"] - before[-1]["t"])


def _class_shares(hist: dict[str, list[dict[str, Any]]], lo: float, hi: float) -> dict[str, float]:
    """Each class's share of the requests made in [lo, hi), from the endpoints' cumulative request counts."""
    made: dict[str, float] = {}
    for name, rows in hist.items():
        actor = actor_of(name)
        inside = [r["requests"] for r in rows if lo <= r["t"] < hi]
        before = [r["requests"] for r in rows if r["t"] < lo]
        if actor is None or not inside:
            continue
        made[actor] = made.get(actor, 0.0) + inside[-1] - (before[-1] if before else 0)
    total = sum(made.values())
    return {a: n / total for a, n in made.items()} if total > 0 else {}


def users_at(folder: Path, t: float) -> dict[str, int]:
    """Users per actor class when spawning last completed at or before `t` (from Locust's users log)."""
    path = folder / USERS_LOG
    if not path.exists():
        raise harness.HarnessError(f"{path} is missing: Locust did not record its users per class")
    by_class = {cls: actor for actor, cls in ACTOR_CLASSES.items()}
    latest: dict[str, Any] | None = None
    for line in path.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        if rec["t"] <= t:
            latest = rec
    if latest is None:
        raise harness.HarnessError(f"{path}: no spawn completed by the best step")
    return {by_class[c]: int(n) for c, n in latest["classes"].items() if c in by_class and int(n) > 0}


def soak_rates(cap: dict[str, Any], users: dict[str, int], share: float = SOAK_SHARE) -> dict[str, tuple[int, float]]:
    """(users, requests/s) per class for the soak: `share` of what each class made in the best step."""
    shares = cap["best"]["shares"]
    return {a: (n, share * cap["rps"] * shares.get(a, 0.0)) for a, n in users.items() if shares.get(a, 0.0) > 0}


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
    o = replace(o, rate_scale=0.0)  # capacity, not the per-token limits, is what the soak sizes and holds
    step_shape = str(resolve_shape_path("step"))
    stages = load_shape(step_shape)
    step = harness.run(replace(o, out=o.out / "step", shape=step_shape, think_s=0.0, thresholds=None, run_time_s=None))
    cap = capacity(step["folder"] / "locust", stages)
    if cap["rps"] <= 0:
        raise harness.HarnessError("the step run measured no throughput; cannot size the soak")
    users = users_at(step["folder"], cap["best"]["to_t"])
    rates = soak_rates(cap, users)
    n = sum(u for u, _ in rates.values())
    soak = harness.run(
        replace(o, out=o.out / "soak", shape=None, class_rates=rates, users=n, spawn_rate=max(n / RAMP_S, 1.0),
                run_time_s=o.run_time_s or SOAK_S + RAMP_S)
    )  # fmt: skip
    summ = soak["loadtest"]
    agg = summ["endpoints"].get("Aggregated", {})
    report = {
        "capacity_rps": cap["rps"],
        "steps": [{"users": s["users"], "rps": s["rps"], "shares": s["shares"]} for s in cap["steps"]],
        "soak_classes": {a: {"users": u, "target_rps": r} for a, (u, r) in rates.items()},
        "target_rps": sum(r for _, r in rates.values()),
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
