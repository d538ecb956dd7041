"""The harness's output folder: an earlier load test's files go before a new run; a run's summary.json stays.
The traffic plan follows the seeded world's platform rules."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from loadtest.harness import InputError, Options, check_inputs, clear_earlier, make_plan
from sim.config.behavior_alpr import OFFENSE_TYPES
from tests.conftest import SCENARIOS


def test_an_earlier_load_tests_files_are_removed_and_a_runs_summary_is_kept(tmp_path: Path) -> None:
    figures = json.dumps({"endpoints": {"Aggregated": {"count": 3}}, "over_time": {"locust": []}})
    old = tmp_path / "old"
    old.mkdir()
    (old / "summary.json").write_text(figures)  # written before the figures were called loadtest.json
    (old / "verdicts.json").write_text("{}")
    clear_earlier(old)
    assert list(old.iterdir()) == []
    new = tmp_path / "new"
    new.mkdir()
    (new / "loadtest.json").write_text(figures)
    run_summary = json.dumps({"scenario": "x", "replications": 1, "failed": 0, "metrics": {}})
    (new / "summary.json").write_text(run_summary)  # a run's results in the same folder: not the load test's
    (new / "notes.txt").write_text("mine")
    clear_earlier(new)
    assert sorted(p.name for p in new.iterdir()) == ["notes.txt", "summary.json"]
    assert (new / "summary.json").read_text() == run_summary


def test_a_scenarios_users_follow_the_rules_the_database_was_seeded_with(tmp_path: Path) -> None:
    """--scenario's traffic against a --world seeded under other platform rules: the users send what that world's
    service accepts (offense types, case numbers), with the scenario's own reasons and shares."""
    world, scenario = tmp_path / "world.yaml", tmp_path / "scenario.yaml"
    world.write_text(f"extends: {SCENARIOS / 'small.yaml'}\npolicy:\n  reason_mode: offense_type\n")
    scenario.write_text(f"extends: {SCENARIOS / 'small.yaml'}\npolicy:\n  case_number_required: false\n")
    o = Options(out=tmp_path, scenario=str(scenario), world=str(world))
    inputs = check_inputs(o)
    plan = make_plan(o, inputs, {"agencies": {"0": {}}, "residents": {}, "cameras": {}})
    assert plan.mode == "scenario" and set(plan.behavior.audited_reasons) <= OFFENSE_TYPES
    assert plan.behavior.case_number_share == 1.0  # the world requires case numbers (the default)
    assert plan.behavior.search_reasons == inputs.scenario.behavior.searches.reasons


def test_weekday_needs_a_scenario(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="--weekday wed: only with --scenario"):
        check_inputs(Options(out=tmp_path, weekday="wed"))
    o = Options(out=tmp_path, scenario=str(SCENARIOS / "small.yaml"), weekday="sun")
    plan = make_plan(o, check_inputs(o), {"agencies": {"0": {}}, "residents": {}, "cameras": {}})
    assert any(n.startswith("a sun: searches x") for n in plan.notes)


def test_a_run_time_that_cuts_the_shape_short_is_noted(tmp_path: Path) -> None:
    """--shape step --run-time 30s played 2 of the step shape's 6 stages (4 of 12 users) with no word of it."""
    tokens = {"agencies": {"0": {}}, "residents": {}, "cameras": {}}
    o = Options(out=tmp_path, shape="step", run_time_s=30.0)
    notes = make_plan(o, check_inputs(o), tokens).notes
    assert any("plays the first 30 s of the shape's 90 s (2 of 6 stages finished; up to 4 of 12 users)" in n
               for n in notes), notes
    whole = Options(out=tmp_path, shape="step")
    assert not any("of the shape's" in n for n in make_plan(whole, check_inputs(whole), tokens).notes)
