"""`sim.calibration.reach_bands` splits a run's share of a type's searches reaching >= N networks by scope and state:
the parts add up to the run's own metric, and a search's reach is its scope's (nothing local reaches 2 networks)."""

from __future__ import annotations

import pytest

from sim.calibration.reach_bands import bands, lines
from sim.config import load_scenario, with_overrides
from tests.conftest import SCENARIOS


@pytest.mark.parametrize("threshold", [2.0, 100.0])
def test_parts_add_up_to_the_runs_metric(threshold: float) -> None:
    sc = with_overrides(load_scenario(SCENARIOS / "small.yaml"), {"run.days": 2, "run.replications": 1}, "test")
    b = bands(sc, 0, "sheriff", threshold)
    assert b.searches > 100 and b.agencies == 40
    assert b.share == pytest.approx(b.metric, abs=1e-12)  # search.networks_share.sheriff.over_1 / ge_100
    assert b.by_scope["local"] == 0 and b.agencies_reaching["local"] == 0  # own network: 1
    for scope, n in b.by_scope.items():
        assert sum(b.by_state[scope].values()) == n
        assert n <= round(b.scope_share[scope] * b.searches)
    assert sum(b.scope_share.values()) == pytest.approx(1.0)
    assert "sheriff searches reaching" in "\n".join(lines([b], "sheriff", threshold))
