"""Progress bars: off when not a terminal or quiet; a runs bar and per-run day bars in long runs."""

from __future__ import annotations

import io
import multiprocessing as mp
import time

from sim.runner.progress import DAY_BAR_MIN_DAYS, Progress, wanted


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_bars_are_off_without_a_terminal_or_when_quiet() -> None:
    assert not wanted(False, io.StringIO())
    assert not wanted(True, Tty())
    assert wanted(False, Tty())


def test_runs_bar_and_day_bars_for_long_runs() -> None:
    out = Tty()
    p = Progress(True, DAY_BAR_MIN_DAYS, out)
    p.add_runs(2)
    for day in range(1, DAY_BAR_MIN_DAYS + 1):
        p.on_day((0, 1, day, DAY_BAR_MIN_DAYS))
    assert p._active[(0, 1)].n == DAY_BAR_MIN_DAYS
    p.on_run_done(0, 1, ok=True)
    p.on_day((0, 1, 3, DAY_BAR_MIN_DAYS))  # a late message of a finished run makes no new bar
    p.on_run_done(0, 0, ok=False)
    p.close()
    text = out.getvalue()
    assert "runs" in text and "2/2" in text and "1 failed" in text
    assert f"point 0 rep 1:   0%|          | 0/{DAY_BAR_MIN_DAYS}" in text and "point 0 rep 0" not in text


def test_short_runs_get_no_day_bars_and_no_queue() -> None:
    out = Tty()
    p = Progress(True, DAY_BAR_MIN_DAYS - 1, out)
    assert p.worker_queue(mp.get_context("spawn")) is None
    p.on_day((0, 0, 1, DAY_BAR_MIN_DAYS - 1))
    p.close()
    assert "rep 0" not in out.getvalue()


def test_worker_queue_messages_reach_the_day_bar() -> None:
    out = Tty()
    p = Progress(True, 30, out)
    q = p.worker_queue(mp.get_context("spawn"))
    for day in range(1, 31):
        q.put((2, 0, day, 30))
    deadline = time.monotonic() + 10
    while ((2, 0) not in p._active or p._active[(2, 0)].n < 30) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert p._active[(2, 0)].n == 30
    p.close()
    assert "point 2 rep 0" in out.getvalue() and "/30" in out.getvalue()


def test_disabled_progress_writes_nothing() -> None:
    out = io.StringIO()
    p = Progress(False, 100, out)
    p.add_runs(3)
    p.on_day((0, 0, 1, 100))
    p.on_run_done(0, 0, ok=True)
    p.close()
    assert out.getvalue() == ""


def test_a_week_long_run_gets_a_day_bar() -> None:
    """A national run of 7 days (`--set run.days=7`, the docs' short run) showed no day bar, since day bars began at
    14 days: its days take ~3 s of its ~12 s."""
    assert Progress(True, 7, io.StringIO()).day_bars
