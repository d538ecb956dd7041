"""The answer first: the question, the change in words, outcome metrics only with CIs, the box, then caveats."""

from __future__ import annotations

import html
import math
import re
from pathlib import Path

import pandas as pd

from reports.answer import changes, levers, sweep_answers
from reports.catalog import KEY_METRICS, info
from reports.report import write_report
from sim.results.sweep import SweepTables
from tests.reports.tables import write_run


def test_top_of_the_report_states_question_change_and_outcomes_before_the_detail(tmp_path: Path) -> None:
    folder = write_run(tmp_path / "r7", name="r7", overrides=["policy.alpr_retention_days=7"])
    page = write_report(folder).read_text(encoding="utf-8")
    question, change, box = page.index("The question."), page.index("The change."), page.index("What this is and is")
    caveats, key = page.index("<h2>Caveats</h2>"), page.index("<h2>Key numbers</h2>")
    assert question < change < box < caveats < key
    assert "One state, a few hundred agencies" in page[question:change]  # small.yaml's description
    assert '<span title="policy.alpr_retention_days">days plate reads are kept</span>: 7 instead of 30' in page[change:box]
    answer = page[page.index("<strong>The answer</strong>"):box]
    outcomes = [info(m).label for m in KEY_METRICS if info(m).kind == "outcome"]
    others = [info(m).label for m in KEY_METRICS if info(m).kind != "outcome"]
    shown = [label for label in outcomes if f">{label}<" in answer]
    assert 2 <= len(shown) <= 4 and "95% CI" in answer
    # totals need their period (small.yaml runs 7 days): "Footage requests posted 55.5" alone read as a rate
    assert "the headline outcomes over the 7 simulated days, mean across replications" in answer
    assert "Whole-run totals (over 7 simulated days) or averages per replication" in page[key:]
    assert not [label for label in others if f">{label}<" in answer], "an input echo or load metric as the answer"
    assert page.count("<h2>Caveats</h2>") == 1


def test_changes_in_words_put_policy_first_and_summarise_the_world() -> None:
    lines = changes({"policy": {"alpr_retention_days": 7, "reason_mode": "offense_type"}, "world": {"states": ["NC"]},
                     "behavior": {"searches": {"proxy_agency_share": 0.08}}})
    assert [key for key, _ in lines] == ["policy.alpr_retention_days", "policy.reason_mode",
                                         "behavior.searches.proxy_agency_share", ""]
    text = [re.sub(r"<[^>]+>", "", html.unescape(line)) for _, line in lines]
    assert text == ["days plate reads are kept: 7 instead of 30",
                    "how a search's reason is entered: offense type instead of free text",
                    "share of agencies running lookups for federal units: 0.08 instead of 0.02",
                    "a different world (NC): 1 world setting(s) differ from the national one"]
    assert lines[0][1].startswith('<span title="policy.alpr_retention_days">')  # the key, for whoever reproduces it
    assert changes(None) == []


def _sweep(n: int, optin: list[tuple[float, float, float]], posted: list[tuple[float, float, float]]) -> SweepTables:
    """A 3-point retention sweep of `n` replications: per point (mean, ci_low, ci_high) of two outcomes."""
    points = pd.DataFrame({"design_point": range(3), "policy.alpr_retention_days": [7, 30, 90]})
    table = pd.DataFrame([{"design_point": i, "metric": m, "mean": mean, "ci_low": low, "ci_high": high, "n": n}
                          for m, rows in (("optin.rate", optin), ("requests.posted", posted))
                          for i, (mean, low, high) in enumerate(rows)])
    return SweepTables(Path("sweep"), points, table)


def test_a_sweeps_answer_keeps_intervals_inside_the_metrics_range() -> None:
    """A t interval of few replications can cross a share's or a count's bounds; the answer cuts it there."""
    sweep = _sweep(2, [(0.01, -0.02, 0.04), (0.5, 0.45, 0.55), (0.98, 0.95, 1.03)],
                   [(12.0, -5.0, 29.0), (40.0, 38.0, 42.0), (80.0, 78.0, 82.0)])
    param, rows = sweep_answers(sweep)
    assert param == "policy.alpr_retention_days"
    assert [info("optin.rate").label, "7: 1.0% (95% CI 0.0% to 4.0%)", "90: 98.0% (95% CI 95.0% to 100.0%)"] in rows
    assert [info("requests.posted").label, "7: 12 (95% CI 0 to 29)", "90: 80 (95% CI 78 to 82)"] in rows


