"""`fedsim run --focus`: the terminal shows the focus's own counts, the same numbers as its by_state / by_agency rows."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.cli.focus_lines import _spreads, focus_lines
from sim.cli.main import main
from sim.results.places import BUSIEST, PLACE_METRICS
from tests.conftest import SCENARIOS


def test_run_with_a_focus_prints_the_states_counts_as_its_csv_holds(tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """`fedsim run --focus TX` printed the national table only; Texas's numbers were in report.html alone."""
    out = tmp_path / "r"
    assert main(["run", str(SCENARIOS / "small.yaml"), "--set", "run.days=2", "--focus", "nc", "-q", "--no-report",
                 "-o", str(out)]) == 0
    text = capsys.readouterr().out
    assert "focus NC, in 2 simulated day(s) (the brief leads with it):" in text
    by_state = pd.read_csv(out / "by_state.csv")
    nc = by_state[by_state.state == "NC"].groupby("metric").value.mean()
    line = next(ln for ln in text.splitlines() if ln.strip().startswith("audit entries from local police and sheriffs"))
    assert line.split()[8] == f"{nc['audit.records_received_local_police_sheriff']:,.0f}"
    line = next(ln for ln in text.splitlines() if ln.strip().startswith("owners open only through proxies"))
    assert line.split()[5] == f"{nc['federal.owners_proxy_only']:,.0f}" and "  [185, 185]  " in line
    assert line.endswith("set by the world: the same in every run")  # the world's draw: one value in every replication


def test_an_agency_focus_reads_its_first_row_and_a_missing_table_prints_nothing() -> None:
    rows = pd.DataFrame({"agency": [3, 3, 9], "name": ["A PD"] * 3, "state": ["NC"] * 3, "replication": [0, 1, 0],
                         "audit.records_received": [10.0, 20.0, 999.0], "federal.units_direct": [1.0, 1.0, 0.0]})
    lines = focus_lines({"agency": "A PD"}, None, rows, 7)
    assert lines[0] == "focus A PD (NC), in 7 simulated day(s) (the brief leads with it):"
    received = next(ln for ln in lines if "reaching its networks" in ln)
    assert received.split()[-3] == "15" and "999" not in received  # rows of agency 3 only: mean of 10 and 20
    assert focus_lines({"state": "NC"}, None, rows, 7) == []


@pytest.mark.parametrize("opens, shown", [([1.0, 1.0], "yes"), ([0.0, 0.0], "no"),
                                          ([1.0, 0.0], "yes in 1 of 2 replications")])
def test_a_yes_no_column_reads_yes_or_no_not_a_count(opens: list[float], shown: str) -> None:
    """`fedsim run --focus-agency` printed 'open to proxy lookups  1  [1, 1]': a yes/no as a count with a CI."""
    rows = pd.DataFrame({"agency": [3, 3], "name": ["A PD"] * 2, "state": ["NC"] * 2, "replication": [0, 1],
                         "audit.records_received": [10.0, 20.0], "federal.proxy_open": opens})
    line = next(ln for ln in focus_lines({"agency": "A PD"}, None, rows, 7) if "open to proxy lookups" in ln)
    assert line.split("open to proxy lookups")[1].strip() == shown


@pytest.mark.parametrize("args, words", [
    (["--tables", "none", "--focus", "NC"], "--focus needs the by_state table(s), which run.tables [] leaves out: add them "
                                            "(--tables by_state)"),
    (["--tables", "by_state", "--focus-agency", "NC PD 0001"], "--focus-agency needs the by_agency table(s), which "
                                                              "run.tables ['by_state'] leaves out"),
])
def test_a_focus_without_its_table_is_refused_before_the_runs(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                              args: list[str], words: str) -> None:
    """--tables none --focus NC ran, then the brief failed ('no by_state table (results written before per-state
    outputs)') with exit 1."""
    out = tmp_path / "r"
    assert main(["run", str(SCENARIOS / "small.yaml"), "--set", "run.days=1", *args, "-q", "-o", str(out)]) == 2
    assert words in capsys.readouterr().err and not out.exists()


