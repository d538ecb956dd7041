"""Design points: grid order, explicit points, invalid points kept with their error; seeds per point."""

from __future__ import annotations

import numpy as np

from sim.config import with_overrides
from sim.runner import seeds
from sim.runner.design import expand, parameter_names, point_values
from sim.runner.sweep_tables import design_table


def _with_sweep(small, sweep: dict):
    from sim.config.run import Sweep

    return small.model_copy(update={"sweep": Sweep.model_validate(sweep)})


def test_grid_is_cartesian_last_axis_fastest(small_scenario) -> None:
    sc = _with_sweep(small_scenario, {"grid": {"policy.alpr_retention_days": [7, 30], "policy.federal_firewall": [False, True]}})
    values = point_values(sc)
    assert values == [
        {"policy.alpr_retention_days": 7, "policy.federal_firewall": False},
        {"policy.alpr_retention_days": 7, "policy.federal_firewall": True},
        {"policy.alpr_retention_days": 30, "policy.federal_firewall": False},
        {"policy.alpr_retention_days": 30, "policy.federal_firewall": True},
    ]
    points = expand(sc)
    assert [p.scenario.policy.alpr_retention_days for p in points] == [7, 7, 30, 30]
    assert all(p.scenario.sweep is None for p in points)


def test_invalid_point_keeps_its_error_and_others_stay_valid(small_scenario) -> None:
    sc = _with_sweep(small_scenario, {"points": [{"policy.alpr_retention_days": 7}, {"policy.alpr_retention_days": -3},
                                                 {"run.days": 2}]})
    points = expand(sc)
    assert [p.scenario is not None for p in points] == [True, False, True]
    assert "policy.alpr_retention_days" in points[1].error and "-3" in points[1].error
    assert parameter_names(points) == ["policy.alpr_retention_days", "run.days"]
    table = design_table(points)
    assert list(table.columns) == ["design_point", "policy.alpr_retention_days", "run.days"]
    assert table["design_point"].tolist() == [0, 1, 2]


def test_run_seeds_depend_only_on_seed_point_and_replication() -> None:
    a = seeds.run_seed(5, 1, 2).generate_state(4)
    assert np.array_equal(a, seeds.run_seed(5, 1, 2).generate_state(4))
    assert not np.array_equal(a, seeds.run_seed(5, 2, 2).generate_state(4))
    assert not np.array_equal(a, seeds.run_seed(5, 1, 3).generate_state(4))
    assert not np.array_equal(a, seeds.run_seed(6, 1, 2).generate_state(4))
    # common random numbers: every point uses point 0's sequence
    assert np.array_equal(seeds.run_seed(5, 3, 2, crn=True).generate_state(4), seeds.run_seed(5, 0, 2).generate_state(4))
    assert seeds.describe(seeds.run_seed(5, 1, 2)) == {"entropy": 5, "spawn_key": [1, 2]}


def test_override_points_validate_like_files(small_scenario) -> None:
    point = with_overrides(small_scenario, {"run.days": 3})
    assert point.run.days == 3 and point.name == small_scenario.name
