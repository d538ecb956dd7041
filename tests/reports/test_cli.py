"""`fedsim report` and `fedsim compare` on the command line: outputs, and exit 2 without traceback on bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.cli.main import main


def test_report_and_compare_commands(run_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "r" / "brief.html"
    assert main(["report", str(run_dir), "-o", str(out)]) == 0
    assert out.is_file() and f"Report: {out}" in capsys.readouterr().out
    assert main(["compare", str(run_dir), str(run_dir), "-o", str(tmp_path / "c")]) == 0
    assert (tmp_path / "c" / "compare.html").is_file()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["report", "{tmp}/missing"], "no such results folder"),
        (["report", "{run}", "--sweep", "{tmp}"], "not a sweep folder (no design_points.csv)"),
        (["report", "{run}", "--loadtest", "{tmp}"], "no load test there"),
        (["compare", "{run}"], "at least two results folders"),
    ],
)
def test_bad_input_exits_2_with_a_message(argv: list[str], message: str, run_dir: Path, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    args = [a.format(tmp=tmp_path, run=run_dir) for a in argv]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert err.startswith(f"fedsim {argv[0]}: ")


def test_a_sweep_of_another_world_is_refused_with_exit_2(sweep_dir: Path, tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    from tests.reports.tables import write_run

    other = write_run(tmp_path / "other", overrides=["world.alpr.total=1234"], world=False)
    assert main(["report", str(other), "--sweep", str(sweep_dir), "-o", str(tmp_path / "r.html")]) == 2
    err = capsys.readouterr().err
    assert "ran on a different world" in err and "world.alpr.total is" in err and "Traceback" not in err
    assert not (tmp_path / "r.html").exists()


def test_compare_refuses_folders_it_cannot_compare(run_dir: Path, sweep_dir: Path, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """A load test's folder and a sweep's folder hold no model results (compare wrote a page of n/a, exit 0);
    runs of different lengths hold totals over different periods (a 7-day run against a 30-day one)."""
    from tests.reports.tables import write_loadtest, write_run

    cases = [(write_loadtest(tmp_path / "lt"), "no model results to compare"),
             (sweep_dir, "a sweep folder: compare its points' run folders, e.g. "),
             (write_run(tmp_path / "long", name="long", overrides=["run.days=30"]),
              "run.days differs between the folders")]
    for other, words in cases:
        out = tmp_path / "c"
        assert main(["compare", str(run_dir), str(other), "-o", str(out)]) == 2
        err = capsys.readouterr().err
        assert words in err and "Traceback" not in err, err
        assert not out.exists()


def test_the_first_import_of_the_reports_package_freezes_what_it_made_and_later_ones_change_nothing() -> None:
    """`long_lived_imports`: in a fresh process the package is imported with the collector paused, then what exists
    is frozen and the collector is back on; where the package is already imported (this test session) it leaves
    the collector as it is, so a program's garbage is never frozen."""
    import gc
    import subprocess
    import sys

    import reports.report  # noqa: F401 - imported before, as in a test session or a program
    from reports.cli import long_lived_imports

    code = ("import gc\nfrom reports.cli import long_lived_imports\nwith long_lived_imports('reports.report'):\n"
            "    paused = not gc.isenabled()\n    import reports.report\n"
            "print(paused, gc.isenabled(), gc.get_freeze_count() > 100_000)")
    fresh = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert fresh.stdout.split() == ["True", "True", "True"]
    frozen = gc.get_freeze_count()
    with long_lived_imports("reports.report"):
        assert gc.isenabled()
    assert gc.get_freeze_count() == frozen and gc.isenabled()
