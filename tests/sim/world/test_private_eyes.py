"""The real-data loader on the shipped files and on malformed copies."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import numpy as np
import pytest

from sim.config import ScenarioError, load_scenario
from sim.geo.states import STATE_CODES
from sim.model.access import reach_summary
from sim.model.policy_effects import policy_effects
from sim.world import build_world
from sim.world.private_eyes import SHIPPED, read_portal_data
from sim.world.sharing import edge_arrays
from sim.world.summary import summarise
from sim.world.types import FEDERAL, LOCAL
from tests.conftest import SCENARIOS


def test_shipped_files_parse_completely() -> None:
    data = read_portal_data(SHIPPED)
    assert len(data.edges) == 37_099
    assert len({s for s, _ in data.edges}) == 224
    assert len(data.portals) == 365
    assert not any("skipped" in note for note in data.notes)
    assert any("without a usable retention" in note for note in data.notes)  # NA and "-Infinity days"
    assert (SHIPPED / "LICENSE").is_file() and "News & Observer" in (SHIPPED / "README.md").read_text()


@pytest.fixture(scope="module")
def real_world():
    scenario = load_scenario(SCENARIOS / "private-eyes.yaml", ["world.households.count=5000"])
    return scenario, build_world(scenario)


def test_private_eyes_scenario_builds_the_real_federation(real_world) -> None:
    scenario, world = real_world
    a = world.agencies
    assert world.sharing.number_of_edges() == 37_099
    src, _ = edge_arrays(world.sharing)
    assert len(np.unique(src)) == 224
    names = list(a.name)
    syl = names.index("Sylvania OH PD")
    assert a.kind[syl] == LOCAL and STATE_CODES[a.state[syl]] == "OH"
    assert a.cameras[syl] == 15 and a.retention_days[syl] == 30 and not a.defaulted[syl]
    assert a.searches_30d[syl] == 78 and a.vehicles_30d[syl] == 302_558
    with (SHIPPED / "agency_access20240426.csv").open(encoding="utf-8") as fh:
        listed = sum(1 for row in csv.DictReader(fh) if row["src_agency"] == "Sylvania OH PD")
    assert world.sharing.out_degree(syl) == listed > 100
    fbi = names.index("FBI")
    assert a.kind[fbi] == FEDERAL and a.state[fbi] == -1 and a.cameras[fbi] == 0
    assert world.sharing.in_degree(fbi) == 30  # the data's grants (13% of the 224 listing agencies)
    rows = a.unit_index()  # configured units: the data's nodes where it names them, the others added
    assert set(rows) == set(scenario.world.agencies.federal_units) and rows["FBI"] == fbi
    assert a.name[rows["USPIS"]] == "US Postal Inspection Service" and "USPIS" not in names
    assert a.name[rows["ATF"]] == "ATF Nashville TN"
    assert world.sharing.in_degree(rows["USPIS"]) > 100  # 49% of the 224 listing agencies grant it (N&O 2024)
    for unit in set(rows) - {"USPIS", "FBI", "ATF"}:
        assert a.name[rows[unit]] == unit and world.sharing.in_degree(rows[unit]) == 0
    external_only = names.index("Adrian MI PD")
    assert a.defaulted[external_only] and np.isnan(a.searches_30d[external_only])
    assert a.cameras.sum() == scenario.world.alpr.total  # known portal counts, the rest shared out by default
    assert (a.state[a.kind != FEDERAL] >= 0).all()
    assert len(world.households) == 5000 and len(world.cameras) == a.cameras.sum()
    assert any("agencies without a state" in n for n in world.notes)


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "pe"
    shutil.copytree(SHIPPED, folder)
    for p in folder.iterdir():
        p.chmod(0o644)
    return folder


def _append(path: Path, rows: list[list[str]]) -> None:
    with path.open("a", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)


def test_malformed_copies_are_tolerated_and_reported(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    _append(folder / "agency_access20240426.csv", [
        ["Sylvania OH PD", "Adrian MI PD", "2459", "14"],  # duplicate
        ["Sylvania OH PD", "Sylvania OH PD", "2459", "2459"],  # self-loop
        ["Sylvania OH PD", "Somewhere", "2459", "x12"],  # non-integer id
        ["too", "few", "fields"],
        ["Sylvania OH PD", "Newtown ZZ Task Force", "2459", "999999"],  # id not in the agency file, named here
    ])
    _append(folder / "agency20240426.csv", [["abc", "Bad Id PD", "NA"]])
    usage = folder / "latest_usage04262023.csv"
    rows = list(csv.reader(usage.open(encoding="utf-8")))
    header = rows[0]
    syl = next(r for r in rows if r[header.index("agency")] == "Sylvania OH PD")
    syl[header.index("data_retention_in_days")] = "forever"
    syl[header.index("number_of_owned_cameras")] = "-3"
    with usage.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows + [["NA"] * len(header)])
    data = read_portal_data(folder)
    notes = "\n".join(data.notes)
    assert len(data.edges) == 37_100  # the one new, named edge
    assert "skipped 2 self-loops and duplicate edges" in notes
    assert "skipped 1 edge rows without integer ids" in notes
    assert "skipped 1 edge rows with the wrong number of fields" in notes
    assert "skipped 1 agency rows without an integer id and a name" in notes
    assert "skipped 1 portal rows without a usable integer id" in notes
    assert "1 ids missing from the agency file" in notes
    assert data.portals[2459]["retention"] is None and data.portals[2459]["cameras"] is None
    assert data.names[999999] == "Newtown ZZ Task Force"


def test_folder_source_builds_and_defaults_bad_values(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    scen = tmp_path / "mine.yaml"
    scen.write_text(f"name: mine\nextends: {SCENARIOS / 'private-eyes.yaml'}\n"
                    "world:\n  households:\n    count: 2000\n  sharing:\n    source: pe\n", encoding="utf-8")
    scenario = load_scenario(scen)
    assert scenario.world.sharing.source == str(folder)
    world = build_world(scenario)
    assert world.sharing.number_of_edges() == 37_099


@pytest.mark.parametrize("damage", ["missing_file", "missing_column", "not_a_folder"])
def test_broken_sources_raise_scenario_errors(tmp_path: Path, damage: str) -> None:
    folder = _copy(tmp_path)
    if damage == "missing_file":
        (folder / "latest_usage04262023.csv").unlink()
        match = "no file matching latest_usage"
    elif damage == "missing_column":
        path = folder / "agency_access20240426.csv"
        lines = path.read_text(encoding="utf-8").splitlines()
        path.write_text("\n".join(["src,external_agency,src_agency_id,external_agency_id"] + lines[1:]), encoding="utf-8")
        match = r"missing columns \['src_agency'\]"
    else:
        folder = tmp_path / "nowhere"
        match = "is not a folder"
    with pytest.raises(ScenarioError, match=match):
        read_portal_data(folder)


def test_summary_reads_the_portals_that_list_their_sharing_as_the_2024_figures_do(real_world) -> None:
    """The 2024 out-degree (median 128) and grants (USPIS by 110 of 224) describe the 224 portals that list their
    sharing: world.json's ``sharing.portals`` and ``granted_portals`` read that population, and USPIS by identity."""
    scenario, world = real_world
    s = summarise(world, scenario, reach_summary(world, policy_effects(world, scenario.policy)))
    portals = s["sharing"]["portals"]
    assert portals["count"] == 224 and portals["over"] == "portals that list their sharing"
    assert 120 <= portals["out_degree"]["median"] <= 135
    uspis = next(r for r in s["federal_reach"].values() if r["unit"] == "USPIS")
    assert uspis["granted_portals"] == uspis["granted"] == 110
