"""`fedsim compare --focus`: what a change does in the focus state and in the rest of the country (overrides for
one state, the headline's "unchanged elsewhere", counts and intervals that stay honest)."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from reports import write_compare, write_report
from tests.reports.htmlcheck import first_paragraph


def test_compare_focus_shows_what_a_state_moderation_override_blocks(focus_pair: tuple[Path, Path],
                                                                     tmp_path: Path) -> None:
    """A moderation-only override for North Carolina: the focus table shows the searches it blocks there and
    none elsewhere (before, the table held federal reach measures only and read 'no clear difference')."""
    from sim import run
    from sim.config import load_scenario, with_overrides
    from tests.conftest import SCENARIOS

    base = with_overrides(load_scenario(SCENARIOS / "small.yaml"),
                          {"world.states": ["NC", "CA"], "run.replications": 2, "name": "base"}, "test")
    moderated = with_overrides(base, {"name": "moderated", "policy.overrides": [
        {"where": {"state": "NC"}, "set": {"moderation": {"blocked": ["stolen_vehicle"], "warned": []}}}]}, "test")
    run(moderated, output_dir=tmp_path / "moderated", executor="inprocess", quiet=True)
    html = write_compare([str(focus_pair[0]), str(tmp_path / "moderated")], tmp_path / "cmp", focus="NC").read_text()
    rows = {re.sub(r"<[^>]+>", "", r.split("</td>")[1]): r for r in html.split("<tr>")[1:] if "</td>" in r}
    blocked = rows["searches blocked by moderation"]
    cells = [re.sub(r"<[^>]+>", "", c).strip() for c in blocked.split("</td>")]
    nc_base, nc_change, rest_base, rest_change = cells[2:6]
    assert nc_base.startswith("0 ") and rest_base.startswith("0 "), cells  # the baseline blocks nothing
    assert nc_change.startswith("+") and not nc_change.startswith("+0 "), cells  # NC's override blocks searches
    assert rest_change.startswith("+0 "), cells  # and nothing elsewhere


def _by_state(values: dict[tuple[str, str], tuple[float, float]]) -> pd.DataFrame:
    """A by_state table of two replications: (state, metric) -> the two values."""
    return pd.DataFrame([{"scenario": "s", "design_point": 0, "replication": r, "state": st, "metric": m, "value": v[r]}
                         for (st, m), v in values.items() for r in (0, 1)])


def test_the_focus_headline_says_unchanged_elsewhere_only_when_every_row_there_is(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """nc-ban against the baseline (national world, 7 days, 2 replications): federal units' own searches fall in
    NC and do not move elsewhere, while proxy lookups touching networks elsewhere fell by 12,175. The opening
    sentence read 'the rest of the country is unchanged' from the headline row alone."""
    from reports import focus as F
    from reports.tables import Results
    from sim.results.stats import Estimate

    fed, proxy = "audit.records_received_federal_own", "audit.records_received_proxy"
    base = _by_state({("NC", fed): (19_000, 20_000), ("CA", fed): (500_000, 540_000),
                      ("NC", proxy): (50_000, 50_000), ("CA", proxy): (1_280_000, 1_300_000)})
    ban = _by_state({("NC", fed): (2_000, 3_000), ("CA", fed): (500_000, 540_000),
                     ("NC", proxy): (5_000, 5_000), ("CA", proxy): (1_266_000, 1_289_650)})
    runs = [Results(Path(n), {"name": n, "meta": {"seed": 7}}, None, {"scenario": n}, None, None)
            for n in ("baseline", "nc-ban")]
    monkeypatch.setattr(F, "read_by_state", lambda folder: ban)
    first = re.sub(r"<[^>]+>", "", F.compare_focus(runs, F.Focus("NC", base))[0])
    assert "the rest of the country is unchanged" not in first
    assert "in the rest of the country it is unchanged, but 1 other measure changes there (within noise)" in first
    assert "audit entries from proxy lookups by −12,175" in first  # named with its figure

    same = _by_state({("NC", fed): (2_000, 3_000), ("CA", fed): (500_000, 540_000),
                      ("NC", proxy): (5_000, 5_000), ("CA", proxy): (1_280_000, 1_300_000)})
    monkeypatch.setattr(F, "read_by_state", lambda folder: same)
    first = re.sub(r"<[^>]+>", "", F.compare_focus(runs, F.Focus("NC", base))[0])
    assert "the rest of the country is unchanged in every measure below" in first

    zero, noisy, clear = Estimate(0, 0, 0, 2), Estimate(-5, -20, 10, 2), Estimate(-9, -12, -6, 2)
    assert F.rest_clause(fed, {fed: zero, proxy: zero}) == "the rest of the country is unchanged in every measure below"
    assert "but 1 other measure changes there (within noise)" in F.rest_clause(fed, {fed: zero, proxy: noisy})
    assert "but 1 other measure changes there (clearly)" in F.rest_clause(fed, {fed: zero, proxy: clear})
    third = "audit.records_received"
    two = F.rest_clause(fed, {fed: zero, proxy: clear, third: noisy})
    assert "but 2 other measures change there (1 of 2 clearly)" in two, two
    assert "(all within noise)" in F.rest_clause(fed, {fed: zero, proxy: noisy, third: noisy})
    moves = F.rest_clause(fed, {fed: noisy, proxy: zero})
    assert moves.startswith("in the rest of the country it moves by −5") and "within noise" in moves
    # the others are exactly unchanged, not moving within noise as well (NC 7-day retention, national)
    assert moves.endswith("within noise; every other measure below is unchanged there"), moves
    assert F.rest_clause(fed, {fed: zero, proxy: zero}).endswith("unchanged in every measure below")


def test_focus_counts_say_their_period_and_call_entries_entries(focus_pair: tuple[Path, Path], tmp_path: Path) -> None:
    """The state table and the map gave no period, and 'federal searches touching its networks' counted
    search x network entries (560,573 nationally from 1,054 federal searches in a 7-day national run)."""
    from sim.results.places import AGENCY_COLUMNS, STATE_EXTRA

    html = write_report(focus_pair[0], tmp_path / "r.html", focus="NC").read_text()
    text = re.sub(r"<[^>]+>", " ", html).replace("&#x27;", "'")
    assert "touching its networks" not in text and "searches touched" not in text
    assert "in 7 simulated days" in first_paragraph(html).replace("&#x27;", "'")  # small.yaml: run.days 7
    assert "Counts in 7 simulated days" in text and "entries are not searches" in text
    assert "audit entries from federal units' own searches" in text
    assert re.search(r"North Carolina: [\d,]+ audit entries from federal searches per 100 cameras in 7 simulated days",
                     text), "the map's title"
    for m in (*AGENCY_COLUMNS, *STATE_EXTRA):
        if m.name.startswith("audit.records_received"):
            assert m.label.startswith("audit entries") and m.unit == "records", m


def test_the_channel_sentence_counts_owners_as_its_channels_do(focus_pair: tuple[Path, Path]) -> None:
    """The federal.owners_* channels (federal.agencies_* before the rename) count network owners (agencies and
    private networks): the sentence read 'Of 155 agencies in North Carolina, federal units reach 44 directly ... and
    247 only through proxy lookups'."""
    from reports.focus_reach import channel_sentence
    from sim.results.read import read_by_state

    by_state = read_by_state(focus_pair[0])
    sentence = channel_sentence(by_state, "NC", "North Carolina")
    def number(pattern: str) -> float:
        return float(re.search(pattern, sentence).group(1).replace(",", ""))

    total, closed = number(r"^Of ([\d,]+)"), number(r"; ([\d,]+) are closed")
    direct, lookup = number(r"reach ([\d,]+) directly"), number(r"([\d,]+) more only")
    proxy = number(r"could reach ([\d,]+) only")
    assert direct + lookup + proxy + closed == total, sentence
    assert "camera networks in North Carolina" in sentence