def test_a_sweep_of_one_replication_says_it_has_no_interval() -> None:
    """One replication per point: no CI, said as the rest of the report says it (it read '95% CI n/a to n/a')."""
    nan = math.nan
    sweep = _sweep(1, [(0.01, nan, nan), (0.5, nan, nan), (0.98, nan, nan)],
                   [(12.0, nan, nan), (40.0, nan, nan), (80.0, nan, nan)])
    _, rows = sweep_answers(sweep)
    assert [info("requests.posted").label, "7: 12 (no CI: 1 replication)",
            "90: 80 (no CI: 1 replication)"] in rows


def test_the_answer_starts_with_what_the_changed_lever_acts_on(tmp_path: Path) -> None:
    """retention-7d's report (national, 5 days) answered with footage requests, households notified, opt-in and
    clips, none of which retention moves; its reads held (7.32 against 31.4 billion) were not on the page's top."""
    from sim import run
    from sim.config import load_scenario, with_overrides
    from tests.conftest import SCENARIOS

    short = with_overrides(load_scenario(SCENARIOS / "small.yaml"),
                           {"run.replications": 2, "run.days": 3, "name": "r7", "policy.alpr_retention_days": 7,
                            "run.report": False}, "test")
    run(short, output_dir=tmp_path / "r7", executor="inprocess", quiet=True)
    page = write_report(tmp_path / "r7").read_text(encoding="utf-8")
    answer = page[page.index("<strong>The answer</strong>"):page.index("What this is and is")]
    rows = re.findall(r"<tr><td[^>]*>([^<]+)</td>", answer)
    assert rows[:2] == [info("storage.reads_held").label, info("search.results").label], rows
    assert len(rows) <= 4


def test_state_rules_count_as_the_rules_they_change() -> None:
    ca = {"may_run_national_lookup": False, "out_of_state_sharing": False}
    assert levers({"policy": {"state_rules": {"CA": ca, "NC": {"out_of_state_sharing": False}}}}) == [
        "state_rules.out_of_state_sharing"]
    assert levers({"policy": {"state_rules": {"CA": ca, "NC": {"may_run_national_lookup": False}}}}) == [
        "state_rules.may_run_national_lookup"]
    # dropping California's rule changes both; a state given the default rule changes nothing
    assert levers({"policy": {"state_rules": {}}}) == ["state_rules.out_of_state_sharing",
                                                      "state_rules.may_run_national_lookup"]
    assert levers({"policy": {"state_rules": {"CA": ca, "WA": {}}}}) == []
    assert levers({"policy": {"overrides": [{"set": {"sharing_scope": "in_state"}}]}}) == ["sharing_scope"]


def test_lever_outcomes_follow_the_levers_scenario_by_scenario() -> None:
    """The one list the answer, a comparison and a focused brief take the levers' outcomes from: per lever with
    outcomes of its own, in the order the scenarios set them; a lever without any (case numbers) adds nothing."""
    from reports.answer import LEVER_OUTCOMES, lever_outcomes

    moderated = {"policy": {"moderation": {"blocked": ["immigration"], "warned": []}, "case_number_required": False}}
    shorter = {"policy": {"overrides": [{"set": {"alpr_retention_days": 7}}]}}
    assert levers(moderated) == ["moderation", "case_number_required"]
    assert lever_outcomes(moderated, None, shorter) == [LEVER_OUTCOMES["moderation"],
                                                        LEVER_OUTCOMES["alpr_retention_days"]]
    assert lever_outcomes(None, {"policy": {"case_number_required": False}}) == []


