"""Warnings about valid scenarios that likely do not do what was meant: moderation reasons no search carries."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from sim.config import load_scenario
from sim.config.checks import reason_categories, scenario_warnings
from tests.conftest import ROOT, SCENARIOS

SMALL = SCENARIOS / "small.yaml"


def test_a_moderation_reason_no_search_carries_is_named_with_its_path_and_the_scenarios_reasons() -> None:
    sc = load_scenario(SMALL, ["policy.moderation.blocked=[imigration, theft]"])
    [warning] = scenario_warnings(sc)
    assert warning.startswith("policy.moderation.blocked: 'imigration' is a reason no search carries")
    assert "did you mean 'immigration'?" in warning
    assert ", ".join(reason_categories(sc.behavior.searches)) in warning


def test_an_overrides_moderation_is_checked_under_its_index() -> None:
    sc = load_scenario(SMALL, [
        "policy.overrides=[{where: {state: NC}, set: {national_lookup: false}},"
        " {where: {state: CA}, set: {moderation: {blocked: [immigration], warned: [zzz]}}}]"])
    [warning] = scenario_warnings(sc)
    assert warning.startswith("policy.overrides[1].set.moderation.warned: 'zzz' is a reason no search carries, "
                              "so it warns about nothing; the scenario's reasons: ")
    assert "did you mean" not in warning


def test_the_reasons_a_search_can_carry_include_federal_units_proxy_lookups_and_the_catch_all() -> None:
    sc = load_scenario(SMALL, ["behavior.searches.reasons={theft: 1.0}"])
    known = reason_categories(sc.behavior.searches)
    assert {"theft", "immigration", "other", "mail_theft"} <= set(known)  # mail_theft: USPIS's own reasons
    assert "stolen_vehicle" not in known
    blocked = load_scenario(SMALL, ["behavior.searches.reasons={theft: 1.0}", "policy.moderation.blocked=[stolen_vehicle]"])
    assert len(scenario_warnings(blocked)) == 1


def test_shipped_scenarios_warn_only_where_moderation_blocks_nothing() -> None:
    # flock-2026 blocks "immigration" and "abortion" as Flock does; its offense-type drop-down files immigration
    # searches under "other", and its reason mix has no abortion searches; it picks federal_category (warned too)
    hidden, missing, federal = scenario_warnings(load_scenario(SCENARIOS / "flock-2026.yaml"))
    assert hidden.startswith("policy.moderation.blocked: 'immigration' is no offense type, and under "
                             "policy.reason_mode offense_type a search run for it is audited as 'other'")
    assert hidden.endswith("(search.moderation.unseen_blocked counts those searches)")
    assert missing.startswith("policy.moderation.blocked: 'abortion' is a reason no search carries")
    assert federal.startswith("policy.federal_access: 'federal_category'")  # test_federal_category_is_said_to...
    assert scenario_warnings(load_scenario(SCENARIOS / "flock-2026.yaml", ["policy.reason_mode=free_text"])) == [
        missing, federal]
    for name in ("small.yaml", "baseline.yaml"):
        assert scenario_warnings(load_scenario(SCENARIOS / name)) == []


def test_fedsim_validate_prints_the_warning_and_still_exits_0() -> None:
    done = subprocess.run([sys.executable, "-m", "sim.cli.main", "validate", str(SMALL),
                           "--set", "policy.moderation.warned=[stolen_vehicles]"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "ok (small)" in done.stdout
    assert (f"WARNING: {SMALL}: policy.moderation.warned: 'stolen_vehicles' is a reason no search carries, so it "
            "warns about nothing; did you mean 'stolen_vehicle'?") in done.stderr  # the file: validate takes several
    assert "Traceback" not in done.stderr


def test_a_reason_spelt_almost_like_a_category_is_a_new_category_and_warned() -> None:
    """--set behavior.searches.reasons.imigration=0.1 ran silently with a 14th reason and immigration unchanged."""
    warnings = scenario_warnings(load_scenario(SMALL, ["behavior.searches.reasons.imigration=0.1"]))
    assert warnings == ["behavior.searches.reasons.imigration: a new reason category, not 'immigration': did you mean "
                        "'immigration'? (its weight is added to the mix; 'immigration' keeps its own)"]
    assert scenario_warnings(load_scenario(SMALL, ["behavior.searches.reasons.shoplifting=0.1"])) == []  # deliberate
    assert scenario_warnings(load_scenario(SMALL, ["behavior.searches.reasons.immigration=0.1"])) == []


def test_a_runs_summary_keeps_the_warning(tmp_path: Path) -> None:
    from sim import run
    from tests.sim.runner import toy

    sc = load_scenario(SMALL, ["run.days=1", "run.replications=1", "policy.moderation.blocked=[abortion]"])
    result = run(sc, output_dir=tmp_path / "out", components=toy.COMPONENTS, world_factory=toy.WORLD,
                 quiet=True, executor="inprocess")
    summary = json.loads((result.output_dir / "summary.json").read_text())
    assert [w.split(":")[0] for w in summary["scenario_warnings"]] == ["policy.moderation.blocked"]
    assert result.summary()["scenario_warnings"] == summary["scenario_warnings"]


def test_federal_category_is_said_to_reach_what_paused_reaches() -> None:
    """A user choosing between the two must not believe their reach differs (docs/MODEL.md)."""
    [warning] = scenario_warnings(load_scenario(SMALL, ["policy.federal_access=federal_category"]))
    assert warning.startswith("policy.federal_access: 'federal_category' gives federal units the same reach as "
                              "'paused'")
    assert "alpr.searches_federal_labelled" in warning and "'open'" in warning
    for value in ("paused", "open"):
        assert scenario_warnings(load_scenario(SMALL, [f"policy.federal_access={value}"])) == []


def test_retention_limits_compared_over_a_run_shorter_than_them_are_warned(tmp_path: Path) -> None:
    """A 7-day run of Texas at 7 days against the rest at 30 (or a retention sweep run 7 days) showed the same
    exposure.* for 14, 30 and 90 days (retention-sweep at --set run.days=7: history_days_mean 6.83-6.84 at each),
    with no word that the run was too short to tell them apart."""
    tx = tmp_path / "tx-7d.yaml"
    tx.write_text(f"name: tx-7d\nextends: {SMALL}\npolicy:\n  overrides:\n"
                  "    - {where: {state: NC}, set: {alpr_retention_days: 7}}\n")
    [warning] = scenario_warnings(load_scenario(tx))
    assert warning.startswith("run.days: 7 simulated day(s) (run.warmup_days + run.days) are fewer than the longest "
                              "ALPR retention compared, 30 days (retention limits: 7 "
                              "(policy.overrides[0].set.alpr_retention_days), 30 (policy.alpr_retention_days))")
    assert scenario_warnings(load_scenario(tx, ["run.warmup_days=23"])) == []
    sweep = load_scenario(SMALL.parent / "retention-sweep.yaml", ["run.days=7"])
    [warning] = scenario_warnings(sweep)
    assert "longest ALPR retention compared, 90 days" in warning and "1 (sweep)" in warning
    assert scenario_warnings(load_scenario(SMALL.parent / "retention-sweep.yaml")) == []
    # one retention for every agency: nothing is compared, so nothing to warn about (small.yaml runs 7 of 30 days)
    assert scenario_warnings(load_scenario(SMALL)) == []