def test_a_focus_change_never_takes_a_count_below_zero(monkeypatch: pytest.MonkeyPatch) -> None:
    """NC's audit entries from proxy lookups: baseline 50,720, change '-45,794 (95% CI -218,859 to +127,270)',
    an interval reaching 168,000 entries below none."""
    from reports import focus as F
    from reports.tables import Results

    proxy = "audit.records_received_proxy"
    base = _by_state({("NC", proxy): (0, 101_440), ("CA", proxy): (10, 10)})
    ban = _by_state({("NC", proxy): (0, 9_852), ("CA", proxy): (10, 10)})
    runs = [Results(Path(n), {"name": n, "meta": {"seed": 7}}, None, {"scenario": n}, None, None)
            for n in ("baseline", "nc-ban")]
    monkeypatch.setattr(F, "read_by_state", lambda folder: ban)
    html = F.compare_focus(runs, F.Focus("NC", base))[-1]
    row = next(r for r in html.split("<tr>") if "audit entries from proxy lookups" in r)
    change = re.sub(r"<[^>]+>", "|", row).split("|")
    cell = next(c for c in change if c.startswith("−45,794"))
    assert cell.startswith("−45,794 (95% CI −50,720 to +"), cell  # the baseline's mean: the scenario's value >= 0


def test_compare_focus_shows_what_a_state_retention_override_changes(tmp_path: Path) -> None:
    """A 7-day retention limit for North Carolina only: the plate reads NC's owners hold and those searches get back
    from NC's networks fall, and the brief says so. Before, every row of the focus table counted searches or audit
    entries, which retention leaves alone, so a county asking what 7-day retention changes read 'no clear
    difference' (national world, 5 days, 2 replications: NC's returned reads fell from 1.26 million to 0.60
    million). Three replications here: with two, the two-state world's change (-52%) is within its t interval."""
    from sim import run
    from sim.config import load_scenario, with_overrides
    from tests.conftest import SCENARIOS

    base = with_overrides(load_scenario(SCENARIOS / "small.yaml"),
                          {"world.states": ["NC", "CA"], "run.replications": 3, "name": "base"}, "test")
    short = with_overrides(base, {"name": "nc7", "policy.overrides": [
        {"where": {"state": "NC"}, "set": {"alpr_retention_days": 7}}]}, "test")
    for sc in (base, short):
        run(sc, output_dir=tmp_path / sc.name, executor="inprocess", quiet=True)
    html = write_compare([str(tmp_path / "base"), str(tmp_path / "nc7")], tmp_path / "cmp", focus="NC").read_text()
    first = first_paragraph(html).replace("&#x27;", "'")
    # reads held lead (the measure retention acts on: -76.7% = 1 - 7/30 in NC), and nothing held moves elsewhere
    assert first.startswith("In North Carolina, 'nc7' changes plate reads held in storage from "), first
    assert "(−76.7%)" in first and "in the rest of the country it is unchanged" in first, first
    rows = {re.sub(r"<[^>]+>", "", r.split("</td>")[1]): r for r in html.split("<tr>")[1:] if "</td>" in r}
    cells = [re.sub(r"<[^>]+>", "", c).strip() for c in rows["plate reads returned to searches from its networks"]
             .split("</td>")]
    nc_base, nc_change = cells[2:4]
    assert not nc_base.startswith("0 ") and nc_change.startswith("−"), cells
    flows = pd.read_parquet(tmp_path / "nc7" / "flows_by_state.parquet")
    base_flows = pd.read_parquet(tmp_path / "base" / "flows_by_state.parquet")
    here = flows[flows.owner_state == "NC"].records.sum() - base_flows[base_flows.owner_state == "NC"].records.sum()
    shown = float(nc_change.split(" ")[0].replace("−", "-").replace(",", ""))
    assert shown == pytest.approx(here / 3, rel=0.01)  # the mean over the 3 replications of the saved table's change


