"""Loading scenarios: shipped files validate, extends merges, overrides are strict, resolution is stable."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
import yaml

from sim.cli.main import main
from sim.config import ScenarioError, load_scenario, with_overrides
from sim.config.resolve import content_hash, resolved, write_resolved


def test_every_shipped_scenario_validates(scenarios_dir: Path) -> None:
    files = sorted(scenarios_dir.glob("*.yaml"))
    assert len(files) >= 6
    assert main(["validate", *map(str, files)]) == 0


def test_extends_deep_merges_and_lists_replace(tmp_path: Path) -> None:
    (tmp_path / "base.yaml").write_text(
        "name: base\npolicy:\n  state_laws: [CA, IL]\n  alpr_retention_days: 30\nrun:\n  days: 10\n"
    )
    (tmp_path / "top.yaml").write_text("name: top\nextends: base.yaml\npolicy:\n  state_laws: [TX]\n")
    s = load_scenario(tmp_path / "top.yaml")
    assert s.name == "top"
    assert s.policy.state_laws == ["TX"]
    assert s.policy.alpr_retention_days == 30
    assert s.run.days == 10


def test_a_partial_set_into_an_unspelled_mapping_keeps_its_other_entries(scenarios_dir: Path) -> None:
    """small.yaml (nor baseline.yaml) spells out reasons or scope_mix: --set changes one entry of the default."""
    default = load_scenario(scenarios_dir / "small.yaml").behavior.searches
    s = load_scenario(scenarios_dir / "small.yaml", ["behavior.searches.reasons.immigration=0.1",
                                                    "behavior.searches.scope_mix.local_police={local: 1.0}",
                                                    "behavior.searches.scope_mix.federal.statewide=0.5",
                                                    "behavior.searches.lookback_days.7=0.5"])
    reasons = s.behavior.searches.reasons
    assert reasons == default.reasons | {"immigration": 0.1} and len(reasons) == 10
    mix = s.behavior.searches.scope_mix
    assert mix["local_police"] == {"local": 1.0}  # the value given for that key replaces it
    assert mix["sheriff"] == default.scope_mix["sheriff"] and mix["state_police"] == default.scope_mix["state_police"]
    assert mix["federal"] == default.scope_mix["federal"] | {"statewide": 0.5}
    assert s.behavior.searches.lookback_days == default.lookback_days | {7: 0.5}


def test_extends_merges_a_partial_mapping_onto_the_default(tmp_path: Path, scenarios_dir: Path) -> None:
    top = "name: top\nextends: " + str(scenarios_dir / "small.yaml") + "\nbehavior:\n  searches:\n"
    (tmp_path / "top.yaml").write_text(top + "    reasons: {immigration: 0.3}\n")
    s = load_scenario(tmp_path / "top.yaml")
    default = load_scenario(scenarios_dir / "small.yaml").behavior.searches.reasons
    assert s.behavior.searches.reasons == default | {"immigration": 0.3}


def test_variants_change_only_their_lever(scenarios_dir: Path) -> None:
    base = load_scenario(scenarios_dir / "baseline.yaml")
    short = load_scenario(scenarios_dir / "retention-7d.yaml")
    assert short.policy.alpr_retention_days == 7
    assert short.world == base.world
    assert short.behavior == base.behavior


def test_set_override_is_validated_like_a_file(scenarios_dir: Path) -> None:
    s = load_scenario(scenarios_dir / "small.yaml", ["policy.alpr_retention_days=7", "policy.federal_firewall=true"])
    assert s.policy.alpr_retention_days == 7 and s.policy.federal_firewall is True
    with pytest.raises(ScenarioError, match=r"--set: policy.federal_firewall: must be true or false"):
        load_scenario(scenarios_dir / "small.yaml", ["policy.federal_firewall=yes"])
    with pytest.raises(ScenarioError, match="did you mean 'alpr_retention_days'"):
        load_scenario(scenarios_dir / "small.yaml", ["policy.alpr_retention_day=7"])
    with pytest.raises(ScenarioError, match="path=value"):
        load_scenario(scenarios_dir / "small.yaml", ["policy.alpr_retention_days"])
    # a path below a scalar: the --set is to blame, not the base file's line that set the number
    with pytest.raises(ScenarioError) as err:
        load_scenario(scenarios_dir / "small.yaml", ["policy.alpr_retention_days.x=1"])
    assert str(err.value).startswith("--set: policy.alpr_retention_days: must be a whole number")


def test_with_overrides_for_sweeps(scenarios_dir: Path) -> None:
    s = load_scenario(scenarios_dir / "small.yaml")
    t = with_overrides(s, {"behavior.optin.base_rate": 0.1})
    assert t.behavior.optin.base_rate == 0.1 and s.behavior.optin.base_rate != 0.1
    with pytest.raises(ScenarioError, match="sweep: behavior.optin.base_rate"):
        with_overrides(s, {"behavior.optin.base_rate": 2.0})


def test_resolved_scenario_round_trips(tmp_path: Path, scenarios_dir: Path) -> None:
    s = load_scenario(scenarios_dir / "small.yaml")
    path = write_resolved(s, tmp_path / "resolved_scenario.yaml")
    data = yaml.safe_load(path.read_text())
    assert data["meta"]["seed"] == s.run.seed
    assert data["meta"]["content_hash"] == content_hash(s)
    again = load_scenario(path)
    assert content_hash(again) == content_hash(s)
    assert resolved(again)["world"] == resolved(s)["world"]


def test_content_hash_tracks_parameters(scenarios_dir: Path) -> None:
    s = load_scenario(scenarios_dir / "small.yaml")
    assert content_hash(s) == content_hash(load_scenario(scenarios_dir / "small.yaml"))
    assert content_hash(s) != content_hash(with_overrides(s, {"policy.alpr_retention_days": 7}))
    # the tables written and their formats change no result: same hash
    assert content_hash(s) == content_hash(with_overrides(s, {"run.tables": ["by_state"], "run.csv": "none"}))
    # run.world_per_replication moves results, so it counts when on; off, the hash is what it was before the field
    # existed: the canonical JSON without it (so older folders of the same scenario compare as the same model)
    on = with_overrides(s, {"run.world_per_replication": True})
    assert content_hash(on) != content_hash(s)
    before = s.model_dump(mode="json", exclude={"meta": True, "run": {"tables", "csv"}})
    del before["run"]["world_per_replication"]
    canon = json.dumps(before, sort_keys=True, separators=(",", ":"))
    assert content_hash(s) == hashlib.sha256(canon.encode()).hexdigest()


def test_every_period_scenario_declares_its_period(scenarios_dir: Path, tmp_path: Path) -> None:
    """The period a scenario's rates and rules stand for is declared (docs/scenarios.md), inherited through extends,
    saved in the resolved scenario and part of its content hash; it matches the calibration's periods."""
    from sim.calibration.observed import PERIODS as CALIBRATION_PERIODS
    from sim.config.scenario import PERIODS

    assert [str(p) for p in PERIODS] == list(CALIBRATION_PERIODS)
    declared = {f.stem: load_scenario(f).period for f in scenarios_dir.glob("*.yaml")}
    assert {k: declared[k] for k in ("flock-2024", "flock-2025", "flock-2026", "flock-2026-real",
                                     "flock-2026-real-rules", "baseline", "small")} == {
        "flock-2024": 2024, "flock-2025": 2025, "flock-2026": 2026, "flock-2026-real": 2025,
        "flock-2026-real-rules": 2026, "baseline": 2025, "small": 2025}
    assert all(p is not None for p in declared.values()), declared
    s = load_scenario(scenarios_dir / "small.yaml", ["period=2026"])
    path = write_resolved(s, tmp_path / "resolved_scenario.yaml")
    assert yaml.safe_load(path.read_text())["period"] == 2026 and load_scenario(path).period == 2026
    assert content_hash(s) != content_hash(load_scenario(scenarios_dir / "small.yaml"))


