"""Server pools on the SimPy clock: FCFS order, probes, fed batches, and agreement with M/M/c theory (Erlang C)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from sim.config.base import ServiceTime
from sim.model.platform import ServiceSampler
from sim.model.server_pool import ServerPool
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


def _brute_force(arrivals: np.ndarray, services: np.ndarray, c: int, lo: float, hi: float) -> dict[str, float]:
    """FCFS c servers by hand, and queue length / busy servers integrated on a fine time grid."""
    free = [0.0] * c
    starts = []
    for a, s in zip(arrivals, services, strict=True):
        i = int(np.argmin(free))
        st = max(a, free[i])
        starts.append(st)
        free[i] = st + s
    starts = np.array(starts)
    grid = np.linspace(lo, hi, 200_001)[:-1] + (hi - lo) / 400_000
    queue = ((arrivals[:, None] <= grid) & (np.minimum(starts, hi)[:, None] > grid)).sum(axis=0)
    busy = ((starts[:, None] <= grid) & ((starts + services)[:, None] > grid)).sum(axis=0)
    rec = arrivals >= lo
    return {"wait": float((starts - arrivals)[rec & (starts < hi)].mean()), "queue": float(queue.mean()),
            "util": float(busy.mean() / c)}


@pytest.mark.parametrize("c", [1, 3])
def test_fed_batches_match_a_hand_computed_fcfs_queue_with_warmup_and_jobs_left_at_the_horizon(c: int) -> None:
    rng = np.random.default_rng(7)
    arrivals = np.sort(rng.uniform(0, 100, 120))
    services = rng.exponential(2.5 * c, 120)  # overloaded: jobs still queue at the horizon
    env = CountingEnvironment()
    pool = ServerPool(env, c, record_from=20.0)
    day1, day2 = arrivals < 50, arrivals >= 50
    pool.feed(arrivals[day1], services[day1])
    env.timeout(50).callbacks.append(lambda _e: pool.feed(arrivals[day2], services[day2]))
    env.run(until=100)
    st = pool.stats("q", 100)
    want = _brute_force(arrivals, services, c, 20.0, 100.0)
    assert pool.queued > 0
    assert st["q.jobs"] == float((arrivals >= 20).sum())
    assert math.isclose(st["q.wait_mean_s"], want["wait"], rel_tol=1e-9)
    assert math.isclose(st["q.queue_mean"], want["queue"], rel_tol=2e-3)
    assert math.isclose(st["q.utilization"], want["util"], rel_tol=2e-3)


def test_feed_and_submit_give_the_same_waits_and_one_event_per_distinct_arrival() -> None:
    arrivals = np.array([1.0, 1.0, 2.0, 4.0, 4.5])
    services = np.array([3.0, 1.0, 1.0, 0.5, 2.0])
    fed_env, sub_env = CountingEnvironment(), CountingEnvironment()
    fed, sub = ServerPool(fed_env, 2), ServerPool(sub_env, 2)
    fed.feed(arrivals, services)
    fed_env.run(until=20)

    def driver():
        for a, s in zip(arrivals.tolist(), services.tolist(), strict=True):
            if a > sub_env.now:
                yield sub_env.timeout(a - sub_env.now)
            sub.submit(s)

    sub_env.process(driver())
    sub_env.run(until=20)
    assert fed.stats("q", 20) == sub.stats("q", 20)
    assert fed_env.events_processed == 4 + 5 + 1  # 4 distinct arrival instants, 5 completions, run(until)


def test_feed_refuses_unordered_or_past_times_and_arrivals_inside_a_running_batch() -> None:
    env = CountingEnvironment()
    pool = ServerPool(env, 1)
    with pytest.raises(ValueError, match="ascending"):
        pool.feed(np.array([2.0, 1.0]), np.array([1.0, 1.0]))
    with pytest.raises(ValueError, match="service times"):
        pool.feed(np.array([1.0]), np.array([1.0, 1.0]))
    pool.feed(np.array([1.0, 5.0]), np.array([1.0, 1.0]))
    env.run(until=2)
    with pytest.raises(RuntimeError, match="fed batch"):
        pool.submit(1.0)
    env.run(until=6)
    pool.submit(1.0)  # the batch is over: fine
    with pytest.raises(ValueError, match="at least 1 worker"):
        ServerPool(env, 0)


def test_a_simpy_without_the_version_4_heap_is_refused() -> None:
    env = CountingEnvironment()
    env._queue = ()  # a heap SimPy 4 would not keep
    with pytest.raises(RuntimeError, match="event heap"):
        ServerPool(env, 1)


def test_batches_and_submits_between_them_keep_every_job_with_room_kept_ahead() -> None:
    """Fed batches of growing size, with single submits between them (written into room `_reserve` kept):
    the same waits and probes as submitting every job, and the arrays hold each job's times in order."""
    rng = np.random.default_rng(11)
    fed_env, sub_env = CountingEnvironment(), CountingEnvironment()
    fed, sub = ServerPool(fed_env, 3), ServerPool(sub_env, 3)
    jobs: list[tuple[float, float]] = []
    t = 0.0
    into_room = 0
    for size in (1, 2, 5, 9, 40, 3, 200):
        arrivals = t + np.cumsum(rng.exponential(0.5, size))
        services = rng.exponential(1.2, size)
        if t > fed_env.now:
            fed_env.run(until=t)
        fed.feed(arrivals, services)
        jobs += list(zip(arrivals.tolist(), services.tolist(), strict=True))
        t = float(arrivals[-1]) + 1.0
        fed_env.run(until=t)
        into_room += len(fed._arrival) > fed.arrived
        fed.submit(0.7)  # lands in room kept by a feed when there is some
        jobs.append((t, 0.7))
        t += 0.5

    def driver():
        for a, s in jobs:
            if a > sub_env.now:
                yield sub_env.timeout(a - sub_env.now)
            sub.submit(s)

    sub_env.process(driver())
    fed_env.run(until=t + 500)
    sub_env.run(until=t + 500)
    assert fed.stats("q", t + 500) == sub.stats("q", t + 500)
    n = len(jobs)
    assert fed.arrived == n and into_room >= 1
    assert list(fed._arrival[:n]) == [a for a, _ in jobs] and list(fed._service[:n]) == [s for _, s in jobs]
