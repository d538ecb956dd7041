"""The national baseline reproduces the figures its request parameters were calibrated to.

Targets (docs/sources.md): ~16 requests per agency-year (FT/Ring 2020), ~14.5 households
e-mailed per request (Fort Lauderdale PD 2018, Gizmodo 2019), 3.5% of notified households responding
(same source). Tolerances allow for one 30-day replication's sampling error and the model's simplifications.
"""

from __future__ import annotations

from sim.config import load_scenario
from sim.model.simulation import simulate
from sim.rng import replication_seed
from sim.world.build import build_world_cached
from tests.conftest import SCENARIOS
from tests.sim.model.test_requests import COMPONENT


def test_baseline_requests_match_calibration_targets() -> None:
    sc = load_scenario(SCENARIOS / "baseline.yaml")
    out = simulate(sc, build_world_cached(sc), replication_seed(sc.run.seed, 0, 0), components=COMPONENT)
    tot = {name: v for day, name, v in out.metrics if day is None}
    assert 13.5 <= tot["requests.per_agency_year"] <= 18.5, tot["requests.per_agency_year"]
    assert 12.0 <= tot["requests.notified_per_request"] <= 17.0, tot["requests.notified_per_request"]
    assert 0.028 <= tot["optin.rate"] <= 0.042, tot["optin.rate"]
    refused = tot["requests.refused"] / (tot["requests.posted"] + tot["requests.refused"])
    assert abs(refused - (1 - sc.behavior.requests.case_number_share)) < 0.02, refused
