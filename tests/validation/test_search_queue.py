"""The ALPR search queue inside the model against M/M/c theory (Erlang C), and Little's law between its probes.

With a flat hourly search profile, each agency's searches of a day are a Poisson number of uniform times,
so the day's arrivals (proxy lookups included) form a homogeneous Poisson process; with
``per_million_reads_s: 0`` the service time is the exponential base alone, whatever a search scans.
The platform's search queue (`sim.model.alpr_queue`) is then an M/M/c queue. Each replication draws its
own per-agency rates, so its theory uses its own measured arrival rate; one warm-up day removes the
empty-start transient. Four replications of 20 days (~35,000 searches each, utilization ~0.7): the mean of
wait / Erlang C must be 1 within its t-based 95% CI (or 5%), the utilization must equal lambda x E[S] / c
within the sampling error of the service-time sum, and Little's law must hold between the recorded probes.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from tests.sim.model.test_platform import erlang_c_wait
from tests.validation.helpers import ALPR, Run, run_model

T_975_3 = 3.182
WORKERS = 2
MEAN_S = 70.0
LOADED = {
    "behavior.searches.hourly_profile": [1.0] * 24,
    "platform.search.per_million_reads_s": 0.0,
    "platform.search.workers": WORKERS,
    "platform.search.service_time": {"dist": "exponential", "mean_s": MEAN_S},
    "run.days": 20,
    "run.warmup_days": 1,
}


@pytest.fixture(scope="module")
def reps() -> list[Run]:
    return [run_model(LOADED, rep=r, components=ALPR) for r in range(4)]


def test_search_wait_matches_erlang_c(reps: list[Run]) -> None:
    ratios = []
    for r in reps:
        lam = r.totals["search.arrival_rate_per_s"]
        rho = lam * MEAN_S / WORKERS
        assert 0.55 < rho < 0.85, rho  # loaded enough for waits to matter, stable
        assert r.totals["search.jobs"] > 25_000
        ratios.append(r.totals["search.wait_mean_s"] / erlang_c_wait(lam, 1 / MEAN_S, WORKERS))
    x = np.array(ratios)
    half = T_975_3 * x.std(ddof=1) / math.sqrt(len(x))
    assert abs(x.mean() - 1.0) <= max(half, 0.05), (x, half)


def test_search_utilization_is_offered_load(reps: list[Run]) -> None:
    for r in reps:
        n = r.totals["search.jobs"]
        offered = r.totals["search.arrival_rate_per_s"] * MEAN_S / WORKERS
        # the recorded busy time is a sum of n exponential service times: relative sd 1/sqrt(n)
        assert r.totals["search.utilization"] == pytest.approx(offered, rel=4 / math.sqrt(n) + 0.005)


def test_littles_law_between_search_probes(reps: list[Run]) -> None:
    for r in reps:
        little = r.totals["search.arrival_rate_per_s"] * r.totals["search.wait_mean_s"]
        assert r.totals["search.queue_mean"] > 0.3
        assert r.totals["search.queue_mean"] == pytest.approx(little, rel=0.02)
