"""--focus STATE / --focus-agency NAME: briefs that lead with one state, from by_state and by_agency."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pandas as pd
import pytest

from reports import ReportInputError, write_compare, write_report
from tests.reports.htmlcheck import first_paragraph


def test_compare_focus_opens_with_the_state(focus_pair: tuple[Path, Path], tmp_path: Path) -> None:
    page = write_compare([str(p) for p in focus_pair], tmp_path / "cmp", focus="NC")
    html = page.read_text()
    first = first_paragraph(html)
    assert first.startswith("In North Carolina, &#x27;ban&#x27; changes") or first.startswith("In North Carolina, 'ban'")
    assert "rest of the country" in first
    assert "North Carolina and the rest of the country" in html


def test_report_focus_leads_with_the_state_and_its_share(focus_pair: tuple[Path, Path], tmp_path: Path) -> None:
    page = write_report(focus_pair[0], tmp_path / "r.html", focus="nc")
    html = page.read_text()
    # it opens with federal reach by channel (tests/reports/test_focus_reach.py), then what federal searches wrote
    assert first_paragraph(html).startswith("Of ") and " camera networks in North Carolina (" in first_paragraph(html)
    assert "In North Carolina, in 7 simulated days, federal units" in first_paragraph(html)
    # the opening numbers say they are means of simulated runs with CIs, and where the run's rules are
    assert "(means of 2 replications, with 95% CIs and the run&#x27;s rules below;" in first_paragraph(html)
    assert "North Carolina beside the nation" in html and "NC share" in html
    assert "directly through 1:1 grants" in html
    # a synthetic world publishes no counts: the brief says every rate in the state is drawn
    assert ("searching agencies searches at a rate drawn for its type from the spread of the period&#x27;s published "
            "portal figures, none at its own") in html
    assert '<figure id="focus_map">' in html and "North Carolina:" in html  # the map, focus state outlined
    data = (tmp_path / "charts" / "focus_map.csv").read_text()
    assert data.startswith("state,") and "\nNC," in data and "\nCA," in data


def test_focus_agency_shows_its_row_then_its_state(focus_pair: tuple[Path, Path], tmp_path: Path) -> None:
    """Answer first: a report on Savannah GA PD was headed 'in Georgia', opened with the state's paragraph and showed
    the agency's search rate, who can search its cameras and its audit entries only after the caveats."""
    html = write_report(focus_pair[0], tmp_path / "a.html", focus_agency="NC PD 0001").read_text()
    assert "shows at NC PD 0001 (North Carolina)</h1>" in html
    first = first_paragraph(html).replace("&#x27;", "'")
    assert first.startswith("NC PD 0001 (North Carolina), in 7 simulated days, mean of 2 replications."), first
    rows = pd.read_parquet(focus_pair[0] / "by_agency.parquet")
    mine = rows[rows.name == "NC PD 0001"]
    assert f"it ran {mine['alpr.searches'].mean():,.0f} searches" in first or mine["alpr.searches"].mean() < 100
    assert "Its search rate is drawn for an agency of its type" in first
    if mine.cameras.mean() > 0:
        assert "Who can search its" in first and "Its audit log holds" in first
    else:
        assert "It owns no cameras in this world, so no search reaches it" in first
    order = [html.index(t) for t in ("<h2>NC PD 0001: its own row</h2>", "<h2>Its state, North Carolina</h2>",
                                     "<strong>The question.</strong>", "<h2>Caveats</h2>",
                                     "North Carolina beside the nation")]
    assert order == sorted(order), order
    assert "Its search rate is drawn for an agency of its type" in html and "per 30 days, mean over replications" in html
    # a private network's row says it never searches (it read 'searches run 0' with no word why)
    rows = pd.read_parquet(focus_pair[0] / "by_agency.parquet")
    private = str(rows[(rows.type == "private") & (rows.state == "NC")].name.iloc[0])
    html = write_report(focus_pair[0], tmp_path / "p.html", focus_agency=private).read_text()
    assert "(private): it owns cameras and shares their reads, and never searches" in html
    assert "Its search rate is drawn" not in html
    with pytest.raises(ReportInputError, match="did you mean"):
        write_report(focus_pair[0], tmp_path / "b.html", focus_agency="NC PD 001")


