"""`fedsim world`: the summary and its JSON keys, -o, and bad input (exit 2, no traceback)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sim.cli.main import main
from tests.conftest import SCENARIOS

STAT_KEYS = {"median", "p25", "p75", "p90", "max"}


def test_json_summary_has_the_issue_keys(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["world", str(SCENARIOS / "small.yaml"), "--json"]) == 0
    s = json.loads(capsys.readouterr().out)
    assert s["agencies"] == {"local_police": 160, "sheriff": 40, "state_police": 1, "federal": 7, "total": 208}
    assert s["households"] == 25000 and s["alpr_cameras"] == 2500
    assert s["ring_cameras"] >= s["households"]
    assert set(s["sharing"]["out_degree"]) == STAT_KEYS and set(s["sharing"]["in_degree"]) == STAT_KEYS
    assert set(s["sharing"]["partners"]) == STAT_KEYS and s["sharing"]["portals"]["count"] == 0  # synthetic: none
    assert 0.6 < s["sharing"]["national_lookup_share"] < 0.9
    assert set(s["federal_reach"]) == {"USPIS", "FBI", "ATF", "ICE-HSI", "CBP", "USSS", "NCIS"}
    for name, reach in s["federal_reach"].items():
        assert {"direct", "lookup_only", "closed_by_law", "granted_portals"} <= set(reach)
        assert "national_lookup" not in reach  # one name, one meaning: an owner's opt-in, not a count of reach
        assert reach["unit"] == name  # a synthetic world names its units by their code
    assert 10 < s["requests"]["households_per_request_mean"] < 20


def test_policy_overrides_change_reach(capsys: pytest.CaptureFixture[str]) -> None:
    small = str(SCENARIOS / "small.yaml")
    main(["world", small, "--json", "--set", "policy.national_lookup=false", "--set", "policy.federal_access=open"])
    off = json.loads(capsys.readouterr().out)
    assert all(r["lookup_only"] == 0 for r in off["federal_reach"].values())
    main(["world", small, "--json", "--set", "policy.federal_firewall=true", "--set", "policy.state_law_compliance=1.0",
          "--set", "policy.federal_access=open"])
    fw = json.loads(capsys.readouterr().out)
    assert all(r["direct"] == r["lookup_only"] == 0 for r in fw["federal_reach"].values())
    assert all(r["closed_by_law"] > 0 for r in fw["federal_reach"].values())


def test_text_summary_and_output_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["world", str(SCENARIOS / "small.yaml")]) == 0
    text = capsys.readouterr().out
    assert "out-degree median" in text and "federal reach" in text and "ICE-HSI" in text
    assert not (tmp_path / "out").exists()
    assert main(["world", str(SCENARIOS / "small.yaml"), "-o", str(tmp_path / "out")]) == 0
    saved = json.loads((tmp_path / "out" / "world.json").read_text())
    assert saved["scenario"] == "small"


def test_bad_source_exits_2_without_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["world", str(SCENARIOS / "small.yaml"), "--set", f"world.sharing.source={tmp_path / 'missing'}"])
    err = capsys.readouterr().err
    assert code == 2
    assert "is not a folder" in err and "Traceback" not in err


def test_focus_adds_the_states_lines_and_a_closed_state_reads_closed(capsys: pytest.CaptureFixture[str]) -> None:
    """`fedsim world --focus TX` was refused (unrecognized arguments): a researcher had only national lines. A
    platform rule closing NC leaves its networks open to proxy lookups by its own police (the platform cannot see
    them; it read "closed 236"); a state law every agency complies with closes them."""
    small = str(SCENARIOS / "small.yaml")
    assert main(["world", small, "--focus", "nc"]) == 0
    out = capsys.readouterr().out
    nc = out.split("\nNC: ", 1)[1]
    assert nc.startswith("201 agencies, 35 private networks, 2,500 cameras")
    assert "only through proxy lookups 185 / 1,811; closed 0 / 0" in nc
    assert "to other states' agencies 0 / 0; to federal units 56 / 56" in nc
    assert main(["world", small, "--focus", "NC", "--set", "policy.state_rules.NC.out_of_state_sharing=false"]) == 0
    closed = capsys.readouterr().out
    assert "direct 1:1 0 / 0;" in closed and "to federal units 56 / 0" in closed
    assert "only through proxy lookups 236 / 2,500; closed 0 / 0" in closed
    law = ["policy.state_laws=[NC]", "policy.state_law_compliance=1.0"]
    assert main(["world", small, "--focus", "NC", "--set", law[0], "--set", law[1]]) == 0
    closed = capsys.readouterr().out
    assert "only through proxy lookups 0 / 0; closed 236 / 2,500" in closed and "to federal units 56 / 0" in closed
    assert main(["world", small, "--focus-agency", "NC PD 0001"]) == 0 and "\nNC: 201 agencies" in capsys.readouterr().out


@pytest.mark.parametrize("args, words", [
    (["--focus", "TX"], "--focus: TX has no agencies in this scenario's world; states present: NC"),
    (["--focus", "TEX"], "--focus: unknown state 'TEX'; use a two-letter code"),
    (["--focus-agency", "Raleigh PD"], "--focus-agency: no agency named 'Raleigh PD'"),
])
def test_a_bad_focus_exits_2_naming_it(capsys: pytest.CaptureFixture[str], args: list[str], words: str) -> None:
    assert main(["world", str(SCENARIOS / "small.yaml"), *args]) == 2
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err


def test_o_refuses_a_results_folder_and_keeps_its_world_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`fedsim world ... -o out/baseline` replaced the run's world.json, which its report draws, with another
    scenario's summary."""
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    (run_dir / "summary.json").write_text("{}")
    (run_dir / "world.json").write_text('{"kept": true}')
    small = str(SCENARIOS / "small.yaml")
    assert main(["world", small, "--set", "policy.federal_firewall=true", "-o", str(run_dir)]) == 2
    assert "holds a run's or sweep's results, whose world.json its report reads" in capsys.readouterr().err
    assert (run_dir / "world.json").read_text() == '{"kept": true}'


