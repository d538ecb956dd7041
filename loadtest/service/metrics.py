"""Prometheus metrics in text format, times in seconds (Prometheus' base unit), merged across uvicorn workers.

Series (see docs/service.md for how the load tests read them):
- ``fedsim_http_server_duration_seconds{method,route}``: histogram of server-side time per request, from the first
  byte the ASGI app sees to the last byte of the response, by route template (``/v1/requests/{request_id}``).
- ``fedsim_http_responses_total{method,route,status}``: responses by status code.
- ``fedsim_search_server_seconds{kind}``: server time of a search by kind (``plate``, ``vehicle``), from its
  handler's start to its answer (the route's time mixes both kinds).
- ``fedsim_db_batch_duration_seconds{op}``: histogram of database time per transaction (one ALPR group commit, one
  search with its audit, one package...), by operation.
- ``fedsim_alpr_batch_reads``: reads per ingest batch (one POST); ``fedsim_alpr_commit_reads``: reads per
  ingest transaction (concurrent batches share a group commit); ``fedsim_alpr_reads_ingested_total``.
- ``fedsim_purge_deleted_total{table}``; ``fedsim_packages_built_total``; ``fedsim_worker_pass_duration_seconds{job}``.
- gauges read at scrape time (`gauges`): ``process_cpu_seconds_total``, ``process_resident_memory_bytes``,
  ``process_open_fds`` (the answering worker process), ``fedsim_writer_queue_depth`` (writes waiting for the
  group commit), ``fedsim_ingest_queue_depth`` (ALPR batches waiting: the ingest backlog) and
  ``fedsim_db_size_bytes`` (the SQLite pages, the WAL aside, or the PostgreSQL database);
  ``fedsim_db_table_rows{table}`` (exact rows per table, counted at most every few seconds off the event loop:
  `loadtest.service.table_rows`) and ``fedsim_db_table_rows_age_seconds`` (how old those counts are).
Time buckets follow a 1-2-5 series from 10 us to 10 s. With several workers each process writes a snapshot to
``Settings.metrics_dir`` once a second, and a scrape adds them up (counters and histograms are sums).
"""

from __future__ import annotations

import json
import os
import threading
from bisect import bisect_left
from pathlib import Path

# Seconds: 1-2-5 from 10 us to 10 s (built from whole microseconds so each bound prints exactly).
SECONDS_BUCKETS: tuple[float, ...] = tuple(m * 10**e / 1e6 for e in range(1, 7) for m in (1, 2, 5)) + (10.0,)
COUNT_BUCKETS: tuple[float, ...] = (1, 10, 50, 100, 250, 500, 1000, 2500, 5000, 10_000, 20_000)
COUNT_SERIES = frozenset({"fedsim_alpr_batch_reads", "fedsim_alpr_commit_reads"})

HELP = {
    "fedsim_http_server_duration_seconds": ("histogram", "server-side time per request by route template, seconds"),
    "fedsim_http_responses_total": ("counter", "responses by route template and status code"),
    "fedsim_search_server_seconds": ("histogram", "server time of a search by kind (plate, vehicle), seconds"),
    "fedsim_db_batch_duration_seconds": ("histogram", "database time per transaction (batch) by operation, seconds"),
    "fedsim_writer_service_seconds": ("histogram", "group writer's own time per item by operation: its statements and its "
                                      "share of the group's BEGIN and COMMIT, queueing left out, seconds"),
    "fedsim_alpr_batch_reads": ("histogram", "reads per ALPR ingest batch (one POST)"),
    "fedsim_alpr_commit_reads": ("histogram", "reads per ALPR ingest transaction (group commit of concurrent batches)"),
    "fedsim_alpr_reads_ingested_total": ("counter", "ALPR reads committed"),
    "fedsim_purge_deleted_total": ("counter", "rows removed by the retention purge"),
    "fedsim_packages_built_total": ("counter", "evidence packages built"),
    "fedsim_worker_pass_duration_seconds": ("histogram", "one pass of a background job (packaging, purge), seconds"),
}
Key = tuple[str, tuple[tuple[str, str], ...]]
Gauge = float | dict[tuple[tuple[str, str], ...], float]  # one value, or one per label set


class Registry:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.hist: dict[Key, list[float]] = {}  # bucket counts..., sum, count
        self.counters: dict[Key, float] = {}

    def observe(self, name: str, value: float, **labels: str) -> None:
        buckets = COUNT_BUCKETS if name in COUNT_SERIES else SECONDS_BUCKETS
        key = (name, tuple(sorted(labels.items())))
        with self._lock:
            h = self.hist.get(key)
            if h is None:
                h = self.hist[key] = [0.0] * (len(buckets) + 3)
            h[bisect_left(buckets, value)] += 1
            h[-2] += value
            h[-1] += 1

    def inc(self, name: str, amount: float = 1.0, **labels: str) -> None:
        key = (name, tuple(sorted(labels.items())))
        with self._lock:
            self.counters[key] = self.counters.get(key, 0.0) + amount

    def snapshot(self) -> dict:
        with self._lock:
            return {
                "hist": [[k[0], list(k[1]), list(v)] for k, v in self.hist.items()],
                "counters": [[k[0], list(k[1]), v] for k, v in self.counters.items()],
            }


