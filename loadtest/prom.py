"""Reading the service's `/metrics` (Prometheus text format): counters and histograms, differences, quantiles.

The service exports server-side time per route as histograms in seconds
(``fedsim_http_server_duration_seconds{method,route}``) and database time per transaction
(``fedsim_db_batch_duration_seconds{op}``); see docs/service.md. A load test scrapes before and after the run
and keeps the difference, so the figures cover exactly the run. Quantiles interpolate linearly inside a
bucket, as Prometheus's ``histogram_quantile`` does.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

Labels = tuple[tuple[str, str], ...]
_LINE = re.compile(r"^(?P<name>[A-Za-z_:][A-Za-z0-9_:]*)(?:\{(?P<labels>.*)\})?\s+(?P<value>\S+)(?:\s+\d+)?$")
_LABEL = re.compile(r'([A-Za-z_][A-Za-z0-9_]*)="((?:[^"\\]|\\.)*)"')


@dataclass
class Histogram:
    bounds: list[float] = field(default_factory=list)  # bucket upper bounds, ascending, last +inf
    cumulative: list[float] = field(default_factory=list)
    sum: float = 0.0
    count: float = 0.0

    @property
    def mean(self) -> float:
        return self.sum / self.count if self.count else float("nan")

    def quantile(self, q: float) -> float:
        """The q-quantile (0..1) by linear interpolation inside the bucket; NaN when empty."""
        if not self.count:
            return float("nan")
        rank = q * self.count
        lower, below = 0.0, 0.0
        for bound, cum in zip(self.bounds, self.cumulative, strict=True):
            if cum >= rank and cum > below:
                if math.isinf(bound):
                    return lower  # beyond the last finite bound: report that bound, as Prometheus does
                return lower + (bound - lower) * (rank - below) / (cum - below)
            lower, below = bound, cum
        return lower

    def drop_lowest(self, n: float) -> Histogram:
        """The histogram without its `n` smallest observations (their sum estimated at bucket midpoints)."""
        n = min(max(n, 0.0), self.count)
        cum, removed_sum, lower, below = [], 0.0, 0.0, 0.0
        for bound, c in zip(self.bounds, self.cumulative, strict=True):
            in_bucket = c - below
            gone = min(in_bucket, max(n - below, 0.0))
            mid = lower * 1.5 if math.isinf(bound) else (lower + bound) / 2
            removed_sum += gone * mid
            cum.append(c - min(c, n))
            lower, below = (lower if math.isinf(bound) else bound), c
        return Histogram(list(self.bounds), cum, max(self.sum - removed_sum, 0.0), self.count - n)

    def minus(self, other: Histogram | None) -> Histogram:
        if other is None or not other.bounds:
            return Histogram(list(self.bounds), list(self.cumulative), self.sum, self.count)
        if other.bounds != self.bounds:
            raise ValueError("histograms with different buckets cannot be subtracted")
        cum = [a - b for a, b in zip(self.cumulative, other.cumulative, strict=True)]
        return Histogram(list(self.bounds), cum, self.sum - other.sum, self.count - other.count)


@dataclass
class Scrape:
    histograms: dict[tuple[str, Labels], Histogram] = field(default_factory=dict)
    samples: dict[tuple[str, Labels], float] = field(default_factory=dict)  # counters and gauges

    def minus(self, before: Scrape) -> Scrape:
        hist = {k: h.minus(before.histograms.get(k)) for k, h in self.histograms.items()}
        samples = {k: v - before.samples.get(k, 0.0) for k, v in self.samples.items()}
        return Scrape(hist, samples)

    def family(self, name: str) -> dict[Labels, Histogram]:
        return {labels: h for (n, labels), h in self.histograms.items() if n == name}

    def total(self, name: str) -> float:
        return sum(v for (n, _), v in self.samples.items() if n == name)


def _value(text: str) -> float:
    return {"+Inf": math.inf, "-Inf": -math.inf, "NaN": math.nan}.get(text, None) or float(text)


def parse(text: str) -> Scrape:
    """Parse Prometheus text exposition; histogram series (`_bucket`, `_sum`, `_count`) are grouped."""
    out = Scrape()
    buckets: dict[tuple[str, Labels], list[tuple[float, float]]] = {}
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        m = _LINE.match(line)
        if not m:
            continue
        name, value = m["name"], _value(m["value"])
        pairs = [(k, bytes(v, "utf-8").decode("unicode_escape")) for k, v in _LABEL.findall(m["labels"] or "")]
        le = next((v for k, v in pairs if k == "le"), None)
        labels: Labels = tuple(sorted((k, v) for k, v in pairs if k != "le"))
        if name.endswith("_bucket") and le is not None:
            buckets.setdefault((name[: -len("_bucket")], labels), []).append((_value(le), value))
        elif name.endswith("_sum") and (name[:-4], labels) in buckets:
            out.histograms.setdefault((name[:-4], labels), Histogram()).sum = value
        elif name.endswith("_count") and (name[:-6], labels) in buckets:
            out.histograms.setdefault((name[:-6], labels), Histogram()).count = value
        else:
            out.samples[(name, labels)] = value
    for key, rows in buckets.items():
        rows.sort()
        h = out.histograms.setdefault(key, Histogram())
        h.bounds = [b for b, _ in rows]
        h.cumulative = [c for _, c in rows]
    return out


def route_table(scrape: Scrape, name: str = "fedsim_http_server_duration_seconds", scale: float = 1e3) -> dict[str, dict]:
    """Per `METHOD route`: count, mean and p50/p90/p95/p99 (seconds in the histogram -> milliseconds)."""
    table = {}
    for labels, h in sorted(scrape.family(name).items()):
        d = dict(labels)
        key = f"{d.get('method', '')} {d.get('route', d.get('op', ''))}".strip()
        if not h.count:
            continue
        table[key] = {
            "count": int(h.count),
            "mean_ms": h.mean * scale,
            **{f"p{q}_ms": h.quantile(q / 100) * scale for q in (50, 90, 95, 99)},
            "busy_s": h.sum,
        }
    return table
