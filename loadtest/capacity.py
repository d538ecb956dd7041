"""`fedsim loadtest --find-capacity`: the highest offered load the service carries within an SLO.

The load is an open model (`loadtest.plan.open_plan`: Poisson arrivals that do not slow down when the
server does), stepped by `loadtest.capacity_shape.CapacityShape` inside one Locust run: double the offered
rate until a step breaks the SLO, bisect, then repeat the best held level. Writes into the run folder:

- ``capacity.json``: the capacity (the highest offered rate, requests/s, that held the SLO), the throughput
  achieved at that level with a 95% t interval over its repeated steps, the first breach and why, the SLO,
  and what limited the search (server or generator CPU);
- ``capacity_steps.csv``: one row per step and endpoint (and ``all``): users, offered and achieved req/s,
  p50/p90/p95/p99 (ms), errors, server and generator CPU (share of all cores), held, reason;
- ``capacity.png`` / ``capacity.svg``: throughput and the SLO's percentile against offered load, the knee marked
  (`loadtest.capacity_chart`, drawn from the CSV).

The SLO is written ``p95<250ms,errors<1%`` (a percentile among p50/p90/p95/p99 in ms or s, an error share
in percent); a step must also achieve `MIN_KEPT` of its offered rate. The service's per-token rate limits
are off (the search measures capacity, not the limits).
"""

from __future__ import annotations

import json
import math
import os
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from loadtest import harness
from loadtest.capacity_search import STEPS_LOG
from loadtest.plan import PER_USER_RPS
from sim.results.stats import halfwidth

DEFAULT_SLO = "p95<250ms,errors<1%"
MIN_KEPT = 0.9  # a step holds only if it achieved this share of its offered rate
START_RPS = 8.0  # assumption: well below any server's capacity, so the first step holds
RESOLUTION = 0.1  # bisect until the held and broken levels are within 10%
REPEATS = 2  # extra steps at the capacity level, for its interval
MAX_USERS = 2000  # at PER_USER_RPS, 4,000 req/s: beyond what one machine's generator can offer
SETTLE_S = 2.0
SLO_PART = re.compile(r"^\s*(?:(p50|p90|p95|p99)\s*<\s*([0-9.]+)\s*(ms|s)|errors\s*<\s*([0-9.]+)\s*%)\s*$")
COLUMNS = ["step", "phase", "users", "offered_rps", "endpoint", "requests", "failures", "achieved_rps", "p50_ms",
           "p90_ms", "p95_ms", "p99_ms", "error_ratio", "server_cpu_share", "generator_cpu_share", "held", "reason"]


def parse_slo(text: str) -> dict[str, Any]:
    """``p95<250ms,errors<1%`` -> {"percentile": "p95", "latency_ms": 250, "error_ratio": 0.01, "min_kept"}."""
    slo: dict[str, Any] = {"percentile": "p95", "latency_ms": 250.0, "error_ratio": 0.01, "min_kept": MIN_KEPT}
    for part in text.split(","):
        m = SLO_PART.match(part)
        if not m:
            raise ValueError(f"--slo: cannot read {part.strip()!r}; write e.g. p95<250ms,errors<1% "
                             "(p50, p90, p95 or p99 in ms or s; errors in percent)")
        if m.group(1):
            value = float(m.group(2)) * (1000.0 if m.group(3) == "s" else 1.0)
            if value <= 0:
                raise ValueError(f"--slo: {part.strip()!r}: the latency limit must be > 0")
            slo["percentile"], slo["latency_ms"] = m.group(1), value
        else:
            slo["error_ratio"] = float(m.group(4)) / 100.0
    slo["text"] = text
    return slo


def settings(slo: dict[str, Any], budget_s: float, step_s: float | None, start_rps: float) -> dict[str, Any]:
    """The shape's parameters: a step long enough to measure, short enough for ~10 steps in the budget."""
    step = step_s or min(30.0, max(6.0, budget_s / 11))
    if step <= SETTLE_S + 1:
        raise ValueError(f"--step-seconds must be more than {SETTLE_S + 1:g} s (the first {SETTLE_S:g} s are left out)")
    return {"slo": slo, "step_s": step, "settle_s": SETTLE_S, "per_user_rps": PER_USER_RPS, "resolution": RESOLUTION,
            "repeats": REPEATS, "max_users": MAX_USERS, "start_users": max(1, round(start_rps / PER_USER_RPS))}