def test_compare_focus_agency_leads_with_the_agencys_own_row(focus_pair: tuple[Path, Path], tmp_path: Path) -> None:
    """`fedsim compare A B --focus-agency 'Eugene OR PD'` (real geography, 2025 against 2026 rules) named the agency
    nowhere: it checked the name, then showed Oregon only. Now its by_agency row comes first, paired by replication."""
    base, ban = (pd.read_parquet(f / "by_agency.parquet") for f in focus_pair)
    column = "audit.records_received_federal_own"
    nc = base[(base.state == "NC") & (base.type != "private")]
    name = str(nc.groupby("name")[column].sum().idxmax())  # the NC agency federal units reach most: the ban moves it
    change = ban[ban.name == name][column].to_numpy() - base[base.name == name][column].to_numpy()
    assert change.mean() < 0
    html = write_compare([str(p) for p in focus_pair], tmp_path / "cmp", focus_agency=name).read_text()
    first = first_paragraph(html).replace("&#x27;", "'")
    assert first.startswith(f"At {name}, 'ban' changes ") and "In North Carolina, 'ban'" in first
    assert f"<h2>{name}</h2>" in html and "not read from its own audit log" in html
    row = next(r for r in html.split("<tr>")[1:] if "audit entries from federal units&#x27; own searches" in r)
    cells = [re.sub(r"<[^>]+>", "", c).strip() for c in row.split("</td>")]
    assert len(cells) > 3, row
    assert cells[3].startswith(f"{change.mean():+,.0f}".replace("-", "−") + " "), (cells, change)


