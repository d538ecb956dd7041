"""Where runs execute, behind one `concurrent.futures.Executor` interface.

- ``inprocess``: runs each task in the calling process when it is submitted (debugging, single runs).
- ``process`` (default): a local `ProcessPoolExecutor` with ``workers`` processes (default: the CPU count),
  started with ``forkserver`` so no thread state of the parent leaks into workers.
- ``dask``: Dask distributed, the engine for sweeps beyond one machine: ``scheduler="tcp://HOST:PORT"``
  connects to a running cluster; without it a `LocalCluster` of ``workers`` processes (one thread each) is
  started on 127.0.0.1 and closed afterwards. Every task carries its own seed and is submitted with
  ``pure=False``, so Dask never merges two identical-looking calls into one.

Worker processes started by forkserver or spawn (the pool, a local Dask cluster) first re-run the parent's
main script when it was started from a file. A script that calls `run` at its top level, outside
``if __name__ == "__main__":``, would start a batch in every worker, and a script read from standard input
(``python - <<EOF``) cannot be re-run at all. `unsafe_main` recognises both (it reads the script's syntax
tree: is the call inside such a guard?), and the runner then runs in-process with a one-line notice.

The runner only calls ``submit``, waits on the futures with `concurrent.futures.wait` and ``shutdown``; Dask
futures are mirrored into standard futures for that. Results are identical on every executor because each
run's seed depends only on (seed, design point, replication) and outputs are merged in a fixed order.
"""

from __future__ import annotations

import ast
import concurrent.futures as cf
import logging
import multiprocessing as mp
import os
import sys
import warnings
from collections.abc import Callable
from typing import Any

from sim.model.simulation import COMPONENTS
from sim.runner.errors import RunnerError
from sim.runner.task import init_worker

KINDS = ("process", "inprocess", "dask")
# Assumption: 30 s is ample to reach a scheduler on a local network, and bounds a wrong address.
CONNECT_TIMEOUT_S = 30


class InProcessExecutor(cf.Executor):
    """Runs each task at submit time, in this process; the future is already done when returned."""

    workers = 1
    kind = "inprocess"

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> cf.Future:
        fut: cf.Future = cf.Future()
        fut.set_running_or_notify_cancel()
        try:
            fut.set_result(fn(*args, **kwargs))
        except Exception as exc:
            fut.set_exception(exc)
        return fut


# Imported once by the forkserver, so each pool worker starts with the model loaded (missing ones are skipped).
# `sim.runner.api` and the CLI are there too: a worker re-runs the parent's main script (multiprocessing's
# forkserver and spawn do, for a script run by path: `fedsim ...`, or a user's `from sim import run` script),
# and with these already imported that costs nothing (measured: a 2-worker batch of 8 one-day runs from a
# script, 1.3 s -> 0.5 s, as from `python -c`).
PRELOAD = ["sim.runner.task", "sim.world.build", *(c.__module__ for c in COMPONENTS), "sim.runner.api",
           "sim.cli.main"]


def pool_context() -> Any:
    """forkserver where available (workers fork from a server that has the model imported once), else spawn."""
    if "forkserver" not in mp.get_all_start_methods():
        return mp.get_context("spawn")
    ctx = mp.get_context("forkserver")
    ctx.set_forkserver_preload(PRELOAD)
    return ctx


class ProcessExecutor(cf.ProcessPoolExecutor):
    kind = "process"

    def __init__(self, workers: int, progress_queue_factory: Callable[[Any], Any] | None = None) -> None:
        ctx = pool_context()
        queue = progress_queue_factory(ctx) if progress_queue_factory else None
        super().__init__(max_workers=workers, mp_context=ctx, initializer=init_worker, initargs=(queue,))
        self.workers = workers


class DaskExecutor(cf.Executor):
    kind = "dask"

    def __init__(self, workers: int, scheduler: str | None = None) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise RunnerError("--executor dask needs Dask distributed: pip install 'fedsim[dask]'") from None
        self.cluster = None
        if scheduler:
            try:
                self.client = Client(scheduler, timeout=CONNECT_TIMEOUT_S)
            except (OSError, TimeoutError) as exc:
                raise RunnerError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
        else:
            with warnings.catch_warnings():  # the scheduler's status page moves off a busy port 8787: fine
                warnings.filterwarnings("ignore", message="Port .* is already in use")
                self.cluster = LocalCluster(
                    n_workers=workers,
                    threads_per_worker=1,
                    processes=True,
                    host="127.0.0.1",
                    dashboard_address=None,
                    silence_logs=logging.ERROR,
                )
            self.client = Client(self.cluster, timeout=CONNECT_TIMEOUT_S)
        self.workers = max(1, len(self.client.scheduler_info().get("workers", {})))
        # Dask's own standard-futures executor: it settles each standard future from the client's event loop,
        # where a Dask future's add_done_callback would start a callback thread pool that distributed never ends.
        self.futures = self.client.get_executor(pure=False)

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> cf.Future:
        return self.futures.submit(fn, *args, **kwargs)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()
        stop_dask_threads()