def run(o: harness.Options, slo_text: str = DEFAULT_SLO, step_s: float | None = None,
        start_rps: float = START_RPS) -> dict[str, Any]:
    """The search: one harness run with the capacity shape, then capacity.json, the step table and the chart."""
    try:
        slo = parse_slo(slo_text)
        params = settings(slo, o.run_time_s or 90.0, step_s, start_rps)
    except ValueError as exc:
        raise harness.InputError(str(exc)) from None
    (o.out / STEPS_LOG).unlink(missing_ok=True)
    result = harness.run(replace(o, capacity=params, rate_scale=0.0, run_time_s=o.run_time_s or 90.0, wrk_s=0.0))
    steps = read_steps(o.out / STEPS_LOG)
    if not steps:
        raise harness.HarnessError(f"the capacity search finished no step; see {o.out / 'locust.log'}")
    rows = table(steps, result["loadtest"]["over_time"]["resources"])
    write_table(rows, o.out / "capacity_steps.csv")
    doc = summarise(steps, rows, params)
    (o.out / "capacity.json").write_text(json.dumps(doc, indent=2) + "\n")
    from loadtest.capacity_chart import capacity_chart

    doc["chart"] = [str(p) for p in capacity_chart(o.out / "capacity_steps.csv", doc, o.out / "capacity")]
    (o.out / "capacity.json").write_text(json.dumps(doc, indent=2) + "\n")
    return result | {"capacity": doc, "rows": rows}


