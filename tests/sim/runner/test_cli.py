"""`fedsim run` and `fedsim sweep` on the command line: files, printed summary, exit codes."""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path

import pytest

from sim.cli import cmd_run
from sim.cli.main import main
from sim.runner import run
from tests.conftest import SCENARIOS
from tests.sim.runner import toy
from tests.sim.runner.conftest import write_scenario

SMALL = str(SCENARIOS / "small.yaml")
FAST = ["--set", "run.days=1", "--executor", "inprocess", "-q"]


def test_run_writes_the_folder_and_prints_key_metrics(tmp_path: Path, capsys) -> None:
    out = tmp_path / "small"
    assert main(["run", SMALL, *FAST, "--replications", "2", "-o", str(out), "--no-report"]) == 0
    text = capsys.readouterr().out
    assert "optin.rate" in text and "95% CI" in text and f"results: {out}" in text and "report:" not in text
    for name in ("summary.json", "metrics.csv", "metrics.parquet", "flows.csv", "flows.parquet", "failures.csv",
                 "resolved_scenario.yaml", "manifest.json"):
        assert (out / name).is_file(), name
    assert not (out / "report.html").exists()
    summary = json.loads((out / "summary.json").read_text())
    line = next(x for x in text.splitlines() if x.strip().startswith("requests.posted"))
    assert f"{summary['metrics']['requests.posted']['mean']:.4g}" in line and "input echo" not in line
    searches = next(x for x in text.splitlines() if x.strip().startswith("alpr.searches "))
    assert searches.endswith("(input echo)")  # the search rates played back, not a finding


def test_run_writes_the_report_by_default_or_says_why_not(tmp_path: Path, capsys) -> None:
    out = tmp_path / "r"
    code = main(["run", SMALL, *FAST, "--replications", "1", "-o", str(out)])
    captured = capsys.readouterr()
    lines = [x for x in (captured.out + captured.err).splitlines() if x.startswith("report:")]
    assert len(lines) == 1
    assert (code == 0 and (out / "report.html").is_file()) or "not written" in lines[0] or "failed" in lines[0]
    off = tmp_path / "off"
    assert main(["run", SMALL, *FAST, "--replications", "1", "--set", "run.report=false", "-o", str(off)]) == 0
    assert "report:" not in capsys.readouterr().out and not (off / "report.html").exists()


def test_run_auto_replications_says_how_many(tmp_path: Path, capsys) -> None:
    out = tmp_path / "auto"
    args = ["run", SMALL, *FAST, "--replications", "auto", "--metric", "alpr.reads", "--target-halfwidth", "0.2",
            "--max-replications", "7", "-o", str(out), "--no-report"]
    assert main(args) == 0
    text = capsys.readouterr().out
    manifest = json.loads((out / "manifest.json").read_text())
    n = manifest["batch"]["replication_policy"]["replications"]
    assert f"after {n} replications" in text and 5 <= n <= 7


def test_sweep_writes_points_and_tables(tmp_path: Path, capsys) -> None:
    spec = write_scenario(tmp_path, "sweep:\n  grid:\n    policy.federal_firewall: [false, true]\n")
    out = tmp_path / "sw"
    assert main(["sweep", str(spec), *FAST, "--replications", "1", "-o", str(out)]) == 0
    text = capsys.readouterr().out
    assert "2 design point(s)" in text and "report:" in text
    assert (out / "points" / "0001" / "metrics.csv").is_file()
    header = (out / "design_points.csv").read_text().splitlines()[0]
    assert header == "design_point,policy.federal_firewall"
    assert (out / "sweep.csv").read_text().startswith("design_point,policy.federal_firewall,metric,n,mean,ci_low,ci_high")


@pytest.mark.parametrize(
    "args",
    [
        ["run", SMALL, "--replications", "x"],
        ["run", SMALL, "--replications", "0"],
        ["run", SMALL, "--workers", "0"],
        ["run", SMALL, "--set", "run.days=-1"],
        ["run", SMALL, "--set", "policy.no_such=1"],
        ["run", "no/such/scenario.yaml"],
        ["run", SMALL, "--scheduler", "tcp://127.0.0.1:8786"],
        ["run", SMALL, "--metric", "optin.rate"],
        ["run", SMALL, "--replications", "auto"],
        ["run", SMALL, "--executor", "cloud"],
        ["sweep", SMALL],
        ["run", SMALL, "--set", "platform.calibration=/no/such/calibration.json"],
    ],
)
def test_bad_input_exits_2_without_traceback(args: list[str], tmp_path: Path, capsys) -> None:
    with pytest.raises(SystemExit) as exc:
        raise SystemExit(main([*args, "-o", str(tmp_path / "out")]))
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert err.strip() and "Traceback" not in err
    assert not (tmp_path / "out" / "parts").exists()


