"""One agency's own lines (`fedsim world --focus-agency`, `sim.world.summary_agency`) and its proxy channel.

A city's staffer asking about Austin TX PD read only Texas's lines from `fedsim world --focus-agency`, and a brief
that answered "who can search its 469 cameras" for an agency whose portal states none (all filled by an assumption).
"""

from __future__ import annotations

import pytest

from sim.config import load_scenario
from sim.world import build_world
from sim.world.summary_agency import agency_summary, agency_text
from tests.conftest import SCENARIOS

SCENARIO = SCENARIOS / "flock-2026-real.yaml"


@pytest.fixture(scope="module")
def tx_nc():
    scenario = load_scenario(SCENARIO, ["world.states=[TX, NC]", "world.households.count=2000"])
    return scenario, build_world(scenario)


def test_one_agencys_lines_say_where_its_cameras_come_from(tx_nc) -> None:
    scenario, world = tx_nc
    names = world.agencies.name.tolist()
    austin = agency_summary(world, scenario, names.index("Austin TX PD"))
    assert austin["cameras"] == 0 and austin["portal"]["cameras_stated"] == 0
    text = agency_text(austin)
    assert "Austin TX PD (TX, local_police): 0 cameras in this world" in text
    assert "0 cameras, 0 searches, 0 vehicles captured, 0 hotlist hits per 30 days" in text
    assert "as on the portal of a program that has stopped" in text and "(it owns none)" in text
    dallas = agency_summary(world, scenario, names.index("Dallas TX PD"))
    assert sum(dallas["shares_with_by_type"].values()) == dallas["shares_with"] > 0  # who, by type
    words = ", ".join(f"{k.replace('_', ' ')} {v:,}" for k, v in dallas["shares_with_by_type"].items())
    assert words.replace("sheriff ", "sheriffs ").replace("federal ", "federal units ") in agency_text(dallas)
    asheville = agency_summary(world, scenario, names.index("Asheville NC PD"))
    r = asheville["cameras_by_route"]
    line = agency_text(asheville)
    assert "cameras not stated, 0 searches, 352,228 vehicles captured" in line
    assert f"{r['filled']:,} filled by world.flock.fill" in line and "program that has stopped" not in line
    # whose cameras stand around Austin: others', largest first, summing to what is there
    nb = austin["nearby"]
    assert nb["cameras"] > 0 and "Austin TX PD" not in [name for name, _ in nb["top"]]
    assert [n for _, n in nb["top"]] == sorted((n for _, n in nb["top"]), reverse=True)
    assert f"the world's {nb['cameras']:,} cameras within 15 km of it belong to {nb['owners']:,} owners" in text


def test_an_agency_without_cameras_is_not_open_to_proxy_lookups() -> None:
    """by_agency's federal.proxy_open said 1 ('open to proxy lookups: yes') for Austin TX PD, which owns no camera."""
    from sim import run

    sc = load_scenario(SCENARIO, ["world.states=[TX]", "world.households.count=2000", "run.days=1",
                                  "run.replications=1"])
    rows = run(sc).table("by_agency")
    austin = rows[rows["name"] == "Austin TX PD"]
    assert len(austin) == 1 and float(austin["cameras"].iloc[0]) == 0
    assert float(austin["federal.proxy_open"].iloc[0]) == 0
    owners = rows[rows["cameras"] > 0]
    assert owners["federal.proxy_open"].sum() > 0.5 * len(owners)  # the column still says yes where it can
    assert (rows.loc[rows["cameras"] == 0, "federal.proxy_open"] == 0).all()


def test_a_synthetic_agency_has_no_portal_lines_and_one_owner_reads_singular() -> None:
    scenario = load_scenario(SCENARIOS / "small.yaml")
    world = build_world(scenario)
    i = world.agencies.name.tolist().index("NC PD 0002")
    s = agency_summary(world, scenario, i)
    assert s["portal"] is None and "cameras_by_route" not in s
    text = agency_text(s)
    assert "transparency portal" not in text and "OpenStreetMap" not in text
    if s["nearby"]["owners"] == 1:  # 'NC PD 0002' read "belong to 1 owners"
        assert "belong to 1 owner: " in text
    assert f"NC PD 0002 (NC, local_police): {s['cameras']:,} cameras in this world" in text
