"""A table of bad scenario files, each with the dotted path and the message it must give."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.cli.main import main
from sim.config import ScenarioError, load_scenario

BAD = [
    # (id, yaml text, dotted path in the message, fragment of the message)
    ("unknown-key", "name: x\nworld:\n  neighbourhoods: 5\n", "world.neighbourhoods", "did you mean 'neighborhoods'"),
    ("unknown-section", "name: x\nplatfrom: {}\n", "platfrom", "did you mean 'platform'"),
    ("yes-no-bool", "name: x\npolicy:\n  federal_firewall: NO\n", "policy.federal_firewall", "true or false"),
    ("leading-zero", "name: x\npolicy:\n  alpr_retention_days: 010\n", "policy.alpr_retention_days", "'010'"),
    ("sexagesimal", "name: x\nrun:\n  days: 12:30\n", "run.days", "'12:30'"),
    ("negative", "name: x\npolicy:\n  alpr_retention_days: -3\n", "policy.alpr_retention_days", "greater than 0"),
    ("share-range", "name: x\nbehavior:\n  optin:\n    base_rate: 1.5\n", "behavior.optin.base_rate", "less than or equal to 1"),
    (
        "window-range",
        "name: x\nbehavior:\n  requests:\n    window_hours_max: 13\n",
        "behavior.requests",
        "15 min to 12 h",
    ),
    ("area-range", "name: x\nbehavior:\n  requests:\n    area_sq_mi_min: 0.01\n", "behavior.requests", "0.025"),
    ("routing", "name: x\nplatform:\n  routing: ring\n", "platform.routing", "'axon', 'flock' or 'none'"),
    ("state-code", "name: x\npolicy:\n  state_laws: [CA, XX]\n", "policy.state_laws", "unknown state codes ['XX']"),
    ("missing-name", "description: no name\n", "name", "is required"),
    ("bad-name", "name: 'a b/c'\n", "name", "letters, digits"),
    ("duplicate-key", "name: x\nrun:\n  days: 3\n  days: 4\n", "", "duplicate key 'run.days'"),
    ("alias", "name: &n x\ndescription: *n\n", "", "anchors"),
    ("merge-key", "name: x\nrun:\n  <<: {days: 3}\n", "", "merge keys"),
    ("explicit-tag", "name: x\nrun:\n  days: !!float 3\n", "", "explicit YAML tags"),
    ("not-mapping", "- a\n- b\n", "", "must be a mapping"),
    ("bad-yaml", "name: x\nrun: [\n", "", "not valid YAML"),
    (
        "lookback",
        "name: x\nbehavior:\n  searches:\n    lookback_days: {3: 1.0}\n",
        "behavior.searches.lookback_days",
        "1, 7, 14, 30",
    ),
    (
        "lookback-beyond-a-preset",
        "name: x\nbehavior:\n  searches:\n    lookback_days: {90: 1.0}\n",
        "behavior.searches.lookback_days",
        "a custom range beyond them is lookback_beyond_days",
    ),
    (
        "lookback-beyond-within-presets",
        "name: x\nbehavior:\n  searches:\n    lookback_beyond_days: 30\n",
        "behavior.searches.lookback_beyond_days",
        "beyond the presets' 30 and at most 3650 (the longest retention a policy may set), got 30",
    ),
    (
        "lookback-beyond-share",
        "name: x\nbehavior:\n  searches:\n    lookback_beyond_share: 1.5\n",
        "behavior.searches.lookback_beyond_share",
        "less than or equal to 1",
    ),
    (
        "empirical",
        "name: x\nplatform:\n  packaging:\n    service_time: {dist: empirical}\n",
        "platform.packaging.service_time",
        "samples_s",
    ),
    ("sweep-both", "name: x\nsweep:\n  grid: {policy.alpr_retention_days: [7]}\n  points: [{}]\n", "sweep", "not both"),
    (
        "federal-grant-unknown",
        "name: x\nworld:\n  sharing:\n    federal_grant_share: {DEA: 0.1}\n",
        "world",
        "not in agencies.federal_units",
    ),
    ("extends-missing", "name: x\nextends: nowhere.yaml\n", "extends", "does not exist"),
]
TYPED = [
    # the validated types (sim.config.base: HourlyProfile, WeeklyProfile, Weights, DayWeights): the path names the
    # field, the message what is wrong and what is allowed, the value follows
    ("hourly-length", "name: x\nbehavior:\n  alpr:\n    hourly_profile: [1, 2]\n", "behavior.alpr.hourly_profile",
     "needs exactly 24 values, one per hour 0..23, got 2 (got [1, 2])"),
    ("weekly-negative", "name: x\nbehavior:\n  searches:\n    weekly_profile: [1, 1, -1, 1, 1, -2, 1]\n",
     "behavior.searches.weekly_profile", "values must be >= 0 with a positive sum; negative at day Wednesday, Saturday"),
    ("weekly-zero", "name: x\nbehavior:\n  incidents:\n    weekly_profile: [0, 0, 0, 0, 0, 0, 0]\n",
     "behavior.incidents.weekly_profile", "positive sum; all are 0"),
    ("weights-negative", "name: x\nbehavior:\n  searches:\n    reasons: {theft: -1, fraud: 1}\n",
     "behavior.searches.reasons", "weights must be >= 0, got {'theft': -1.0}"),
    ("weights-empty", "name: x\nworld:\n  alpr:\n    sites: {}\n", "world.alpr.sites", "must not be empty"),
    ("day-weights-zero", "name: x\nworld:\n  households:\n    retention_days: {30: 0, 60: 0, 180: 0}\n",
     "world.households.retention_days", "weights must sum to more than 0"),
    ("zero-share-type", "name: x\nbehavior:\n  searches:\n    per_agency_zero_share: {fed: 0.1}\n",
     "behavior.searches.per_agency_zero_share", "unknown agency types ['fed']; allowed local_police, sheriff"),
    ("zero-share-range", "name: x\nbehavior:\n  searches:\n    per_agency_zero_share: {federal: 1.5}\n",
     "behavior.searches.per_agency_zero_share.federal", "less than or equal to 1"),
    # per-type medians were taken as given: a misspelt type was accepted and the types left out ran no searches
    ("median-type", "name: x\nbehavior:\n  searches:\n    per_agency_30d_median: {sherif: 195.9}\n",
     "behavior.searches.per_agency_30d_median", "unknown agency types ['sherif']; allowed local_police, sheriff"),
    ("median-negative", "name: x\nbehavior:\n  searches:\n    per_agency_30d_median: {sheriff: -1}\n",
     "behavior.searches.per_agency_30d_median.sheriff", "greater than or equal to 0"),
    ("scope-mix-one-type", "name: x\nbehavior:\n  searches:\n    scope_mix:\n      sheriff: {local: -1, shared: 1}\n",
     "behavior.searches.scope_mix.sheriff", "weights must be >= 0, got {'local': -1.0}"),
    ("federal-unit-reasons", "name: x\nbehavior:\n  searches:\n    federal_units:\n      FBI: {per_30d: 1, reasons: {}}\n",
     "behavior.searches.federal_units.FBI.reasons", "must not be empty"),
    # the arterial cameras' disc per agency type, or one number for every type
    ("radius-type", "name: x\nworld:\n  alpr:\n    placement_radius_m: {cops: 5000}\n",
     "world.alpr.placement_radius_m",
     "unknown agency types ['cops']; allowed local_police, sheriff, state_police, federal (got {'cops': 5000})"),
    ("radius-negative", "name: x\nworld:\n  alpr:\n    placement_radius_m: {sheriff: -5}\n",
     "world.alpr.placement_radius_m.sheriff", "greater than 0 (got -5)"),
    ("radius-zero-number", "name: x\nworld:\n  alpr:\n    placement_radius_m: 0\n",
     "world.alpr.placement_radius_m", "the radius must be > 0 metres (got 0)"),
    ("radius-text", "name: x\nworld:\n  alpr:\n    placement_radius_m: far\n", "world.alpr.placement_radius_m",
     "give metres (> 0) for every agency type, or a mapping agency type -> metres; agency types: local_police"),
    ("places-radius", "name: x\nworld:\n  places_radius_m: 0\n", "world.places_radius_m", "greater than 0"),
    # the period a scenario stands for: one of the calibration's periods, a number
    ("period", "name: x\nperiod: 2023\n", "period", "Input should be 2024, 2025 or 2026 (got 2023)"),
    ("period-quoted", "name: x\nperiod: '2025'\n", "period",
     "Input should be 2024, 2025 or 2026 (a number: write it without quotes) (got '2025')"),
]
BAD += TYPED


@pytest.mark.parametrize(("case", "text", "path", "fragment"), BAD, ids=[b[0] for b in BAD])
def test_bad_scenario_message(tmp_path: Path, case: str, text: str, path: str, fragment: str) -> None:
    f = tmp_path / f"{case}.yaml"
    f.write_text(text)
    with pytest.raises(ScenarioError) as info:
        load_scenario(f)
    msg = str(info.value)
    assert str(f) in msg
    assert fragment in msg
    if path:
        assert f": {path}:" in msg or f" {path}:" in msg


@pytest.mark.parametrize("word", ["or"])
def test_a_quoted_word_of_the_allowed_list_gets_no_number_hint(tmp_path: Path, word: str) -> None:
    """'2024, 2025 or 2026' split on spaces made "or" an allowed value: `period: "or"` was told to drop its quotes."""
    f = tmp_path / "s.yaml"
    f.write_text(f"name: x\nperiod: '{word}'\n")
    with pytest.raises(ScenarioError) as info:
        load_scenario(f)
    assert "Input should be 2024, 2025 or 2026" in str(info.value) and "without quotes" not in str(info.value)


def test_line_number_is_reported(tmp_path: Path) -> None:
    f = tmp_path / "s.yaml"
    f.write_text("name: x\n\npolicy:\n  sharing_scope: any\n  alpr_retention_days: 0\n")
    with pytest.raises(ScenarioError) as info:
        load_scenario(f)
    assert f"{f}:5: policy.alpr_retention_days" in str(info.value)


@pytest.mark.parametrize(("case", "text", "path", "fragment"), BAD[:6] + TYPED, ids=[b[0] for b in BAD[:6] + TYPED])
def test_validate_cli_exits_2_without_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str, text: str, path: str, fragment: str
) -> None:
    f = tmp_path / f"{case}.yaml"
    f.write_text(text)
    assert main(["validate", str(f)]) == 2
    err = capsys.readouterr().err
    assert fragment in err
    assert "Traceback" not in err


def test_oversized_file_refused(tmp_path: Path) -> None:
    f = tmp_path / "big.yaml"
    f.write_text("name: x\ndescription: '" + "a" * (1024 * 1024) + "'\n")
    with pytest.raises(ScenarioError, match="limited to 1 MiB"):
        load_scenario(f)


def test_alias_bomb_refused(tmp_path: Path) -> None:
    lines = ["name: x", "a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1]"]
    lines += [f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]" for i in range(8)]
    f = tmp_path / "bomb.yaml"
    f.write_text("\n".join(lines) + "\n")
    with pytest.raises(ScenarioError, match="anchors"):
        load_scenario(f)


def test_extends_cycle_refused(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("name: a\nextends: b.yaml\n")
    (tmp_path / "b.yaml").write_text("name: b\nextends: a.yaml\n")
    with pytest.raises(ScenarioError, match="cycle"):
        load_scenario(tmp_path / "a.yaml")


def test_a_bad_name_says_the_value_once(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: my scenario!\n")
    with pytest.raises(ScenarioError) as err:
        load_scenario(bad)
    assert str(err.value).count("'my scenario!'") == 1 and "(it names the output folder) (got 'my scenario!')" in str(err.value)


def test_validate_checks_each_sweep_point(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A misspelt grid key or a bad value in one point passed `fedsim validate` ('ok', exit 0); `fedsim sweep`
    then turned the points into failure rows."""
    bad = tmp_path / "grid.yaml"
    bad.write_text("name: grid\nsweep:\n  grid:\n    policy.alpr_retention_days: [7, -2]\n    policy.federal_firewal: [true]\n")
    assert main(["validate", str(bad)]) == 2
    err = capsys.readouterr().err
    assert f"{bad}: sweep point 0: policy.federal_firewal: unknown key 'federal_firewal'; did you mean 'federal_firewall'?" in err
    assert "sweep point 1: policy.alpr_retention_days: Input should be greater than 0 (got -2)" in err
    good = tmp_path / "ok.yaml"
    good.write_text("name: ok\nsweep:\n  points:\n    - {policy.alpr_retention_days: 7}\n")
    assert main(["validate", str(good)]) == 0 and "ok (ok)" in capsys.readouterr().out