def test_compare_focus_agency_missing_from_a_folders_world_exits_2_writing_nothing(
        focus_pair: tuple[Path, Path], tmp_path: Path) -> None:
    """compare REAL SYNTHETIC --focus-agency 'Eugene OR PD': refused, but only after compare.csv was written."""
    other = tmp_path / "other"
    shutil.copytree(focus_pair[1], other)
    table = pd.read_parquet(other / "by_agency.parquet")
    table.loc[table.name == "NC PD 0001", "name"] = "NC PD 9999"
    table.to_parquet(other / "by_agency.parquet", index=False)
    (other / "by_agency.csv").unlink(missing_ok=True)
    out = tmp_path / "cmp"
    proc = subprocess.run([sys.executable, "-m", "sim.cli.main", "compare", str(focus_pair[0]), str(other),
                           "--focus-agency", "NC PD 0001", "-o", str(out)],
                          capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 2 and "no agency named 'NC PD 0001' in the world of" in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr and not out.exists()


def test_a_focus_brief_reads_by_state_and_by_agency_once_per_folder(
        focus_pair: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`resolve` reads the tables to check the focus; what the brief draws uses the same tables (`Focus`, and the
    by_agency table `Results` keeps)."""
    from reports import focus, tables

    reads: list[tuple[str, Path]] = []

    def counted(module: ModuleType, name: str) -> Callable[[Path], pd.DataFrame | None]:
        real = getattr(module, name)

        def read(folder: Path) -> pd.DataFrame | None:
            reads.append((name, folder))
            return real(folder)
        return read

    for module, name in ((focus, "read_by_state"), (tables, "read_by_agency")):
        monkeypatch.setattr(module, name, counted(module, name))
    html = write_report(focus_pair[0], tmp_path / "a.html", focus_agency="NC PD 0001").read_text()
    assert "<h2>NC PD 0001: its own row</h2>" in html and '<figure id="focus_map">' in html
    assert sorted(name for name, _ in reads) == ["read_by_agency", "read_by_state"]
    reads.clear()
    write_compare([str(p) for p in focus_pair], tmp_path / "cmp", focus="NC")
    assert sorted(reads) == sorted(("read_by_state", p) for p in focus_pair)


def test_bad_focus_exits_2_listing_valid_states(focus_pair: tuple[Path, Path], tmp_path: Path) -> None:
    with pytest.raises(ReportInputError, match="states present: CA, NC"):
        write_report(focus_pair[0], tmp_path / "c.html", focus="WA")
    proc = subprocess.run([sys.executable, "-m", "sim.cli.main", "compare", *map(str, focus_pair), "--focus", "XX",
                           "-o", str(tmp_path / "x")], capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 2 and "unknown state 'XX'" in proc.stderr and "Traceback" not in proc.stderr


def test_an_unknown_focus_state_is_one_message_and_exit_2_from_run_and_report(
        run_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`fedsim run` refuses it before any run (no folder written), `fedsim report` before drawing: the same words."""
    from sim.cli.main import main
    from tests.reports.tables import ROOT

    said = {}
    for command, args in (("run", [str(ROOT / "scenarios" / "small.yaml"), "-o", str(tmp_path / "run")]),
                          ("report", [str(run_dir), "-o", str(tmp_path / "report" / "report.html")])):
        assert main([command, *args, "--focus", "XX"]) == 2
        err = capsys.readouterr().err.strip().splitlines()[-1]
        assert err.startswith(f"fedsim {command}: ") and "Traceback" not in err
        said[command] = err.removeprefix(f"fedsim {command}: ")
    assert said["run"] == said["report"]
    assert said["run"].startswith("--focus: unknown state 'XX'; use a two-letter code: AL, AK,")
    assert not (tmp_path / "run").exists() and not (tmp_path / "report").exists()


def test_run_with_focus_saves_the_states_network_and_the_report_draws_it_from_the_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`fedsim run --focus NC` saves North Carolina's agency graph in world.json (without a focus the drawing
    would be South Carolina's, the largest state that fits); the report draws it and the focus state's links
    with other states from the folder alone: building a world fails during the report, and nothing is rebuilt."""
    import json

    import sim.world.build
    from sim.world.state_graph import MAX_AGENCIES
    from tests.reports.tables import ROOT

    folder = tmp_path / "run"
    proc = subprocess.run([sys.executable, "-m", "sim.cli.main", "run", str(ROOT / "scenarios" / "small.yaml"),
                           "--set", "world.states=[NC,SC,VA,GA]", "--replications", "1", "--focus", "NC",
                           "--executor", "inprocess", "--no-report", "-q", "-o", str(folder)],
                          capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr
    world = json.loads((folder / "world.json").read_text())
    states = world["state_sharing"]["states"]
    assert states["SC"]["agencies"] <= MAX_AGENCIES < min(states[s]["agencies"] for s in ("NC", "VA", "GA"))
    assert world["state_graph"]["state"] == "NC" and world["state_graph"]["sampled"]

    def no_world(*_a: object, **_k: object) -> None:
        raise AssertionError("the report rebuilt the world")

    monkeypatch.setattr(sim.world.build, "build_world", no_world)
    monkeypatch.setattr(sim.world.build, "build_world_cached", no_world)
    html = write_report(folder).read_text()  # focus.json: the run's --focus NC
    assert "<h2>Who shares with North Carolina</h2>" in html
    assert '<figure id="focus_sharing">' in html and '<figure id="state_graph">' in html
    assert '<figure id="state_sharing">' not in html  # the national drawing gives way to the focus state's
    drawn = pd.read_csv(folder / "charts" / "state_graph.csv")
    assert len(drawn) == len(world["state_graph"]["edges"])
    partners = pd.read_csv(folder / "charts" / "focus_sharing.csv")
    assert set(partners.state) == {"SC", "VA", "GA"} and set(partners.focus) == {"NC"}

    other = write_report(folder, tmp_path / "ga" / "report.html", focus="GA").read_text()
    assert '<figure id="focus_sharing">' in other and '<figure id="state_graph">' not in other
    assert "holds North Carolina&#x27;s agency graph" in other and "--focus GA" in other


def test_run_with_focus_agency_draws_its_neighbourhood_and_marks_it(tmp_path: Path) -> None:
    """`fedsim run --focus-agency NAME` in a state too large to draw whole: world.json's agency graph holds that
    agency (and its in-state partners), names it, and the report's drawing says which row is it."""
    import json

    from tests.reports.tables import ROOT

    folder = tmp_path / "run"
    proc = subprocess.run([sys.executable, "-m", "sim.cli.main", "run", str(ROOT / "scenarios" / "small.yaml"),
                           "--set", "world.states=[NC,SC,VA,GA]", "--replications", "1", "--focus-agency",
                           "NC PD 0007", "--executor", "inprocess", "-q", "-o", str(folder)],
                          capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr
    graph = json.loads((folder / "world.json").read_text())["state_graph"]
    names = {n["id"]: n["name"] for n in graph["nodes"]}
    assert graph["state"] == "NC" and graph["sampled"] and names[graph["focus_agency"]] == "NC PD 0007"
    html = (folder / "report.html").read_text()
    assert "NC PD 0007&#x27;s row is marked with a red arrow" in html  # the drawing's alt text


@pytest.mark.parametrize("state, agency", [("WA", None), (None, "NC PD 001"), (None, "FBI")])
def test_a_focus_the_world_lacks_reads_the_same_from_run_and_report(
        focus_pair: tuple[Path, Path], state: str | None, agency: str | None) -> None:
    """`fedsim run` checks the built world, a report the folder's tables: one check (`check_focus_in`), one wording
    naming the option, the value and what is allowed; only whose world it is differs."""
    from reports.focus import resolve
    from reports.tables import load_results
    from sim.config import load_scenario
    from sim.results.focus import check_focus
    from sim.runner import RunnerError, seeds
    from sim.runner.api import check_focus_in_world
    from sim.world.build import build_world_cached

    folder = focus_pair[0]
    scenario = load_scenario(folder / "resolved_scenario.yaml")
    world = build_world_cached(scenario, seeds.world_seed(scenario.run.seed))
    with pytest.raises(RunnerError) as run_side:
        check_focus_in_world(world, check_focus(state, agency))
    with pytest.raises(ReportInputError) as report_side:
        resolve(load_results(folder), state, agency)
    said = str(run_side.value)
    assert str(report_side.value) == said.replace("this scenario's world", f"the world of {folder}")
    option, value = ("--focus", state) if state else ("--focus-agency", repr(agency))
    assert said.startswith(f"{option}: ") and value in said
    assert ("states present: CA, NC" in said if state else
            "did you mean 'NC PD 00" in said if agency != "FBI" else "focus on an agency with cameras" in said)


def test_a_focused_comparison_says_its_national_sections_cover_every_state(focus_pair: tuple[Path, Path],
                                                                           tmp_path: Path) -> None:
    """GA's in-state-only rule: the lede read '-100%' for federal audit entries in Georgia, then the chart below was
    titled '... changes audit records per camera owner from federal direct searchers by -4.5%', all states together,
    with no word of where."""
    html = write_compare([str(p) for p in focus_pair], tmp_path / "cmp", focus="NC").read_text()
    assert "<h2>In brief: all states modelled together</h2>" in html
    titles = re.findall(r"<h3[^>]*>(All states modelled together: [^<]*)</h3>", html)  # the chart's title
    assert titles and titles[0].startswith("All states modelled together: against &#x27;base&#x27;")
    plain = write_compare([str(p) for p in focus_pair], tmp_path / "plain").read_text()
    assert "<h2>In brief</h2>" in plain and "All states modelled together" not in plain


def test_an_agencys_yes_no_column_reads_yes_or_no(focus_pair: tuple[Path, Path], tmp_path: Path) -> None:
    """Savannah GA PD's row read 'open to proxy lookups: 1 (95% CI 1 to 1)'."""
    from reports.focus import agency_value

    rows = pd.read_parquet(focus_pair[0] / "by_agency.parquet")
    name = str(rows[(rows.state == "NC") & (rows.type != "private")].name.iloc[0])
    html = write_report(focus_pair[0], tmp_path / "a.html", focus_agency=name).read_text()
    cell = re.search(r"<td[^>]*>open to proxy lookups</td><td[^>]*>([^<]*)</td>", html).group(1)
    assert cell == ("yes" if rows[rows.name == name]["federal.proxy_open"].iloc[0] > 0 else "no")
    assert agency_value(pd.Series([1.0, 0.0, 1.0]).to_numpy(), "0/1") == "yes in 2 of 3 replications"
    assert agency_value(pd.Series([4.0, 4.0]).to_numpy(), "units").startswith("4 (95% CI 4 to 4)")


def test_a_compared_agencys_yes_no_column_reads_yes_no_and_whether_it_changed(focus_pair: tuple[Path, Path],
                                                                             tmp_path: Path) -> None:
    """compare real-2025 real-2026 --focus-agency 'Savannah GA PD' read 'open to proxy lookups | 1 (95% CI 1 to 1) |
    +0 (95% CI +0 to +0)'. An NC agency open in the baseline reads
    'yes', then 'unchanged' (the ban leaves proxy lookups open), or 'now no' where it is closed."""
    base = pd.read_parquet(focus_pair[0] / "by_agency.parquet")
    name = str(base[(base.state == "NC") & (base.type != "private") & (base["federal.proxy_open"] > 0)].name.iloc[0])
    html = write_compare([str(p) for p in focus_pair], tmp_path / "cmp", focus_agency=name).read_text()
    cells = r"<td[^>]*>open to proxy lookups</td><td[^>]*>([^<]*)</td><td[^>]*>([^<]*)</td>"
    assert re.search(cells, html).groups() == ("yes", "unchanged")  # the ban leaves proxy lookups open
    closed = tmp_path / "closed"
    shutil.copytree(focus_pair[1], closed)
    rows = pd.read_parquet(closed / "by_agency.parquet")
    rows.loc[rows.name == name, "federal.proxy_open"] = 0.0
    rows.to_parquet(closed / "by_agency.parquet", index=False)
    (closed / "by_agency.csv").unlink(missing_ok=True)
    html = write_compare([str(focus_pair[0]), str(closed)], tmp_path / "cmp2", focus_agency=name).read_text()
    assert re.search(cells, html).groups() == ("yes", "now no")


def test_a_focus_on_a_folder_without_its_table_says_the_table_was_left_out(tmp_path: Path) -> None:
    """A run with --tables by_state, asked --focus-agency, said "no agency named 'NC PD 0001'" (there was no by_agency
    table to look in); without by_state it blamed 'results written before per-state outputs'."""
    from sim.cli.main import main
    from tests.conftest import SCENARIOS

    out = tmp_path / "r"
    assert main(["run", str(SCENARIOS / "small.yaml"), "--set", "run.days=1", "--tables", "by_state", "-q",
                 "--no-report", "-o", str(out)]) == 0
    with pytest.raises(ReportInputError, match="no by_agency table \\(left out by run.tables / --tables\\)"):
        write_report(out, focus_agency="NC PD 0001")
    (out / "by_state.parquet").unlink()
    (out / "by_state.csv").unlink()
    with pytest.raises(ReportInputError, match="no by_state table \\(left out by run.tables / --tables, or written"):
        write_report(out, focus="NC")
