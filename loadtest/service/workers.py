"""Background threads of one worker process: packaging, retention purge, metrics snapshots.

Each loop wakes every interval, does one bounded pass, logs (never raises) errors, and stops within one
interval of `stop()`. Passes are safe to run in several processes at once (see packaging and purge).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from loadtest.service.context import Context
from loadtest.service.packaging import package_pending
from loadtest.service.purge import purge

log = logging.getLogger("fedsim.service")
METRICS_DUMP_S = 1.0


class Workers:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    def _loop(self, name: str, interval: float, job: Callable[[], None]) -> None:
        while not self._stop.wait(interval):
            t0 = time.perf_counter()
            try:
                job()
            except Exception:
                log.exception("background job %s failed; retrying in %.1f s", name, interval)
            if name != "metrics":
                self.ctx.metrics.registry.observe("fedsim_worker_pass_duration_seconds", time.perf_counter() - t0, job=name)

    def _package(self) -> None:
        built = package_pending(self.ctx.db)
        if built:
            self.ctx.metrics.registry.inc("fedsim_packages_built_total", built)

    def _purge(self) -> None:
        for table, n in purge(self.ctx.db, self.ctx.settings.purge_batch).items():
            if n:
                self.ctx.metrics.registry.inc("fedsim_purge_deleted_total", n, table=table)

    def start(self) -> None:
        s = self.ctx.settings
        jobs: list[tuple[str, float, Callable[[], None]]] = []
        if s.background:
            jobs += [("packaging", s.package_interval_s, self._package), ("purge", s.purge_interval_s, self._purge)]
        if s.metrics_dir:
            jobs.append(("metrics", METRICS_DUMP_S, self.ctx.metrics.dump))
        for name, interval, job in jobs:
            t = threading.Thread(target=self._loop, args=(name, interval, job), name=f"fedsim-{name}", daemon=True)
            t.start()
            self._threads.append(t)

    def stop(self) -> None:
        self._stop.set()
        for t in self._threads:
            t.join(timeout=30)
