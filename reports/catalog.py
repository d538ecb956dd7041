"""How each metric of ``metrics.csv`` prints: its label, its display unit and its kind, from the model's declarations.

Labels, units, meanings and kinds are declared once beside the component that records a metric
(`sim.results.catalog`, docs/metrics.md); this module only turns a declared unit into a display unit and
formats numbers. A name no component declares prints under its own name. Display units: ``count`` (counts
and levels: whole-run totals per replication over the recorded days), ``seconds``, ``bytes`` (print as
GB, 10^9 bytes), ``share`` (prints as %), ``amount`` (a declared metric's means, percentiles, rates: never
negative) and ``number`` (an undeclared name: sign unknown).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from sim.results.catalog import KEY_METRICS, display_unit
from sim.results.catalog import info as declared
from sim.results.stats import Estimate, bounded

__all__ = ["KEY_METRICS", "MetricInfo", "big", "fmt", "fmt_ci", "fmt_estimate", "info"]


@dataclass(frozen=True)
class MetricInfo:
    label: str
    unit: str  # display unit: "count", "share", "seconds", "bytes", "amount", "number"
    kind: str = ""  # "outcome", "input_echo", "load"; empty for an undeclared name
    meaning: str = ""


def info(metric: str) -> MetricInfo:
    m = declared(metric)
    if m is None:
        return MetricInfo(metric, "number")
    return MetricInfo(m.label, display_unit(m.unit, m.series), m.kind, m.meaning)


def pct(share: float) -> str:
    """A share (0..1) in percent, the one rule for every share a page shows: one decimal ("0.0%", "42.5%",
    "100.0%"), and a share that is not 0 (or 1) but rounds to it "<0.1%" (">99.9%"). A table read "0%" beside
    "100.0%", and 0.0004 read "0.04%" beside "12.3%"."""
    if share is None or not math.isfinite(share):
        return "n/a"
    p = share * 100
    if 0 < abs(p) < 0.05:
        return "<0.1%" if p > 0 else "-<0.1%"
    if 99.95 <= p < 100:
        return ">99.9%"
    return f"{p:.1f}%"


def fmt(value: float, unit: str) -> str:
    """One number in words a reader can take in: 1.2 million, 3.4%, 12 s, 5.6 GB."""
    if value is None or not math.isfinite(value):
        return "n/a"
    if unit == "share":
        return pct(value)
    if unit == "bytes":
        return f"{value / 1e9:,.2f} GB"
    if unit == "seconds":
        return f"{value:,.1f} s" if abs(value) < 100 else f"{value / 60:,.1f} min"
    if unit == "count" or abs(value) >= 1000:
        return big(value)
    return f"{value:,.3g}" if abs(value) < 10 else f"{value:,.1f}"


def big(value: float) -> str:
    """A count for prose: 1.23 million, 5,267, 86.3, 4.2."""
    a = abs(value)
    if a >= 1e9:
        return f"{value / 1e9:,.3g} billion"
    if a >= 1e6:
        return f"{value / 1e6:,.3g} million"
    if a >= 100:
        return f"{value:,.0f}"
    return f"{value:.3g}"


def fmt_estimate(est: Estimate, unit: str) -> str:
    """``mean (95% CI low to high)``, the interval cut to the unit's range (`sim.results.stats.bounded`: a share
    of ``-0.6% to 7.8%`` reads ``0% to 7.8%``), or ``mean (no CI: n replication)``."""
    if est.n == 0:
        return "n/a"
    if not est.has_ci:
        return f"{fmt(est.mean, unit)} (no CI: {est.n} replication{'s' if est.n != 1 else ''})"
    cut = bounded(est, unit)
    return f"{fmt(est.mean, unit)} (95% CI {fmt(cut.low, unit)} to {fmt(cut.high, unit)})"


def fmt_ci(est: Estimate, unit: str) -> str:
    """Only the interval part, cut to the unit's range as `fmt_estimate` cuts it: ``95% CI a to b`` or ``no CI``."""
    if not est.has_ci:
        return f"no CI (n={est.n})"
    cut = bounded(est, unit)
    return f"95% CI {fmt(cut.low, unit)} to {fmt(cut.high, unit)}"
