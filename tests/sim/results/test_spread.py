"""`sim.results.spread`: a state's figure's spread between replications and its flag. Before it, a focus showed a mean
and CI for Oregon's searches (35% between replications over 40) as for Texas's (11%), and never said which figures
the world, not the run, sets."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from sim.results.places import BUSIEST
from sim.results.spread import (
    NOISY,
    NOISY_CV,
    WORLD,
    busiest_share,
    busiest_words,
    few_agencies,
    one_world,
    searches_sigma,
    spread,
    spread_text,
)


def test_a_figure_varying_over_the_threshold_is_flagged_and_a_steady_one_is_not() -> None:
    noisy = spread("audit.records_received", [100.0, 160.0, 60.0])
    steady = spread("audit.records_received", [100.0, 104.0, 97.0])
    assert noisy.cv == pytest.approx(np.std([100, 160, 60], ddof=1) / np.mean([100, 160, 60]))
    assert noisy.cv > NOISY_CV and noisy.flag == NOISY
    assert steady.cv < NOISY_CV and steady.flag is None
    assert (noisy.low, noisy.high) == pytest.approx(tuple(np.percentile([100, 160, 60], [5, 95])))


def test_figures_a_few_agencies_draws_carry_are_flagged_whatever_few_replications_show() -> None:
    """3 replications can show Texas's state police entries (CV 23% over 40) steady; they are flagged anyway."""
    for metric in ("audit.records_received_state_police", "audit.records_received_proxy",
                   "alpr.searches_federal_proxy"):
        assert spread(metric, [100.0, 101.0, 99.0]).flag == NOISY
        assert spread(metric, [0.0, 0.0, 0.0]).flag is None  # nothing to quote
    assert spread("audit.records_received_proxy", [5.0]).flag == NOISY  # one replication: by construction still


def test_a_states_own_searches_are_flagged_below_the_agency_count_its_spread_passes_the_threshold() -> None:
    sigma = searches_sigma({"behavior": {"searches": {"per_agency_sigma": {"local_police": 1.33, "sheriff": 1.4}}}})
    assert sigma == 1.33 and searches_sigma({"behavior": {"searches": {"per_agency_sigma": 1.38}}}) == 1.38
    assert searches_sigma(None) is None and searches_sigma({"behavior": {}}) is None
    n = few_agencies(sigma)
    cv = math.sqrt(math.expm1(sigma**2))  # one agency's rate, lognormal: 2.2 (docs/running.md)
    assert (n, round(cv, 2), few_agencies(1.38)) == (78, 2.21, 92)
    assert cv / math.sqrt(n) <= NOISY_CV < cv / math.sqrt(n - 1)
    steady = [1000.0, 1010.0, 990.0]
    assert spread("alpr.searches", steady, agencies=63, sigma=sigma).flag == NOISY  # Oregon
    assert spread("alpr.searches", steady, agencies=432, sigma=sigma).flag is None  # Texas
    assert spread("alpr.searches", steady, agencies=None, sigma=sigma).flag is None
    assert spread("alpr.searches", steady, agencies=63, sigma=None).flag is None
    assert spread_text(spread("alpr.searches", steady, 63, sigma), lambda x: f"{x:.0f}") == \
        "varies a lot in general (only 1%, 991 to 1009, in these 3 runs)"


def test_what_the_world_draws_says_so_unless_it_varies_a_lot() -> None:
    cameras = spread("cameras", [2500.0, 2500.0, 2500.0])
    assert cameras.flag == WORLD and cameras.cv == 0
    assert spread_text(cameras, str) == "set by the world: the same in every run"
    reads = spread("alpr.reads", [100.0, 102.0, 98.0])
    assert reads.flag == WORLD and spread_text(reads, lambda x: f"{x:.0f}") == "2% (98 to 102); set by the world"
    assert spread("alpr.reads", [100.0, 160.0, 60.0]).flag == NOISY  # Wyoming's reads vary 25% between replications


def test_the_words_of_a_spread() -> None:
    assert spread_text(spread("audit.records_received", [100.0, 160.0, 60.0]), lambda x: f"{x:.0f}") == \
        "varies a lot: 47% (64 to 154)"
    assert spread_text(spread("audit.records_received", [7.0]), str) == "n/a (1 replication)"
    assert spread_text(spread("audit.records_received_out_of_state", [0.0, 0.0]), str) == "0 in every run"


def test_the_busiest_agencys_share_is_read_per_state_and_missing_in_an_older_folder() -> None:
    rows = pd.DataFrame({"replication": [0, 1, 2, 0], "state": ["OR", "OR", "OR", "TX"],
                         "metric": [BUSIEST] * 4, "value": [0.1, 0.2, 0.3, 0.06]})
    mean, low, high = busiest_share(rows, "OR")  # type: ignore[misc]
    assert mean == pytest.approx(0.2) and (low, high) == pytest.approx((0.11, 0.29))
    assert busiest_words(rows, "OR", "Oregon") == \
        "its busiest agency runs 20% of Oregon's searches on average (11% to 29% over the replications)"
    assert busiest_words(rows, "TX", "Texas") == "its busiest agency runs 6% of Texas's searches"
    assert busiest_share(rows[rows.state == "TX"], "OR") is None


def test_under_a_world_per_replication_no_figure_is_the_worlds_alone() -> None:
    """run.world_per_replication: true puts the world's draws in every CI: 'its CI is this world's' would be wrong."""
    scenario = {"run": {"world_per_replication": True}}
    assert not one_world(scenario) and one_world({"run": {"world_per_replication": False}}) and one_world(None)
    assert spread("cameras", [2500.0, 2600.0, 2400.0], same_world=one_world(scenario)).flag is None
    assert spread("cameras", [2500.0, 4000.0, 1000.0], same_world=False).flag == NOISY
    assert spread("cameras", [2500.0, 2600.0, 2400.0]).flag == WORLD
