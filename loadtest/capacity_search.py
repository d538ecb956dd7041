"""The capacity search's logic, apart from Locust: the search's state, a step's window and its verdict.

`Search` chooses each step's users (double until the SLO breaks, bisect, repeat the best held level);
`window` turns two snapshots of Locust's statistics (per endpoint: cumulative requests, failures and the
response-time histogram in milliseconds) into the step's own counts and percentiles; `verdict` says
whether the step held the SLO. `loadtest.capacity_shape` runs them inside Locust.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

STEPS_LOG = "capacity_steps.jsonl"  # one JSON line per finished step, in the run folder


@dataclass
class Search:
    """Where the search stands: the held/broken bounds (users) and what runs next."""

    lo: int = 0  # most users that held the SLO
    hi: int = 0  # fewest users that broke it (0: none yet)
    phase: str = "grow"  # grow -> bisect -> repeat -> done
    repeats_left: int = 0
    steps: list[dict[str, Any]] = field(default_factory=list)

    def next_users(self, held: bool, users: int, resolution: float, repeats: int, max_users: int,
                   steps_left: int = 1_000) -> int | None:
        """The next step's users, or None when done. With few steps left in the budget, bisection stops so the
        repeats of the best level still fit."""
        if self.phase == "repeat":
            self.repeats_left -= 1
            return users if self.repeats_left > 0 else None
        if held:
            self.lo = max(self.lo, users)
        else:
            self.hi = users if not self.hi else min(self.hi, users)
        if self.phase == "grow" and held and users < max_users:
            return min(users * 2, max_users)
        self.phase = "bisect"
        room = steps_left > repeats or not self.lo
        if room and self.hi and self.hi - self.lo > max(1.0, resolution * max(self.lo, 1)):
            return (self.lo + self.hi) // 2 if self.lo else max(1, self.hi // 2)
        if not self.lo or repeats <= 0:
            return None
        self.phase, self.repeats_left = "repeat", repeats
        return self.lo


def percentile(hist: dict[int, int], q: float) -> float | None:
    """The `q` quantile (0..1) of a {milliseconds: count} histogram."""
    total = sum(hist.values())
    if total <= 0:
        return None
    rank, seen = q * total, 0
    for ms in sorted(hist):
        seen += hist[ms]
        if seen >= rank:
            return float(ms)
    return float(max(hist))


def snapshot(stats: Any) -> dict[str, tuple[int, int, dict[int, int]]]:
    """Per endpoint ("METHOD name"): cumulative (requests, failures, response-time histogram)."""
    return {f"{method} {name}".strip(): (e.num_requests, e.num_failures, dict(e.response_times))
            for (name, method), e in stats.entries.items()}


def window(before: dict[str, tuple[int, int, dict[int, int]]], after: dict[str, tuple[int, int, dict[int, int]]],
           seconds: float) -> dict[str, dict[str, Any]]:
    """Per endpoint and "all": requests, failures and p50/p90/p95/p99 (ms) between two snapshots."""
    out: dict[str, dict[str, Any]] = {}
    total: dict[int, int] = {}
    n_all = f_all = 0
    for name, (n1, f1, h1) in after.items():
        n0, f0, h0 = before.get(name, (0, 0, {}))
        hist = {ms: c - h0.get(ms, 0) for ms, c in h1.items() if c - h0.get(ms, 0) > 0}
        n, f = n1 - n0, f1 - f0
        if n <= 0 and f <= 0:
            continue
        for ms, c in hist.items():
            total[ms] = total.get(ms, 0) + c
        n_all, f_all = n_all + n, f_all + f
        out[name] = row(n, f, hist, seconds)
    out["all"] = row(n_all, f_all, total, seconds)
    return out


def row(n: int, f: int, hist: dict[int, int], seconds: float) -> dict[str, Any]:
    return {"requests": n, "failures": f, "rps": n / seconds if seconds > 0 else 0.0,
            "p50_ms": percentile(hist, 0.50), "p90_ms": percentile(hist, 0.90), "p95_ms": percentile(hist, 0.95),
            "p99_ms": percentile(hist, 0.99)}  # every percentile an SLO may name (`loadtest.capacity.SLO_PART`)


def verdict(measured: dict[str, Any], offered_rps: float, seconds: float, slo: dict[str, Any]) -> tuple[bool, str]:
    """Whether a step held the SLO, and if not, why (the first limit broken)."""
    agg = measured["all"]
    if agg["requests"] <= 0:
        return False, "no requests completed"
    key = slo["percentile"]
    value = agg.get(f"{key}_ms")
    if value is None or value >= slo["latency_ms"]:
        return False, f"{key} {value} ms >= {slo['latency_ms']:g} ms"
    errors = (agg["failures"] / agg["requests"]) if agg["requests"] else 1.0
    if errors >= slo["error_ratio"]:
        return False, f"errors {errors:.2%} >= {slo['error_ratio']:.2%}"
    expected = offered_rps * seconds  # Poisson arrivals: allow three standard deviations of the count below
    if agg["requests"] < slo["min_kept"] * expected - 3 * math.sqrt(expected):
        return False, f"achieved {agg['rps']:.1f} req/s < {slo['min_kept']:.0%} of the {offered_rps:.1f} offered"
    return True, "held"
