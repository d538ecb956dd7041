"""Response curves for any swept parameter: fedsim sweep prints the table, the report draws one chart per parameter."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from sim.cli.main import main
from sim.results.sweep import read_sweep
from sim.results.sweep_response import movers, swept
from tests.conftest import SCENARIOS

PROXY = "behavior.searches.proxy_agency_share"  # lookups for federal units: more agencies, more


@pytest.fixture(scope="module")
def proxy_sweep(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    folder = tmp_path_factory.mktemp("proxy") / "sweep"
    scenario = folder.parent / "proxy-sweep.yaml"
    scenario.write_text(f"name: proxy-sweep\nextends: {SCENARIOS / 'small.yaml'}\nrun:\n  days: 3\n  replications: 2\n"
                        f"sweep:\n  grid:\n    {PROXY}: [0.05, 0.2, 0.8]\n", encoding="utf-8")
    return folder, str(scenario)


def test_a_sweep_over_another_parameter_prints_its_table_and_draws_an_honest_curve(
        proxy_sweep: tuple[Path, str], capsys: pytest.CaptureFixture[str]) -> None:
    folder, scenario = proxy_sweep
    assert main(["sweep", scenario, "--workers", "2", "-q", "--crn", "-o", str(folder)]) == 0
    out = capsys.readouterr().out
    assert PROXY in out and "alpr.searches_federal_proxy" in out  # the printed table: parameter and its outcome
    tables = read_sweep(folder)
    assert swept(tables) == [PROXY]
    picked = movers(tables)
    assert "alpr.searches_federal_proxy" in picked
    assert "audit.records" not in picked  # an input echo never becomes a curve
    csv = folder / "charts" / "response_behavior_searches_proxy_agency_share.csv"
    for ext in ("png", "svg", "csv"):
        assert csv.with_suffix(f".{ext}").is_file()
    drawn = pd.read_csv(csv)
    curve = drawn[drawn["metric"] == "alpr.searches_federal_proxy"].sort_values(PROXY)
    assert list(curve[PROXY]) == [0.05, 0.2, 0.8]
    assert curve["mean"].is_monotonic_increasing and curve["mean"].iloc[-1] > 4 * curve["mean"].iloc[0] > 0
    assert (curve["ci_low"] <= curve["mean"]).all() and (curve["mean"] <= curve["ci_high"]).all()
    page = (folder / "report.html").read_text(encoding="utf-8")
    assert f"How the results respond to {PROXY}" in page
    assert '<a href="sweep.csv">sweep.csv</a>' in page and '<a href="design_points.csv">' in page


def test_the_shipped_retention_sweep_runs_as_long_as_its_longest_limit() -> None:
    from sim.config import load_scenario
    sc = load_scenario(SCENARIOS / "retention-sweep.yaml")
    assert sc.run.days >= max(sc.sweep.grid["policy.alpr_retention_days"])


def test_a_report_with_sweep_reads_the_sweeps_scenario_once(run_dir: Path, sweep_dir: Path, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from reports import write_report
    resolved = sweep_dir / "resolved_scenario.yaml"
    reads: list[Path] = []
    read_text = Path.read_text

    def counted(self: Path, *args: object, **kwargs: object) -> str:
        if self.resolve() == resolved.resolve():
            reads.append(self)
        return read_text(self, *args, **kwargs)

    monkeypatch.setattr(Path, "read_text", counted)
    folder = tmp_path / "run"
    shutil.copytree(run_dir, folder)
    write_report(folder, sweep=sweep_dir)
    assert len(reads) == 1  # for the same-scenario check and the curves' run length alike
    # the run length it read bounds the swept limits (small.yaml runs 7 days; the sweep reaches 365)
    svg = (folder / "charts" / "response_policy_alpr_retention_days.svg").read_text(encoding="utf-8")
    assert "cannot bind" in svg


def test_a_sweep_report_carries_its_scenarios_warnings(tmp_path: Path) -> None:
    """A retention sweep run 7 days drew 'Keeping reads 1 instead of 90 days cuts the agencies able to see a car by
    8.2%' with no warning: a sweep folder has no summary.json, so the brief showed none of its scenario's."""
    from reports import write_report
    from sim.config import load_scenario
    from sim.config.resolve import write_resolved
    from tests.reports.tables import write_sweep

    folder = write_sweep(tmp_path / "sweep", retention=(1, 7, 14, 30, 90))
    write_resolved(load_scenario(SCENARIOS / "retention-sweep.yaml", ["run.days=7"]), folder / "resolved_scenario.yaml")
    page = write_report(folder).read_text(encoding="utf-8")
    assert "<h2>Warning: the scenario</h2>" in page
    assert "run.days: 7 simulated day(s) (run.warmup_days + run.days) are fewer than the longest ALPR retention" in page
    write_resolved(load_scenario(SCENARIOS / "retention-sweep.yaml"), folder / "resolved_scenario.yaml")
    assert "Warning: the scenario" not in write_report(folder).read_text(encoding="utf-8")
