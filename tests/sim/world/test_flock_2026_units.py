"""Federal units of the real-geography world by identity (`Agencies.unit`), their grants (portals only), and the
portal statistics the calibration rows read (world.json ``sharing.portals``, ``federal_reach[...]["unit"]``)."""

from __future__ import annotations

import numpy as np
import pytest

from sim.config import load_scenario
from sim.model.access import reach_summary
from sim.model.alpr_searches import SearchGenerator
from sim.model.policy_effects import policy_effects
from sim.rng import Streams
from sim.world import build_world
from sim.world.flock_2026_data import SHIPPED, read_nodes
from sim.world.sharing import edge_arrays
from sim.world.summary import partner_counts, summarise
from sim.world.types import FEDERAL
from tests.conftest import SCENARIOS

USPIS = "[Federal] US Postal Inspection Service"


@pytest.fixture(scope="module")
def real():
    scenario = load_scenario(SCENARIOS / "flock-2026-real.yaml", ["world.households.count=2000"])
    return scenario, build_world(scenario)


def test_configured_units_are_found_by_identity_whatever_their_display_name(real) -> None:
    scenario, world = real
    a = world.agencies
    rows = a.unit_index()
    assert set(rows) == set(scenario.world.agencies.federal_units)
    assert a.name[rows["USPIS"]] == USPIS and a.name[rows["ATF"]] == "ATF"  # listed, and added without connections
    assert (a.kind[list(rows.values())] == FEDERAL).all()
    assert (a.unit[a.kind != FEDERAL] == "").all()
    # a listed unit searches at its own sourced rate, not at the federal type's median (it was, by name lookup)
    g = SearchGenerator(world, scenario.behavior.searches, policy_effects(world, scenario.policy),
                        Streams(np.random.SeedSequence(3)))
    own = scenario.behavior.searches.federal_units
    for unit in ("USPIS", "FBI"):
        assert g.rate_per_day[rows[unit]] == pytest.approx(own[unit].per_30d / 30.0)
        assert g.reason_mix[rows[unit]] > 0  # its own reasons (mail theft for USPIS)


def test_grants_to_federal_units_come_from_portals_up_to_their_counts(real) -> None:
    """A federal unit has no portal: the lists see its connections only in portals' lists, so every grant to it is
    a portal's, and the world holds at most its connectionCount of them."""
    scenario, world = real
    a = world.agencies
    src, dst = edge_arrays(world.sharing)
    to_unit = a.kind[dst] == FEDERAL
    assert a.portal[src[to_unit]].all()
    nodes = read_nodes(SHIPPED)
    conn = dict(zip(nodes.name.tolist(), nodes.connections.tolist(), strict=True))
    summary = summarise(world, scenario, reach_summary(world, policy_effects(world, scenario.policy)))
    row = next(r for r in summary["federal_reach"].values() if r["unit"] == "USPIS")
    assert row["granted_portals"] == row["granted"] == world.sharing.in_degree(a.unit_index()["USPIS"])
    assert 0.75 * conn[USPIS] <= row["granted"] <= conn[USPIS]  # repeats with the 2024 grants are dropped
    portals = summary["sharing"]["portals"]
    assert portals["count"] == int((nodes.portal & ~nodes.junk & ~nodes.inactive & (nodes.state != "PR")).sum())
    assert portals["over"] == "agencies with a transparency portal" and portals["partners"]["median"] > 50


def test_partners_count_each_agency_once_whatever_the_direction() -> None:
    # 0 -> 1 and 1 -> 0 (mutual), 0 -> 2, 3 -> 0: agency 0 has three partners, 1, 2 and 3 one each
    src, dst = np.array([0, 1, 0, 3]), np.array([1, 0, 2, 0])
    assert partner_counts(src, dst, 5).tolist() == [3, 1, 1, 1, 0]
