"""A forked helper: its bytes come back through a pipe, a failure is None, a cancelled child is reaped."""

from __future__ import annotations

import os
import sys
import threading
import time

import pytest

from sim.forking import ForkedResult, fork_is_safe

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="forked helpers are used on Linux only")


def test_the_childs_bytes_come_back_larger_than_a_pipe_buffer() -> None:
    data = bytes(range(256)) * 8192  # 2 MiB: the child blocks on the pipe until the parent reads
    parent = os.getpid()
    child = ForkedResult(lambda: data if os.getpid() != parent else b"computed in the parent")
    assert child.result() == data
    assert child.result() is None  # read once


def test_a_failing_child_gives_none() -> None:
    def boom() -> bytes:
        raise RuntimeError("no summary")

    assert ForkedResult(boom).result() is None


def test_a_cancelled_child_is_ended_and_reaped() -> None:
    child = ForkedResult(lambda: time.sleep(60) or b"late")
    pid = child._pid
    started = time.monotonic()
    child.cancel()
    assert time.monotonic() - started < 10
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # already reaped: no zombie left


def test_fork_is_unsafe_while_another_thread_runs() -> None:
    assert fork_is_safe()
    stop = threading.Event()
    other = threading.Thread(target=stop.wait, daemon=True)
    other.start()
    try:
        assert not fork_is_safe()
    finally:
        stop.set()
        other.join()
