"""Analytic checks of the footage delivery line: packaging against Erlang C, the link against M/M/1, Little's law.

The line (`sim.model.requests_delivery.DeliveryLine`) is driven by Poisson arrivals with exponential
packaging times and exponentially distributed package sizes (so the link's service is exponential too);
the mean waits of five replications must match theory within their t-based 95% CI (or 5% of theory),
and Little's law must hold between the recorded probes of every replication. Little's law is also
checked on the probes the full requests model writes on the small scenario under load.
"""

from __future__ import annotations

import math
from collections.abc import Generator

import numpy as np
import pytest
import simpy

from sim.config.base import ServiceTime
from sim.config.platform import Packaging, Platform, Transfer
from sim.model.requests_delivery import DeliveryLine
from sim.model.simulation import CountingEnvironment
from tests.sim.model.test_requests import run_requests
from tests.sim.model.test_server_pool import erlang_c_wait

T_975_4 = 2.776


def _run_line(seed: int, lam: float, pack_mean_s: float, workers: int, link_mean_s: float, horizon: float) -> dict:
    rng = np.random.default_rng(seed)
    platform = Platform(packaging=Packaging(workers=workers, service_time=ServiceTime(dist="exponential", mean_s=pack_mean_s)),
                        transfer=Transfer(bandwidth_mbps=100.0))
    env = CountingEnvironment()
    line = DeliveryLine(env, platform, rng, record_from=0.1 * horizon)
    mean_bytes = link_mean_s * line.bits_per_s / 8
    arrivals = np.cumsum(rng.exponential(1 / lam, int(lam * horizon * 1.5)))
    arrivals = arrivals[arrivals < horizon]
    sizes = rng.exponential(mean_bytes, len(arrivals))
    delivered: list[float] = []

    def driver() -> Generator[simpy.Event, None, None]:
        for t, b in zip(arrivals.tolist(), sizes.tolist(), strict=True):
            yield env.timeout(t - env.now)
            line.submit(b, delivered.append)

    env.process(driver())
    env.run(until=horizon)
    return line.stats(horizon) | {"delivered": len(delivered)}


@pytest.fixture(scope="module")
def reps() -> list[dict]:
    return [_run_line(seed, lam=2.0, pack_mean_s=1.6, workers=4, link_mean_s=0.3, horizon=12_000.0) for seed in range(5)]


def _within_ci(values: np.ndarray, theory: float) -> None:
    half = T_975_4 * values.std(ddof=1) / math.sqrt(len(values))
    assert abs(values.mean() - theory) <= max(half, 0.05 * theory), (values.mean(), theory, half)


def test_packaging_wait_matches_erlang_c(reps: list[dict]) -> None:
    _within_ci(np.array([r["packaging.wait_mean_s"] for r in reps]), erlang_c_wait(2.0, 1 / 1.6, 4))
    for r in reps:
        assert r["packaging.utilization"] == pytest.approx(2.0 * 1.6 / 4, rel=0.05)


def test_link_wait_matches_mm1(reps: list[dict]) -> None:
    # Departures of a stable M/M/c queue are Poisson (Burke), so the link is an M/M/1 queue.
    rho = 2.0 * 0.3
    _within_ci(np.array([r["transfer.wait_mean_s"] for r in reps]), rho * 0.3 / (1 - rho))


def test_littles_law_between_probes(reps: list[dict]) -> None:
    for r in reps:
        for q in ("packaging", "transfer"):
            little = r[f"{q}.arrival_rate_per_s"] * r[f"{q}.wait_mean_s"]
            assert r[f"{q}.queue_mean"] == pytest.approx(little, rel=0.05)


def test_littles_law_in_the_model_under_load() -> None:
    tot, _ = run_requests({
        "behavior.optin.base_rate": 0.6,
        "behavior.incidents.per_agency_per_day": {"local_police": 2.0, "sheriff": 2.0},
        "platform.packaging.workers": 2,
        "platform.packaging.service_time": {"dist": "exponential", "mean_s": 900.0},
    })
    assert tot["packaging.jobs"] > 500 and tot["packaging.utilization"] > 0.5
    assert tot["packaging.queue_mean"] > 0.1
    little = tot["packaging.arrival_rate_per_s"] * tot["packaging.wait_mean_s"]
    assert tot["packaging.queue_mean"] == pytest.approx(little, rel=0.1)
