"""Why a state's search figures vary from replication to replication: each replication redraws every agency's rate.

docs/running.md ("Which state figures are stable") explains the run-to-run spread of a state's figures by these
draws: the world (agencies, cameras, sharing) is built once per root seed, while an agency's search rate (a
zero-inflated lognormal per agency type) is drawn again in each replication, independently per agency, so a
state's expected searches vary with coefficient of variation sqrt(sum var_i) / sum mean_i, about 2.4 / sqrt(n)
for n agencies of one type. These tests pin that contract: a rate fixed across replications would make the spread
vanish, a draw shared by a state's agencies would multiply it by up to sqrt(n), a truncation would bias the mean.
"""

from __future__ import annotations

import math

import numpy as np

from sim.config import Scenario, load_scenario, with_overrides
from sim.geo.states import STATE_CODES
from sim.model.alpr_searches import SearchGenerator
from sim.model.policy_effects import PolicyEffects, policy_effects
from sim.rng import Streams, replication_seed
from sim.world.build import build_world_cached
from sim.world.types import AGENCY_TYPES, World
from tests.conftest import SCENARIOS

SEED = 20251016
REPLICATIONS = 400


def _setup() -> tuple[Scenario, World, PolicyEffects]:
    sc = with_overrides(load_scenario(SCENARIOS / "small.yaml"),
                        {"world.states": ["NC", "CA"], "world.agencies.local_police": 200}, "test")
    world = build_world_cached(sc, np.random.SeedSequence(SEED))
    return sc, world, policy_effects(world, sc.policy)


def _rates(sc: Scenario, world: World, fx: PolicyEffects, replication: int) -> np.ndarray:
    """Each searcher's drawn rate per 30 days in replication `replication` (the seed a run of it gets)."""
    streams = Streams(replication_seed(SEED, 0, replication))
    return SearchGenerator(world, sc.behavior.searches, fx, streams).rate_per_day * 30.0


def test_each_replication_redraws_the_rates_of_one_fixed_world() -> None:
    sc, world, fx = _setup()
    first, again, second = _rates(sc, world, fx, 0), _rates(sc, world, fx, 0), _rates(sc, world, fx, 1)
    assert np.array_equal(first, again)  # same seed, same draws
    drawn = SearchGenerator(world, sc.behavior.searches, fx, Streams(replication_seed(SEED, 0, 0))).rate_source == "drawn"
    both = drawn & (first > 0) & (second > 0)
    assert both.sum() > 100 and (first[both] != second[both]).all()  # every drawn rate is drawn again
    # the two replications' log-rates are independent draws (not a shared factor): correlation near 0
    assert abs(np.corrcoef(np.log(first[both]), np.log(second[both]))[0, 1]) < 0.2


def test_a_states_expected_searches_vary_as_the_sum_of_its_agencies_independent_draws() -> None:
    sc, world, fx = _setup()
    cfg = sc.behavior.searches
    n = world.agencies.n_searchers
    kind = np.asarray(world.agencies.kind[:n])
    state = np.asarray(world.agencies.state[:n])
    totals = np.array([[_rates(sc, world, fx, r)[state == STATE_CODES.index(s)].sum() for s in ("NC", "CA")]
                       for r in range(REPLICATIONS)])
    for j, s in enumerate(("NC", "CA")):
        rows = kind[state == STATE_CODES.index(s)]
        mean = var = 0.0
        for k in rows.tolist():  # zero-inflated lognormal moments of each agency's rate
            t = AGENCY_TYPES[k]
            m, sigma, z = cfg.per_agency_30d_median[t], cfg.per_agency_sigma[t], cfg.per_agency_zero_share[t]
            mu = (1 - z) * m * math.exp(sigma**2 / 2)
            mean += mu
            var += (1 - z) * m**2 * math.exp(2 * sigma**2) - mu**2
        cv = math.sqrt(var) / mean
        got = totals[:, j]
        # unbiased: within 4 standard errors of the model's mean (no truncation, no agency left out)
        assert abs(got.mean() - mean) < 4 * math.sqrt(var / REPLICATIONS), (s, got.mean(), mean)
        # the spread of independent draws: a heavy tail's sample CV is itself noisy, so a factor of 1.6 either way;
        # a rate fixed per world (CV 0) or a draw shared by the state's agencies (x sqrt(n), 5-8 here) fails it
        assert cv / 1.6 < got.std(ddof=1) / got.mean() < cv * 1.6, (s, len(rows), got.std(ddof=1) / got.mean(), cv)
