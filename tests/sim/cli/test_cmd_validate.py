"""`fedsim validate` refuses what `fedsim run` would refuse, the load-test calibration file a scenario names included."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sim.cli.main import main
from tests.conftest import SCENARIOS

ROOT = Path(__file__).resolve().parents[3]


def _scenario(tmp_path: Path, calibration: str) -> Path:
    path = tmp_path / "calibrated.yaml"
    path.write_text(f"name: calibrated\nextends: {ROOT / 'scenarios' / 'small.yaml'}\n"
                    f"platform:\n  calibration: {calibration}\n")
    return path


def test_a_scenario_naming_a_missing_or_unstable_calibration_is_not_ok(tmp_path: Path, capsys) -> None:
    """validate said 'ok (small)' for both while `fedsim run` exits 2 on them."""
    assert main(["validate", str(_scenario(tmp_path, str(tmp_path / "nonexist.json")))]) == 2
    assert "platform.calibration" in capsys.readouterr().err
    unstable = tmp_path / "calibration.json"
    unstable.write_text(json.dumps({"stable": False, "why": ["search: only 0 of 6 windows had at least 20 jobs"],
                                    "queues": {"search": {"workers": 1, "service_time": {"dist": "fixed",
                                                                                          "mean_s": 0.01}}}}))
    assert main(["validate", str(_scenario(tmp_path, str(unstable)))]) == 2
    err = capsys.readouterr().err
    assert "unstable" in err and "only 0 of 6 windows" in err


def test_a_scenario_naming_a_usable_calibration_is_ok(tmp_path: Path, capsys) -> None:
    good = tmp_path / "calibration.json"
    good.write_text(json.dumps({"stable": True, "queues": {"search": {"workers": 1, "service_time": {
        "dist": "fixed", "mean_s": 0.01}}}}))
    assert main(["validate", str(_scenario(tmp_path, str(good)))]) == 0
    assert "ok (calibrated)" in capsys.readouterr().out


def test_a_set_of_state_laws_that_drops_states_is_warned(capsys: pytest.CaptureFixture[str]) -> None:
    """--set policy.state_laws=[TX] (a researcher adding Texas) replaced [CA, IL] and said 'ok': California's and
    Illinois's laws were silently gone from the run."""
    base = str(SCENARIOS / "flock-2025.yaml")
    assert main(["validate", base, "--set", "policy.state_laws=[TX]"]) == 0
    err = capsys.readouterr().err
    assert (f"WARNING: {base}: --set policy.state_laws replaces the scenario's list ['CA', 'IL'] (lists replace): CA, "
            "IL no longer have a state law in this run. To add states and keep them: --set 'policy.state_laws=[CA, IL, "
            "TX]'") in err
    assert main(["validate", base, "--set", "policy.state_laws=[CA, IL, TX]"]) == 0
    assert "state_laws" not in capsys.readouterr().err
    assert main(["world", str(SCENARIOS / "small.yaml"), "--set", "policy.state_laws=[IL]"]) == 0
    assert "CA no longer has a state law in this run" in capsys.readouterr().err


def test_a_set_of_overrides_that_drops_the_scenarios_is_warned(capsys: pytest.CaptureFixture[str]) -> None:
    """nc-ban.yaml --set 'policy.overrides=[{...TX...}]' ran without North Carolina's ban, and said nothing."""
    ban = str(SCENARIOS / "nc-ban.yaml")
    tx = "{where: {state: TX}, set: {alpr_retention_days: 7}}"
    assert main(["validate", ban, "--set", f"policy.overrides=[{tx}]"]) == 0
    assert ("--set policy.overrides replaces the scenario's list (lists replace): 1 override(s) dropped from this run: "
            "{where: {'state': ['NC']}, set: {'state_law': True}}") in capsys.readouterr().err
    both = "{where: {state: NC}, set: {state_law: true}}, " + tx
    assert main(["validate", ban, "--set", f"policy.overrides=[{both}]"]) == 0
    assert "overrides" not in capsys.readouterr().err


def test_an_override_naming_an_agency_the_world_lacks_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    """validate said 'ok' for {where: {agency: [...]}} naming no agency of the world; `fedsim run` refused it."""
    small = str(SCENARIOS / "small.yaml")
    bad = "policy.overrides=[{where: {agency: ['Raleigh PD']}, set: {state_law: true}}]"
    assert main(["validate", small, "--set", bad]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"{small}: policy.overrides.0.where.agency: no agency named 'Raleigh PD' in this world")
    assert main(["validate", small, "--set", "policy.overrides=[{where: {agency: ['NC PD 0001', 3]}, set: "
                                            "{state_law: true}}]"]) == 0


def test_an_ended_program_not_in_the_lists_is_refused_at_its_line(tmp_path: Path, capsys) -> None:
    """validate said ok; `fedsim world` refused it only after building the world, located 'scenario:'."""
    path = tmp_path / "ended.yaml"
    path.write_text(f"name: ended\nextends: {SCENARIOS / 'flock-2026-real.yaml'}\nworld:\n  flock:\n"
                    "    ended_before_period: [Austin TX PD, Austin TX]\n")
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"{path}:5: world.flock.ended_before_period: not an agency of the 2026 lists" in err
    assert "did you mean 'Austin TX PD'" in err and "(got 'Austin TX')" in err and err.count("not an agency") == 1
    assert main(["validate", str(SCENARIOS / "flock-2026-real.yaml"), "--set",
                 "world.flock.ended_before_period=[Dallas TX]"]) == 2
    assert "--set: world.flock.ended_before_period: not an agency" in capsys.readouterr().err


def test_an_ended_program_in_a_world_that_does_not_read_it_is_refused(tmp_path: Path, capsys) -> None:
    """A synthetic world ignored the names silently."""
    assert main(["validate", str(SCENARIOS / "small.yaml"), "--set", "world.flock.ended_before_period=[Austin TX PD]"]) == 2
    err = capsys.readouterr().err
    assert "world.flock: ended_before_period names agencies of the 2026 lists (Austin TX PD)" in err
    assert "this world's source is synthetic" in err and "Traceback" not in err
