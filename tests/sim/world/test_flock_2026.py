"""The real-geography world (world.source: flock-2026): agencies, cameras by route, people by state, sharing."""

from __future__ import annotations

import json
from collections import Counter

import numpy as np
import pytest

from sim.config import ScenarioError, load_scenario
from sim.geo.states import STATE_CODES
from sim.world import build_world
from sim.world.flock_2026_cameras import ROUTES
from sim.world.flock_2026_data import SHIPPED, read_nodes, read_states
from sim.world.sharing import edge_arrays
from sim.world.summary import geography
from sim.world.types import FEDERAL, PRIVATE
from tests.conftest import SCENARIOS

SCENARIO = SCENARIOS / "flock-2026-real.yaml"


@pytest.fixture(scope="module")
def real():
    scenario = load_scenario(SCENARIO, ["world.households.count=20000"])
    return scenario, build_world(scenario)


def test_every_kept_agency_appears_once_with_a_valid_state(real) -> None:
    scenario, world = real
    nodes = read_nodes(SHIPPED)
    a = world.agencies
    kept = ~nodes.junk & ~nodes.inactive & (nodes.state != "PR")
    f = world.source_figures["agencies"]
    added = f["federal_units_added"]
    agency = a.kind != PRIVATE  # private networks (OSM operators): tests/sim/world/test_flock_2026_private.py
    assert Counter(a.name[agency].tolist()) == Counter(nodes.name[kept].tolist()) + Counter(added)
    # configured units that are in the lists are those nodes, not duplicates (baseline names USPIS and FBI)
    assert f["federal_units_found"].get("USPIS") == "[Federal] US Postal Inspection Service"
    assert "USPIS" not in added and set(added) | set(f["federal_units_found"]) == set(scenario.world.agencies.federal_units)
    local = a.kind != FEDERAL
    assert ((a.state[local] >= 0) & (a.state[local] < len(STATE_CODES))).all()
    assert (a.state[~local] == -1).all()
    # a node without a state in the data is placed by its point: "Coulee Dam PD" (WA)
    coulee = a.name.tolist().index("Coulee Dam PD")
    assert STATE_CODES[a.state[coulee]] == "WA"
    assert np.isnan(a.searches_30d[~np.isin(a.name, nodes.name[nodes.portal])]).all()
    assert f["kept"] + sum(f["dropped"].values()) == f["nodes"] == len(nodes)
    assert f["kept"] == int(agency.sum()) - len(added)
    assert f["dropped"]["flagged junk (demo, duplicate, do-not-use accounts)"] == 37


def test_every_mapped_camera_is_assigned_or_counted_with_a_reason(real) -> None:
    scenario, world = real
    f = world.source_figures["cameras"]
    assert f["osm_cameras"] == 61_768
    assert f["mapped"] + sum(f["unassigned"].values()) == f["osm_cameras"]
    assert all(reason and n > 0 for reason, n in f["unassigned"].items())
    assert sum(f["routes"].values()) == f["total"] == len(world.cameras) == scenario.world.alpr.total
    assert f["routes"]["operator"] > 8_000 and f["routes"]["nearest"] > 40_000  # most OSM cameras are used
    assert (world.agencies.cameras == np.bincount(world.cameras.owner, minlength=len(world.agencies))).all()
    assert (world.agencies.cameras[world.agencies.kind == FEDERAL] == 0).all()
    assert np.all(np.diff(world.cameras.owner) >= 0)  # ordered by owner


def test_portal_camera_counts_are_respected(real) -> None:
    _, world = real
    nodes = read_nodes(SHIPPED)
    stated = {str(nm): int(c) for nm, c, p in zip(nodes.name, nodes.cameras, nodes.portal, strict=True) if p and c > 0}
    a = world.agencies
    names = a.name.tolist()
    checked = [(nm, c) for nm, c in stated.items() if names.count(nm) == 1]
    assert len(checked) > 750
    assert all(a.cameras[names.index(nm)] == c for nm, c in checked)


def test_per_state_cameras_match_deflock_counts_within_the_stated_tolerance() -> None:
    """Tolerance (docs/world.md): a state short of DeFlock's cameraCount is raised to floor(q * count) with the
    common share q the total allows (q ~0.97 at 80,000), so |world - count| <= (1 - q) * count + 1; a state whose
    mapped and portal cameras alone exceed its count gets nothing filled. States without agencies get none."""
    world = build_world(load_scenario(SCENARIO, ["world.households.count=2000", "world.alpr.total=80000",
                                                 "world.flock.unmapped_private=0"]))
    q = world.source_figures["cameras"]["fill_share_of_state_counts"]
    assert 0.95 < q <= 1.0
    over = []
    for row in world.source_figures["per_state"]:
        count, cams = row["deflock_camera_count"], row["cameras"]
        assert cams == sum(row[f"cameras_{r}"] for r in ROUTES)
        if row["agencies"] == 0:
            assert cams == 0
        elif row["cameras_filled"] > 0 or cams <= count:
            assert abs(cams - count) <= (1 - q) * count + 1, row
        else:
            over.append(row["state"])
    assert len(over) <= 8  # states where portal counts exceed DeFlock's map count (CA, VA, NC, RI, ...)
    shapes = read_states(SHIPPED)
    within = sum(abs(r["cameras"] - r["deflock_camera_count"]) <= 0.05 * r["deflock_camera_count"] + 2
                 for r in world.source_figures["per_state"] if r["agencies"])
    assert within >= 40 and len(shapes.code) == 52