def test_failed_runs_exit_1_and_name_the_first_error(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.setattr(cmd_run, "run", functools.partial(run, components=toy.COMPONENTS, world_factory=toy.WORLD))
    code = main(["run", SMALL, *FAST, "--set", f"platform.packaging.workers={toy.FAIL_WORKERS}", "-o", str(tmp_path / "f")])
    err = capsys.readouterr().err
    assert code == 1
    assert "2 run(s) failed, the first (replication 0) with RuntimeError: toy model refuses 13" in err
    assert not (tmp_path / "f" / "report.html").exists()


def test_a_data_folder_without_its_files_exits_2_and_leaves_the_results_folder_as_it_was(tmp_path: Path, capsys) -> None:
    """The world is built before the folder is touched: a failing run used to replace a good run's tables with
    empty ones (and leave its report.html describing results no longer there)."""
    out = tmp_path / "o"
    assert main(["run", SMALL, *FAST, "--replications", "1", "-o", str(out), "--no-report"]) == 0
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file() and p.name != "manifest.json"}
    empty = tmp_path / "portal"
    empty.mkdir()
    capsys.readouterr()
    code = main(["run", SMALL, *FAST, "--set", f"world.sharing.source={empty}", "-o", str(out), "--no-report"])
    err = capsys.readouterr().err
    assert code == 2 and "world.sharing.source: no file matching" in err and "Traceback" not in err
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file() and p.name != "manifest.json"} == before
    assert main(["run", SMALL, *FAST, "--set", f"world.sharing.source={empty}", "-o", str(tmp_path / "new")]) == 2
    assert not (tmp_path / "new").exists()


def test_run_and_sweep_refuse_each_others_folders(tmp_path: Path, capsys) -> None:
    sweep_dir, run_dir = tmp_path / "sweep", tmp_path / "run"
    sweep_dir.mkdir()
    (sweep_dir / "design_points.csv").write_text("design_point\n0\n")
    assert main(["run", SMALL, *FAST, "-o", str(sweep_dir)]) == 2
    assert f"{sweep_dir} holds a sweep (design_points.csv, points/)" in capsys.readouterr().err
    assert sorted(p.name for p in sweep_dir.iterdir()) == ["design_points.csv"]
    run_dir.mkdir()
    (run_dir / "summary.json").write_text("{}")
    assert main(["sweep", str(SCENARIOS / "retention-sweep.yaml"), *FAST, "-o", str(run_dir)]) == 2
    assert f"{run_dir} holds a run (summary.json)" in capsys.readouterr().err
    assert sorted(p.name for p in run_dir.iterdir()) == ["summary.json"]


def test_printed_intervals_stay_inside_the_metrics_range() -> None:
    """As in the report: a count's or a share's t interval of 2 replications is cut at 0 (and a share at 1)."""
    summary = {"metrics": {"requests.posted": {"mean": 55.5, "ci_low": -1.678, "ci_high": 112.7, "n": 2},
                           "optin.rate": {"mean": 0.5, "ci_low": -0.1, "ci_high": 1.2, "n": 2},
                           "footage.clips": {"mean": 5.0, "ci_low": 2.0, "ci_high": 8.0, "n": 3}}}
    summary["metrics"]["alpr.searches"] = {"mean": 15639.0, "ci_low": 1243.2, "ci_high": 30035.0, "n": 2}
    lines = {x.split()[0]: x for x in cmd_run.summary_lines(summary)[1:]}
    assert "15,639  [1,243, 30,035]" in lines["alpr.searches"]  # one thousands separator for every bound
    assert lines["requests.posted"].endswith("[0, 112.7]")
    assert lines["optin.rate"].endswith("[0, 1]")
    assert lines["footage.clips"].endswith("[2, 8]")


def test_a_run_without_focus_drops_the_focus_an_earlier_run_saved(tmp_path: Path) -> None:
    out = tmp_path / "f"
    assert main(["run", SMALL, *FAST, "--replications", "1", "-o", str(out), "--no-report", "--focus", "NC"]) == 0
    assert json.loads((out / "focus.json").read_text()) == {"state": "NC"}
    assert main(["run", SMALL, *FAST, "--replications", "1", "-o", str(out), "--no-report"]) == 0
    assert not (out / "focus.json").exists()  # its report led with North Carolina, asked or not


def test_tables_and_csv_flags_choose_the_tables_and_a_bad_name_exits_2(tmp_path: Path, capsys) -> None:
    out = tmp_path / "few"
    assert main(["run", SMALL, *FAST, "-o", str(out), "--no-report", "--tables", "by_state,by_agency",
                 "--csv", "by_agency"]) == 0
    tables = sorted(p.name for p in out.iterdir() if p.suffix in (".csv", ".parquet") and p.name != "failures.csv")
    assert tables == ["by_agency.csv", "by_agency.parquet", "by_state.parquet", "flows.parquet", "metrics.parquet"]
    resolved = (out / "resolved_scenario.yaml").read_text()
    assert "tables:\n  - by_state\n  - by_agency" in resolved and "csv:\n  - by_agency" in resolved
    capsys.readouterr()
    assert main(["run", SMALL, *FAST, "-o", str(tmp_path / "bad"), "--tables", "by_stat"]) == 2
    assert "unknown table(s) ['by_stat'] in run.tables; did you mean 'by_state'?" in capsys.readouterr().err
    assert not (tmp_path / "bad").exists()