def test_a_set_that_replaces_a_mapping_is_blamed_not_the_file_line_it_replaced(tmp_path: Path) -> None:
    """--set behavior.searches.scope_mix={...} replaces the file's mapping: an error inside it names --set, not the
    line the file had for that key."""
    f = tmp_path / "s.yaml"
    f.write_text("name: x\nbehavior:\n  searches:\n    scope_mix:\n      sheriff: {local: 1}\n")
    with pytest.raises(ScenarioError) as info:
        load_scenario(f, ["behavior.searches.scope_mix={sheriff: {local: -1}}"])
    assert str(info.value) == ("--set: behavior.searches.scope_mix.sheriff: weights must be >= 0, got {'local': -1.0} "
                               "(got {'local': -1})")


def test_a_rule_given_as_a_scalar_names_the_keys_it_takes(scenarios_dir: Path) -> None:
    """--set policy.state_rules.TX=false said only 'must be a mapping of keys to values', not which keys."""
    with pytest.raises(ScenarioError) as info:
        load_scenario(scenarios_dir / "flock-2025.yaml", ["policy.state_rules.TX=false"])
    assert str(info.value) == ("--set: policy.state_rules.TX: must be a mapping with keys may_run_national_lookup, "
                               "out_of_state_sharing (got False)")


def test_a_flow_mapping_without_a_space_after_the_colon_is_explained(scenarios_dir: Path) -> None:
    """{where: {state:TX}} is YAML for the key 'state:TX'; the message named it unknown and stopped there."""
    with pytest.raises(ScenarioError) as info:
        load_scenario(scenarios_dir / "flock-2025.yaml",
                      ["policy.overrides=[{where: {state:TX}, set: {alpr_retention_days: 7}}]"])
    assert "YAML reads 'state:TX' as one key: write a space after the colon ({state: TX})" in str(info.value)


def test_a_set_mapping_merged_over_defaults_shows_what_was_set(tmp_path: Path) -> None:
    """--set world.alpr.placement_radius_m={cops: 5} printed the defaults it was merged over, cut short."""
    f = tmp_path / "s.yaml"
    f.write_text("name: x\n")
    with pytest.raises(ScenarioError) as info:
        load_scenario(f, ["world.alpr.placement_radius_m={cops: 5}"])
    assert str(info.value).endswith("(got {'cops': 5})")
