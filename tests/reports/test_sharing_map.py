"""The maps of sharing between states, drawn from world.json's state_sharing (saved by every run)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd

from reports.catalog import big
from reports.charts.reach import state_graph_chart
from reports.charts.sharing_map import focus_sharing_chart, state_sharing_chart
from reports.style import Chart, Skipped
from reports.tables import load_results


def saved_pairs(folder: Path) -> pd.DataFrame:
    world = json.loads((folder / "world.json").read_text())
    return pd.DataFrame(world["state_sharing"]["pairs"])


def test_the_map_draws_every_pair_of_the_saved_table(focus_pair: tuple[Path, Path]) -> None:
    res = load_results(focus_pair[0])
    chart = state_sharing_chart(res)
    assert isinstance(chart, Chart)
    pairs = saved_pairs(focus_pair[0])
    assert chart.data[["owner", "searcher", "links", "open"]].equals(pairs[["owner", "searcher", "links", "open"]])
    in_state = int(pairs.loc[pairs.owner == pairs.searcher, "open"].sum())
    assert chart.title.startswith(f"{big(in_state)} open sharing links stay inside a state")
    assert state_graph_chart(res) is None  # two states: the map stands for one state's agency graph


def test_the_focus_map_counts_links_both_ways_with_each_state(focus_pair: tuple[Path, Path]) -> None:
    chart = focus_sharing_chart(load_results(focus_pair[0]), "NC")
    assert isinstance(chart, Chart)
    pairs = saved_pairs(focus_pair[0]).set_index(["owner", "searcher"])["open"]
    row = chart.data.set_index("state").loc["CA"]
    assert (row.from_state, row.into_state) == (pairs[("NC", "CA")], pairs[("CA", "NC")])
    assert f"{big(pairs[('NC', 'FED')])} links go to federal units" in chart.title


def test_the_focus_map_title_counts_each_direction_apart(focus_pair: tuple[Path, Path]) -> None:
    """California's agencies share with no other state (platform rule: no out-of-state sharing) while North
    Carolina's share with them; the title read "California's agencies share with agencies in 1 other state
    through 0 links out" (national: "in 50 other states through 0 links out and 39,520 in")."""
    pairs = saved_pairs(focus_pair[0]).set_index(["owner", "searcher"])["open"]
    assert pairs[("CA", "NC")] == 0 and pairs[("NC", "CA")] > 0
    chart = focus_sharing_chart(load_results(focus_pair[0]), "CA")
    assert isinstance(chart, Chart)
    assert chart.title.startswith(f"California's agencies share with agencies in 0 other states through 0 links; "
                                  f"agencies in 1 other state share with them through {big(pairs[('NC', 'CA')])};")


def test_a_ban_on_federal_grants_closes_the_states_links_to_federal_units(focus_pair: tuple[Path, Path]) -> None:
    base, ban = (saved_pairs(f).set_index(["owner", "searcher"]) for f in focus_pair)
    assert base.loc[("NC", "FED"), "open"] > 0
    assert ban.loc[("NC", "FED"), "links"] == base.loc[("NC", "FED"), "links"] and ban.loc[("NC", "FED"), "open"] == 0
    assert ban.loc[("NC", "NC"), "open"] == base.loc[("NC", "NC"), "open"]  # in-state sharing untouched


def test_one_state_has_no_map_and_an_old_world_json_gets_a_note(run_dir: Path, focus_pair: tuple[Path, Path],
                                                                 tmp_path: Path) -> None:
    assert state_sharing_chart(load_results(run_dir)) is None  # one state: its agency graph instead
    assert isinstance(state_graph_chart(load_results(run_dir)), Chart)
    old = tmp_path / "old"
    shutil.copytree(focus_pair[0], old)
    world = json.loads((old / "world.json").read_text())
    del world["state_sharing"]
    (old / "world.json").write_text(json.dumps(world))
    for item in (state_sharing_chart(load_results(old)), focus_sharing_chart(load_results(old), "NC")):
        assert isinstance(item, Skipped) and "run the scenario again" in item.reason


def test_the_map_draws_a_world_with_no_links_between_states(focus_pair: tuple[Path, Path], tmp_path: Path) -> None:
    """Under sharing_scope: in_state no link crosses a state line; the map was skipped with "zero-size array to
    reduction operation maximum" (the line widths took the max of no counts)."""
    folder = tmp_path / "in_state"
    shutil.copytree(focus_pair[0], folder)
    world = json.loads((folder / "world.json").read_text())
    pairs = pd.DataFrame(world["state_sharing"]["pairs"])
    assert (pairs.loc[pairs.owner != pairs.searcher, "open"] > 0).any()
    pairs.loc[pairs.owner != pairs.searcher, "open"] = 0
    world["state_sharing"]["pairs"] = pairs.to_dict(orient="list")
    (folder / "world.json").write_text(json.dumps(world))
    chart = state_sharing_chart(load_results(folder))
    assert isinstance(chart, Chart), chart
    assert "0 cross state lines" in chart.title and "most between" not in chart.title


def test_the_lookup_note_counts_private_networks_among_the_owners(focus_pair: tuple[Path, Path]) -> None:
    """lookup_owners counts private networks too: the note read 'opens N of M agencies' reads', N over agencies
    alone."""
    states = json.loads((focus_pair[0] / "world.json").read_text())["state_sharing"]["states"].values()
    owners, agencies, private = (sum(s[k] for s in states) for k in ("lookup_owners", "agencies", "private_networks"))
    assert private > 0
    chart = state_sharing_chart(load_results(focus_pair[0]))
    assert (f"opens the reads of {big(owners)} of the {big(agencies)} agencies and {big(private)} private networks"
            in chart.subtitle)
