"""How estimates and differences read in a brief: one minus sign, intervals inside a metric's range, ranking.

- Units: a difference of shares (0..1) reads in percentage points (``+3.1 points``), other differences in
  the metric's unit, with the relative change in percent beside them.
- Signs: every signed number (a difference, a percent change, a bound of a difference's interval) is written
  with ``+`` or the typographic minus ``−`` (U+2212), never the hyphen, so a column of changes reads evenly.
- Ranges: a count, a size in bytes or a duration cannot be below 0 and a share lies in 0..1; a t interval
  is symmetric and, with few replications, can cross those bounds (``-488.9 to 819.9`` households). Shown
  intervals are cut at the bound (`bounded`, from `sim.results.stats`, which the CLI's printout uses too), which
  keeps their coverage (the true value is inside the range anyway). A difference's interval is cut likewise
  where it would put the other scenario's value out of range (`bounded_diff`: a count cannot fall by more than 100%).
- Ranking: metrics are declared with a kind (``outcome``: what the model is for; ``load``: how busy the
  platform is; ``input_echo``: a model input read back, not a finding). Briefs list outcomes first, then
  load, then anything undeclared, and input echoes last (`KIND_RANK`); `kind_of` reads the declaration.
"""

from __future__ import annotations

import math

from reports.catalog import fmt, info
from sim.results.stats import NONNEGATIVE, bounded

__all__ = ["KIND_WORDS", "bounded", "bounded_diff", "kind_of", "kind_rank", "signed", "signed_pct"]

MINUS = "\u2212"
KIND_RANK = {"outcome": 0, "load": 1, "": 2, "input_echo": 3}
# What a number can show (its metric's declared kind, docs/metrics.md), in the words of the briefs' tables.
KIND_WORDS = {"outcome": "result", "input_echo": "input played back", "load": "platform load"}


def kind_of(metric: str) -> str:
    """The metric's declared kind (``outcome``, ``load``, ``input_echo``), or "" where none is declared."""
    return str(getattr(info(metric), "kind", "") or "")


def kind_rank(metric: str) -> int:
    return KIND_RANK.get(kind_of(metric), KIND_RANK[""])


def bounded_diff(low: float, high: float, baseline: float, unit: str) -> tuple[float, float]:
    """A difference's interval (other - baseline) cut to what the metric's range allows: the other scenario's
    value cannot be below 0 (so the difference not below -baseline), nor a share above 1."""
    if unit in NONNEGATIVE and math.isfinite(low) and math.isfinite(baseline):
        low = max(low, -baseline)
    if unit == "share" and math.isfinite(high) and math.isfinite(baseline):
        high = min(high, 1.0 - baseline)
    return low, high


def signed(value: float, unit: str) -> str:
    """A difference with its sign: ``+1,204``, ``+0`` (a zero reads as no change, with a plus); a difference of
    shares in percentage points, ``−3.2 points`` (0.42 -> 0.388), never ``−3.2%``, which reads as relative."""
    if value is None or not math.isfinite(value):
        return "n/a"
    text = fmt(abs(value), unit)
    if unit == "share":
        text = text.removesuffix("%") + " points"
    return (MINUS if value < 0 and _nonzero(text) else "+") + text


def _nonzero(text: str) -> bool:
    """Whether a formatted magnitude shows any non-zero digit (so ``−0`` is never printed)."""
    return any(ch in "123456789" for ch in text)


def signed_pct(value: float) -> str:
    """A relative change in percent, one decimal, with ``+`` or ``−``."""
    if value is None or not math.isfinite(value):
        return "n/a"
    text = f"{abs(value):.1f}%"
    return (MINUS if value < 0 and _nonzero(text) else "+") + text