def test_a_closed_state_is_answered_with_what_searchers_of_other_states_reach(tmp_path: Path) -> None:
    """A two-state world where North Carolina's owners refuse out-of-state and federal searchers answered with
    footage requests and opt-in (no entry for `state_rules`); what other states' agencies and federal units reach
    falls (NC+SC, 5 days, 2 replications: 177 -> 144 agencies per car, federal units 0.44 -> 0.12)."""
    from sim import run
    from sim.config import load_scenario, with_overrides
    from tests.conftest import SCENARIOS

    two = {"run.replications": 2, "run.days": 3, "run.report": False, "world.states": ["NC", "SC"],
           "world.sharing.in_state_share": 0.8}
    closed = {"CA": {"may_run_national_lookup": False, "out_of_state_sharing": False}, "NC": {"out_of_state_sharing": False}}
    for name, extra in (("open", {}), ("closed", {"policy.state_rules": closed})):
        scenario = with_overrides(load_scenario(SCENARIOS / "small.yaml"), {**two, "name": name, **extra}, "test")
        run(scenario, output_dir=tmp_path / name, executor="inprocess", quiet=True)
    page = write_report(tmp_path / "closed").read_text(encoding="utf-8")
    answer = page[page.index("<strong>The answer</strong>"):page.index("What this is and is")]
    rows = re.findall(r"<tr><td[^>]*>([^<]+)</td>", answer)
    # led by what the rule closes: the records other states' searches write in an owner's audit log
    first = ["audit.records_per_owner_out_of_state_mean", "exposure.agencies_per_vehicle_mean",
             "search.networks_touched_national_mean", "audit.records_per_owner_mean.federal_own"]
    assert rows == [info(m).label for m in first], rows
    means = {name: pd.read_csv(tmp_path / name / "metrics.csv") for name in ("open", "closed")}
    for m in first:
        was, now = (means[n].loc[means[n]["metric"] == m, "value"].mean() for n in ("open", "closed"))
        assert now < was, (m, was, now)


def test_a_run_with_no_lever_answers_for_both_systems(tmp_path: Path) -> None:
    """The national baseline answered with four footage numbers (requests, households notified, opt-in, clips) and
    nothing on its plate readers; now two of each system, the federal one saying that proxies are not in it (0.47
    federal units per car read as if federal access were rare, while proxies reached every network in Georgia)."""
    from reports.answer import BOTH_SYSTEMS

    folder = write_run(tmp_path / "base", name="base")
    page = write_report(folder).read_text(encoding="utf-8")
    answer = page[page.index("<strong>The answer</strong>"):page.index("What this is and is")]
    rows = re.findall(r"<tr><td[^>]*>([^<]+)</td>", answer)
    assert rows == [info(m).label for m in BOTH_SYSTEMS], rows
    assert rows[2] == "Agencies able to see a tracked car (mean)"
    assert rows[3].startswith("Federal units able to see a tracked car") and "proxy lookups not counted" in rows[3]
    lever = write_report(write_run(tmp_path / "r7", name="r7", overrides=["policy.alpr_retention_days=7"]))
    assert "proxy lookups not counted" not in lever.read_text(encoding="utf-8").split("What this is and is")[0]


def test_a_run_setting_several_rules_answers_with_an_outcome_of_each(tmp_path: Path) -> None:
    """flock-2026 sets four rules; its answer was federal reach (which federal_access leaves the same) and footage
    requests, nothing of moderation or redaction."""
    from tests.reports.test_compare_periods import RULES_2026, with_whole_run

    folder = with_whole_run(write_run(tmp_path / "rules", name="rules", overrides=RULES_2026), {
        "search.moderation.unseen_blocked": [25, 28, 22], "search.moderation.blocked": [0, 0, 0],
        "audit.owner_entries_identified": [30, 32, 29], "alpr.searches_federal_labelled": [30, 34, 27],
        "audit.records_per_owner_mean.federal_own": [3.0, 3.2, 2.9]})
    page = write_report(folder).read_text(encoding="utf-8")
    answer = page[page.index("<strong>The answer</strong>"):page.index("What this is and is")]
    for metric in ("search.moderation.unseen_blocked", "audit.owner_entries_identified"):
        assert f">{html.escape(info(metric).label)}<" in answer
    assert f">{info('search.moderation.blocked').label}<" not in answer  # 0: nothing to say
    # federal_category gives paused's reach: its own outcome, the label, leads, not the unchanged federal reach
    rows = re.findall(r"<tr><td[^>]*>([^<]+)</td>", answer)
    assert rows[0] == html.escape(info("alpr.searches_federal_labelled").label), rows
