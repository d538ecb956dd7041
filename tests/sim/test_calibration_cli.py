"""`fedsim calibration-report`: an end-to-end run of a short small scenario, and bad input exiting 2."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from sim.calibration import targets_for
from sim.cli.cmd_calibration import compared_period
from sim.cli.main import main
from tests.conftest import SCENARIOS

SMALL = str(SCENARIOS / "small.yaml")


def test_report_runs_and_writes_the_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "cal"
    code = main(["calibration-report", SMALL, "--set", "run.days=2", "--replications", "2", "--executor",
                 "inprocess", "-q", "-o", str(out)])
    printed = capsys.readouterr().out
    assert code == 0
    for name in ("summary.json", "world.json", "calibration_report.csv", "calibration_report.md", "metrics.csv"):
        assert (out / name).is_file(), name
    table = pd.read_csv(out / "calibration_report.csv").set_index("key")
    assert list(table.index) == [t.key for t in targets_for("2025")]
    assert table["model"].notna().all()
    summary = json.loads((out / "summary.json").read_text())
    assert summary["replications"] == 2
    assert table.loc["response_rate", "model"] == pytest.approx(summary["metrics"]["optin.rate"]["mean"])
    world = json.loads((out / "world.json").read_text())
    assert table.loc["out_degree_p90", "model"] == pytest.approx(world["sharing"]["out_degree"]["p90"])
    assert "households notified per request" in printed and "gap %" in printed


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["calibration-report", "no/such/file.yaml"], "no/such/file.yaml"),
        (["calibration-report", SMALL, "--replications", "0"], "--replications must be a positive whole number"),
        (["calibration-report", SMALL, "--workers", "two"], "--workers must be a positive whole number"),
        (["calibration-report", SMALL, "--set", "run.days=-3"], "run.days"),
        (["calibration-report", SMALL, "--set", "behavior.alpr.nope=1"], "nope"),
        (["calibration-report", SMALL, "--set", "platform.calibration=/no/such/calibration.json", "--executor",
          "inprocess", "-q"], "platform.calibration"),
    ],
)
def test_bad_input_exits_2_without_traceback(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_output_that_is_a_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "file"
    target.write_text("x")
    assert main(["calibration-report", SMALL, "-o", str(target), "-q"]) == 2
    assert "is not a folder" in capsys.readouterr().err


def test_load_test_calibration_moves_queues_not_targets(tmp_path: Path) -> None:
    """A calibration.json replaces the platform's queues: queue metrics change, the calibration rows do not."""
    calib = tmp_path / "calibration.json"
    calib.write_text(json.dumps({"queues": {"search": {"workers": 1, "per_million_reads_s": 0.0,
                                                      "service_time": {"dist": "fixed", "mean_s": 2.0}}}}))
    common = ["--set", "run.days=2", "--replications", "1", "--executor", "inprocess", "-q"]
    assert main(["calibration-report", SMALL, *common, "-o", str(tmp_path / "plain")]) == 0
    assert main(["calibration-report", SMALL, *common, "--set", f"platform.calibration={calib}",
                 "-o", str(tmp_path / "calibrated")]) == 0
    plain, calibrated = (pd.read_csv(tmp_path / d / "calibration_report.csv") for d in ("plain", "calibrated"))
    pd.testing.assert_series_equal(plain["model"], calibrated["model"])
    util = [json.loads((tmp_path / d / "summary.json").read_text())["metrics"]["search.utilization"]["mean"]
            for d in ("plain", "calibrated")]
    assert util[1] > 10 * util[0]


def test_the_period_compared_is_the_scenarios_unless_asked() -> None:
    assert compared_period(None, 2026) == ("2026", "")
    assert compared_period("2026", 2026) == ("2026", "")
    assert compared_period("2024", 2026) == ("2024", "comparing with 2024's figures; the scenario declares 2026")
    assert compared_period("2024", None) == ("2024", "")
    period, note = compared_period(None, None)
    assert period == "2025" and note.startswith("the scenario declares no period")


def test_json_rows_on_stdout(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A scenario declaring 2026 is compared with 2026's figures without --period."""
    code = main(["calibration-report", SMALL, "--set", "run.days=3", "--replications", "1", "--executor",
                 "inprocess", "-q", "-o", str(tmp_path / "cal"), "--json", "--set", "period=2026"])
    out, err = capsys.readouterr()
    rows = json.loads(out)
    assert "calibration-report:" not in err  # no note: the declared period
    assert code == 0 and [r["key"] for r in rows] == [t.key for t in targets_for("2026")]
    assert all({"figure", "target", "model", "tolerance", "ok"} <= set(r) for r in rows)
    by_key = {r["key"]: r for r in rows}
    # the 2026 portals (62), their sheriffs weighted to the small world's 40 of 201 police agencies: 62.16
    assert by_key["searches_30d_median"]["target"] == pytest.approx(62.0, rel=0.01)
    scope = by_key["eugene_scope_local"]
    assert scope["ok"] is (abs(scope["model"] - scope["target"]) <= 0.03)
    assert by_key["federal_grant_share_USPIS"]["model"] is not None  # read off world.json
