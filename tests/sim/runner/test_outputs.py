"""world.json computed beside the runs (a thread, or a forked child for in-process runs) is the same bytes."""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

import pytest

from sim.config import load_scenario
from sim.runner import outputs, seeds
from sim.runner.outputs import WorldSummary
from sim.world.build import build_world_cached
from tests.conftest import SCENARIOS


@pytest.fixture(scope="module")
def small():
    sc = load_scenario(SCENARIOS / "small.yaml")
    return sc, build_world_cached(sc, seeds.world_seed(sc.run.seed))


def written(summary: WorldSummary, folder: Path) -> bytes:
    folder.mkdir()
    return summary.write(folder).read_bytes()


@pytest.mark.skipif(sys.platform != "linux", reason="the forked summary is used on Linux only")
def test_an_in_process_run_summarises_its_world_in_a_forked_child(small, tmp_path: Path) -> None:
    sc, world = small
    inline = written(WorldSummary(sc), tmp_path / "inline")
    forked = WorldSummary(sc)
    forked.start(sc, sc.run.seed, world, in_process=True)
    assert forked._child is not None and forked._thread is None
    assert written(forked, tmp_path / "forked") == inline
    threaded = WorldSummary(sc)
    threaded.start(sc, sc.run.seed, world, in_process=False)  # beside worker processes: a thread
    assert threaded._thread is not None
    assert written(threaded, tmp_path / "threaded") == inline


def test_no_fork_while_another_thread_runs_and_a_failed_child_is_computed_here(small, tmp_path: Path,
                                                                                monkeypatch) -> None:
    sc, world = small
    inline = written(WorldSummary(sc), tmp_path / "inline")
    stop = threading.Event()
    other = threading.Thread(target=stop.wait, daemon=True)
    other.start()
    try:
        busy = WorldSummary(sc)
        busy.start(sc, sc.run.seed, world, in_process=True)
        assert busy._child is None  # forking now could copy a lock that thread holds
    finally:
        stop.set()
        other.join()
    assert written(busy, tmp_path / "busy") == inline
    parent, real = os.getpid(), outputs.world_summary

    def fails_in_a_child(*args, **kw):
        if os.getpid() != parent:
            raise MemoryError("the child ran out of memory")
        return real(*args, **kw)

    monkeypatch.setattr(outputs, "world_summary", fails_in_a_child)
    failed = WorldSummary(sc)
    failed.start(sc, sc.run.seed, world, in_process=True)
    assert written(failed, tmp_path / "failed") == inline

    def no_fork() -> int:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", no_fork)
    unforked = WorldSummary(sc)
    unforked.start(sc, sc.run.seed, world, in_process=True)  # no fork to be had: computed when written
    assert unforked._child is None and written(unforked, tmp_path / "unforked") == inline
