"""fedsim's simulation package: scenarios, the synthetic world, the SimPy model and the runner.

    from sim import load_scenario, run, sweep

`run` and `sweep` (`sim.runner`) are imported on first use, so `import sim.config` stays light.
"""

from typing import Any

from sim.config import Scenario, ScenarioError, load_scenario

__all__ = ["Scenario", "ScenarioError", "load_scenario", "run", "sweep"]


def __getattr__(name: str) -> Any:
    if name in ("run", "sweep"):
        import sim.runner

        return getattr(sim.runner, name)
    raise AttributeError(f"module 'sim' has no attribute {name!r}")
