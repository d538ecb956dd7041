"""Approximate positions of the real-geography world, flagged from how the lists geocoded them.

Austin County TX SO sits at the city of Austin (FlockHopper geocodeMethod place_variant; the county seat is
Bellville) and took 16 of the cameras OSM maps around Austin, while `fedsim world --focus-agency` said nothing of
it: the column was dropped by prepare.py.
"""

from __future__ import annotations

import gzip
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from sim.cli.main import main
from sim.config import load_scenario
from sim.rng import Streams
from sim.world.flock_2026_agencies import flock_agencies
from sim.world.flock_2026_data import SHIPPED, read_nodes, read_states
from sim.world.flock_2026_geocode import PLACE_VARIANT, WHOLE_STATE, approximate_locations
from sim.world.types import SHERIFF
from tests.conftest import SCENARIOS


def test_the_shipped_nodes_say_how_each_point_was_found() -> None:
    nodes = read_nodes(SHIPPED)
    counts = Counter(nodes.geocode.tolist())
    assert counts["place_variant"] == 279 and counts["state"] == 19 and counts["county"] == 1_014
    assert (nodes.geocode[nodes.type == "so"] == "place_variant").sum() == 249
    austin_county = nodes.name.tolist().index("Austin County TX SO")
    assert nodes.geocode[austin_county] == "place_variant"


def test_place_variant_and_whole_state_points_are_flagged_and_others_not() -> None:
    got = approximate_locations(np.array(["place_variant", "state", "county", "place", ""], dtype=object))
    assert got.tolist() == [PLACE_VARIANT, WHOLE_STATE, "", "", ""]


def test_the_world_flags_them_and_counts_them_in_its_notes() -> None:
    sc = load_scenario(SCENARIOS / "flock-2026-real.yaml", ["world.states=[TX]"])
    notes: list[str] = []
    fa = flock_agencies(sc.world, Streams(np.random.SeedSequence(1)), read_nodes(SHIPPED), read_states(SHIPPED), notes)
    names = fa.agencies.name.tolist()
    assert fa.location[names.index("Austin County TX SO")] == PLACE_VARIANT
    assert fa.location[names.index("Austin TX PD")] == ""
    flagged = int((fa.location == PLACE_VARIANT).sum())
    sheriffs = int(((fa.location == PLACE_VARIANT) & (fa.agencies.kind == SHERIFF)).sum())
    assert flagged >= sheriffs > 10
    note = next(n for n in notes if n.startswith("flock-2026 locations"))
    assert f"{flagged:,} agencies geocoded to a city or town named like their county" in note
    assert f"{sheriffs:,} sheriff" in note


def test_focus_agency_opens_with_the_flag(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["world", str(SCENARIOS / "flock-2026-real.yaml"), "--set", "world.states=[TX]",
                 "--focus-agency", "Austin County TX SO"]) == 0
    lines = capsys.readouterr().out.splitlines()
    head = lines.index(next(ln for ln in lines if ln.startswith("Austin County TX SO (TX, sheriff)")))
    assert lines[head + 1].strip().startswith("location approximate: geocoded to the city or town named like its")


def test_a_folder_without_the_column_reads_it_as_unknown(tmp_path: Path) -> None:
    for name in ("cameras.csv.gz", "states.geojson.gz"):
        (tmp_path / name).write_bytes((SHIPPED / name).read_bytes())
    with gzip.open(SHIPPED / "agencies.csv.gz", "rt", encoding="utf-8") as fh:
        lines = [ln.rsplit(",", 1)[0] for ln in fh.read().splitlines()]  # geocode is the last column
    with gzip.open(tmp_path / "agencies.csv.gz", "wt", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")
    nodes = read_nodes(tmp_path)
    assert len(nodes) == 6_461 and (nodes.geocode == "").all()
    assert not approximate_locations(nodes.geocode).any()
