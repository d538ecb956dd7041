"""`fedsim sensitivity`: the parameter with a known strong effect on a metric ranks first; bad input exits 2."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from sim.cli.main import main
from sim.results.layout import SENSITIVITY, point_dir
from sim.results.read import read_by_state
from sim.results.sweep import read_sweep_table
from sim.sensitivity.analysis import named_response
from tests.conftest import SCENARIOS

SMALL = str(SCENARIOS / "small.yaml")
PROXY = "behavior.searches.proxy_agency_share"  # lookups for federal units: more agencies, more
PARAMS = f"{PROXY},behavior.alpr.misread_share,behavior.optin.trust_sd"


def run(tmp_path: Path, *extra: str) -> pd.DataFrame:
    code = main(["sensitivity", SMALL, "--set", "run.days=3", "--params", PARAMS, "--workers", "2", "-q",
                 "-o", str(tmp_path), *extra])
    assert code == 0
    return pd.read_csv(tmp_path / SENSITIVITY)


def first(table: pd.DataFrame, metric: str) -> str:
    rows = table[table["metric"] == metric].sort_values("rank")
    return str(rows["parameter"].iloc[0])


def test_morris_ranks_the_proxy_rate_first_for_proxy_searches_and_trust_for_clips(tmp_path: Path) -> None:
    table = run(tmp_path, "--samples", "8", "--method", "morris")
    assert set(table["index"]) == {"mu_star"}
    assert first(table, "alpr.searches_federal_proxy") == PROXY
    assert first(table, "optin.rate") == "behavior.optin.trust_sd"
    proxy = table[(table["metric"] == "alpr.searches_federal_proxy") & (table["parameter"] == PROXY)].iloc[0]
    assert 0 < proxy["low"] <= proxy["value"] <= proxy["high"]
    # outcome metrics only: no input echo or load metric gets a row
    assert "audit.records" not in set(table["metric"]) and "search.wait_p95_s" not in set(table["metric"])
    # the report draws the tornado from the saved table and includes the section
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "How much the answer depends on what we assumed" in page
    assert '<a href="sensitivity.csv">sensitivity.csv</a>' in page  # the whole table, linked
    for ext in ("png", "svg", "csv"):
        assert (tmp_path / "charts" / f"sensitivity_alpr_searches_federal_proxy.{ext}").is_file()
    drawn = pd.read_csv(tmp_path / "charts" / "sensitivity_alpr_searches_federal_proxy.csv")
    assert drawn["parameter"].iloc[0] == PROXY


def test_lhs_rank_correlation_of_the_proxy_rate_is_strong(tmp_path: Path) -> None:
    # Proxy lookups come from a few randomly chosen agencies at heavy-tailed rates, so over 3-day runs of a small
    # world the rank correlation is clear but not near 1 (0.60, interval 0.12-0.87, with 20 samples).
    table = run(tmp_path, "--samples", "20", "--method", "lhs", "--no-report")
    assert first(table, "alpr.searches_federal_proxy") == PROXY
    row = table[(table["metric"] == "alpr.searches_federal_proxy") & (table["parameter"] == PROXY)].iloc[0]
    assert row["value"] > 0.5 and row["low"] > 0


@pytest.mark.parametrize("args, words", [
    (["--params", "behavior.nope,behavior.alpr.misread_share"], "'behavior.nope' has no declared range"),
    (["--params", PROXY], "at least 2 parameters"),
    (["--method", "sobol"], "--method must be one of morris, lhs, got 'sobol'"),
    (["--samples", "0"], "--samples must be a positive whole number"),
    (["--method", "lhs", "--samples", "4"], "at least 8 runs"),
])
def test_bad_input_exits_2_naming_the_option(tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str],
                                              words: str) -> None:
    assert main(["sensitivity", SMALL, "-q", "-o", str(tmp_path), *args]) == 2
    assert words in capsys.readouterr().err
    assert not (tmp_path / SENSITIVITY).exists()


def test_the_default_folder_is_beside_the_scenarios_run_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without -o the design went to out/small/, the folder `fedsim run scenarios/small.yaml` writes: a later
    run mixed its tables into the sweep's, and its report drew the stale tornado charts."""
    monkeypatch.chdir(tmp_path)
    assert main(["sensitivity", SMALL, "--set", "run.days=1", "--params", PARAMS, "--samples", "8", "--workers", "2",
                 "-q", "--no-report"]) == 0
    assert (tmp_path / "out" / "small-sensitivity" / SENSITIVITY).is_file()
    assert not (tmp_path / "out" / "small").exists()


def test_a_budget_below_morris_floor_is_said_before_the_runs(monkeypatch: pytest.MonkeyPatch,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    """--samples 16 on small.yaml's 47 ranges ran 96 runs (2 trajectories of 48) and said so only at the end."""
    import sim.cli.cmd_sensitivity as cmd

    class Stop(Exception):
        pass

    def stop(*args: object, **kwargs: object) -> None:
        raise Stop

    monkeypatch.setattr(cmd, "sweep", stop)
    with pytest.raises(Stop):
        main(["sensitivity", SMALL, "--params", PARAMS, "--samples", "4", "-q"])
    assert ("--samples 4 is fewer runs than Morris needs for 3 parameters (at least 2 trajectories of 4 runs): "
            "running 8 runs; name fewer parameters with --params to run fewer") in capsys.readouterr().err
    with pytest.raises(Stop):
        main(["sensitivity", SMALL, "--params", PARAMS, "--samples", "8", "-q"])
    assert "fewer runs than Morris needs" not in capsys.readouterr().err


def test_a_states_figure_named_with_metric_is_analysed_first_from_each_points_by_state(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--metric took whole-run metrics only under --replications auto, and sensitivity refused it: a user could not
    ask which assumptions move the proxy lookups' audit entries in their state."""
    name = "audit.records_received_proxy.NC"
    table = run(tmp_path, "--samples", "8", "--method", "lhs", "--no-report", "--metric", name)
    assert first(table, name) == PROXY  # more proxy agencies, more entries from their lookups in the state
    printed = [x.strip() for x in capsys.readouterr().out.splitlines() if x.startswith("  ")]
    assert printed[0].startswith(f"{name}: {PROXY} ")  # printed first
    # the values analysed are each point's by_state row, read here on their own
    ys = named_response(tmp_path, read_sweep_table(tmp_path), 8, name)
    for i, y in enumerate(ys):
        t = read_by_state(point_dir(tmp_path, i))
        assert y == t[(t["state"] == "NC") & (t["metric"] == "audit.records_received_proxy")]["value"].item()
    assert len(set(ys)) > 1


@pytest.mark.parametrize("args, words", [
    (["--metric", "audit.records_received_proxy.TX"], "TX has no agencies in this scenario's world; states present: NC"),
    (["--metric", "audit.records_received_proxi.NC"], "did you mean audit.records_received_proxy.NC"),
    (["--metric", "audit.records_received_proxy.NC", "--tables", "by_agency"], "is read from each point's by_state"),
])
def test_a_bad_metric_exits_2_before_the_runs(tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str],
                                               words: str) -> None:
    assert main(["sensitivity", SMALL, "--params", PARAMS, "--samples", "8", "-q", "-o", str(tmp_path / "s"),
                 *args]) == 2
    assert words in capsys.readouterr().err
    assert not (tmp_path / "s").exists()
