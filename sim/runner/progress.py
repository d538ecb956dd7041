"""Progress bars: one across the runs of a batch, and one simulated-day bar per run in flight in long runs.

Bars go to stderr and are off when stderr is not a terminal or with ``--quiet``. A run's day bar appears when
a run lasts at least `DAY_BAR_MIN_DAYS` simulated days (a UX choice: shorter runs finish before a bar helps; a
national run of 7 days, the short run the docs suggest, takes ~12 s, ~3 s of them its days, which a threshold of 14
left without a bar) and disappears when the run ends. A run's set-up before its first day shows no bar. Pool
workers report days through a multiprocessing queue that a background thread drains; the in-process executor calls
`on_day` directly; Dask workers report no days.
"""

from __future__ import annotations

import queue
import sys
import threading
from typing import Any, TextIO

from tqdm import tqdm

DAY_BAR_MIN_DAYS = 5
DRAIN_POLL_S = 0.2


def wanted(quiet: bool, stream: TextIO | None = None) -> bool:
    stream = stream or sys.stderr
    return not quiet and hasattr(stream, "isatty") and stream.isatty()


class Progress:
    def __init__(self, enabled: bool, days_per_run: int, stream: TextIO | None = None) -> None:
        self.enabled = enabled
        self.stream = stream or sys.stderr
        self.day_bars = enabled and days_per_run >= DAY_BAR_MIN_DAYS
        self._lock = threading.Lock()
        self._runs = tqdm(total=0, desc="runs", unit="run", disable=not enabled, file=self.stream, position=0,
                          dynamic_ncols=True)
        self._active: dict[tuple[int, int], tqdm] = {}
        self._finished: set[tuple[int, int]] = set()
        self._failed = 0
        self._queue: Any = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def add_runs(self, n: int) -> None:
        with self._lock:
            self._runs.total += n
            self._runs.refresh()

    def on_day(self, msg: tuple[int, int, int, int]) -> None:
        if not self.day_bars:
            return
        dp, rep, day, total = msg
        with self._lock:
            if (dp, rep) in self._finished:
                return
            bar = self._active.get((dp, rep))
            if bar is None:
                used = {b.pos for b in self._active.values()}
                slot = next(i for i in range(1, len(used) + 2) if i not in used and -i not in used)
                bar = tqdm(total=total, desc=f"  point {dp} rep {rep}", unit="day", file=self.stream, position=slot,
                           leave=False, dynamic_ncols=True)
                self._active[(dp, rep)] = bar
            bar.update(day - bar.n)

    def on_run_done(self, design_point: int, replication: int, ok: bool) -> None:
        with self._lock:
            self._finished.add((design_point, replication))
            bar = self._active.pop((design_point, replication), None)
            if bar is not None:
                bar.close()
            self._failed += 0 if ok else 1
            if self._failed:
                self._runs.set_postfix_str(f"{self._failed} failed", refresh=False)
            self._runs.update(1)

    def worker_queue(self, ctx: Any) -> Any:
        """A queue for pool workers' day messages (None when no day bars are shown), drained by a thread."""
        if not self.day_bars:
            return None
        if self._queue is None:
            self._queue = ctx.Queue()
            self._thread = threading.Thread(target=self._drain, name="fedsim-progress", daemon=True)
            self._thread.start()
        return self._queue

    def _drain(self) -> None:
        while not self._stop.is_set():
            try:
                msg = self._queue.get(timeout=DRAIN_POLL_S)
            except queue.Empty:
                continue
            except (EOFError, OSError):
                return
            self.on_day(msg)

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=2 * DRAIN_POLL_S + 1)
        if self._queue is not None:  # a put from this process started the queue's feeder thread: end it here
            self._queue.close()
            self._queue.join_thread()
        with self._lock:
            for bar in self._active.values():
                bar.close()
            self._active.clear()
            self._runs.close()
