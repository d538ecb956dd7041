"""Metrics: declared once beside the component that records them, aggregated at the source, plus the flow table.

A `Metric` declares one name a component records (the model is Starsim's ``define_results``): its unit,
a label for people, a one-line meaning, its ``kind`` and how it is recorded and reduced.

- ``kind``: ``outcome`` (what the model is for: depends on the interplay of world, policy and behaviour),
  ``input_echo`` (essentially a scenario input played back, e.g. the share of searches citing a reason is
  ``behavior.searches.reasons``: a check, never a finding) or ``load`` (platform load: queues,
  utilization, latency).
- ``series``: ``count`` (summed per day; whole-run value the sum), ``level`` (a stock set per day; whole-run
  value as ``whole_run`` says) or ``value`` (whole-run only: a rate, mean or percentile).
- ``across``: how replications reduce; ``mean`` is the mean with its t-based 95% CI, median, p5 and p95
  (`sim.results.stats.summarize`), the only reduction so far.

A name ending in ``<placeholder>`` (``search.reason.<reason>``) declares a family: any name with that
prefix. Components list their declarations in a class attribute ``metrics``
(`sim.model.component.Component`); `Declared` is the union that a run's `Recorder` accepts and that
reports, the CLI and docs/metrics.md read (`sim.results.catalog`).

`Recorder` holds one float64 array of length ``days`` per daily metric (counts are summed into them;
levels are set), and one number per whole-run metric. Recording a name no component declared raises
`UndeclaredMetric`; the check runs when a name is first seen, never per recorded event. Rows come out in
the tidy long format of ``metrics.csv``: (day, metric, value), day None for whole-run values. A daily
count with no explicit whole-run value gets its sum as the whole-run value.

`FlowTable` counts searches and records moving from an owner-agency type to a searcher type per day,
keyed by (day, owner_type, searcher_type, relation, path); it is the ``flows.csv`` table.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

import numpy as np

Kind = Literal["outcome", "input_echo", "load"]
Series = Literal["count", "level", "value"]
Across = Literal["mean"]
KINDS: tuple[str, ...] = ("outcome", "input_echo", "load")
SERIES: tuple[str, ...] = ("count", "level", "value")
ACROSS: tuple[str, ...] = ("mean",)


class UndeclaredMetric(KeyError):
    """A component recorded a metric name that no component declared."""

    def __str__(self) -> str:
        return str(self.args[0])


@dataclass(frozen=True)
class Metric:
    name: str  # dotted and stable; a family ends in "<placeholder>"
    unit: str  # what one unit is: "searches", "s", "share", "bytes", "1/s"
    label: str  # for a policymaker: "ALPR searches"
    meaning: str  # one line: what it counts and, where it helps, the figure it is compared with
    kind: Kind
    series: Series
    whole_run: str = ""  # levels: how the days reduce to the whole-run value
    across: Across = "mean"

    def __post_init__(self) -> None:
        for field, value, allowed in (("kind", self.kind, KINDS), ("series", self.series, SERIES),
                                      ("across", self.across, ACROSS)):
            if value not in allowed:
                raise ValueError(f"metric {self.name!r}: {field} {value!r} is not one of {', '.join(allowed)}")
        if self.series == "level" and not self.whole_run:
            raise ValueError(f"metric {self.name!r}: a level says how days reduce to its whole-run value")

    @property
    def family(self) -> bool:
        return self.name.endswith(">")

    @property
    def prefix(self) -> str:
        """The part before the placeholder of a family (the whole name otherwise)."""
        return self.name[: self.name.index("<")] if self.family else self.name

    def member(self, name: str) -> Metric:
        """This declaration for one member of its family (label and meaning with the member's key)."""
        key = name.removeprefix(self.prefix)
        slot = self.name[len(self.prefix):]
        return Metric(name, self.unit, self.label.replace(slot, key.replace("_", " ")),
                      self.meaning.replace(slot, key), self.kind, self.series, self.whole_run, self.across)


def queue_metrics(prefix: str, jobs: str, what: str, servers: str) -> tuple[Metric, ...]:
    """The whole-run probes `sim.model.server_pool.ServerPool.stats(prefix)` records for one queue.

    `jobs` is the unit of a job ("searches"), `what` the queue's name for people, `servers` what serves it.
    """

    def m(suffix: str, unit: str, label: str, meaning: str) -> Metric:
        return Metric(f"{prefix}.{suffix}", unit, f"{what}: {label}", meaning, "load", "value")

    return (
        m("jobs", jobs, "jobs", f"{jobs} arriving at the {what.lower()} in the recorded period"),
        m("arrival_rate_per_s", "1/s", "arrival rate", f"`{prefix}.jobs` / recorded seconds"),
        m("wait_mean_s", "s", "mean wait", "mean wait before service starts (jobs that started before the horizon)"),
        m("wait_p95_s", "s", "95th-percentile wait", "95th percentile of that wait"),
        m("utilization", "share", "utilization", f"time-weighted busy servers / {servers}"),
        m("queue_mean", jobs, "mean queue", "time-weighted mean number waiting; Little's law: ≈ arrival rate × mean wait"),
    )


class Declared:
    """The metrics some components declare, looked up by name (families by prefix)."""

    def __init__(self, metrics: Iterable[Metric]) -> None:
        self.exact: dict[str, Metric] = {}
        self.families: list[Metric] = []
        for m in metrics:
            known = self.exact.get(m.name) or next((f for f in self.families if f.name == m.name), None)
            if known is not None:
                if known != m:
                    raise ValueError(f"metric {m.name!r} is declared twice, differently")
                continue
            if m.family:
                self.families.append(m)
            else:
                self.exact[m.name] = m

    @classmethod
    def of(cls, components: Iterable[type]) -> Declared:
        """The union of the components' ``metrics`` declarations."""
        return cls(m for c in components for m in getattr(c, "metrics", ()))

    def __iter__(self):  # declarations in declaration order, families last
        yield from self.exact.values()
        yield from self.families

    def __len__(self) -> int:
        return len(self.exact) + len(self.families)

    def get(self, name: str) -> Metric | None:
        m = self.exact.get(name)
        if m is not None:
            return m
        fam = max((f for f in self.families if name.startswith(f.prefix) and len(name) > len(f.prefix)),
                  key=lambda f: len(f.prefix), default=None)
        return fam.member(name) if fam is not None else None

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self.get(name) is not None

    def __getitem__(self, name: str) -> Metric:
        m = self.get(name)
        if m is None:
            raise UndeclaredMetric(f"metric {name!r} is not declared by any component; declare it in the "
                                   "component's `metrics` (see sim/model/metrics.py)")
        return m


class Recorder:
    def __init__(self, days: int, declared: Declared) -> None:
        self.days = days
        self.declared = declared
        self.daily: dict[str, np.ndarray] = {}
        self.levels: set[str] = set()
        self.totals: dict[str, float] = {}

    def _check(self, name: str, series: tuple[str, ...]) -> None:
        """A first use of `name`: it must be declared, with a matching series (never run per event)."""
        m = self.declared[name]
        if m.series not in series:
            raise UndeclaredMetric(f"metric {name!r} is declared as a {m.series}, recorded as a {'/'.join(series)}")

    def _series(self, name: str) -> np.ndarray:
        arr = self.daily.get(name)
        if arr is None:
            self._check(name, ("count",))
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
            if name not in self.levels:
                self._check(name, ("level",))
                self.levels.add(name)
                self.daily.setdefault(name, np.zeros(self.days))
            self.daily[name][day] = value

    def total(self, name: str, value: float) -> None:
        """Set a whole-run value (a rate, a mean, a percentile, a level's reduction, or an explicit total)."""
        if name not in self.totals:
            self._check(name, ("value", "level", "count"))
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
