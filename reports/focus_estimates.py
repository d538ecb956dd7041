"""Estimates of a focus brief (`reports.focus`): a place's counts summed per replication, their mean with a 95% CI,
and a scenario's change against the baseline (paired over replications under a shared root seed, else Welch),
with the words for a change and the tests a sentence asks of it (clear, exactly unchanged)."""

from __future__ import annotations

import math
from dataclasses import replace

import pandas as pd

from reports.readable import bounded_diff, signed
from sim.results.stats import Estimate, mean_ci, paired_diff, welch_diff


def per_rep(by_state: pd.DataFrame, metric: str, states: set[str] | None, exclude: str | None = None) -> dict[int, float]:
    """Replication -> the metric summed over `states` (None: all, FED included) minus `exclude`."""
    rows = by_state[by_state.metric == metric]
    if states is not None:
        rows = rows[rows.state.isin(states)]
    if exclude is not None:
        rows = rows[rows.state != exclude]
    return {int(r): float(v) for r, v in rows.groupby("replication").value.sum().items()}


def count_estimate(values: dict[int, float]) -> Estimate:
    return mean_ci(list(values.values()))


def shared(base: dict[int, float], other: dict[int, float], same_seed: bool) -> tuple[dict[int, float], dict[int, float]]:
    """Under a shared seed, both restricted to the replications they share (when they share any): what a paired
    change compares, and so what the baseline value beside it must be."""
    common = set(base) & set(other)
    if not same_seed or not common:
        return base, other
    return {r: base[r] for r in sorted(common)}, {r: other[r] for r in sorted(common)}


def count_change(base: dict[int, float], other: dict[int, float], same_seed: bool) -> Estimate:
    """other - base with a 95% CI (paired under a shared seed), cut so the other's value stays >= 0: every
    measure here is a count (`reports.readable.bounded_diff`; NC's proxy entries read 50,720, change -218,859).
    Under a shared seed only the replications both runs have are compared: a 1-replication run against a 2-replication
    baseline took the baseline's mean over both, and read replication 1's noise as a change (+2,432 federal audit
    entries outside NC for an NC-only ban)."""
    base, other = shared(base, other, same_seed)
    est = paired_diff(other, base) if same_seed else None
    if est is None:
        est = welch_diff(count_estimate(other), count_estimate(base))
    low, high = bounded_diff(est.low, est.high, count_estimate(base).mean, "count")
    return replace(est, low=low, high=high)


def is_unchanged(d: Estimate) -> bool:
    """Exactly no change in every replication (a paired difference of 0 with a zero-width interval)."""
    return d.mean == 0 and (not d.has_ci or d.low == d.high)


def is_clear(d: Estimate) -> bool:
    """A change its 95% CI keeps away from 0. Without a CI (one replication) no change is clear: the focus sentence
    called every change of a 1-replication comparison 'clearly' so."""
    return d.has_ci and (d.low > 0 or d.high < 0)


def is_uncertain(d: Estimate) -> bool:
    """A change with no CI to judge it by (one replication in common)."""
    return not d.has_ci and math.isfinite(d.mean) and d.mean != 0


def noise_words(d: Estimate) -> str:
    """How a change that is not clear reads."""
    return "no CI: 1 replication" if not d.has_ci else "within noise"


def change_text(d: Estimate) -> str:
    if not math.isfinite(d.mean):
        return "n/a"
    text = signed(d.mean, "count")
    if d.has_ci:
        text += f" (95% CI {signed(d.low, 'count')} to {signed(d.high, 'count')})"
    return text
