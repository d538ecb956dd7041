"""The scenario format: one typed config object read from YAML (see docs/scenarios.md)."""

from sim.config.errors import Problem, ScenarioError
from sim.config.load import load_scenario, parse_override, validate_dict, with_overrides
from sim.config.scenario import Scenario

__all__ = [
    "Problem",
    "Scenario",
    "ScenarioError",
    "load_scenario",
    "parse_override",
    "validate_dict",
    "with_overrides",
]
