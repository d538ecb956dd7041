"""When this process may `os.fork()` a helper that works on a copy of its memory, and one such helper.

Forking hands a child everything the parent has built (a national world is ~150 MB of arrays and a graph)
without pickling it: pages are shared copy-on-write. It is safe only where the child cannot inherit a lock
held by another thread (a thread inside ``malloc``, an import or a logging call at the moment of the fork
would leave that lock held forever in the child). So a fork is used only on Linux (macOS forks are unsafe
with its system frameworks) and only when this process runs no other Python thread, tqdm's idle monitor
excepted (it only wakes to check its bars and takes no lock that the child's work needs).

`ForkedResult` runs one function in a forked child and reads its bytes back through a pipe: no temporary
file, nothing left behind if either side dies (a child whose parent was killed gets a broken pipe and exits).
"""

from __future__ import annotations

import gc
import multiprocessing as mp
import os
import signal
import sys
import threading
from collections.abc import Callable

HARMLESS_THREADS = ("tqdm_monitor",)


def other_threads() -> list[str]:
    """Names of the Python threads alive besides the main thread that would make a fork unsafe."""
    return [t.name for t in threading.enumerate()
            if t is not threading.main_thread() and not (t.daemon and t.name in HARMLESS_THREADS)]


def fork_is_safe() -> bool:
    """Linux, fork available, and no other Python thread that could hold a lock the child would inherit."""
    return sys.platform == "linux" and "fork" in mp.get_all_start_methods() and not other_threads()


class ForkedResult:
    """`fn()` (returning bytes) computed in a forked child while the parent goes on; `result()` waits for it.

    The child exits with ``os._exit`` (no atexit handlers, no flush of the parent's buffered output, no
    finalizers of the parent's objects) and runs with the cyclic garbage collector off, so it never runs
    the finalizer of an object it merely inherited. `result()` is None when the child failed (its exception
    is not carried over): the caller then computes the value itself and gets the error where it belongs.
    """

    def __init__(self, fn: Callable[[], bytes]) -> None:
        read, write = os.pipe()
        try:
            pid = os.fork()
        except OSError:
            os.close(read)
            os.close(write)
            raise
        if pid == 0:  # the child
            status = 1
            try:
                gc.disable()
                os.close(read)
                data = fn()
                with os.fdopen(write, "wb") as pipe:
                    pipe.write(data)
                status = 0
            except BaseException:  # noqa: BLE001 - reported to the parent as a failed child (exit status 1)
                pass
            finally:
                os._exit(status)
        os.close(write)
        self._pid: int | None = pid
        self._read = read

    def result(self) -> bytes | None:
        """The child's bytes, or None when it failed; waits for it (once)."""
        if self._pid is None:
            return None
        chunks = []
        with os.fdopen(self._read, "rb") as pipe:
            while chunk := pipe.read(1 << 20):
                chunks.append(chunk)
        _, status = os.waitpid(self._pid, 0)
        self._pid = None
        return b"".join(chunks) if os.waitstatus_to_exitcode(status) == 0 else None

    def cancel(self) -> None:
        """Stop waiting: end the child (if still running) and reap it."""
        if self._pid is None:
            return
        try:
            os.kill(self._pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.close(self._read)
        os.waitpid(self._pid, 0)
        self._pid = None
