"""Server pools on the SimPy clock: FCFS order, probes, and agreement with M/M/c theory (Erlang C)."""

from __future__ import annotations

import math

import numpy as np

from sim.config.base import ServiceTime
from sim.model.platform import ServerPool, ServiceSampler
from sim.model.simulation import CountingEnvironment


def erlang_c_wait(lam: float, mu: float, c: int) -> float:
    a = lam / mu
    rho = a / c
    top = a**c / math.factorial(c) / (1 - rho)
    p_wait = top / (sum(a**k / math.factorial(k) for k in range(c)) + top)
    return p_wait / (c * mu - lam)


def _run_mmc(seed: int, lam: float, mean_s: float, c: int, horizon: float) -> dict[str, float]:
    rng = np.random.default_rng(seed)
    env = CountingEnvironment()
    pool = ServerPool(env, c, record_from=horizon * 0.1)
    sampler = ServiceSampler(ServiceTime(dist="exponential", mean_s=mean_s), rng)
    n = int(lam * horizon * 1.5)
    arrivals = np.cumsum(rng.exponential(1 / lam, n))
    arrivals = arrivals[arrivals < horizon]
    services = sampler.draw(len(arrivals))

    def driver():
        for t, s in zip(arrivals, services, strict=True):
            yield env.timeout(t - env.now)
            pool.submit(float(s))

    env.process(driver())
    env.run(until=horizon)
    return pool.stats("q", horizon)


def test_fcfs_single_server_waits() -> None:
    env = CountingEnvironment()
    pool = ServerPool(env, 1)
    waits: list[float] = []
    for _ in range(3):
        pool.submit(2.0, waits.append)
    env.run(until=10)
    assert waits == [0.0, 2.0, 4.0]
    st = pool.stats("p", 10)
    assert st["p.jobs"] == 3 and math.isclose(st["p.utilization"], 0.6)
    assert math.isclose(st["p.queue_mean"], (2 * 2 + 1 * 2) / 10)  # 2 queued for 2 s, then 1 for 2 s


def test_mmc_wait_matches_erlang_c_and_littles_law() -> None:
    lam, mean_s, c, horizon = 3.0, 1.0, 4, 20_000.0
    reps = [_run_mmc(seed, lam, mean_s, c, horizon) for seed in range(5)]
    waits = np.array([r["q.wait_mean_s"] for r in reps])
    theory = erlang_c_wait(lam, 1 / mean_s, c)
    half = 2.776 * waits.std(ddof=1) / math.sqrt(len(waits))  # t(0.975, 4)
    assert abs(waits.mean() - theory) <= max(half, 0.05 * theory), (waits.mean(), theory, half)
    for r in reps:
        little = r["q.arrival_rate_per_s"] * r["q.wait_mean_s"]
        assert math.isclose(r["q.queue_mean"], little, rel_tol=0.03)
        assert math.isclose(r["q.utilization"], lam * mean_s / c, rel_tol=0.05)


def test_samplers_have_their_means() -> None:
    rng = np.random.default_rng(1)
    for spec in (
        ServiceTime(dist="exponential", mean_s=2.0),
        ServiceTime(dist="lognormal", mean_s=2.0, cv=0.5),
        ServiceTime(dist="fixed", mean_s=2.0),
        ServiceTime(dist="empirical", samples_s=[1.0, 3.0]),
    ):
        draws = ServiceSampler(spec, rng).draw(40_000)
        assert abs(draws.mean() - 2.0) < 0.05, spec.dist