def read_steps(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def cpu_between(resources: list[dict[str, Any]], t0: float, t1: float, who: str) -> float | None:
    """Mean CPU share (of all cores) of `who` over the monitor intervals ending in (t0, t1]."""
    vals = [r[f"{who}_cpu_share"] for r in resources if t0 < r["t"] <= t1 and f"{who}_cpu_share" in r]
    return sum(vals) / len(vals) if vals else None


def table(steps: list[dict[str, Any]], resources: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rows = []
    for s in steps:
        server = cpu_between(resources, s["t0"], s["t1"], "server")
        client = cpu_between(resources, s["t0"], s["t1"], "client")
        for name, e in sorted(s["endpoints"].items(), key=lambda kv: (kv[0] != "all", kv[0])):
            rows.append({"step": s["step"], "phase": s["phase"], "users": s["users"], "offered_rps": s["offered_rps"],
                         "endpoint": name, "requests": e["requests"], "failures": e["failures"], "achieved_rps": e["rps"],
                         **{k: e.get(k) for k in ("p50_ms", "p90_ms", "p95_ms", "p99_ms")},
                         "error_ratio": e["failures"] / e["requests"] if e["requests"] else None,
                         "server_cpu_share": server, "generator_cpu_share": client, "held": s["held"], "reason": s["reason"]})
    return rows


def write_table(rows: list[dict[str, Any]], path: Path) -> None:
    """capacity_steps.csv through the one CSV writer (`sim.results.plain_csv`): ``\\n`` line ends, floats at full
    precision as plain decimals (an error share of 1/30,000 as ``0.000033333333333333335``, never ``3.3e-05``), an
    unmeasured value (None) as an empty cell."""
    import pandas as pd  # lazily, as the chart is: `fedsim loadtest` starts without pandas

    from sim.results.plain_csv import write_csv

    unknown = sorted({k for r in rows for k in r} - set(COLUMNS))
    if unknown:
        raise ValueError(f"capacity_steps.csv: columns not in COLUMNS: {unknown}")
    write_csv(pd.DataFrame(rows, columns=COLUMNS), path)


def summarise(steps: list[dict[str, Any]], rows: list[dict[str, Any]], params: dict[str, Any]) -> dict[str, Any]:
    """capacity.json: the highest held offered rate, its achieved throughput with an interval, the breach."""
    agg = {r["step"]: r for r in rows if r["endpoint"] == "all"}
    held = [s for s in steps if s["held"]]
    broken = [s for s in steps if not s["held"]]
    doc: dict[str, Any] = {"slo": params["slo"], "step_s": params["step_s"], "per_user_rps": params["per_user_rps"],
                           "steps": len(steps), "capacity_rps": None, "interval_rps": None,
                           "load_average_1m": os.getloadavg()[0], "cores": os.cpu_count()}
    if held:
        best = max(s["users"] for s in held)
        level = [s for s in steps if s["users"] == best]
        achieved = [agg[s["step"]]["achieved_rps"] for s in level]
        mean = sum(achieved) / len(achieved)
        hw = halfwidth(achieved) if len(achieved) > 1 else math.nan
        ids = {s["step"] for s in level}
        counts: dict[str, float] = {}
        for r in rows:  # the mix the capacity is of: the closed loop's, not a scenario's (docs/loadtest.md)
            if r["step"] in ids and r["endpoint"] != "all":
                counts[r["endpoint"]] = counts.get(r["endpoint"], 0.0) + r["requests"]
        doc["mix_at_capacity"] = {k: v / sum(counts.values()) for k, v in sorted(counts.items())} if counts else None
        doc |= {"capacity_rps": best * params["per_user_rps"], "users": best, "achieved_rps": achieved,
                "achieved_mean_rps": mean,
                "interval_rps": [mean - hw, mean + hw] if not math.isnan(hw) else None,
                "held_at_capacity": sum(s["held"] for s in level), "runs_at_capacity": len(level),
                "p95_ms_at_capacity": [agg[s["step"]]["p95_ms"] for s in level]}
        if doc["held_at_capacity"] < len(level):
            doc["note"] = (f"the capacity level held the SLO in {doc['held_at_capacity']} of {len(level)} runs: "
                           "it sits at the edge; treat the lower end of the interval as the capacity")
    else:
        doc["note"] = "no step held the SLO, even the first: the service (or the generator) is slower than the SLO asks"
    above = [s for s in broken if not held or s["users"] > max(x["users"] for x in held)]
    if above:
        first = min(above, key=lambda s: s["users"])
        a = agg[first["step"]]
        doc["first_breach"] = {"offered_rps": first["offered_rps"], "reason": first["reason"],
                               "achieved_rps": a["achieved_rps"], "p95_ms": a["p95_ms"]}
        doc["limited_by"] = limited_by(a)
        if held:
            doc["upper_bound_rps"] = first["offered_rps"]
            short = unfinished(doc, params)
            doc["search_finished"] = short is None
            if short:
                doc["note"] = "; ".join(filter(None, [doc.get("note"), short]))
    else:
        doc["limited_by"] = "not reached: no step broke the SLO within the budget (raise --run-time)"
        if held:  # the highest level tried held: a lower bound, which the terminal printed as the capacity
            doc["search_finished"] = False
            doc["note"] = "; ".join(filter(None, [doc.get("note"), (
                f"no step broke the SLO within the budget: the capacity is at least {doc['capacity_rps']:g} req/s, "
                "not a measured limit; raise --run-time")]))
    return doc


def unfinished(doc: dict[str, Any], params: dict[str, Any]) -> str | None:
    """What the budget cut short, said plainly: a bracket wider than the search's resolution, or a capacity level
    run fewer times than the repeats ask (no interval). None when the search finished."""
    resolution, wanted = params.get("resolution", RESOLUTION), 1 + params.get("repeats", REPEATS)
    low, high = doc["capacity_rps"], doc["upper_bound_rps"]
    wide = high - low > max(params["per_user_rps"], resolution * low)
    if not wide and doc["runs_at_capacity"] >= wanted:
        return None
    what = [f"the capacity lies between {low:g} (held) and {high:g} req/s (broke), a {high / low - 1:.0%} bracket "
            f"where the search bisects to {resolution:.0%}"] if wide else []
    if doc["runs_at_capacity"] < wanted:
        what.append(f"its level ran {doc['runs_at_capacity']} time(s) of {wanted}, so no interval")
    return f"the budget ran out before the search finished: {' and '.join(what)}; raise --run-time"


def limited_by(row: dict[str, Any]) -> str:
    """Which side ran out first at the breach: the generator near a whole core, else the server."""
    gen, srv = row.get("generator_cpu_share"), row.get("server_cpu_share")
    if gen is None or srv is None:
        return "unknown (no CPU samples)"
    return ("generator (Locust near one core: the figure is the generator's limit, not the service's)" if gen > 0.45
            else f"server (server CPU {srv:.0%} of all cores, generator {gen:.0%}; on a shared machine, other "
                 "processes' CPU counts too: see load_average_1m)")


def format_table(rows: list[dict[str, Any]]) -> str:
    """The per-step table for the terminal (aggregate rows)."""
    lines = ["  step phase   users offered/s achieved/s  p50 ms  p95 ms  p99 ms  errors  server  gen.  verdict"]
    for r in rows:
        if r["endpoint"] != "all":
            continue
        pct = [f"{r[k]:7.0f}" if r[k] is not None else "    n/a" for k in ("p50_ms", "p95_ms", "p99_ms")]
        cpu = [f"{r[k]:6.0%}" if r[k] is not None else "   n/a" for k in ("server_cpu_share", "generator_cpu_share")]
        err = f"{r['error_ratio']:7.2%}" if r["error_ratio"] is not None else "    n/a"
        lines.append(f"  {r['step']:4d} {r['phase']:<7} {r['users']:5d} {r['offered_rps']:9.1f} {r['achieved_rps']:10.1f} "
                     f"{' '.join(pct)} {err} {cpu[0]} {cpu[1]}  {r['reason']}")
    return "\n".join(lines)