def merge(snapshots: list[dict]) -> Registry:
    out = Registry()
    for snap in snapshots:
        for name, labels, values in snap["hist"]:
            key = (name, tuple(tuple(p) for p in labels))
            cur = out.hist.setdefault(key, [0.0] * len(values))
            out.hist[key] = [a + b for a, b in zip(cur, values, strict=True)]
        for name, labels, value in snap["counters"]:
            key = (name, tuple(tuple(p) for p in labels))
            out.counters[key] = out.counters.get(key, 0.0) + value
    return out


def _labels(pairs: tuple[tuple[str, str], ...], extra: tuple[tuple[str, str], ...] = ()) -> str:
    items = [*pairs, *extra]
    if not items:
        return ""
    body = ",".join(f'{k}="{str(v).replace(chr(92), chr(92) * 2).replace(chr(34), chr(92) + chr(34))}"' for k, v in items)
    return "{" + body + "}"


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else repr(x)


def render(reg: Registry) -> str:
    lines: list[str] = []
    for name, (kind, text) in HELP.items():
        hists = sorted((k, v) for k, v in reg.hist.items() if k[0] == name)
        counters = sorted((k, v) for k, v in reg.counters.items() if k[0] == name)
        if not hists and not counters:
            continue
        lines += [f"# HELP {name} {text}", f"# TYPE {name} {kind}"]
        for (_, labels), v in counters:
            lines.append(f"{name}{_labels(labels)} {_num(v)}")
        for (_, labels), v in hists:
            buckets = COUNT_BUCKETS if name in COUNT_SERIES else SECONDS_BUCKETS
            running = 0.0
            for bound, n in zip((*buckets, float("inf")), v[:-2], strict=False):
                running += n
                le = "+Inf" if bound == float("inf") else _num(bound)
                lines.append(f"{name}_bucket{_labels(labels, (('le', le),))} {_num(running)}")
            lines.append(f"{name}_sum{_labels(labels)} {_num(v[-2])}")
            lines.append(f"{name}_count{_labels(labels)} {_num(v[-1])}")
    return "\n".join(lines) + "\n"


class Metrics:
    """This process's registry, plus the snapshots of sibling workers when a metrics folder is set."""

    def __init__(self, folder: str | None = None) -> None:
        self.registry = Registry()
        self.folder = Path(folder) if folder else None
        if self.folder:
            self.folder.mkdir(parents=True, exist_ok=True)

    def db_seconds(self, op: str, seconds: float) -> None:
        self.registry.observe("fedsim_db_batch_duration_seconds", seconds, op=op)

    def dump(self) -> None:
        if self.folder:
            tmp = self.folder / f"{os.getpid()}.json.tmp"
            tmp.write_text(json.dumps(self.registry.snapshot()))
            tmp.replace(self.folder / f"{os.getpid()}.json")

    def text(self, gauges: dict[str, tuple[str, Gauge]] | None = None) -> str:
        """The registry (merged with sibling workers'), then `gauges` (name -> (help, value)) of this process."""
        tail = render_gauges(gauges or {})
        if not self.folder:
            return render(self.registry) + tail
        mine = f"{os.getpid()}.json"
        others = []
        for path in self.folder.glob("*.json"):
            if path.name != mine:
                try:
                    others.append(json.loads(path.read_text()))
                except (OSError, ValueError):
                    continue  # a sibling is rewriting its file; its next snapshot will count
        return render(merge([self.registry.snapshot(), *others])) + tail


def render_gauges(gauges: dict[str, tuple[str, Gauge]]) -> str:
    """Gauges (name -> (help, value or {labels: value})) as Prometheus text; a name ending ``_total`` is a counter."""
    lines = []
    for name, (text, value) in gauges.items():
        kind = "counter" if name.endswith("_total") else "gauge"
        lines += [f"# HELP {name} {text}", f"# TYPE {name} {kind}"]
        values = value if isinstance(value, dict) else {(): value}
        lines += [f"{name}{_labels(labels)} {_num(v)}" for labels, v in values.items()]
    return "\n".join(lines) + "\n" if lines else ""


def process_gauges() -> dict[str, tuple[str, Gauge]]:
    """CPU seconds, resident memory and open files of this (worker) process."""
    import psutil  # a core dependency; imported here so the registry stays importable without it

    p = psutil.Process()
    cpu = p.cpu_times()
    out: dict[str, tuple[str, Gauge]] = {
        "process_cpu_seconds_total": ("user and system CPU seconds of the answering worker process", cpu.user + cpu.system),
        "process_resident_memory_bytes": ("resident memory of the answering worker process", p.memory_info().rss)}
    try:
        out["process_open_fds"] = ("open file descriptors of the answering worker process", p.num_fds())
    except (AttributeError, psutil.Error):  # not on every platform
        pass
    return out
