"""fedsim's simulation package: scenarios, the synthetic world, the SimPy model and the runner."""

from sim.config import Scenario, ScenarioError, load_scenario

__all__ = ["Scenario", "ScenarioError", "load_scenario"]
