"""Little's law between the recorded probes of every queue in one full small run (both components) under load.

Each queue records, over the recorded period, its arrivals, the waits of the jobs that started and the
time-weighted number waiting; Little's law L_q = lambda W_q links them up to end effects (jobs still
waiting at the horizon). Here the packaging workers, the egress link and the search workers all carry
real load in the same run, so the probes are checked where they interact with the whole model, with the
requests and ALPR components running side by side. Also: the run's daily counts add up to their whole-run
values, and the daily ALPR reads and searches are not affected by the requests component (named streams).
"""

from __future__ import annotations

import numpy as np
import pytest

from tests.validation.helpers import ALPR, Run, run_model

LOAD = {
    "behavior.optin.base_rate": 0.6,
    "behavior.incidents.per_agency_per_day": {"local_police": 2.0, "sheriff": 2.0},
    "platform.packaging.workers": 2,
    "platform.packaging.service_time": {"dist": "exponential", "mean_s": 900.0},
    "platform.transfer.bandwidth_mbps": 0.4,
    "platform.search.workers": 1,
    "platform.search.service_time": {"dist": "exponential", "mean_s": 25.0},
    "platform.search.per_million_reads_s": 0.05,
    "run.warmup_days": 1,
}


@pytest.fixture(scope="module")
def full() -> Run:
    return run_model(LOAD)


@pytest.mark.parametrize("queue", ["packaging", "transfer", "search"])
def test_littles_law_in_a_full_run(full: Run, queue: str) -> None:
    t = full.totals
    assert t[f"{queue}.jobs"] > 300 and t[f"{queue}.utilization"] > 0.2, (t[f"{queue}.jobs"], t[f"{queue}.utilization"])
    assert t[f"{queue}.queue_mean"] > 0.05
    little = t[f"{queue}.arrival_rate_per_s"] * t[f"{queue}.wait_mean_s"]
    assert t[f"{queue}.queue_mean"] == pytest.approx(little, rel=0.1)


def test_daily_counts_sum_to_whole_run_values(full: Run) -> None:
    for name in ("alpr.reads", "alpr.searches", "requests.posted", "footage.submissions", "audit.records"):
        assert full.daily[name].sum() == pytest.approx(full.totals[name]), name


def test_alpr_draws_do_not_depend_on_the_requests_component(full: Run) -> None:
    alone = run_model(LOAD, components=ALPR)
    for name in ("alpr.reads", "alpr.hotlist_hits", "alpr.searches", "search.results"):
        assert np.array_equal(alone.daily[name], full.daily[name]), name
