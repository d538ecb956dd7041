"""A tiny real component and world for runner tests: fast, and sensitive to seeds and policy.

`ToyModel` is a SimPy component like the model's: arrivals (Poisson, 20 a day) drawn from the named stream
``toy.arrivals`` are counted per day; when ``policy.federal_firewall`` is on, each arrival also draws a check
from ``toy.firewall``. So the firewall policy touches one stream only, and ``toy.arrivals`` must not move
(common random numbers). ``platform.packaging.workers`` scales the arrival rate, which gives sweeps a
response; ``workers`` equal to `FAIL_WORKERS` makes the run raise (a failing design point), and equal to
the value in env ``TOY_INTERRUPT_WORKERS`` raises KeyboardInterrupt (Ctrl-C in the middle of a batch).
`tiny_world` is a four-agency world from `sim.world.types`, with coordinates drawn from the world
seed so world reuse is observable through ``toy.world_x``.
"""

from __future__ import annotations

import os

import networkx as nx
import numpy as np

from sim.model.component import Component
from sim.model.metrics import Metric
from sim.model.simulation import DAY_S
from sim.rng import Streams
from sim.world.types import Agencies, Cameras, Households, Places, World

WORLD = "tests.sim.runner.toy:tiny_world"
RATE_PER_DAY = 20.0
FAIL_WORKERS = 13
CRASH_WORKERS = 66


class ToyModel(Component):
    metrics = (
        Metric("toy.arrivals", "arrivals", "Toy arrivals", "arrivals per day", "outcome", "count"),
        Metric("toy.firewall_blocked", "arrivals", "Toy arrivals blocked", "arrivals the firewall check blocked",
               "outcome", "count"),
        Metric("toy.gap_mean_s", "s", "Toy mean gap", "mean gap between arrivals", "outcome", "value"),
        Metric("toy.world_x", "m", "Toy world x", "sum of the agencies' x coordinates", "input_echo", "value"),
    )

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.rate = RATE_PER_DAY * ctx.scenario.platform.packaging.workers / 4
        self.gaps: list[float] = []

    def start(self) -> None:
        workers = self.ctx.scenario.platform.packaging.workers
        if workers == FAIL_WORKERS:
            raise RuntimeError(f"toy model refuses {workers} packaging workers")
        if workers == CRASH_WORKERS:
            os._exit(3)  # a worker process dying, as out of memory would
        if str(workers) == os.environ.get("TOY_INTERRUPT_WORKERS"):
            raise KeyboardInterrupt
        self.ctx.env.process(self._arrivals())

    def _arrivals(self):
        ctx = self.ctx
        rng = ctx.streams.get("toy.arrivals")
        while True:
            gap = float(rng.exponential(DAY_S / self.rate))
            yield ctx.env.timeout(gap)
            if not ctx.recording(ctx.env.now):
                continue
            self.gaps.append(gap)
            ctx.metrics.count("toy.arrivals", ctx.day_of(ctx.env.now))
            if ctx.scenario.policy.federal_firewall:
                check = float(ctx.streams.get("toy.firewall").random())
                ctx.metrics.count("toy.firewall_blocked", ctx.day_of(ctx.env.now), float(check < 0.5))
            ctx.flows.add(ctx.day_of(ctx.env.now), "local_police", "sheriff", "grant", "axon", 1.0, gap / DAY_S)

    def finish(self) -> None:
        ctx = self.ctx
        ctx.metrics.total("toy.gap_mean_s", float(np.mean(self.gaps)) if self.gaps else 0.0)
        ctx.metrics.total("toy.world_x", float(ctx.world.agencies.x_m.sum()))


COMPONENTS = (ToyModel,)


def _places(n: int, rng: np.random.Generator) -> Places:
    x = rng.uniform(0, 1000, n)
    return Places(x, x.copy(), x / 1e5, x / 1e5, np.zeros(n, np.int16), np.zeros(n, np.int32))


def tiny_world(scenario, seed_seq: np.random.SeedSequence | None = None) -> World:
    rng = Streams(seed_seq or np.random.SeedSequence(scenario.run.seed)).get("world.toy")
    n = 4
    x = rng.uniform(0, 10_000, n)
    agencies = Agencies(
        name=np.array([f"A{i}" for i in range(n)]), kind=np.array([0, 0, 1, 3], np.int8), state=np.zeros(n, np.int16),
        lat=x / 1e5, lon=x / 1e5, x_m=x, y_m=x.copy(), national_lookup=np.ones(n, bool), compliance_draw=np.zeros(n),
        cameras=np.ones(n, np.int32), retention_days=np.full(n, 30, np.int16), defaulted=np.zeros(n, bool),
    )
    h = 3
    households = Households(
        neighborhood=np.zeros(h, np.int32), agency=np.zeros(h, np.int32), x_m=np.zeros(h), y_m=np.zeros(h),
        lat=np.zeros(h), lon=np.zeros(h), cameras=np.ones(h, np.int8), paid=np.ones(h, bool),
        retention_days=np.full(h, 30, np.int16),
    )
    cameras = Cameras(np.zeros(n, np.int32), x, x.copy(), x / 1e5, x / 1e5, np.zeros(n, np.int8))
    graph = nx.DiGraph()
    graph.add_nodes_from(range(n))
    return World(agencies, _places(2, rng), _places(1, rng), _places(1, rng), households, cameras, graph)
