"""One simulation run: the SimPy environment, the components, the clock and the probes.

Time is in seconds of simulated time; a day is 86,400 s. The run lasts ``run.warmup_days + run.days``;
nothing is recorded during warm-up and recorded day 0 starts at the end of warm-up. Components
(`sim.model.component.Component` subclasses: `RequestsModel`, `AlprModel`) are wired here around one
`SimContext` (`sim.model.context`): each gets the environment, the scenario, the world, named random streams
and the metric recorders, starts its processes in `start()` and writes its whole-run metrics in `finish()`.
The run's `Recorder` accepts exactly the metrics the components declare.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from sim.config import Scenario
from sim.model.alpr import AlprModel
from sim.model.component import Component, check
from sim.model.context import DAY_S, CountingEnvironment, SimContext
from sim.model.metrics import Declared, FlowTable, Recorder
from sim.model.platform import apply_calibration
from sim.model.policy_effects import policy_effects
from sim.model.requests import RequestsModel
from sim.rng import Streams
from sim.world.types import World

__all__ = ["COMPONENTS", "DAY_S", "CountingEnvironment", "RunOutput", "SimContext", "simulate"]
COMPONENTS: tuple[type[Component], ...] = (RequestsModel, AlprModel)


@dataclass
class RunOutput:
    metrics: list[tuple[int | None, str, float]]
    flows: list[tuple[int, str, str, str, str, float, float]]
    events: int
    wall_s: float
    event_loop_s: float = 0.0  # wall seconds inside the SimPy event loop (env.run)
    bulk_s: float = 0.0  # of which vectorised work inside events (SimContext.bulk)
    by_agency: dict[str, np.ndarray] = field(default_factory=dict)  # per-agency columns (sim.results.places)
    flows_by_state: dict[str, np.ndarray] = field(default_factory=dict)  # sim.model.alpr_state_flows.COLUMNS
    audit_by_agency: dict[str, np.ndarray] = field(default_factory=dict)  # sim.results.places.AUDIT_COLUMNS


def simulate(
    scenario: Scenario,
    world: World,
    seed_seq: np.random.SeedSequence,
    progress: Callable[[int, int], None] | None = None,
    components: tuple[type[Component], ...] = COMPONENTS,
) -> RunOutput:
    """Run one replication; `progress(day_done, total_days)` is called once per simulated day.

    `components` are `Component` classes; the default wires the full model.
    """
    components = check(components)
    started = time.perf_counter()
    run = scenario.run
    env = CountingEnvironment()
    warmup_s = run.warmup_days * DAY_S
    horizon_s = (run.warmup_days + run.days) * DAY_S
    ctx = SimContext(
        env=env,
        scenario=scenario,
        world=world,
        effects=policy_effects(world, scenario.policy),
        streams=Streams(seed_seq),
        metrics=Recorder(run.days, Declared.of(components)),
        flows=FlowTable(),
        warmup_s=warmup_s,
        horizon_s=horizon_s,
        platform=apply_calibration(scenario.platform),
    )
    parts = [component(ctx) for component in components]
    for part in parts:
        part.start()
    total_days = run.warmup_days + run.days
    loop_s = 0.0
    for day in range(1, total_days + 1):
        t_loop = time.perf_counter()
        env.run(until=day * DAY_S)
        loop_s += time.perf_counter() - t_loop
        if progress is not None:
            progress(day, total_days)
    for part in parts:
        part.finish()
    return RunOutput(
        metrics=ctx.metrics.rows(),
        flows=ctx.flows.rows(),
        events=env.events_processed,
        wall_s=time.perf_counter() - started,
        event_loop_s=loop_s,
        bulk_s=ctx.bulk_s,
        by_agency=ctx.by_agency,
        flows_by_state=ctx.flows_by_state,
        audit_by_agency=ctx.audit_by_agency,
    )
