"""The comparison brief: paired or Welch CIs of differences from the saved tables, parameters that differ, charts."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from scipy import stats

from reports import ReportInputError, write_compare
from sim.config import load_scenario
from tests.reports.htmlcheck import decode_images, parse
from tests.reports.tables import WHOLE, changed_copy, write_run


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("cmp")
    a = write_run(base / "baseline", name="baseline")
    b = write_run(base / "retention-7d", name="retention-7d", scale=0.6, seed=3,
                  overrides=["policy.alpr_retention_days=7"])
    return a, b


def test_same_root_seed_gives_paired_differences(pair: tuple[Path, Path], tmp_path: Path) -> None:
    path = write_compare(list(pair), tmp_path / "out")
    table = pd.read_csv(tmp_path / "out" / "compare.csv")
    row = table[(table["metric"] == "exposure.agencies_per_vehicle_mean") & (table["scenario"] == "retention-7d")].iloc[0]
    a = np.array(WHOLE["exposure.agencies_per_vehicle_mean"])
    b = a * 0.6
    ci = stats.ttest_rel(b, a).confidence_interval(0.95)
    assert row["method"] == "paired"
    assert row["diff"] == pytest.approx(b.mean() - a.mean())
    assert (row["diff_ci_low"], row["diff_ci_high"]) == pytest.approx((ci.low, ci.high))
    welch = stats.ttest_ind(b, a, equal_var=False).confidence_interval(0.95)
    assert row["diff_ci_high"] - row["diff_ci_low"] < welch.high - welch.low  # pairing removes shared noise
    base_row = table[(table["metric"] == "optin.rate") & (table["scenario"] == "baseline")].iloc[0]
    assert base_row["diff"] == 0.0
    page = path.read_text()
    images = decode_images(page)
    assert len(images) == 1 and "retention-7d" in images[0][0]
    assert "policy.alpr_retention_days" in page and ">7</td>" in page
    assert "retention-7d − baseline" in page
    brief = page.split("<h2>In brief</h2>", 1)[1].split("</ul>", 1)[0]
    items = brief.split("<li>")[1:]
    clear = table[(table["diff_ci_low"] > 0) | (table["diff_ci_high"] < 0)]
    assert len(items) == min(6, len(clear)) == 6  # every metric was scaled by 0.6: all differences are clear
    assert all(i.startswith("retention-7d: ") and "95% CI" in i and "not distinguishable" not in i for i in items)


def test_different_root_seeds_fall_back_to_welch(pair: tuple[Path, Path], tmp_path: Path) -> None:
    other = write_run(tmp_path / "reseeded", name="reseeded", scale=0.6, overrides=["run.seed=7"])
    write_compare([pair[0], other], tmp_path / "out")
    table = pd.read_csv(tmp_path / "out" / "compare.csv")
    row = table[(table["metric"] == "exposure.agencies_per_vehicle_mean") & (table["scenario"] == "reseeded")].iloc[0]
    a = np.array(WHOLE["exposure.agencies_per_vehicle_mean"])
    ci = stats.ttest_ind(a * 0.6, a, equal_var=False).confidence_interval(0.95)
    assert row["method"] == "welch"
    assert (row["diff_ci_low"], row["diff_ci_high"]) == pytest.approx((ci.low, ci.high))


def test_indistinguishable_scenarios_are_called_so(pair: tuple[Path, Path], tmp_path: Path) -> None:
    a, _ = pair
    other = write_run(tmp_path / "same", name="same", seed=9)
    page = write_compare([a, other], tmp_path / "out").read_text()
    assert "not distinguishable from the baseline" in page


def test_compare_needs_two_folders(pair: tuple[Path, Path], tmp_path: Path) -> None:
    with pytest.raises(ReportInputError, match="at least two"):
        write_compare([pair[0]], tmp_path / "out")


def test_same_named_scenarios_are_told_apart_by_folder(pair: tuple[Path, Path], tmp_path: Path) -> None:
    a, _ = pair
    other = write_run(tmp_path / "firewall", name="baseline", scale=0.5, overrides=["policy.federal_firewall=true"])
    write_compare([a, other], tmp_path / "out")
    table = pd.read_csv(tmp_path / "out" / "compare.csv")
    assert set(table["scenario"]) == {"baseline", "firewall"}
    row = table[(table["metric"] == "alpr.searches") & (table["scenario"] == "firewall")].iloc[0]
    assert row["diff"] < 0


KINDS = {"requests.posted": "outcome", "packaging.wait_p95_s": "load", "search.reason.immigration": "input_echo"}


@pytest.fixture
def declared_kinds(monkeypatch: pytest.MonkeyPatch) -> None:
    """Metric kinds as the model declares them (outcome, load, input echo) for the metrics these tests change."""
    import reports.readable

    monkeypatch.setattr(reports.readable, "kind_of", lambda m: KINDS.get(m, ""))


def test_outcomes_rank_first_and_identical_metrics_fold_into_one_line(pair: tuple[Path, Path], tmp_path: Path,
                                                                      declared_kinds: None) -> None:
    base = pair[0]
    other = changed_copy(base, tmp_path / "changed", {"requests.posted": 0.5, "packaging.wait_p95_s": 3.0})
    page = write_compare([base, other], tmp_path / "out").read_text()
    table = pd.read_csv(tmp_path / "out" / "compare.csv")
    moved = table.loc[~table["unchanged"], "metric"].unique().tolist()
    assert moved == ["requests.posted", "packaging.wait_p95_s"]  # the outcome first, though the load moved more
    n_same = table.loc[table["unchanged"], "metric"].nunique()
    assert n_same == table["metric"].nunique() - 2 > 10
    assert f"Unchanged: {n_same} metrics have the same value in every scenario" in page
    key = page.split("<h2>Key numbers side by side</h2>", 1)[1].split("</table>", 1)[0]
    assert key.count("<tr>") == 1 + 2  # header and the two metrics that moved
    assert key.index("Footage requests posted") < key.index("95th-percentile wait")
    brief = page.split("<h2>In brief</h2>", 1)[1].split("</ul>", 1)[0]
    assert brief.split("<li>")[1].startswith("changed: footage requests posted −")


def test_one_minus_sign_everywhere(pair: tuple[Path, Path], tmp_path: Path) -> None:
    page = write_compare(list(pair), tmp_path / "out").read_text()
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", page) + re.findall(r"<li>([^<]*)</li>", page)
    signed_cells = [c for c in cells if "95% CI" in c]
    assert signed_cells and all(re.search(r"(?<![\w.])-\d", c) is None for c in signed_cells)
    assert any("−" in c for c in signed_cells)  # every metric fell by 40%: typographic minus signs
    assert not re.search(r"\(-\d", page)


def test_input_echoes_are_never_headlines(pair: tuple[Path, Path], tmp_path: Path, declared_kinds: None) -> None:
    base = pair[0]
    other = changed_copy(base, tmp_path / "echo", {"search.reason.immigration": 3.0, "requests.posted": 0.8})
    page = write_compare([base, other], tmp_path / "out").read_text()
    brief = page.split("<h2>In brief</h2>", 1)[1].split("</ul>", 1)[0]
    assert "footage requests posted" in brief and "immigration" not in brief
    chart = pd.read_csv(tmp_path / "out" / "charts" / "compare.csv")
    assert "search.reason.immigration" not in set(chart["metric"])
    assert "input played back" in page  # still listed, and said to be an input


def test_intervals_of_counts_stay_at_or_above_zero(pair: tuple[Path, Path], tmp_path: Path) -> None:
    base = pair[0]
    other = changed_copy(base, tmp_path / "spread", {}, values={"alpr.searches_federal_own": [0, 0, 30]})
    page = write_compare([base, other], tmp_path / "out").read_text()
    table = pd.read_csv(tmp_path / "out" / "compare.csv")
    row = table[(table["metric"] == "alpr.searches_federal_own") & (table["scenario"] == "spread")].iloc[0]
    assert row["ci_low"] < 0  # the t interval itself crosses zero ...
    shown = re.search(r"<td[^>]*>(10 \(95% CI [^<]*)</td>", page).group(1)
    assert shown.startswith("10 (95% CI 0 to ")  # ... the brief cuts it at zero


def test_scenario_differences_come_first_in_words(pair: tuple[Path, Path], tmp_path: Path) -> None:
    base = pair[0]
    other = write_run(tmp_path / "laws", name="laws", overrides=["policy.state_laws=[CA,IL,NC]"])
    page = write_compare([base, other], tmp_path / "out").read_text()
    assert page.index("How the scenarios differ") < page.index("In brief") < page.index("Key numbers side by side")
    row = re.search(r"<code>policy.state_laws</code></td>(.*?)</tr>", page).group(1)
    assert "CA, IL, NC" in row and "[" not in row and "'" not in row


def test_a_difference_of_counts_never_falls_below_minus_the_baseline(pair: tuple[Path, Path], tmp_path: Path) -> None:
    base = pair[0]
    other = changed_copy(base, tmp_path / "drop", {}, values={"alpr.searches_federal_own": [0, 0, 30]})
    page = write_compare([base, other], tmp_path / "out").read_text()
    table = pd.read_csv(tmp_path / "out" / "compare.csv")
    row = table[(table["metric"] == "alpr.searches_federal_own") & (table["scenario"] == "drop")].iloc[0]
    baseline = np.mean(WHOLE["alpr.searches_federal_own"])
    assert row["diff_ci_low"] < -baseline  # the paired t interval says the count could fall below zero ...
    assert "95% CI −30.3 to +" in page  # ... the brief stops it at -100% of the baseline (30.3)
    chart = pd.read_csv(tmp_path / "out" / "charts" / "compare.csv").set_index("metric")
    assert chart.loc["alpr.searches_federal_own", "diff_ci_low_pct"] == pytest.approx(-100.0)


def test_the_brief_links_its_tables_and_the_differing_parameters_sources(pair: tuple[Path, Path], tmp_path: Path) -> None:
    out = tmp_path / "out"
    page = write_compare(list(pair), out).read_text()
    doc = parse(page)
    local = [link for link in doc.links if not link.startswith("https://")]
    assert "compare.csv" in local and "charts/compare.csv" in local and all((out / link).is_file() for link in local)
    assert sum(link.endswith("metrics.csv") for link in local) == 2
    sources = page.split("<h2>Where the differing parameters come from</h2>", 1)[1]
    row = re.search(r"<code>policy.alpr_retention_days</code></td>(.*?)</tr>", sources).group(1)
    assert '<a href="https://flocksafety.com">flocksafety.com</a>' in row


def test_runs_shorter_than_the_retention_compared_say_so(pair: tuple[Path, Path], tmp_path: Path) -> None:
    """small.yaml runs 7 days: a 30-day and a 7-day limit look alike there, which is no finding."""
    page = write_compare(list(pair), tmp_path / "short").read_text()
    assert "The runs last 7 simulated days, shorter than the retention limits compared (up to 30 days)" in page
    assert "no run holds more than" not in page  # storage starts full: reads held show every limit (below)
    long_a = write_run(tmp_path / "a", name="a", overrides=["run.days=30"])
    long_b = write_run(tmp_path / "b", name="b", overrides=["run.days=30", "policy.alpr_retention_days=7"])
    assert "shorter than the retention limits" not in write_compare([long_a, long_b], tmp_path / "long").read_text()


def test_one_replication_says_no_difference_can_be_called_clear(tmp_path: Path) -> None:
    """The brief said 'No key number differs clearly ... at these replication counts' for 1 replication, where
    there is no interval at all: it read as if the runs had been tested and found alike."""
    a = write_run(tmp_path / "a", name="a", reps=1)
    b = write_run(tmp_path / "b", name="b", reps=1, scale=0.5, overrides=["policy.federal_firewall=true"])
    page = write_compare([a, b], tmp_path / "out").read_text()
    assert "No difference can be called clear: a, b ran 1 replication, so there is no confidence interval" in page
    assert "at these replication counts" not in page


def test_a_firewall_comparison_shows_what_federal_searches_reach_not_only_that_they_ran(
        focus_pair: tuple[Path, Path], tmp_path: Path) -> None:
    """Under a firewall federal units still run their searches: 'Federal searches, direct or national lookup' was
    listed unchanged, which read as 'the firewall does not stop federal searches'. The count now says it counts
    searches run, and what they reach (audit records per owner from federal units' own searches) is a key row."""
    from sim.results.catalog import info

    assert "run" in info("alpr.searches_federal_own").label and "whether or not" in info(
        "alpr.searches_federal_own").meaning
    html = write_compare([str(p) for p in focus_pair], tmp_path / "cmp").read_text()
    table = html[html.index("Key numbers side by side"):]
    shown, unchanged = table.split('<details class="unchanged">')[0], table.split('<details class="unchanged">')[1]
    reach = "Audit entries per camera owner from federal units themselves"
    assert reach in shown and reach not in unchanged.split("</details>")[0]  # NC's firewall and ban cut it
    assert "Federal units&#x27; own searches run (reaching data or not)" in html


def test_a_comparison_of_two_worlds_says_its_differences_are_of_construction(pair: tuple[Path, Path],
                                                                              tmp_path: Path) -> None:
    """flock-2025 (synthetic) against flock-2026-real (real geography), same root seed: the page said pairing 'removes
    the noise the runs share' and the headline read as the effect of a change; the worlds share no agencies."""
    other = write_run(tmp_path / "real", name="real", overrides=["world.states=[NC, SC]"])
    page = write_compare([str(pair[0]), str(other)], tmp_path / "out").read_text()
    assert "world.states" in page and "The worlds differ" in page and "not the effect of a rule" in page
    same_world = write_compare(list(pair), tmp_path / "out2").read_text()
    assert "The worlds differ" not in same_world and "These runs model different worlds" not in same_world


def test_a_comparison_of_two_worlds_says_so_before_any_number(pair: tuple[Path, Path], tmp_path: Path) -> None:
    """The North Carolina small world against the national one summarised 'records -99.2%' first, with only a note at
    the foot of the page that the worlds differ: the warning now comes first, and the brief's heading says what its
    differences are."""
    other = write_run(tmp_path / "wide", name="wide", overrides=["world.states=[NC, SC]"])
    page = write_compare([str(pair[0]), str(other)], tmp_path / "out").read_text()
    warning = page.index("These runs model different worlds (world.states: ")
    assert warning < page.index("<h2>How the scenarios differ</h2>") and warning < page.index("<p class=\"lede\">")
    assert "<h2>In brief: differences between worlds, not effects of rules</h2>" in page
    # a world.* setting that only sets search rates is not another world
    rates = write_run(tmp_path / "rates", name="rates", overrides=["world.flock.portal_searches=true"])
    assert "different worlds" not in write_compare([str(pair[0]), str(rates)], tmp_path / "out2").read_text()


def test_one_replication_against_three_differs_on_the_replication_they_share(pair: tuple[Path, Path],
                                                                            tmp_path: Path) -> None:
    """The README's tour compares a 1-replication baseline with 3-replication scenarios from one root seed: the
    difference was the 3-replication mean minus the 1, so replications 1 and 2's noise read as the change."""
    one = write_run(tmp_path / "one", name="one", reps=1)
    page = write_compare([str(one), str(pair[0])], tmp_path / "out")
    table = pd.read_csv(page.parent / "compare.csv")
    row = table[(table.metric == "exposure.agencies_per_vehicle_mean") & (table.scenario == "baseline")].iloc[0]
    values = WHOLE["exposure.agencies_per_vehicle_mean"]
    assert values[0] != np.mean(values)  # the replications differ, so the two readings differ
    assert row["diff"] == 0.0 and row["method"] == "paired"  # replication 0 is the same in both folders
    assert np.isnan(row["diff_ci_low"])


def test_a_short_retention_comparison_says_reads_held_show_the_limit_and_exposure_does_not(tmp_path: Path) -> None:
    """retention-7d against the baseline in 5-day runs (national, 2 replications): the note said 'no run holds more
    than 5 days of reads, so limits above that look alike', while reads held were 31.4 billion against 7.3 billion
    (storage starts at a platform's steady state); only the tracked-car exposure measures look alike."""
    from sim import run
    from sim.config import load_scenario, with_overrides
    from tests.conftest import SCENARIOS

    base = with_overrides(load_scenario(SCENARIOS / "small.yaml"),
                          {"run.replications": 2, "run.days": 3, "name": "base"}, "test")
    short = with_overrides(base, {"name": "r7", "policy.alpr_retention_days": 7}, "test")
    held = {}
    for sc in (base, short):
        run(sc, output_dir=tmp_path / sc.name, executor="inprocess", quiet=True)
        metrics = pd.read_parquet(tmp_path / sc.name / "metrics.parquet")
        held[sc.name] = metrics[(metrics.metric == "storage.reads_held") & metrics.day.isna()].value.mean()
    assert held["r7"] < 0.5 * held["base"]  # a 3-day run shows the limit in what is held
    page = write_compare([str(tmp_path / "base"), str(tmp_path / "r7")], tmp_path / "out").read_text()
    note = re.search(r"The runs last 3 simulated days[^<]*", page).group(0)
    assert "reads held and what searches return show every limit" in note
    assert "a tracked car&#x27;s exposure counts only the run&#x27;s 3 days" in note
    # and the brief shows it: no key number moves with retention, reads held and search results do
    brief = page.split("<h2>In brief</h2>", 1)[1].split("</ul>", 1)[0]
    assert "r7: plate reads held in storage −" in brief and "Plate reads returned by searches" in page


def test_a_paired_change_is_a_percentage_of_the_baseline_it_was_measured_from(pair: tuple[Path, Path],
                                                                             tmp_path: Path) -> None:
    """2 replications against the 3-replication baseline (one root seed): the change is from replications 0 and 1,
    so its percentage and its cut to the metric's range take the baseline over those two, not over all three
    (posted 40, 44, 38: 42 over the two shared, 40.67 over three)."""
    two = write_run(tmp_path / "two", name="two", reps=2, scale=1.5)
    page = write_compare([str(pair[0]), str(two)], tmp_path / "out").read_text()
    table = pd.read_csv(tmp_path / "out" / "compare.csv")
    row = table[(table.metric == "requests.posted") & (table.scenario == "two")].iloc[0]
    shared = np.mean(WHOLE["requests.posted"][:2])
    assert row["method"] == "paired" and row["diff"] == pytest.approx(shared * 0.5)
    assert row["baseline_mean"] == pytest.approx(shared)
    assert "+21 (+50.0%)" in page  # was +48.4%: 21 over the three-replication mean


def test_one_unchanged_metric_is_counted_in_the_singular() -> None:
    """'Unchanged: 1 metric have the same value' read wrong: the verb follows the count."""
    from reports.compare import side_by_side

    def row(metric: str, scenario: str, mean: float, diff: float, unchanged: bool) -> dict[str, object]:
        return {"metric": metric, "scenario": scenario, "mean": mean, "ci_low": mean, "ci_high": mean, "n": 2,
                "diff": diff, "diff_ci_low": diff, "diff_ci_high": diff, "baseline_mean": 40.0, "unchanged": unchanged}

    table = pd.DataFrame([row("requests.posted", "a", 40.0, 0.0, False), row("requests.posted", "b", 20.0, -20.0, False),
                          row("optin.rate", "a", 0.03, 0.0, True), row("optin.rate", "b", 0.03, 0.0, True)])
    html = "".join(side_by_side(table, ["a", "b"]))
    assert "Unchanged: 1 metric has the same value in every scenario" in html
    both = table.assign(unchanged=True)
    assert "Unchanged: 2 metrics have the same value" in "".join(side_by_side(both, ["a", "b"]))


def test_the_comparison_says_what_period_its_totals_cover(pair: tuple[Path, Path], tmp_path: Path) -> None:
    """Without --focus the page gave '59.3 audit records per camera owner' and '62.1 million records returned' with no
    period anywhere on it (a 7-day national compare); the opening now says the runs' days."""
    page = write_compare(list(pair), tmp_path / "out").read_text()
    days = load_scenario(pair[0] / "resolved_scenario.yaml").run.days
    lede = page.split('<p class="lede">', 1)[1].split("</p>", 1)[0]
    assert f"totals over the {days} simulated days each run records" in lede
    assert page.index(lede) < page.index("Key numbers side by side")


def test_folders_written_by_different_code_are_said_to_be(pair: tuple[Path, Path], tmp_path: Path) -> None:
    """A GA-only 7-day retention run after two landed model changes, against a baseline run before them, read
    'audit entries from federal units' own searches elsewhere -1,026 (95% CI -1,070 to -981)' with no word that the
    code differed: all of it a change in how they are counted."""
    same = write_compare(list(pair), tmp_path / "same").read_text()
    assert "different fedsim code" not in same
    folders = []
    for src, commit in zip(pair, ("a" * 40, "b" * 40), strict=True):  # set both: a clone without git writes None
        folder = tmp_path / commit[0]
        shutil.copytree(src, folder)
        path = folder / "resolved_scenario.yaml"
        scenario = yaml.safe_load(path.read_text())
        scenario["meta"]["git_commit"] = commit
        path.write_text(yaml.safe_dump(scenario))
        folders.append(folder)
    page = write_compare(folders, tmp_path / "mixed").read_text()
    warning = page.split('<p class="warning">', 1)[1].split("</p>", 1)[0]
    assert page.index(warning) < page.index("How the scenarios differ")
    assert "written by different fedsim code (git commit: baseline: aaaaaaaaaaaa; retention-7d: bbbbbbbbbbbb)" in warning


def test_searches_run_for_a_purpose_are_compared_beside_the_reason_entered(pair: tuple[Path, Path],
                                                                           tmp_path: Path) -> None:
    """flock-2025 against flock-2026 showed only 'Searches giving reason immigration 7,097 -> 0 (-100%)': 6,023 were
    still run for it, filed as other offenses under the drop-down. And the search rates the scenarios set apart
    (2026's portal medians) move every search count by construction; the opening now says so."""
    base, other = (tmp_path / n for n in ("base", "later"))
    for src, dst in zip(pair, (base, other), strict=True):
        shutil.copytree(src, dst)
        metrics = pd.read_parquet(dst / "metrics.parquet")
        purpose = metrics[metrics["metric"] == "search.reason.immigration"].assign(metric="search.purpose.immigration")
        if dst == other:
            metrics.loc[metrics["metric"] == "search.reason.immigration", "value"] = 0.0
        pd.concat([metrics, purpose], ignore_index=True).to_parquet(dst / "metrics.parquet", index=False)
        (dst / "metrics.csv").unlink()
    path = other / "resolved_scenario.yaml"
    scenario = yaml.safe_load(path.read_text())
    scenario["behavior"]["searches"]["per_agency_30d_median"]["local_police"] = 92.4
    path.write_text(yaml.safe_dump(scenario))
    page = write_compare([base, other], tmp_path / "out").read_text()
    table = pd.read_csv(tmp_path / "out" / "compare.csv")
    assert {"search.purpose.immigration", "search.reason.immigration"} <= set(table["metric"])
    row = table[(table["metric"] == "search.purpose.immigration") & (table["scenario"] == "retention-7d")].iloc[0]
    assert row["mean"] == pytest.approx(0.6 * np.mean(WHOLE["search.reason.immigration"]))
    lede = page.split('<p class="lede">', 1)[1].split("</p>", 1)[0].replace("&#x27;", "'")
    assert "'retention-7d' (median searches per agency per 30 days) sets search rates apart from 'baseline'" in lede
