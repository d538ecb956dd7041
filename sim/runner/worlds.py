"""One world per batch and root seed: built once in the parent, handed to every run that needs it.

A world depends on ``scenario.world`` and the seed only (`sim.world.build.cache_key`), so the design points of
a sweep over ``policy.*``, ``behavior.*`` or ``platform.*`` and all their replications share one world. The
parent builds each distinct world once (`BatchWorlds.ref`) and keeps it in its per-process cache, which is all
the in-process executor needs. For worker processes (process pool, a local Dask cluster) it also writes the
world once to a pickle (`World` pickles its sharing graph as edge arrays; a national world is ~55 MB, loaded in
~0.4 s against ~0.6 s to build and more to import the builders); a worker loads it on first use and caches it.
The pickles go under the results folder (``parts/worlds/``), not the system's temporary folder: a batch whose
parent is killed (SIGKILL, out of memory) cannot remove them, and there the next batch writing to that folder
does (a fresh part store, or `BatchWorlds` clearing the folder before its first file), where a
``/tmp/fedsim-worlds-*`` folder was left for good. A worker that
cannot read the file (a Dask worker on another machine) builds the world itself, and says so: every run
reports the worlds it built (``RunRecord.world_builds``), and the batch's ``manifest.json`` records
``world_builds`` (parent and workers together, per root seed), so reuse is visible. The folder is removed when
the batch ends. A single run needs no file: it runs in the parent (`sim.runner.api`).

With ``run.world_per_replication`` each replication has a world of its own (`sim.runner.seeds.world_seed`),
used by that replication at every design point whose ``world:`` section agrees. The parent writes no file for
them: each run builds its world (a national one in ~0.6 s against ~8 s for a 30-day run; loading a pickle the
parent built would cost ~0.4 s of the ~0.6) and keeps it in its process's cache, so memory stays that of
`sim.world.build.CACHE_SIZE` worlds per process however many replications run. The parent builds only
replication 0's world, when asked for it (``world.json`` describes it, and the preflight checks agency names and
states against it: a synthetic or real-data world draws cameras, places, grants and opt-ins, never its agencies).

Custom world factories (``world_factory`` other than the default) are called in the worker as before, with the
replication's world seed; only `sim.world.build.build_world` calls count as builds.
"""

from __future__ import annotations

import os
import pickle
import shutil
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sim.config import Scenario
from sim.runner import seeds
from sim.world import build
from sim.world.types import World

WORLDS_DIR = "worlds"  # under the batch's part store (``DIR/parts/worlds/``)


@dataclass(frozen=True)
class WorldRef:
    """Where a run finds its world: the cache key, the pickle the parent wrote (None: in-process only, or a world
    the run builds itself), and which world (`sim.runner.seeds.world_seed`: None, the seed's one world; r,
    replication r's own)."""

    key: str
    path: str | None = None
    replication: int | None = None


class BatchWorlds:
    """The worlds of one batch, built in the parent; `folder`: where to write them for worker processes."""

    def __init__(self, folder: Path | None = None, on_world: Callable[[Scenario, int, World], None] | None = None
                 ) -> None:
        self.folder = folder  # None: in-process runs only, no file
        self.on_world = on_world  # told of each world once built and shared (`fedsim run` summarises it meanwhile)
        self._cleared = False
        self.refs: dict[str, WorldRef] = {}
        self.worlds: dict[str, World] = {}  # held for the batch, whatever the per-process cache drops
        self.builds: Counter[int] = Counter()  # root seed -> worlds built in the parent

    def world(self, scenario: Scenario, seed: int, replication: int | None = None) -> World:
        """The world of `scenario` and root `seed` (or of replication `replication`: `seeds.world_seed`), built here
        once (counted) and held for the batch."""
        seq = seeds.world_seed(seed, replication)
        key = build.cache_key(scenario, seq)
        world = self.worlds.get(key)
        if world is None:
            before = build.builds()
            world = self.worlds[key] = build.build_world_cached(scenario, seq)
            self.builds[seed] += build.builds() - before
        return world

    def ref(self, scenario: Scenario, seed: int, replication: int = 0) -> WorldRef:
        """Where replication `replication` of `scenario` finds its world: the seed's one world, built here and (for
        worker processes) written once; or, under ``run.world_per_replication``, the replication's own, which the
        run builds itself (replication 0's is built here too when `on_world` wants it: ``world.json``)."""
        index = seeds.world_index(scenario, replication)
        seq = seeds.world_seed(seed, index)
        key = build.cache_key(scenario, seq)
        ref = self.refs.get(key)
        if ref is not None:
            return ref
        if index is not None:
            ref = self.refs[key] = WorldRef(key, None, index)
            if index == 0 and self.on_world is not None:
                self.on_world(scenario, seed, self.world(scenario, seed, 0))
            return ref
        world = self.world(scenario, seed)
        path = None
        if self.folder is not None:
            if not self._cleared:  # files a killed batch left here (a --resume keeps the part store)
                shutil.rmtree(self.folder, ignore_errors=True)
                self.folder.mkdir(parents=True)
                self._cleared = True
            file = self.folder / f"world-{len(self.refs)}.pickle"
            tmp = file.with_name(file.name + ".tmp")
            with open(tmp, "wb") as f:
                pickle.dump(world, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, file)  # a worker never reads half a file
            path = str(file.resolve())
        ref = self.refs[key] = WorldRef(key, path)
        if self.on_world is not None:
            self.on_world(scenario, seed, world)
        return ref

    def close(self) -> None:
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
        self.worlds.clear()


def load_world(ref: WorldRef, scenario: Scenario, seed: int) -> World:
    """The world of `ref` in a worker: cached, else loaded from the parent's pickle, else built here (a world of
    one replication always is, unless cached)."""
    world = build.cached(ref.key)
    if world is not None:
        return world
    if ref.path is not None and os.path.exists(ref.path):
        with open(ref.path, "rb") as f:
            return build.remember(ref.key, pickle.load(f))
    return build.build_world_cached(scenario, seeds.world_seed(seed, ref.replication))
