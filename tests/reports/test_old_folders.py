"""A results folder written by an older fedsim, before by_agency gained the columns `ADDED_COLUMNS` names (and by_state
their metrics), is still read: those columns as missing (NaN, never 0), and `fedsim report --focus` /
``--focus-agency`` and ``fedsim compare --focus`` complete, saying the measure is not in that folder. Since 8df0671
every such folder stopped them with 'not a by_agency table'. A folder lacking any other column is still refused."""

from __future__ import annotations

import html as htmllib
import shutil
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from sim.cli.main import main
from sim.results.places import ADDED_COLUMNS, AGENCY_COLUMNS, added_note
from sim.results.read import ResultsError, read_by_agency, read_by_state

LABEL = {m.name: m.label for m in AGENCY_COLUMNS}
IDENTIFIED = "audit.owner_entries_identified"


def as_older(folder: Path, to: Path, dropped: tuple[str, ...] = ADDED_COLUMNS) -> Path:
    """A copy of `folder` as a fedsim before `dropped` wrote it: by_agency without those columns, by_state without
    those metrics' rows (Parquet and CSV)."""
    shutil.copytree(folder, to)
    for kind in ("by_agency", "by_state"):
        table = pq.read_table(to / f"{kind}.parquet")
        df = pd.read_csv(to / f"{kind}.csv")
        if kind == "by_agency":
            table, df = table.drop_columns(list(dropped)), df.drop(columns=list(dropped))
        else:
            keep = pa.compute.invert(pa.compute.is_in(table["metric"], value_set=pa.array(list(dropped))))
            table, df = table.filter(keep), df[~df.metric.isin(dropped)]
        pq.write_table(table, to / f"{kind}.parquet")
        df.to_csv(to / f"{kind}.csv", index=False)
    return to


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Real runs of a two-state world (NC, CA), 1 replication each from one root seed, without and with the 2026
    rules (moderation blocking immigration, the offense-type drop-down, audit redaction), and older copies of both."""
    from sim import run
    from sim.config import load_scenario, with_overrides
    from tests.conftest import SCENARIOS

    root = tmp_path_factory.mktemp("old")
    base = with_overrides(load_scenario(SCENARIOS / "small.yaml"), {
        "world.states": ["NC", "CA"], "run.replications": 1, "name": "before",
        "behavior.searches.proxy_agency_share": 0.3}, "test")
    rules = with_overrides(base, {"name": "rules", "policy.moderation": {"blocked": ["immigration"], "warned": []},
                                  "policy.reason_mode": "offense_type", "policy.audit_redaction": True}, "test")
    for sc in (base, rules):
        run(sc, output_dir=root / sc.name, executor="inprocess", quiet=True)
    return {"before": root / "before", "rules": root / "rules",
            "old_before": as_older(root / "before", root / "old_before"),
            "old_rules": as_older(root / "rules", root / "old_rules")}


def redacted_agency(folder: Path) -> str:
    rows = pd.read_parquet(folder / "by_agency.parquet")
    return str(rows[rows[IDENTIFIED] < rows["audit.records_received"]].name.iloc[0])


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_an_older_by_agency_reads_the_added_columns_as_missing(runs: dict[str, Path], fmt: str,
                                                               tmp_path: Path) -> None:
    old = runs["old_rules"]
    if fmt == "csv":  # a folder holding only the CSV copies
        old = Path(shutil.copytree(old, tmp_path / "csv"))
        for kind in ("by_agency", "by_state"):
            (old / f"{kind}.parquet").unlink()
    new, read = read_by_agency(runs["rules"]), read_by_agency(old)
    assert new is not None and read is not None and list(read.columns) == list(new.columns)
    for name in ADDED_COLUMNS:
        assert read[name].isna().all() and new[name].notna().all(), name
    kept = [c for c in new.columns if c not in ADDED_COLUMNS]
    pd.testing.assert_frame_equal(read[kept], new[kept], check_dtype=False)
    by_state = read_by_state(old)
    assert by_state is not None and not by_state.metric.isin(ADDED_COLUMNS).any() and len(by_state)


def test_report_and_compare_focus_complete_on_older_folders(runs: dict[str, Path], tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    old, name = runs["old_rules"], redacted_agency(runs["rules"])

    def page(argv: list[str], out: Path) -> str:
        assert main([*argv, "-o", str(out)]) == 0, capsys.readouterr().err
        return htmllib.unescape((out / "compare.html" if argv[0] == "compare" else out).read_text())

    state = page(["report", str(old), "--focus", "CA"], tmp_path / "r.html")
    assert f">{LABEL[IDENTIFIED]}<" in state and added_note(["rules"]) in state  # the rule's row: unknown, not 0
    agency = page(["report", str(old), "--focus-agency", name], tmp_path / "a.html")
    own = agency[agency.index("its own row</h2>"):]
    own = own[:own.index("</p>", own.index("</table>")) + 4]
    assert f">{LABEL[IDENTIFIED]}<" not in own and f"{LABEL[IDENTIFIED]}" in own and added_note(["rules"]) in own
    assert "nan" not in own.lower().replace("financ", "")
    for pair in ((runs["rules"], old), (old, runs["rules"])):
        compared = page(["compare", *map(str, pair), "--focus", "CA"], tmp_path / f"c{pair[0].name}")
        row = compared[compared.index(f">{LABEL[IDENTIFIED]}<"):].split("</tr>", 1)[0]
        assert added_note(["old_rules"]) in row, row
        compared = page(["compare", *map(str, pair), "--focus-agency", name], tmp_path / f"g{pair[0].name}")
        table = compared[compared.index(f"<h2>{name}</h2>"):].split("</table>", 1)[0]
        row = table[table.index(f">{LABEL[IDENTIFIED]}<"):].split("</tr>", 1)[0]
        assert added_note(["old_rules"]) in row and "nan" not in row.lower(), row
    # both folders older: one note naming both
    both = page(["compare", str(runs["old_before"]), str(old), "--focus", "CA"], tmp_path / "b")
    row = both[both.index(f">{LABEL[IDENTIFIED]}<"):].split("</tr>", 1)[0]
    assert added_note(["before", "rules"]) in row and "folders of 'before', 'rules'" in row, row
    # an older run without the rules: nothing said of rules it never set
    plain = page(["compare", str(runs["before"]), str(runs["old_before"]), "--focus", "CA"], tmp_path / "p")
    assert "older fedsim" not in plain


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_a_folder_lacking_another_column_is_still_refused(runs: dict[str, Path], fmt: str, tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    broken = as_older(runs["rules"], tmp_path / "broken", dropped=("alpr.reads",))
    if fmt == "csv":
        (broken / "by_agency.parquet").unlink()
    with pytest.raises(ResultsError, match="not a by_agency table" if fmt == "parquet" else "missing column"):
        read_by_agency(broken)
    assert main(["report", str(broken), "--focus-agency", redacted_agency(runs["rules"]),
                 "-o", str(tmp_path / "r")]) == 2
    err = capsys.readouterr().err
    assert "alpr.reads" in err and "Traceback" not in err


def test_a_comparison_focused_on_an_agency_reads_each_by_agency_once(runs: dict[str, Path], tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Against the offense-type drop-down, `compare --focus-agency` read each folder's by_agency twice: for the focus
    (or the agency's table) and again for federal units' share of police audit entries (`police_federal_share`)."""
    from reports import write_compare
    from sim.results import read as reader

    read: list[Path] = []
    read_table = reader.read_table

    def counted(folder: Path, kind: str) -> pd.DataFrame | None:
        read.extend([folder] if kind == "by_agency" else [])
        return read_table(folder, kind)

    monkeypatch.setattr(reader, "read_table", counted)
    pair = [runs["before"], runs["rules"]]
    page = write_compare(pair, tmp_path / "cmp", focus_agency=redacted_agency(runs["rules"])).read_text()
    assert "federal units' own searches write, of the audit entries" in htmllib.unescape(page)  # the note was read
    assert sorted(read) == sorted(pair), read