def test_people_follow_state_population(real) -> None:
    scenario, world = real
    shapes = read_states(SHIPPED)
    idx = shapes.index()
    nb = np.bincount(world.neighborhoods.state, minlength=len(STATE_CODES))
    has = nb > 0
    pop = np.array([shapes.population[idx[c]] for c in STATE_CODES], dtype=float) * has
    share = nb / nb.sum()
    assert np.all(np.abs(share - pop / pop.sum()) <= 1.0 / scenario.world.neighborhoods + 1e-12)
    assert not has[STATE_CODES.index("AK")] and has.sum() >= 48  # Alaska has no agency in the lists
    hh_state = world.neighborhoods.state[world.households.neighborhood]
    assert len(world.households) == 20_000 and (hh_state >= 0).all()
    assert (world.neighborhoods.state == world.agencies.state[world.neighborhoods.agency]).all()


def test_sharing_follows_connection_counts_and_keeps_2024_grants(real) -> None:
    _, world = real
    f = world.source_figures["sharing"]
    assert f["edges_2024_kept"] > 30_000 and f["edges_2024_read"] == 37_099
    assert 0.6 < f["connections_achieved"] / f["connections_target"] <= 1.0
    src, dst = edge_arrays(world.sharing)
    a = world.agencies
    assert not (a.kind[src] == FEDERAL).any()  # federal units receive, never share
    partners = np.bincount(src, minlength=len(a)) + np.bincount(dst, minlength=len(a))
    nodes = read_nodes(SHIPPED)
    conn = dict(zip(nodes.name.tolist(), nodes.connections.tolist(), strict=True))
    names = a.name.tolist()
    usps = names.index("[Federal] US Postal Inspection Service")
    assert 100 <= world.sharing.in_degree(usps) <= conn["[Federal] US Postal Inspection Service"]
    target = np.array([conn.get(nm, 0) for nm in names], dtype=float)
    ranks = np.argsort(np.argsort(target)), np.argsort(np.argsort(partners))
    assert np.corrcoef(*ranks)[0, 1] > 0.8


def test_a_fleet_beyond_the_state_counts_takes_every_state_to_one_multiple_of_its_count(real) -> None:
    """world.flock.fill state_share (the default) at the fitted total (138,053, above the states' summed counts):
    every state with agencies holds the same multiple q > 1 of DeFlock's cameraCount (within a camera), or what its
    mapped and portal cameras already give it if that is more; nothing goes by population."""
    _, world = real
    q = world.source_figures["cameras"]["fill_share_of_state_counts"]
    assert 1.5 < q < 2.0  # 138,053 cameras over 77,863 counted ones, less the states already above
    rows = [r for r in world.source_figures["per_state"] if r["agencies"]]
    for r in rows:
        have = r["cameras"] - r["cameras_filled"]
        assert abs(r["cameras"] - max(have, q * r["deflock_camera_count"])) <= 1, r["state"]
    pa, vt = (next(r for r in rows if r["state"] == s) for s in ("PA", "VT"))
    assert pa["cameras"] < 2 * pa["deflock_camera_count"] and vt["cameras"] < 2 * vt["deflock_camera_count"]


def test_a_fleet_beyond_the_state_counts_reaches_every_count_and_spreads_the_rest_by_population() -> None:
    """world.flock.fill state_counts: every state with agencies reaches DeFlock's cameraCount first; what is left is
    shared by population (Hamilton's method: within one camera)."""
    scenario = load_scenario(SCENARIO, ["world.households.count=2000", "world.flock.fill=state_counts"])
    world = build_world(scenario)
    assert world.source_figures["cameras"]["fill_share_of_state_counts"] == 1.0
    rows = [r for r in world.source_figures["per_state"] if r["agencies"]]
    have = {r["state"]: r["cameras"] - r["cameras_filled"] for r in rows}
    extra = {r["state"]: r["cameras_filled"] - max(r["deflock_camera_count"] - have[r["state"]], 0) for r in rows}
    assert all(r["cameras"] >= r["deflock_camera_count"] for r in rows) and min(extra.values()) >= 0
    pop = sum(r["population"] for r in rows)
    rest = sum(extra.values())
    assert rest > 10_000
    assert all(abs(extra[r["state"]] - rest * r["population"] / pop) <= 1 for r in rows)


