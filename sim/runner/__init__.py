"""Runs at scale: replications, sweeps, executors (in-process, process pool, Dask), progress and tidy outputs.

`run(scenario)` and `sweep(scenario)` (`sim.runner.api`) are the entry points; see docs/running.md. They are
imported on first use, so a worker that imports only `sim.runner.task` does not load the parent's machinery.
"""

from typing import Any

__all__ = ["AllRunsFailed", "Result", "RunnerError", "SweepResult", "run", "sweep"]
_HOMES = {
    "run": "sim.runner.api",
    "sweep": "sim.runner.api",
    "Result": "sim.runner.results",
    "SweepResult": "sim.runner.results",
    "RunnerError": "sim.runner.errors",
    "AllRunsFailed": "sim.runner.errors",
}


def __getattr__(name: str) -> Any:
    if name in _HOMES:
        import importlib

        return getattr(importlib.import_module(_HOMES[name]), name)
    raise AttributeError(f"module 'sim.runner' has no attribute {name!r}")
