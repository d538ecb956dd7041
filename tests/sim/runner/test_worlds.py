"""One world per batch and root seed: built in the parent, reused by every design point that shares it."""

from __future__ import annotations

import json
import os
import pickle
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from sim import sweep
from sim.cli.main import main
from sim.runner import seeds
from sim.runner.worlds import WORLDS_DIR, BatchWorlds, WorldRef, load_world
from sim.world import build
from sim.world.sharing import edge_arrays
from tests.conftest import SCENARIOS
from tests.sim.runner import toy
from tests.sim.runner.conftest import write_scenario

TOY_MODEL = dict(components=toy.COMPONENTS, quiet=True)  # the toy component on the default (real) world


def manifest(root: Path) -> dict:
    return json.loads((root / "manifest.json").read_text())


def test_retention_sweep_builds_one_world_per_root_seed(tmp_path: Path, monkeypatch) -> None:
    """The shipped policy sweep on a process pool: one world for 5 points x 2 replications, and no file left."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setattr(build, "_CACHE", type(build._CACHE)())  # as in a fresh `fedsim` process
    out = tmp_path / "sweep"
    code = main(["sweep", str(SCENARIOS / "retention-sweep.yaml"), "-o", str(out), "--set", "run.days=1",
                 "--replications", "2", "--workers", "2", "-q", "--no-report"])
    assert code == 0
    m = manifest(out)
    assert m["points"] == 5 and m["runs_failed"] == 0
    assert m["world_builds"] == 1 and m["world_builds_by_seed"] == {"20251016": 1}
    assert not list(tmp_path.glob("fedsim-worlds-*"))  # nothing in the temporary folder (it was written there once)
    assert (out / "parts").is_dir() and not (out / "parts" / WORLDS_DIR).exists()  # removed with the batch


def test_each_root_seed_and_each_world_section_gets_its_own_world(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(build, "_CACHE", type(build._CACHE)())
    seeds_spec = write_scenario(tmp_path, "run:\n  days: 1\nsweep:\n  grid:\n    run.seed: [1, 2]\n"
                                          "    policy.federal_firewall: [false, true]\n")
    res = sweep(seeds_spec, output_dir=tmp_path / "seeds", executor="inprocess", **TOY_MODEL)
    assert manifest(res.output_dir)["world_builds_by_seed"] == {"1": 1, "2": 1}
    world_spec = write_scenario(tmp_path, "run:\n  days: 1\nsweep:\n  grid:\n    world.households.count: [100, 200]\n"
                                          "    behavior.searches.per_agency_sigma: [0.5, 0.9]\n")
    res = sweep(world_spec, output_dir=tmp_path / "world", executor="process", workers=2, **TOY_MODEL)
    assert manifest(res.output_dir)["world_builds"] == 2


def test_a_world_built_to_check_override_names_is_the_batchs_one_build(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(build, "_CACHE", type(build._CACHE)())
    spec = write_scenario(tmp_path, "run:\n  days: 1\npolicy:\n  overrides:\n    - where: {agency: ['NC PD 0001']}\n"
                                    "      set: {federal_firewall: true}\nsweep:\n  grid:\n"
                                    "    policy.alpr_retention_days: [7, 30]\n")
    res = sweep(spec, output_dir=tmp_path / "o", executor="process", workers=2, **TOY_MODEL)
    assert manifest(res.output_dir)["world_builds_by_seed"] == {"20251016": 1}


def test_a_worker_loads_the_parents_world_and_builds_only_without_the_file(tmp_path: Path, monkeypatch) -> None:
    from sim.config import load_scenario

    sc = load_scenario(SCENARIOS / "small.yaml")
    folder = tmp_path / "parts" / WORLDS_DIR
    folder.mkdir(parents=True)
    (folder / "world-0.pickle").write_bytes(b"left by a batch that was killed")
    worlds = BatchWorlds(folder)
    ref = worlds.ref(sc, sc.run.seed)
    assert ref.path is not None and Path(ref.path).is_file() and worlds.ref(sc, sc.run.seed) is ref
    assert Path(ref.path).parent == folder and sorted(p.name for p in folder.iterdir()) == ["world-0.pickle"]
    parent = worlds.worlds[ref.key]
    monkeypatch.setattr(build, "_CACHE", type(build._CACHE)())  # a fresh worker process: nothing cached
    before = build.builds()
    loaded = load_world(ref, sc, sc.run.seed)
    assert build.builds() == before and loaded is not parent
    np.testing.assert_array_equal(loaded.households.x_m, parent.households.x_m)
    assert load_world(ref, sc, sc.run.seed) is loaded  # cached after the first load
    worlds.close()
    assert not folder.exists()
    monkeypatch.setattr(build, "_CACHE", type(build._CACHE)())
    load_world(WorldRef(ref.key, ref.path), sc, sc.run.seed)  # the file is gone: the worker builds
    assert build.builds() == before + 1


def test_a_pickled_world_is_identical_graph_included() -> None:
    from sim.config import load_scenario

    sc = load_scenario(SCENARIOS / "small.yaml")
    world = build.build_world_cached(sc, seeds.world_seed(sc.run.seed))
    again = pickle.loads(pickle.dumps(world, protocol=pickle.HIGHEST_PROTOCOL))
    for a, b in zip(edge_arrays(world.sharing), edge_arrays(again.sharing), strict=True):
        np.testing.assert_array_equal(a, b)
    assert dict(again.sharing.nodes(data=True)) == dict(world.sharing.nodes(data=True))
    assert sorted(again.sharing.edges(data="how")) == sorted(world.sharing.edges(data="how"))
    assert all(list(again.sharing.pred[v]) == list(world.sharing.pred[v]) for v in world.sharing)
    np.testing.assert_array_equal(again.agencies.compliance_draw, world.agencies.compliance_draw)


def test_a_killed_batch_leaves_its_world_file_in_its_results_folder_and_the_next_batch_removes_it(tmp_path: Path) -> None:
    """SIGKILL the parent while its workers run: the world pickle stays under DIR/parts/ (not in /tmp, where
    nothing would ever remove it), and the next batch into DIR removes it."""
    out = tmp_path / "out"
    env = {**os.environ, "TMPDIR": str(tmp_path / "tmp")}
    (tmp_path / "tmp").mkdir()
    args = [sys.executable, "-m", "sim.cli.main", "sweep", str(SCENARIOS / "retention-sweep.yaml"), "-o", str(out),
            "--set", "run.days=30", "--replications", "2", "--workers", "2", "-q", "--no-report"]
    parent = subprocess.Popen(args, env=env, start_new_session=True, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while not list((out / "parts").glob("0000/r*.json")) and time.monotonic() < deadline:
            assert parent.poll() is None, "the batch ended before it could be killed"
            time.sleep(0.05)
        files = list((out / "parts" / WORLDS_DIR).glob("*.pickle"))
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait(timeout=30)
    finally:
        try:
            os.killpg(parent.pid, signal.SIGKILL)  # its pool: the forkserver and the workers
        except ProcessLookupError:
            pass
    assert len(files) == 1 and files[0].is_file()
    # (multiprocessing leaves its own pymp-* folder, holding the forkserver's socket)
    assert not [p for p in (tmp_path / "tmp").rglob("*") if "fedsim" in p.name or p.suffix == ".pickle"]
    again = main(["sweep", str(SCENARIOS / "retention-sweep.yaml"), "-o", str(out), "--set", "run.days=1",
                  "--replications", "1", "--workers", "2", "-q", "--no-report"])
    assert again == 0 and not (out / "parts" / WORLDS_DIR).exists()