def test_focus_agency_prints_the_agencys_own_lines(capsys: pytest.CaptureFixture[str]) -> None:
    """`fedsim world --focus-agency NAME` printed only the agency's state; it now leads with the agency."""
    assert main(["world", str(SCENARIOS / "flock-2026-real.yaml"), "--set", "world.states=[TX]", "--set",
                 "world.households.count=2000", "--focus-agency", "Austin TX PD"]) == 0
    out = capsys.readouterr().out
    assert "Austin TX PD (TX, local_police): 0 cameras in this world" in out
    assert out.index("Austin TX PD (TX, local_police)") < out.index("\nTX: ")
    assert main(["world", str(SCENARIOS / "flock-2026-real.yaml"), "--set", "world.states=[TX]", "--set",
                 "world.households.count=2000", "--focus-agency", "Austin TX PD", "--json"]) == 0
    agency = json.loads(capsys.readouterr().out)["agency"]
    assert agency["name"] == "Austin TX PD" and agency["portal"]["cameras_stated"] == 0


def test_a_state_focus_counts_owners_open_to_lookups_under_the_policy(capsys: pytest.CaptureFixture[str]) -> None:
    """state_sharing's lookup_owners applies the policy: with policy.national_lookup off it is 0, and the line read
    '0 owners opted into lookups' where 150-odd owners had opted in."""
    small = str(SCENARIOS / "small.yaml")
    assert main(["world", small, "--focus", "NC", "--set", "policy.national_lookup=false"]) == 0
    out = capsys.readouterr().out
    line = next(ln for ln in out.splitlines() if ln.startswith("NC: "))
    assert line.endswith("; 0 owners open to lookups under the policy (opted in, the lever on)")
