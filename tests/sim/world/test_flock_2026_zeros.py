"""How the real-geography world reads portal zeros, per period (sim.world.flock_2026_zeros).

Austin TX PD's program ended on 30 June 2025, yet on the 2025 side (flock-2026-real.yaml, late 2025) it searched
at a drawn rate (~200 per 30 days); Asheville NC PD's portal shows 352,228 vehicles and 0 searches, and the 2026
side ran it at 0 searches, reading a left-out figure as a real 0.
"""

from __future__ import annotations

import numpy as np
import pytest

from sim.cli.main import main
from sim.config import ScenarioError, load_scenario
from sim.rng import Streams
from sim.world.flock_2026_agencies import flock_agencies
from sim.world.flock_2026_data import SHIPPED, read_nodes, read_states
from sim.world.flock_2026_zeros import ended_rows, searches_left_out
from tests.conftest import SCENARIOS


def world_agencies(scenario: str, *overrides: str):
    sc = load_scenario(SCENARIOS / scenario, ["world.states=[TX, NC, OR]", *overrides])
    notes: list[str] = []
    a = flock_agencies(sc.world, Streams(np.random.SeedSequence(1)), read_nodes(SHIPPED), read_states(SHIPPED),
                       notes).agencies
    return a, {str(n): i for i, n in enumerate(a.name)}, notes


def test_a_0_beside_activity_is_left_out_and_an_idle_portals_0_is_stated() -> None:
    portal = np.array([True, True, True, False])
    idle = np.array([True, False, False, False])
    assert searches_left_out(portal, idle, np.array([0, 0, 12, 0])).tolist() == [False, True, False, False]


def test_the_2026_side_draws_a_left_out_count_and_keeps_an_idle_portals_0() -> None:
    a, at, notes = world_agencies("flock-2026-real-rules.yaml")
    assert np.isnan(a.own_searches_30d[at["Asheville NC PD"]])  # 352,228 vehicles, 0 searches: was run at 0
    assert a.own_searches_30d[at["Dallas TX PD"]] == 0  # idle portal: its 0 is stated
    assert a.own_searches_30d[at["Austin TX PD"]] == 0 and a.ended[at["Austin TX PD"]]
    assert a.own_searches_30d[at["Eugene OR PD"]] == 0 and not a.ended[at["Eugene OR PD"]]  # its published 0
    assert a.ended.sum() == 1
    note = next(n for n in notes if n.startswith("flock-2026 portal zeros"))
    assert "search at their published 0" in note and "1 ended before the period" in note


def test_both_sides_build_one_world() -> None:
    """fedsim compare warns when world.* settings differ: the list must be the same on the 2025 and 2026 sides."""
    sides = [load_scenario(SCENARIOS / f).world.flock.ended_before_period
             for f in ("flock-2026-real.yaml", "flock-2026-real-rules.yaml")]
    assert sides[0] == sides[1] == ["Austin TX PD"]


def test_the_2025_side_draws_idle_portals_but_not_a_program_that_had_ended() -> None:
    a, at, notes = world_agencies("flock-2026-real.yaml")
    austin, dallas, eugene = at["Austin TX PD"], at["Dallas TX PD"], at["Eugene OR PD"]
    assert a.ended[austin] and a.own_searches_30d[austin] == 0  # was drawn: ~200 per 30 days
    assert np.isnan(a.own_searches_30d[dallas]) and not a.ended[dallas]  # end not in the data: drawn
    assert np.isnan(a.own_searches_30d[eugene])  # searched through late 2025 (its log): drawn
    assert int(np.isfinite(a.own_searches_30d).sum()) == 1
    note = next(n for n in notes if n.startswith("flock-2026 portal zeros"))
    assert "search at a drawn rate" in note and "(world.flock.ended_before_period: Austin TX PD)" in note


def test_an_ended_agency_not_in_the_lists_is_refused_with_the_closest_names() -> None:
    with pytest.raises(ScenarioError, match="did you mean 'Austin TX PD'"):
        ended_rows(["Austin TX"], ["Austin TX PD"], {"Austin TX PD", "Dallas TX PD"})
    assert ended_rows(["Dallas TX PD"], ["Austin TX PD"], {"Austin TX PD", "Dallas TX PD"}).tolist() == [False]


def test_the_command_line_refuses_an_unknown_name_with_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["world", str(SCENARIOS / "flock-2026-real.yaml"), "--set", "world.states=[TX]",
                 "--set", "world.flock.ended_before_period=[Austin TX]"])
    err = capsys.readouterr().err
    assert code == 2 and "world.flock.ended_before_period" in err and "'Austin TX PD'" in err
    assert "Traceback" not in err
