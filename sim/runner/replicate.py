"""How many replications: a fixed number, or enough for a narrow confidence interval (``--replications auto``).

`Fixed(n)` runs n replications. `Auto(metric, target, cap)` first runs a pilot of `PILOT` replications, then,
after each round, estimates from the relative half-width h of the metric's t-based 95% CI how many
replications would bring it to the target (n_needed = ceil(n * (h / target)^2), the usual 1/sqrt(n) law) and
runs the difference, at least one more, never beyond the cap. It stops when h <= target, at the cap, or when
no run of the point succeeded. Every decision depends only on the results, never on the worker count, so
the number of replications, and the output files, are the same on any executor. The metric is a whole-run
metric or one state's by_state figure, ``METRIC.ST`` (`sim.results.state_metric`), which each run reports from
its by_state rows (`sim.runner.task.RunRecord.state_totals`); `Auto.describe` gives its mean and CI, since a
state's figure is in no summary.json (`sim.results.stats.mean_ci`, so a whole-run metric's are summary.json's to the
last digit; a NaN value leaves them unknown, as it leaves the half-width).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sim.results.stats import mean_ci, relative_halfwidth
from sim.runner.errors import RunnerError

# Assumption: five replications are the smallest pilot that gives a usable first estimate of the spread.
PILOT = 5
DEFAULT_TARGET = 0.05
DEFAULT_CAP = 50


@dataclass(frozen=True)
class Fixed:
    n: int

    def __post_init__(self) -> None:
        if self.n < 1:
            raise RunnerError(f"replications must be at least 1, got {self.n}")

    def initial(self) -> int:
        return self.n

    def next(self, values: Sequence[float], attempted: int) -> int | None:
        return None

    def describe(self, values: Sequence[float], attempted: int) -> dict[str, Any]:
        return {"mode": "fixed", "replications": attempted}


@dataclass(frozen=True)
class Auto:
    metric: str
    target: float = DEFAULT_TARGET
    cap: int = DEFAULT_CAP

    def __post_init__(self) -> None:
        if not self.metric:
            raise RunnerError("--replications auto needs --metric NAME (a whole-run metric, e.g. optin.rate, or one "
                              "state's by_state figure, METRIC.ST, e.g. audit.records_received_proxy.TX)")
        if not (0.0 < self.target < 1.0):
            raise RunnerError(f"--target-halfwidth is a relative half-width between 0 and 1 (e.g. 0.05), got {self.target}")
        if self.cap < 2:
            raise RunnerError(f"--max-replications must be at least 2, got {self.cap}")

    def initial(self) -> int:
        return min(PILOT, self.cap)

    def next(self, values: Sequence[float], attempted: int) -> int | None:
        """The new number of replications to have run, or None when the point is done."""
        if attempted >= self.cap or not values:
            return None
        rel = relative_halfwidth(values)
        if math.isnan(rel):
            return attempted + 1
        if rel <= self.target:
            return None
        failed = attempted - len(values)
        needed = len(values) if math.isinf(rel) else math.ceil(len(values) * (rel / self.target) ** 2)
        return min(self.cap, max(attempted + 1, needed + failed))

    def describe(self, values: Sequence[float], attempted: int) -> dict[str, Any]:
        rel = relative_halfwidth(values) if values else math.nan
        # a NaN value leaves the estimate unknown, as it leaves `rel` (and `next` runs one more replication)
        est = mean_ci(values, nan="propagate")
        return {
            "mode": "auto",
            "metric": self.metric,
            "target_halfwidth": self.target,
            "max_replications": self.cap,
            "replications": attempted,
            "achieved_halfwidth": None if math.isnan(rel) or math.isinf(rel) else rel,
            "converged": bool(values) and not math.isnan(rel) and rel <= self.target,
            # the metric's estimate: a per-state metric (METRIC.ST) is in no summary.json, so it is said here
            "mean": None if math.isnan(est.mean) else est.mean,
            "ci_low": None if math.isnan(est.low) else est.low,
            "ci_high": None if math.isnan(est.high) else est.high,
        }


ReplicationRule = Fixed | Auto  # how many replications a design point runs
