"""A sweep folder: its response curve from sweep.csv, and the refusal to draw it into another scenario's report."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.results.errors import ResultsError
from sim.results.read import read_scenario
from sim.results.sweep import check_same_scenario, point_folders, read_sweep, require_sweep, response
from tests.reports.tables import write_run, write_sweep

PARAM = "policy.alpr_retention_days"


def test_response_reads_sweep_csv_and_lists_points_without_results(tmp_path: Path) -> None:
    sweep = read_sweep(write_sweep(tmp_path / "sw", retention=(7, 30, 90), failed=(1,)))
    table, missing = response(sweep, PARAM, "exposure.agencies_per_vehicle_mean")
    assert list(table[PARAM]) == [7, 90] and missing == ["1"]
    assert (table["n"] == 3).all() and (table["ci_low"] < table["mean"]).all()
    assert [dp for dp, _ in point_folders(sweep)] == [0, 2]
    assert response(sweep, "policy.sharing_scope", "x") is None
    assert read_sweep(tmp_path) is None
    with pytest.raises(ResultsError, match="not a sweep folder"):
        require_sweep(tmp_path)


def test_only_the_swept_parameters_and_run_control_may_differ(tmp_path: Path) -> None:
    sweep = read_sweep(write_sweep(tmp_path / "sw", retention=(7, 30)))
    for ok in ([f"{PARAM}=365"], ["run.days=30", "run.replications=5"]):
        run = write_run(tmp_path / "ok", overrides=ok, world=False)
        check_same_scenario(read_scenario(run), run, sweep)
    cases = [(["world.alpr.total=1234"], "different world"), (["run.seed=7"], "different world"),
             (["policy.federal_firewall=true"], "different scenario")]
    for overrides, message in cases:
        run = write_run(tmp_path / "bad", overrides=overrides, world=False)
        with pytest.raises(ResultsError, match=message) as err:
            check_same_scenario(read_scenario(run), run, sweep)
        assert overrides[0].split("=")[0] in str(err.value)


def test_the_base_scenario_is_read_once_with_the_tables(tmp_path: Path) -> None:
    folder = write_sweep(tmp_path / "sw", retention=(7, 30))
    sweep = read_sweep(folder)
    assert sweep.scenario is not None and sweep.scenario["run"]["days"] == 7
    (folder / "resolved_scenario.yaml").unlink()  # whatever is given the tables uses the copy read with them
    run = write_run(tmp_path / "run", world=False)
    check_same_scenario(read_scenario(run), run, sweep)
    bad = write_run(tmp_path / "bad", overrides=["run.seed=7"], world=False)
    with pytest.raises(ResultsError, match="different world"):
        check_same_scenario(read_scenario(bad), bad, sweep)
    with pytest.raises(ResultsError, match="no resolved_scenario.yaml"):
        check_same_scenario(read_scenario(run), run, read_sweep(folder))