def test_sweep_names_a_design_point_whose_swept_value_is_likely_a_mistake(tmp_path: Path, capsys) -> None:
    spec = write_scenario(tmp_path, "sweep:\n  grid:\n    policy.moderation.blocked: [[immigration], [imigration]]\n")
    assert main(["sweep", str(spec), *FAST, "--replications", "1", "-o", str(tmp_path / "sw"), "--no-report"]) == 0
    err = capsys.readouterr().err
    assert "WARNING: design point 1: policy.moderation.blocked: 'imigration' is a reason no search carries" in err
    assert "design point 0" not in err


@pytest.mark.parametrize("focus, words", [
    (["--focus", "SC"], "--focus: SC has no agencies in this scenario's world; states present: NC"),
    (["--focus-agency", "NC PD 00007"], "--focus-agency: no agency named 'NC PD 00007' in this scenario's world; "
                                        "did you mean 'NC PD 0007'"),
    (["--focus-agency", "FBI"], "--focus-agency: 'FBI' is a federal unit; focus on an agency with cameras"),
])
def test_a_focus_the_world_lacks_exits_2_before_the_runs(focus: list[str], words: str, tmp_path: Path, capsys) -> None:
    """Checked against the built world first: the runs used to go ahead and only the report failed (exit 1)."""
    assert main(["run", SMALL, *FAST, "-o", str(tmp_path / "f"), *focus]) == 2
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err
    assert not (tmp_path / "f").exists()


def test_a_resumed_sweep_says_which_runs_it_resumed(tmp_path: Path, capsys) -> None:
    """A fully resumed sweep printed '15 run(s) on process x0 in 0.0 s', as if 15 runs took no time."""
    spec = write_scenario(tmp_path, "sweep:\n  grid:\n    policy.federal_firewall: [false, true]\n")
    out = tmp_path / "sw"
    base = ["sweep", str(spec), *FAST, "-o", str(out), "--no-report"]
    assert main([*base, "--replications", "1"]) == 0
    assert re.search(r"2 design point\(s\), 2 run\(s\) on \w+ x[1-9]", capsys.readouterr().out)
    assert main([*base, "--replications", "1", "--resume"]) == 0
    assert "2 design point(s), 2 run(s), all resumed from the folder: none run now" in capsys.readouterr().out
    assert main([*base, "--replications", "2", "--resume"]) == 0
    text = capsys.readouterr().out
    assert re.search(r"2 design point\(s\), 4 run\(s\): 2 resumed from the folder, 2 run on \w+ x[1-9]", text), text


def test_sweep_reads_its_sweep_csv_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    """fedsim sweep read the sweep.csv it had just written twice: once for the printed table, again (through
    SweepResult.summary) to decide whether to write the report. The report reads its own tables."""
    from sim.cli import cmd_sweep
    from sim.results import sweep as sweep_tables
    from sim.runner import results

    reads: list[Path] = []

    def counted(folder: Path):
        reads.append(Path(folder))
        return real(folder)

    real = sweep_tables.read_sweep_table
    monkeypatch.setattr(sweep_tables, "read_sweep_table", counted)
    monkeypatch.setattr(results, "read_sweep_table", counted)
    reported: list[Path] = []
    monkeypatch.setattr(cmd_sweep, "after_run", lambda folder: reported.append(folder) or True)
    spec = write_scenario(tmp_path, "sweep:\n  grid:\n    policy.federal_firewall: [false, true]\n")
    out = tmp_path / "sw"
    assert main(["sweep", str(spec), *FAST, "--replications", "1", "-o", str(out)]) == 0
    assert reads == [out] and reported == [out]


def test_printed_figures_carry_their_declared_unit() -> None:
    """'footage.bytes 38,847,310,306' and 'optin.rate 0.03463' were printed with no unit."""
    summary = {"metrics": {"footage.bytes": {"mean": 3.9e10, "ci_low": 2.9e10, "ci_high": 4.8e10, "n": 2},
                           "optin.rate": {"mean": 0.035, "ci_low": 0.03, "ci_high": 0.039, "n": 2}}}
    header, *rows = cmd_run.summary_lines(summary)
    assert header.split()[:3] == ["metric", "unit", "mean"]
    lines = {x.split()[0]: x.split() for x in rows if not x.strip().startswith("(")}
    assert lines["footage.bytes"][1] == "bytes" and lines["optin.rate"][1] == "share"
