"""Shape files: each shipped kind compiles to the stages it describes; bad files name the field."""

from __future__ import annotations

from pathlib import Path

import pytest

from loadtest.shapes import SHAPES_DIR, load_shape, resolve_shape_path, stage_at, total_s
from sim.config import ScenarioError


def write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "shape.yaml"
    p.write_text(text)
    return p


def test_every_shipped_shape_loads_and_ends() -> None:
    names = sorted(p.stem for p in SHAPES_DIR.glob("*.yaml"))
    assert names == ["ramp", "soak", "spike", "step"]
    for name in names:
        stages = load_shape(resolve_shape_path(name))
        ends = [s.end_s for s in stages]
        assert ends == sorted(ends) and ends[0] > 0
        assert stage_at(stages, total_s(stages)) is None


def test_step_climbs_by_step_users(tmp_path: Path) -> None:
    stages = load_shape(write(tmp_path, "kind: step\nstart_users: 3\nstep_users: 2\nstep_s: 10\nsteps: 4\n"))
    assert [s.users for s in stages] == [3, 5, 7, 9]
    assert [s.end_s for s in stages] == [10, 20, 30, 40]
    assert stage_at(stages, 15).users == 5


def test_spike_returns_to_base(tmp_path: Path) -> None:
    text = "kind: spike\nbase_users: 2\nspike_users: 30\nbefore_s: 5\nspike_s: 3\nafter_s: 7\n"
    stages = load_shape(write(tmp_path, text))
    assert [(s.end_s, s.users) for s in stages] == [(5, 2), (8, 30), (15, 2)]


def test_ramp_spawn_rate_covers_the_ramp(tmp_path: Path) -> None:
    stages = load_shape(write(tmp_path, "kind: ramp\nfrom_users: 1\nto_users: 21\nramp_s: 40\nhold_s: 10\n"))
    assert stages[1].users == 21 and stages[1].spawn_rate == pytest.approx(0.5)
    assert total_s(stages) == pytest.approx(51)


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("kind: stpe\n", "kind"),
        ("kind: step\nstart_users: 2\nstep_users: 0\nstep_s: 5\nsteps: 2\n", "step_users"),
        ("kind: soak\nusers: 3\nduration_s: 60\nramp: 4\n", "ramp"),
        ("kind: soak\nusers: 3\nduration_s: '60'\n", "duration_s"),
        ("kind: stages\nstages: [{duration_s: 5, users: -1}]\n", "stages.0.users"),
        ("kind: spike\nbase_users: 9\nspike_users: 3\nbefore_s: 1\nspike_s: 1\nafter_s: 1\n", "spike_users"),
        ("- kind: step\n", "mapping"),
    ],
)
def test_bad_shape_names_the_field(tmp_path: Path, text: str, field: str) -> None:
    with pytest.raises(ScenarioError) as err:
        load_shape(write(tmp_path, text))
    assert field in str(err.value)
    assert str(tmp_path / "shape.yaml") in str(err.value)
