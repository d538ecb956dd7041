"""Metrics aggregated at the source: daily series and whole-run values, plus the data-flow table.

`Recorder` holds one float64 array of length ``days`` per daily metric (counts are summed into them;
levels such as reads held are set), and one number per whole-run metric. Rows come out in the tidy long
format of ``metrics.csv``: (day, metric, value), where day is None for whole-run values. A daily count
with no explicit whole-run value gets its sum as the whole-run value. Metric names are stable and
documented in docs/metrics.md.

`FlowTable` counts searches and records moving from an owner-agency type to a searcher type per day,
keyed by (day, owner_type, searcher_type, relation, path); it is the ``flows.csv`` table.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np


class Recorder:
    def __init__(self, days: int) -> None:
        self.days = days
        self.daily: dict[str, np.ndarray] = {}
        self.levels: set[str] = set()
        self.totals: dict[str, float] = {}

    def _series(self, name: str) -> np.ndarray:
        arr = self.daily.get(name)
        if arr is None:
            arr = np.zeros(self.days)
            self.daily[name] = arr
        return arr

    def count(self, name: str, day: int, n: float = 1.0) -> None:
        """Add `n` to a daily count; days outside the recorded range (warm-up) are ignored."""
        if 0 <= day < self.days:
            self._series(name)[day] += n

    def count_days(self, name: str, days: np.ndarray, weights: np.ndarray | None = None) -> None:
        """Vectorised `count`: add each weight (default 1) to its day; out-of-range days ignored."""
        days = np.asarray(days, dtype=np.int64)
        keep = (days >= 0) & (days < self.days)
        w = None if weights is None else np.asarray(weights, dtype=float)[keep]
        self._series(name)[:] += np.bincount(days[keep], weights=w, minlength=self.days)[: self.days]

    def level(self, name: str, day: int, value: float) -> None:
        """Set a daily level (a stock such as reads held, not a flow)."""
        if 0 <= day < self.days:
            self._series(name)[day] = value
            self.levels.add(name)

    def total(self, name: str, value: float) -> None:
        """Set a whole-run value (a rate, a mean, a percentile, or an explicit total)."""
        self.totals[name] = float(value)

    def get_total(self, name: str) -> float:
        if name in self.totals:
            return self.totals[name]
        if name in self.daily and name not in self.levels:
            return float(self.daily[name].sum())
        raise KeyError(name)

    def rows(self) -> list[tuple[int | None, str, float]]:
        out: list[tuple[int | None, str, float]] = []
        for name in sorted(self.daily):
            out.extend((d, name, float(v)) for d, v in enumerate(self.daily[name]))
        names = set(self.totals) | {n for n in self.daily if n not in self.levels}
        out.extend((None, name, self.get_total(name)) for name in sorted(names))
        return out


class FlowTable:
    def __init__(self) -> None:
        self._acc: dict[tuple[int, str, str, str, str], list[float]] = defaultdict(lambda: [0.0, 0.0])

    def add(self, day: int, owner_type: str, searcher_type: str, relation: str, path: str, searches: float,
            records: float) -> None:
        cell = self._acc[(day, owner_type, searcher_type, relation, path)]
        cell[0] += searches
        cell[1] += records

    def rows(self) -> list[tuple[int, str, str, str, str, float, float]]:
        return [(*key, v[0], v[1]) for key, v in sorted(self._acc.items())]
