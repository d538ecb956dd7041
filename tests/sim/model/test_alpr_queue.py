"""The exact FCFS recursion gives the ServerPool's waits job for job, and its probes."""

from __future__ import annotations

import math

import numpy as np
import pytest

from sim.model.alpr_queue import FcfsQueue
from sim.model.platform import ServerPool
from sim.model.simulation import CountingEnvironment


def pool_run(arrivals: np.ndarray, services: np.ndarray, workers: int, record_from: float, horizon: float):
    env = CountingEnvironment()
    pool = ServerPool(env, workers, record_from=record_from)
    waits: dict[int, float] = {}

    def driver():
        for i, (t, s) in enumerate(zip(arrivals.tolist(), services.tolist(), strict=True)):
            yield env.timeout(t - env.now)
            pool.submit(s, lambda w, i=i: waits.__setitem__(i, w))

    env.process(driver())
    env.run(until=horizon)
    return waits, pool.stats("q", horizon)


@pytest.mark.parametrize("workers", [1, 3, 16])
def test_matches_server_pool(workers: int) -> None:
    rng = np.random.default_rng(workers)
    n = 3000
    arrivals = np.sort(rng.uniform(0, 1000.0, n))
    services = rng.exponential(workers * 1000.0 / n / 0.9, n)
    horizon, record_from = 1200.0, 100.0
    waits, expected = pool_run(arrivals, services, workers, record_from, horizon)
    q = FcfsQueue(workers, record_from=record_from)
    got = np.concatenate([q.add(arrivals[:1000], services[:1000]), q.add(arrivals[1000:], services[1000:])])
    done = np.array(sorted(waits))
    assert np.allclose(got[done], [waits[i] for i in done])
    stats = q.stats("q", horizon)
    for key, value in expected.items():
        assert math.isclose(stats[key], value, rel_tol=1e-9, abs_tol=1e-9), key


def test_rejects_unsorted_arrivals_and_bad_workers() -> None:
    q = FcfsQueue(2)
    q.add(np.array([5.0, 6.0]), np.array([1.0, 1.0]))
    with pytest.raises(ValueError, match="ascending"):
        q.add(np.array([4.0]), np.array([1.0]))
    with pytest.raises(ValueError, match="workers"):
        FcfsQueue(0)