def test_summary_reports_routes_and_states(real) -> None:
    _, world = real
    g = geography(world)
    c = g["cameras"]
    assert c["mapped"] == c["mapped_by_operator"] + c["mapped_nearest"] + c["mapped_private"]
    assert c["total"] == c["mapped"] + c["portal"] + c["filled"] + c["private_unmapped"] and c["private_unmapped"] > 5_000
    assert g["states"] >= 48 and g["households"] == 20_000
    row = next(r for r in g["per_state"] if r["state"] == "TX")
    assert row["cameras_per_100k"] == pytest.approx(1e5 * row["cameras"] / row["population"], abs=1e-3)
    assert "OpenStreetMap contributors" in g["credit"]
    assert set(ROUTES) == {"operator", "nearest", "portal", "filled", "private", "private_unmapped"}


def test_one_state_world_and_determinism() -> None:
    scenario = load_scenario(SCENARIO, ["world.states=[NC]", "world.households.count=2000", "world.alpr.total=2500"])
    w1, w2 = build_world(scenario), build_world(scenario)
    a = w1.agencies
    assert set(np.unique(a.state[a.kind != FEDERAL])) == {STATE_CODES.index("NC")}
    assert len(w1.cameras) == 2500 or w1.source_figures["cameras"]["routes"]["filled"] == 0
    assert (w1.cameras.owner == w2.cameras.owner).all() and np.array_equal(w1.cameras.x_m, w2.cameras.x_m)
    assert w1.sharing.number_of_edges() == w2.sharing.number_of_edges()
    assert "outside world.states" in w1.source_figures["cameras"]["unassigned"]


@pytest.mark.parametrize(("override", "message"), [
    ("world.sharing.source=private_eyes", "world.source flock-2026 draws its own sharing graph"),
    ("world.flock.types={pd: constable}", "types must map each of"),  # merged over the defaults: an unknown type
    ("world.flock.fill=counties", "world.flock.fill"),
])
def test_bad_flock_settings_are_scenario_errors(override: str, message: str) -> None:
    with pytest.raises(ScenarioError, match=message):
        load_scenario(SCENARIO, [override])


def test_missing_data_folder_is_a_scenario_error(tmp_path) -> None:
    scenario = load_scenario(SCENARIO, [f"world.flock.data={tmp_path}"])
    with pytest.raises(ScenarioError, match="world.flock.data: file not found"):
        build_world(scenario)


def test_a_world_of_some_states_fills_up_to_their_share_of_the_national_total() -> None:
    scenario = load_scenario(SCENARIO, ["world.states=[NC,SC]", "world.households.count=1000"])
    world = build_world(scenario)
    shapes = read_states(SHIPPED)
    counts = dict(zip(shapes.code, shapes.camera_count.tolist(), strict=True))
    share = (counts["NC"] + counts["SC"]) / sum(v for c, v in counts.items() if c in STATE_CODES)  # PR not modelled
    assert world.source_figures["cameras"]["routes"]["filled"] > 0
    assert len(world.cameras) == round(scenario.world.alpr.total * share)  # not all 80,000 in two states


def test_fedsim_world_json_reports_routes_and_states(capsys: pytest.CaptureFixture[str]) -> None:
    from sim.cli.main import main

    assert main(["world", str(SCENARIO), "--json", "--set", "world.households.count=3000"]) == 0
    s = json.loads(capsys.readouterr().out)
    g = s["geography"]
    assert s["source"] == "flock-2026" and g["agencies"] == s["agencies"]["total"] and g["households"] == 3000
    assert {"mapped", "portal", "filled", "total"} <= set(g["cameras"]) and g["cameras"]["total"] == s["alpr_cameras"]
    assert len(g["per_state"]) == len(STATE_CODES) and g["states"] >= 48
    assert {"state", "agencies", "cameras", "population", "cameras_per_100k"} <= set(g["per_state"][0])
    assert sum(r["cameras"] for r in g["per_state"]) == s["alpr_cameras"]


def test_portals_partners_follow_their_connection_counts_into_the_tail(real) -> None:
    """The portals' partners against their connectionCount at every quantile the calibration rows read. A plain
    configuration model saturates above ~sqrt(summed counts) ~ 720 partners (p90 703 against 1,136); the hubs now
    take pairs of others (flock_2026_sharing._rewire_hubs), so the tail is the data's."""
    _, world = real
    s = summarise_sharing(world)
    nodes = read_nodes(SHIPPED)
    kept = nodes.portal & ~nodes.junk & ~nodes.inactive & (nodes.state != "PR")
    for q in (25, 50, 75, 90):
        target = float(np.percentile(nodes.connections[kept], q))
        assert abs(s[q] - target) <= 0.1 * target, (q, s[q], target)
    assert world.source_figures["sharing"]["rewired_pairs"] > 10_000


def summarise_sharing(world) -> dict[int, float]:
    a = world.agencies
    src, dst = edge_arrays(world.sharing)
    n = len(a)
    pairs = np.unique(np.minimum(src, dst).astype(np.int64) * n + np.maximum(src, dst))
    partners = np.bincount(pairs // n, minlength=n) + np.bincount(pairs % n, minlength=n)
    portals = a.portal & (a.kind != FEDERAL) & (a.kind != PRIVATE)
    return {q: float(np.percentile(partners[portals], q)) for q in (25, 50, 75, 90)}
