"""``run.world_per_replication``: each replication on a world of its own, drawn from a seed of its own.

Off (the default), every replication runs on the seed's one world: an agency's cameras are the same in every
replication. On, they differ between replications, the bytes are the same on any worker count, replication r's
world does not depend on how many replications run, and the design points of a sweep share replication r's world.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim import load_scenario, run, sweep
from sim.cli.main import main
from sim.runner import seeds
from sim.runner.errors import RunnerError
from sim.world import build
from tests.conftest import SCENARIOS
from tests.sim.runner.conftest import differing_files, write_scenario
from tests.sim.runner.test_api import result_files

ON = ["run.days=1", "run.replications=2", "run.world_per_replication=true"]


def by_agency(folder: Path) -> pd.DataFrame:
    return pd.read_parquet(folder / "by_agency.parquet")


def cameras(table: pd.DataFrame | Path) -> pd.DataFrame:
    """Agencies x replications: each agency's cameras in each replication's world."""
    frame = by_agency(table) if isinstance(table, Path) else table
    return frame.pivot(index="agency", columns="replication", values="cameras")


def test_worlds_differ_between_replications_when_on_and_not_when_off(tmp_path: Path) -> None:
    sc = load_scenario(SCENARIOS / "small.yaml", ON)
    on = cameras(run(sc, output_dir=tmp_path / "on", executor="inprocess", quiet=True).output_dir)
    off = cameras(run(sc, overrides=["run.world_per_replication=false"], output_dir=tmp_path / "off",
                      executor="inprocess", quiet=True).output_dir)
    assert (off[0] == off[1]).all()  # one world: every agency's cameras the same in both replications
    differ = (on[0] != on[1]).mean()
    assert differ > 0.5, f"only {differ:.0%} of agencies' cameras differ between the two worlds"
    assert on[0].sum() == on[1].sum() == off[0].sum()  # world.alpr.total is the count both worlds share out
    assert not on[0].equals(off[0])  # replication 0's own world is not the seed's one world


def test_same_seed_same_bytes_on_one_and_two_workers(tmp_path: Path) -> None:
    sc = load_scenario(SCENARIOS / "small.yaml", ON)
    a = run(sc, output_dir=tmp_path / "a", executor="process", workers=1, quiet=True)
    b = run(sc, output_dir=tmp_path / "b", executor="process", workers=2, quiet=True)
    c = run(sc, output_dir=tmp_path / "c", executor="inprocess", quiet=True)
    names = result_files(a.output_dir)
    assert {"metrics.csv", "by_agency.parquet", "by_state.csv", "summary.json", "world.json"} <= set(names)
    assert differing_files(a.output_dir, b.output_dir, names) == []
    assert differing_files(a.output_dir, c.output_dir, names) == []


def test_replication_r_world_depends_only_on_the_seed_and_r(tmp_path: Path) -> None:
    """Three replications on two workers give replications 0 and 1 the worlds of a two-replication run."""
    sc = load_scenario(SCENARIOS / "small.yaml", ON)
    two = run(sc, output_dir=tmp_path / "two", executor="inprocess", quiet=True).output_dir
    three = run(sc, overrides=["run.replications=3"], output_dir=tmp_path / "three", executor="process", workers=2,
                quiet=True).output_dir
    pd.testing.assert_frame_equal(cameras(two), cameras(three)[[0, 1]])
    assert (cameras(three)[2] != cameras(three)[1]).any()


def test_manifest_world_json_and_resolved_scenario_say_which_worlds(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(build, "_CACHE", type(build._CACHE)())
    sc = load_scenario(SCENARIOS / "small.yaml", ON)
    res = run(sc, output_dir=tmp_path / "on", executor="process", workers=2, quiet=True)
    m = res.manifest
    assert m["world_per_replication"] is True and m["seeds"]["world"]["per_replication"] is True
    assert [r["world_seed"]["spawn_key"][-1] for r in m["runs"]] == [0, 1]
    assert m["runs"][0]["world_seed"] == seeds.describe(seeds.world_seed(sc.run.seed, 0))
    # each worker builds its replication's world; the parent builds replication 0's for world.json
    assert m["batch"]["world_builds"] == 3
    world = json.loads((res.output_dir / "world.json").read_text())
    assert world["world_replication"] == 0
    table = by_agency(res.output_dir)
    police = table[table.type.isin(["local_police", "sheriff", "state_police"])]
    # world.json describes replication 0's world, not replication 1's
    most = [police[police.replication == r].cameras.max() for r in (0, 1)]
    assert most[0] != most[1] and world["alpr_cameras_per_agency"]["max"] == most[0]
    assert "world_per_replication: true" in (res.output_dir / "resolved_scenario.yaml").read_text()
    off = run(sc, overrides=["run.world_per_replication=false"], output_dir=tmp_path / "off", executor="inprocess",
              quiet=True)
    assert off.manifest["world_per_replication"] is False
    assert "world_replication" not in json.loads((off.output_dir / "world.json").read_text())
    assert "runs" in off.manifest and all("world_seed" not in r for r in off.manifest["runs"])


def test_sweep_points_share_each_replications_world_with_and_without_crn(tmp_path: Path) -> None:
    spec = write_scenario(tmp_path, "run:\n  days: 1\n  replications: 2\n  world_per_replication: true\n"
                                    "sweep:\n  grid:\n    policy.federal_firewall: [false, true]\n")
    for crn in (False, True):
        res = sweep(spec, output_dir=tmp_path / f"crn{crn}", crn=crn, executor="process", workers=2, quiet=True)
        p0, p1 = (cameras(folder) for folder in sorted((res.output_dir / "points").iterdir()))
        pd.testing.assert_frame_equal(p0, p1)  # replication r: one world at both points
        assert (p0[0] != p0[1]).any()  # and a different one for each replication
        assert res.manifest["world_per_replication"] is True


def test_auto_replications_draw_a_world_for_each(tmp_path: Path) -> None:
    sc = load_scenario(SCENARIOS / "small.yaml", ON)
    res = run(sc, replications="auto", metric="alpr.reads", target_halfwidth=0.5, max_replications=6,
              output_dir=tmp_path / "auto", executor="inprocess", quiet=True)
    n = res.summary()["replications"]
    assert n >= 5  # the pilot
    per_world = cameras(res.output_dir)
    assert per_world.T.drop_duplicates().shape[0] == n  # n replications, n different worlds


def test_terminal_line_says_whether_worlds_were_redrawn(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["run", str(SCENARIOS / "small.yaml"), "--set", "run.days=1", "--replications", "2", "-q", "--no-report",
            "--executor", "inprocess"]
    assert main([*args, "-o", str(tmp_path / "on"), "--set", "run.world_per_replication=true",
                 "--focus-agency", "NC PD 0001"]) == 0
    out = capsys.readouterr().out
    assert "a world drawn for each replication" in out.splitlines()[0]
    # the agency's world lines come from world.json, which is replication 0's world: they say so
    assert "NC PD 0001 (NC, local_police): " in out and "replication 0's world: each replication drew its own" in out
    assert main([*args, "-o", str(tmp_path / "off")]) == 0
    assert "one world for all replications" in capsys.readouterr().out.splitlines()[0]


def test_world_seeds_are_apart_from_the_root_world_and_the_runs() -> None:
    keys = {tuple(seeds.world_seed(7, r).spawn_key) for r in range(3)}
    assert len(keys) == 3 and all(len(k) == 3 for k in keys)  # runs' keys have two words, the root world's none
    draws = [np.random.default_rng(seeds.world_seed(7, r)).integers(1 << 62) for r in (None, 0, 1)]
    assert len(set(draws)) == 3


def test_resume_refuses_a_folder_run_with_the_other_setting(tmp_path: Path) -> None:
    sc = load_scenario(SCENARIOS / "small.yaml", ON)
    run(sc, output_dir=tmp_path / "r", executor="inprocess", quiet=True)
    with pytest.raises(RunnerError, match="scenario_hash"):
        run(sc, overrides=["run.world_per_replication=false"], output_dir=tmp_path / "r", resume=True,
            executor="inprocess", quiet=True)