def test_a_one_replication_run_is_paired_on_its_replication_and_never_called_clear(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """nc-ban with 1 replication against a 2-replication baseline (national, 5 days): the change took the baseline's
    mean over both replications, so federal entries outside NC 'moved by +2,432' under an NC-only rule, and with no
    CI every change was called 'clearly'. Now only replication 0 is compared, and no CI means no clear change."""
    from reports import focus as F
    from reports.tables import Results

    fed, proxy = "audit.records_received_federal_own", "audit.records_received_proxy"
    base = _by_state({("NC", fed): (19_000, 20_000), ("CA", fed): (500_000, 540_000),
                      ("NC", proxy): (50_000, 50_000), ("CA", proxy): (1_280_000, 1_300_000)})
    one = base[base.replication == 0].copy()
    one.loc[(one.state == "NC") & (one.metric == fed), "value"] = 2_000
    runs = [Results(Path(n), {"name": n, "meta": {"seed": 7}}, None, {"scenario": n}, None, None)
            for n in ("baseline", "nc-ban")]
    monkeypatch.setattr(F, "read_by_state", lambda folder: one)
    first = re.sub(r"<[^>]+>", "", F.compare_focus(runs, F.Focus("NC", base))[0]).replace("&#x27;", "'")
    assert first.startswith("In North Carolina, 'nc-ban' changes audit entries from federal units' own searches "
                            "from 19,000 by −17,000"), first  # replication 0: 19,000 -> 2,000
    assert "no CI tells it from run-to-run noise" in first
    assert "the rest of the country is unchanged in every measure below" in first
    assert "clearly" not in first
