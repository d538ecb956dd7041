"""Keys renamed since files were written (`sim.config.renamed`): an older file, --set, sweep value or results
folder is read under the new name, with a warning, layer by layer; both names at once are refused."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from sim.config import ScenarioError, load_scenario, with_overrides
from sim.config.checks import scenario_warnings
from sim.results.read import read_scenario
from tests.conftest import SCENARIOS

OLD = "policy.state_rules.NC.national_lookup"
NEW = "policy.state_rules.NC.may_run_national_lookup"


def _file(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_an_older_files_state_rule_key_is_read_as_its_new_name_with_a_warning(tmp_path: Path) -> None:
    """`state_rules.<ST>.national_lookup` said whether the state's agencies may run national lookups, the name of
    an owner's opt-in (its reads open to lookups): now `may_run_national_lookup`, and old files keep working."""
    old = _file(tmp_path / "old.yaml", f"extends: {SCENARIOS / 'small.yaml'}\nname: old\n"
                                       "policy:\n  state_rules:\n    NC: {national_lookup: false}\n")
    s = load_scenario(old)
    assert s.policy.state_rules["NC"].may_run_national_lookup is False
    assert s.policy.state_rules["CA"].may_run_national_lookup is False  # the default's rule kept
    warned = [w for w in scenario_warnings(s) if OLD in w]
    assert len(warned) == 1 and NEW in warned[0] and str(old) in warned[0]
    assert "national_lookup" not in s.model_dump()["policy"]["state_rules"]["NC"]  # saved under the new name only
    assert not any(OLD in w for w in scenario_warnings(load_scenario(SCENARIOS / "baseline.yaml")))


def test_each_layer_is_renamed_before_the_merge(tmp_path: Path) -> None:
    """A newer file over an older base, and an older file over a newer base, keep the top layer's value."""
    for old_below, below, above in ((True, "false", "true"), (False, "true", "false")):
        keys = ("national_lookup", "may_run_national_lookup")[:: 1 if old_below else -1]
        _file(tmp_path / "base.yaml", f"extends: {SCENARIOS / 'small.yaml'}\nname: base\n"
                                      f"policy:\n  state_rules:\n    NC: {{{keys[0]}: {below}}}\n")
        top = _file(tmp_path / "top.yaml", "extends: base.yaml\nname: top\n"
                                           f"policy:\n  state_rules:\n    NC: {{{keys[1]}: {above}}}\n")
        assert load_scenario(top).policy.state_rules["NC"].may_run_national_lookup is (above == "true")
        assert load_scenario(top, [f"{OLD}={below}"]).policy.state_rules["NC"].may_run_national_lookup is (below == "true")


def test_a_set_and_a_sweep_value_with_the_old_name(tmp_path: Path) -> None:
    small = SCENARIOS / "small.yaml"
    s = load_scenario(small, ["policy.state_rules.CA.national_lookup=true"])
    assert s.policy.state_rules["CA"].may_run_national_lookup is True and s.renamed_keys
    s = load_scenario(small, ["policy.state_rules={TX: {national_lookup: false}}"])
    assert s.policy.state_rules["TX"].may_run_national_lookup is False
    given = {"NC": {"national_lookup": False}}
    swept = with_overrides(load_scenario(small), {"policy.state_rules": given})
    assert swept.policy.state_rules["NC"].may_run_national_lookup is False and any(OLD in w for w in swept.renamed_keys)
    assert given == {"NC": {"national_lookup": False}}  # the caller's value is not changed
    with pytest.raises(ScenarioError, match="gives both national_lookup and its new name may_run_national_lookup"):
        load_scenario(small, ["policy.state_rules={TX: {national_lookup: false, may_run_national_lookup: true}}"])


def test_an_older_results_folders_resolved_scenario_reads_the_new_name(tmp_path: Path) -> None:
    """Reports read a folder's resolved scenario as data: an older folder's key reads as the new one (the brief's
    rules sentence said nothing of California's closed national lookup)."""
    from reports.answer import levers
    from reports.focus_rules import rules_sentence

    data = load_scenario(SCENARIOS / "small.yaml").model_dump(mode="python")
    data["policy"]["state_rules"] = {"CA": {"national_lookup": False, "out_of_state_sharing": True}}
    (tmp_path / "resolved_scenario.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    read = read_scenario(tmp_path)
    assert read["policy"]["state_rules"]["CA"] == {"may_run_national_lookup": False, "out_of_state_sharing": True}
    assert "no national lookup, for every agency" in rules_sentence(read, "CA", "California")
    assert "state_rules.may_run_national_lookup" not in levers(read)  # California's lookup closed, as the baseline's
