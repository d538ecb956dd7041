"""The shipped Flock 2026 files: complete, licensed, credited; a broken copy gives a clear error."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import numpy as np
import pytest

from sim.config import ScenarioError
from sim.geo.states import STATE_CODES
from sim.world.flock_2026_data import LICENCE_FILES, SHIPPED, read_cameras, read_nodes, read_states


def test_shipped_tables_are_complete() -> None:
    nodes, cams, states = read_nodes(SHIPPED), read_cameras(SHIPPED), read_states(SHIPPED)
    assert len(nodes) == 6_461 and len(set(nodes.id)) == 6_461
    assert int(nodes.portal.sum()) == 906 and int(nodes.junk.sum()) == 37
    assert sorted(set(nodes.type)) == ["federal", "other", "pd", "school", "so"]
    assert len(cams) == 61_768 and int((cams.operator != "").sum()) == 17_162
    assert int((cams.brand == "Flock Safety").sum()) == 49_358
    assert sorted(states.code) == sorted([*STATE_CODES, "PR"])
    assert int(states.camera_count.sum()) == 77_895
    # every camera's state is a polygon's code or "" (outside every polygon); only a few fall outside
    assert set(cams.state) <= set(states.code) | {""}
    assert int((cams.state == "").sum()) < 200
    assert np.all((cams.lat > 15) & (cams.lat < 72) & (cams.lon < -60))


def test_licences_and_credit_are_shipped() -> None:
    for name in LICENCE_FILES:
        assert (SHIPPED / name).is_file(), name
    readme = (SHIPPED / "README.md").read_text()
    odbl = (SHIPPED / "LICENSE-ODbL.md").read_text()
    assert "© OpenStreetMap contributors" in readme and "ODbL" in readme and "FlockHopper" in readme
    assert "© OpenStreetMap contributors" in odbl and "opendatacommons.org/licenses/odbl" in odbl
    assert "MIT License" in (SHIPPED / "LICENSE-MIT").read_text()
    root = Path(__file__).resolve().parents[3]
    for doc in ("docs/sources.md", "docs/world.md"):
        text = (root / doc).read_text()
        assert "© OpenStreetMap contributors" in text and "ODbL" in text, doc


def test_missing_file_and_column_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="world.flock.data: file not found"):
        read_nodes(tmp_path)
    shutil.copy(SHIPPED / "cameras.csv.gz", tmp_path / "cameras.csv.gz")
    with gzip.open(tmp_path / "agencies.csv.gz", "wt") as fh:
        fh.write("id,name\nx,y\n")
    with pytest.raises(ScenarioError, match=r"missing columns \['state'"):
        read_nodes(tmp_path)
    assert len(read_cameras(tmp_path)) == 61_768
