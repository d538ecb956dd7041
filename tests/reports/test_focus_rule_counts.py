"""A focused brief shows what the 2025-26 rules did in the state: moderation's blocked, warned and unseen searches
(by the searcher's state), audit entries still showing who searched (by the owner's state), from by_state, where
the scenario sets those rules; the national answer showed them since 4edee71, a state's brief did not."""

from __future__ import annotations

import html as htmllib
from pathlib import Path

import pandas as pd
import pytest

from reports import write_compare, write_report
from reports.catalog import big
from sim.results.places import AGENCY_COLUMNS

LABEL = {m.name: m.label for m in AGENCY_COLUMNS}
UNSEEN, IDENTIFIED = "search.moderation.unseen_blocked", "audit.owner_entries_identified"


@pytest.fixture(scope="module")
def rule_pair(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Two real runs of a two-state world (NC, CA), 2 replications from one root seed: without and with the 2026
    rules (moderation blocking immigration, the offense-type drop-down, audit redaction) and, as flock-2026, search
    rates of their own (so searches and every audit entry move too)."""
    from sim import run
    from sim.config import load_scenario, with_overrides
    from tests.conftest import SCENARIOS

    root = tmp_path_factory.mktemp("rules")
    base = with_overrides(load_scenario(SCENARIOS / "small.yaml"), {
        "world.states": ["NC", "CA"], "run.replications": 2, "name": "before",
        "behavior.searches.proxy_agency_share": 0.3}, "test")
    rules = with_overrides(base, {"name": "rules", "policy.moderation": {"blocked": ["immigration"], "warned": []},
                                  "policy.reason_mode": "offense_type", "policy.audit_redaction": True,
                                  "behavior.searches.per_agency_30d_median": {"local_police": 400, "sheriff": 400}},
                           "test")
    for sc in (base, rules):
        run(sc, output_dir=root / sc.name, executor="inprocess", quiet=True)
    return root / "before", root / "rules"


def state_mean(folder: Path, metric: str, state: str) -> float:
    t = pd.read_parquet(folder / "by_state.parquet")
    return float(t[(t.state == state) & (t.metric == metric)].value.mean())


def section(page: str, start: str, end: str | None = None) -> str:
    text = htmllib.unescape(page[page.index(start):])
    return text[:text.index(end)] if end else text


def test_a_focus_report_gives_the_rules_counts_in_the_state_beside_the_nation(rule_pair: tuple[Path, Path],
                                                                              tmp_path: Path) -> None:
    before, rules = rule_pair
    assert state_mean(rules, UNSEEN, "NC") > 0
    table = section(write_report(rules, tmp_path / "r.html", focus="NC").read_text(), "beside the nation", "</table>")
    for metric in (UNSEEN, IDENTIFIED):
        row = table[table.index(f">{LABEL[metric]}<"):].split("</tr>", 1)[0]
        assert f"{state_mean(rules, metric, 'NC'):,.0f}" in row.replace("\u2009", ""), (metric, row)
    # moderation warns about nothing here: no row of zeros; blocked shows only if it blocked something nationally
    assert f">{LABEL['search.moderation.warned']}<" not in table
    # a run without those rules shows no such rows (its identified entries are every entry)
    plain = section(write_report(before, tmp_path / "b.html", focus="NC").read_text(), "beside the nation", "</table>")
    assert f">{LABEL[IDENTIFIED]}<" not in plain and f">{LABEL[UNSEEN]}<" not in plain


def test_a_focused_comparison_gives_the_rules_counts_once_each(rule_pair: tuple[Path, Path], tmp_path: Path) -> None:
    page = write_compare([str(p) for p in rule_pair], tmp_path / "cmp", focus="NC").read_text()
    table = section(page, "and the rest of the country</h2>", "</table>")
    for metric in (UNSEEN, IDENTIFIED, "search.moderation.blocked"):
        assert table.count(f">{LABEL[metric]}<") == 1, metric
    row = table[table.index(f">{LABEL[IDENTIFIED]}<"):].split("</tr>", 1)[0]
    before = state_mean(rule_pair[0], IDENTIFIED, "NC")
    assert before == pytest.approx(state_mean(rule_pair[0], "audit.records_received", "NC"))  # unredacted: all
    assert f"{before:,.0f}" in row.replace("\u2009", "") and state_mean(rule_pair[1], IDENTIFIED, "NC") < before


def test_a_focused_comparison_leads_with_what_a_rule_did(rule_pair: tuple[Path, Path], tmp_path: Path) -> None:
    """flock-2025 vs flock-2026 in TX led with out-of-state audit entries -13.2%, which the 2026 portal rates move,
    not with what its rules did there (redaction: identified entries -99.8%; unseen searches +498). California here:
    the world's larger state, where 2 replications tell the changes from noise (North Carolina's are all within it)."""
    from tests.reports.htmlcheck import first_paragraph

    first = htmllib.unescape(first_paragraph(write_compare([str(p) for p in rule_pair], tmp_path / "c",
                                                           focus="CA").read_text()))
    assert first.startswith("In California, 'rules' changes "), first
    headline = first.split(" changes ", 1)[1].split(" from ", 1)[0]
    assert headline in {LABEL[UNSEEN], LABEL[IDENTIFIED]}, first
    # the searches moved too, clearly: the old order led with them or the entries they wrote
    assert state_mean(rule_pair[1], "alpr.searches", "CA") > 1.5 * state_mean(rule_pair[0], "alpr.searches", "CA")


def test_an_agency_row_shows_the_rules_columns_only_where_they_acted(rule_pair: tuple[Path, Path],
                                                                     tmp_path: Path) -> None:
    """--focus-agency opens with every by_agency column: the rules' columns (0, or every audit entry, without the
    rules) read only where a rule acted at the agency, in its report and in a comparison."""
    before, rules = rule_pair
    rows = pd.read_parquet(rules / "by_agency.parquet")
    redacted = rows[(rows.state == "CA") & (rows[IDENTIFIED] < rows["audit.records_received"])]
    name = str(redacted.name.iloc[0])
    mine = rows[rows.name == name]

    def own_row(page: str) -> str:
        return section(page, "its own row</h2>", "</table>")

    shown = own_row(write_report(rules, tmp_path / "r.html", focus_agency=name).read_text())
    assert f">{LABEL[IDENTIFIED]}<" in shown and f">{LABEL['search.moderation.warned']}<" not in shown
    assert big(mine[IDENTIFIED].mean()) in shown.replace("\u2009", "")  # as the page writes a count: 55.5, 5,267
    plain = own_row(write_report(before, tmp_path / "b.html", focus_agency=name).read_text())
    assert not any(f">{LABEL[m]}<" in plain for m in (IDENTIFIED, UNSEEN, "search.moderation.unseen_warned"))
    compared = section(write_compare([str(before), str(rules)], tmp_path / "c", focus_agency=name).read_text(),
                       f"<h2>{name}</h2>", "</table>")
    assert compared.count(f">{LABEL[IDENTIFIED]}<") == 1 and f">{LABEL['search.moderation.warned']}<" not in compared