def test_schema_command_prints_json_schema(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["title"] == "Scenario"
    assert "policy" in schema["properties"]
    assert schema["additionalProperties"] is False


def test_resolved_records_the_calibration_file_hash(tmp_path: Path, scenarios_dir: Path) -> None:
    cal = tmp_path / "calibration.json"
    cal.write_text('{"queues": {"ingest": {"capacity_reads_per_s": 1000.0}}}')
    s = load_scenario(scenarios_dir / "small.yaml", [f"platform.calibration={cal}"])
    meta = resolved(s)["meta"]
    assert meta["calibration_sha256"] == hashlib.sha256(cal.read_bytes()).hexdigest()
    cal.write_text('{"queues": {"ingest": {"capacity_reads_per_s": 2000.0}}}')
    assert resolved(s)["meta"]["calibration_sha256"] != meta["calibration_sha256"]
    assert "calibration_sha256" not in resolved(load_scenario(scenarios_dir / "small.yaml"))["meta"]


def test_run_tables_name_the_results_tables() -> None:
    from sim.config.run import ALWAYS_TABLES, CSV_DEFAULT, PLACE_TABLES
    from sim.results.tables import RUN_TABLES

    assert set(ALWAYS_TABLES + PLACE_TABLES) == set(RUN_TABLES)
    assert set(CSV_DEFAULT) == {"metrics", "flows", "by_state", "by_agency"}  # issue 20: by_state/by_agency as CSV


def test_a_set_of_a_whole_state_rules_map_adds_to_the_rules_below(scenarios_dir: Path) -> None:
    """--set policy.state_rules={TX: ...} replaced the whole map and silently dropped California's rule (the
    period's, from baseline.yaml); it now adds Texas's and keeps California's, as an extending file would."""
    period = scenarios_dir / "flock-2025.yaml"
    closed = {"may_run_national_lookup": False, "out_of_state_sharing": False}
    rules = load_scenario(period, ["policy.state_rules={TX: {out_of_state_sharing: false}}"]).policy.state_rules
    assert {s: r.model_dump() for s, r in rules.items()} == {
        "CA": closed, "TX": {"may_run_national_lookup": True, "out_of_state_sharing": False}}
    # a state named merges field by field; flock-2024's open California stays open where not named
    ca = load_scenario(period, ["policy.state_rules={CA: {may_run_national_lookup: true}}"]).policy.state_rules["CA"]
    assert ca.model_dump() == {"may_run_national_lookup": True, "out_of_state_sharing": False}
    old = load_scenario(scenarios_dir / "flock-2024.yaml", ["policy.state_rules={TX: {may_run_national_lookup: false}}"])
    assert old.policy.state_rules["CA"].out_of_state_sharing is True
    assert not old.policy.state_rules["TX"].may_run_national_lookup
    # {} is said on purpose: no state rules at all
    assert load_scenario(period, ["policy.state_rules={}"]).policy.state_rules == {}
    # a sweep value is a --set too
    swept = with_overrides(load_scenario(period), {"policy.state_rules": {"IL": {"out_of_state_sharing": False}}})
    assert sorted(swept.policy.state_rules) == ["CA", "IL"]


def test_a_set_of_a_per_type_table_keeps_the_types_it_does_not_name(scenarios_dir: Path) -> None:
    """--set behavior.searches.per_agency_30d_median={sheriff: 50} left the other types out, so local police, state
    police and federal units ran no searches at all (a missing type reads as 0); a mix given whole still replaces."""
    s = load_scenario(scenarios_dir / "flock-2026.yaml", ["behavior.searches.per_agency_30d_median={sheriff: 50}",
                                                         "behavior.searches.reasons={theft: 1}",
                                                         "behavior.searches.scope_mix={sheriff: {local: 1}}"])
    searches = s.behavior.searches
    assert searches.per_agency_30d_median == {"local_police": 92.4, "sheriff": 50.0, "state_police": 300.0,
                                              "federal": 200.0}
    assert searches.reasons == {"theft": 1.0}
    assert searches.scope_mix["sheriff"] == {"local": 1.0} and searches.scope_mix["federal"]["national"] == 0.8


def test_a_file_without_extends_merges_a_partial_mapping_over_the_defaults(tmp_path: Path) -> None:
    """The same lines meant two things: in an extending file `reasons: {immigration: 0.3}` changed one reason, in a
    file without extends it made every search an immigration search, and `state_rules: {TX: ...}` dropped CA."""
    f = tmp_path / "solo.yaml"
    f.write_text("name: solo\npolicy:\n  state_rules: {TX: {out_of_state_sharing: false}}\n"
                 "behavior:\n  searches:\n    reasons: {immigration: 0.3}\n")
    s = load_scenario(f)
    assert sorted(s.policy.state_rules) == ["CA", "TX"]
    assert s.behavior.searches.reasons["immigration"] == 0.3 and len(s.behavior.searches.reasons) == 10