def test_run_with_a_focus_agency_prints_the_worlds_lines_on_it(tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    """Austin TX PD's terminal lines read 0 audit entries without saying why: its portal states no cameras."""
    out = tmp_path / "austin"
    assert main(["run", str(SCENARIOS / "flock-2026-real.yaml"), "--set", "world.states=[TX]", "--set",
                 "world.households.count=2000", "--set", "run.days=1", "--set", "run.replications=1",
                 "--focus-agency", "Austin TX PD", "-q", "--no-report", "-o", str(out)]) == 0
    text = capsys.readouterr().out
    assert "focus Austin TX PD (TX)" in text
    assert "Austin TX PD (TX, local_police): 0 cameras in this world" in text
    assert text.index("focus Austin TX PD (TX)") < text.index("as on the portal of a program that has stopped")
    # its program ended on 30 June 2025, before the scenario's late-2025 period: no searches (was drawn, ~200 per 30 days)
    assert "searches: its Flock program had ended before this scenario's period" in text
    rows = pd.read_csv(out / "by_agency.csv")
    austin = rows[rows.name == "Austin TX PD"].iloc[0]
    assert austin.search_rate_source == "ended" and austin.search_rate_30d == 0
    assert (rows.search_rate_source == "ended").sum() == 1


def mean_of(line: str, metric: str) -> str:
    """The mean a focus line prints for `metric` (the first figure after its label)."""
    return line.split(PLACE_METRICS[metric].label, 1)[1].split()[0]


def state_rows(**per_metric: tuple[float, float]) -> pd.DataFrame:
    """by_state rows of NC and CA (one replication): metric -> (NC, CA)."""
    return pd.DataFrame([{"replication": 0, "state": st, "metric": m, "value": v[i]}
                         for m, v in per_metric.items() for i, st in enumerate(("NC", "CA"))])


def test_a_state_focus_shows_what_the_rules_did_only_where_they_acted() -> None:
    """flock-2026 focused on TX printed nothing of the immigration searches moderation could not see or of the audit
    entries redaction left identified; a run without those rules gets no such lines (identified entries are then
    every entry, moderation's counts 0)."""
    rules = state_rows(**{"audit.records_received": (500.0, 900.0), "audit.owner_entries_identified": (40.0, 70.0),
                          "search.moderation.unseen_blocked": (0.0, 6.0), "search.moderation.blocked": (0.0, 0.0)})
    lines = focus_lines({"state": "NC"}, rules, None, 7)
    unseen = next(ln for ln in lines if ln.strip().startswith("searches for a blocked purpose moderation could not"))
    identified = next(ln for ln in lines if ln.strip().startswith("audit entries still showing who searched"))
    assert mean_of(unseen, "search.moderation.unseen_blocked") == "0"  # NC's own: 0 unseen there, CA's 6 elsewhere
    assert mean_of(identified, "audit.owner_entries_identified") == "40"
    assert not any("searches blocked by moderation" in ln for ln in lines)
    plain = state_rows(**{"audit.records_received": (500.0, 900.0), "audit.owner_entries_identified": (500.0, 900.0),
                          "search.moderation.unseen_blocked": (0.0, 0.0)})
    assert not any("moderation" in ln or "who searched" in ln for ln in focus_lines({"state": "NC"}, plain, None, 7))


def test_a_state_focus_flags_a_figure_varying_a_lot_and_not_a_steady_one() -> None:
    """`fedsim run --focus OR` gave Oregon's searches (35% between replications over 40) a mean and CI as Texas's
    (11%), and said nothing of its busiest agency."""
    rows = pd.DataFrame([{"replication": r, "state": "NC", "metric": m, "value": v}
                         for m, values in {"audit.records_received": (100.0, 160.0, 60.0),
                                           "audit.records_received_local_police_sheriff": (100.0, 104.0, 97.0),
                                           "federal.owners_direct": (51.0, 51.0, 51.0),
                                           BUSIEST: (0.1, 0.2, 0.3)}.items()
                         for r, v in enumerate(values)])
    lines = focus_lines({"state": "NC"}, rows, None, 7)
    assert lines[1].endswith("run to run")
    row = {m: next(ln for ln in lines if ln.strip().startswith(PLACE_METRICS[m].label + " "))
           for m in ("audit.records_received", "audit.records_received_local_police_sheriff", "federal.owners_direct")}
    assert row["audit.records_received"].endswith("  varies a lot: 47% (64 to 154)")
    assert row["audit.records_received_local_police_sheriff"].endswith("  4% (97.3 to 104)")
    assert row["federal.owners_direct"].endswith("  set by the world: the same in every run")
    text = "\n".join(lines)
    assert "  varies a lot from run to run (its replications' standard deviation is over 25% of their mean" in text
    assert "docs/running.md" in text and "  set by the world (agencies, cameras" in text
    assert lines[-1] == "  its busiest agency runs 20% of NC's searches on average (11% to 29% over the replications)"
    # an older folder, without the busiest agency's share: said, not left out
    older = pd.concat([rows[rows.metric != BUSIEST], pd.DataFrame(
        [{"replication": r, "state": "NC", "metric": "alpr.searches", "value": 10.0 + r} for r in range(3)])])
    assert focus_lines({"state": "NC"}, older, None, 7)[-1] == \
        "  share of NC's searches its busiest agency ran: not in this folder (written by an older fedsim)"


def test_spreads_without_a_by_state_table_are_none() -> None:
    assert _spreads("NC", None, None, {"alpr.searches": np.array([1.0, 2.0])}, None) == {}
