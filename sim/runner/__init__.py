"""Runs at scale: replications, sweeps, executors (in-process, process pool, Dask), progress and tidy outputs.

`run(scenario)` and `sweep(scenario)` (`sim.runner.api`) are the entry points; see docs/running.md.
"""

from sim.runner.api import run, sweep
from sim.runner.errors import RunnerError
from sim.runner.results import Result, SweepResult

__all__ = ["Result", "RunnerError", "SweepResult", "run", "sweep"]
