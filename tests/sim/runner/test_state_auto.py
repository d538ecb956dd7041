"""`--replications auto` on one state's figure (METRIC.ST, read from each run's by_state rows), on the small model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sim import run
from sim.cli.main import main
from sim.results.stats import relative_halfwidth
from sim.runner import RunnerError
from sim.runner.replicate import PILOT
from tests.conftest import SCENARIOS
from tests.sim.runner.conftest import differing_files
from tests.sim.runner.test_api import result_files

NAME = "audit.records_received.NC"  # small.yaml's one state: the audit entries reaching its networks
AUTO = dict(replications="auto", metric=NAME, target_halfwidth=0.12, max_replications=20, quiet=True)


def state_values(result) -> list[float]:
    """The figure per replication, from the run folder's by_state table (not from the runner's records)."""
    t = result.table("by_state")
    rows = t[(t["state"] == "NC") & (t["metric"] == "audit.records_received")].sort_values("replication")
    return rows["value"].tolist()


def test_a_state_figure_reaches_its_target_the_same_way_on_any_worker_count(tmp_path: Path, small_scenario) -> None:
    res = run(small_scenario, output_dir=tmp_path / "a", executor="inprocess", **AUTO)
    d = res.decision
    values = state_values(res)
    assert d["metric"] == NAME and d["converged"] and PILOT < d["replications"] == len(values) <= 20
    assert relative_halfwidth(values) == pytest.approx(d["achieved_halfwidth"])
    assert d["achieved_halfwidth"] <= 0.12 < relative_halfwidth(values[:PILOT])
    assert d["mean"] == pytest.approx(sum(values) / len(values)) and d["ci_low"] < d["mean"] < d["ci_high"]
    assert NAME not in res.summary()["metrics"]  # summary.json keeps whole-run metrics only
    pooled = run(small_scenario, output_dir=tmp_path / "b", executor="process", workers=2, **AUTO)
    assert pooled.decision == d
    assert differing_files(res.output_dir, pooled.output_dir, result_files(res.output_dir)) == []


def test_runs_resumed_from_a_fixed_batch_give_the_figure_from_their_by_state_parts(tmp_path: Path,
                                                                                  small_scenario) -> None:
    fixed = run(small_scenario, output_dir=tmp_path / "r", executor="inprocess", replications=PILOT, quiet=True)
    resumed = run(small_scenario, output_dir=tmp_path / "r", executor="inprocess", resume=True,
                  **{**AUTO, "target_halfwidth": 0.9})
    assert resumed.manifest["batch"]["runs_executed"] == 0 and resumed.decision["replications"] == PILOT
    assert resumed.decision["mean"] == pytest.approx(sum(state_values(fixed)) / PILOT)


@pytest.mark.parametrize("metric, words", [
    ("audit.records_received_proxy.TX", "--metric 'audit.records_received_proxy.TX': TX has no agencies in this "
                                        "scenario's world; states present: NC"),
    ("audit.records_received_proxy.nc", "did you mean audit.records_received_proxy.NC?"),
    ("audit.records_received_proxy", "name the state too"),
])
def test_a_bad_state_figure_exits_2_before_any_run(tmp_path: Path, capsys, metric: str, words: str) -> None:
    out = tmp_path / "out"
    assert main(["run", str(SCENARIOS / "small.yaml"), "--replications", "auto", "--metric", metric, "-q",
                 "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err
    assert not out.exists()
    with pytest.raises(RunnerError, match="METRIC.ST"):
        run(SCENARIOS / "small.yaml", output_dir=out, replications="auto", metric="alpr.searches.Texas")


def test_the_command_line_says_the_figure_and_its_ci(tmp_path: Path, capsys) -> None:
    out = tmp_path / "cli"
    assert main(["run", str(SCENARIOS / "small.yaml"), "--set", "run.days=2", "--executor", "inprocess", "-q",
                 "--no-report", "--replications", "auto", "--metric", "alpr.searches.NC", "--target-halfwidth", "0.5",
                 "-o", str(out)]) == 0
    text = capsys.readouterr().out
    decision = json.loads((out / "manifest.json").read_text())["batch"]["replication_policy"]
    line = next(x for x in text.splitlines() if x.strip().startswith("alpr.searches.NC:"))
    assert f"{decision['mean']:,.0f}" in line and "95% CI [" in line and "(searches run in NC, by_state)" in line
