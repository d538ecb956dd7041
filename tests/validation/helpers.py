"""Running the model for validation checks: the small scenario with overrides, under the runner's seeds.

`run_model` builds the world from the root seed and simulates replication `rep` of design point 0, exactly
as `fedsim run` does (`sim.runner.seeds`), so a check's figures can be reproduced with
`fedsim run scenarios/small.yaml --set ...`. Overrides are dotted paths to values (as ``--set``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from sim.config import Scenario, load_scenario, with_overrides
from sim.model.alpr import AlprModel
from sim.model.requests import RequestsModel
from sim.model.simulation import COMPONENTS, simulate
from sim.runner import seeds
from sim.world.build import build_world_cached
from tests.conftest import SCENARIOS

ALPR = (AlprModel,)
REQUESTS = (RequestsModel,)


@dataclass
class Run:
    totals: dict[str, float]
    daily: dict[str, np.ndarray]
    events: int


def scenario(values: dict[str, Any] | None = None, name: str = "small.yaml") -> Scenario:
    sc = load_scenario(SCENARIOS / name)
    return with_overrides(sc, values, source="test") if values else sc


def run_model(values: dict[str, Any] | None = None, rep: int = 0, components: tuple[type, ...] = COMPONENTS,
              name: str = "small.yaml") -> Run:
    sc = scenario(values, name)
    world = build_world_cached(sc, seed_seq=seeds.world_seed(sc.run.seed))
    out = simulate(sc, world, seeds.run_seed(sc.run.seed, 0, rep), components=components)
    daily: dict[str, list[float]] = {}
    for day, metric, value in out.metrics:
        if day is not None:
            daily.setdefault(metric, []).append(value)
    totals = {metric: value for day, metric, value in out.metrics if day is None}
    return Run(totals, {k: np.asarray(v) for k, v in daily.items()}, out.events)