def stop_dask_threads() -> None:
    """End the offload thread pool Dask distributed keeps for the life of the process, once no client is left.

    A local cluster's scheduler, which runs in this process, offloads (de)serialisation to a module-wide pool
    (`distributed.utils.offload`; a client does too for large messages) that distributed never ends. Left alive,
    its thread makes every later `os.fork()` in this process unsafe (`sim.forking.fork_is_safe`), so a report
    drawn after a Dask sweep falls back to one process. The pool is made again here, idle (a
    `ThreadPoolExecutor` starts its thread at its first task). A client someone else still has open keeps it.

    distributed has no public way to end it (checked in 2026.8.0: ``utils._offload_executor`` is a private
    module attribute, created at import, never shut down), so this reaches into it. Should a release rename or
    replace it, the Dask executor tests fail: tests/conftest.py's ``no_thread_left_behind`` asserts after each
    test of tests/sim that no new thread is alive (verified: with this function a no-op, the first Dask test
    errors on the leftover ``Dask-Offload_0``). The other pool distributed keeps, Dask futures' callback pool,
    is never started: `DaskExecutor` settles standard futures with ``Client.get_executor`` instead.
    """
    from distributed import default_client, utils

    try:
        default_client()
        return  # another client in this process may still have messages in that pool
    except ValueError:
        pass
    offload = utils._offload_executor
    if offload._threads:
        offload.shutdown(wait=True)
        utils._offload_executor = cf.ThreadPoolExecutor(max_workers=1, thread_name_prefix="Dask-Offload")


def _main_guards(tree: ast.Module) -> list[tuple[int, int]]:
    """Line ranges of the bodies of top-level ``if __name__ == "__main__":`` blocks."""
    out = []
    for node in tree.body:
        if isinstance(node, ast.If) and isinstance(node.test, ast.Compare) and len(node.test.comparators) == 1:
            sides = [node.test.left, node.test.comparators[0]]
            names = {s.id for s in sides if isinstance(s, ast.Name)}
            texts = {s.value for s in sides if isinstance(s, ast.Constant)}
            if names == {"__name__"} and texts == {"__main__"} and isinstance(node.test.ops[0], ast.Eq):
                out.append((node.body[0].lineno, node.body[-1].end_lineno or node.body[-1].lineno))
    return out


def unsafe_main() -> str | None:
    """Why worker processes cannot start from this program's main script (None when they can).

    Workers re-run a main script given by path (or re-import a module run with ``python -m``, except a
    package's ``__main__``); the call into the runner must then sit inside ``if __name__ == "__main__":``,
    found by walking up to the script's top-level frame and reading its syntax tree.
    """
    main = sys.modules.get("__main__")
    path = getattr(main, "__file__", None)
    if main is None or path is None:
        return None  # python -c, an interactive session or a notebook: workers do not re-run it
    name = getattr(main.__spec__, "name", None) or ""
    if name == "__main__" or name.endswith(".__main__"):
        return None  # python -m package: multiprocessing does not re-run a package's __main__
    # python -m module re-imports the module in each worker, and python script.py re-runs the script
    if not os.path.isfile(path):
        return (f"worker processes cannot re-read the main program ({path}); save it to a file with the call "
                "under `if __name__ == \"__main__\":` to use them")
    frame = sys._getframe(1)
    while frame is not None and not (frame.f_globals is main.__dict__ and frame.f_code.co_name == "<module>"):
        frame = frame.f_back
    if frame is None:
        return None  # not called from the script's top-level code (a callback, a thread): nothing re-runs it
    try:
        with open(path, encoding="utf-8") as f:
            tree = ast.parse(f.read(), path)
    except (OSError, SyntaxError, UnicodeDecodeError):
        return f"cannot read {path} to check that the call is under `if __name__ == \"__main__\":`"
    line = frame.f_lineno
    if any(lo <= line <= hi for lo, hi in _main_guards(tree)):
        return None
    return (f"{os.path.basename(path)} calls the runner outside `if __name__ == \"__main__\":`, so every worker "
            "process would run it again; put the call under that guard to use worker processes")


def check_executor(kind: str, workers: int | None, scheduler: str | None) -> None:
    if kind not in KINDS:
        raise RunnerError(f"executor must be one of {', '.join(KINDS)}, got {kind!r}")
    if workers is not None and workers < 1:
        raise RunnerError(f"--workers must be at least 1, got {workers}")
    if scheduler and kind != "dask":
        raise RunnerError("--scheduler is only used with --executor dask")


def make_executor(
    kind: str, workers: int | None, scheduler: str | None = None, progress_queue_factory: Callable[[Any], Any] | None = None
) -> cf.Executor:
    """An executor of the given kind; `workers` defaults to the CPU count."""
    check_executor(kind, workers, scheduler)
    n = workers or os.cpu_count() or 1
    if kind == "inprocess":
        return InProcessExecutor()
    if kind == "process":
        return ProcessExecutor(n, progress_queue_factory)
    return DaskExecutor(n, scheduler)
