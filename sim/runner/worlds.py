"""One world per batch and root seed: built once in the parent, handed to every run that needs it.

A world depends on ``scenario.world`` and the seed only (`sim.world.build.cache_key`), so the design points of
a sweep over ``policy.*``, ``behavior.*`` or ``platform.*`` and all their replications share one world. The
parent builds each distinct world once (`BatchWorlds.ref`) and keeps it in its per-process cache, which is all
the in-process executor needs. For worker processes (process pool, a local Dask cluster) it also writes the
world once to a pickle in a temporary folder (`World` pickles its sharing graph as edge arrays; a national world
is ~55 MB, loaded in ~0.7 s against ~2 s to build); a worker loads it on first use and caches it. A worker that
cannot read the file (a Dask worker on another machine) builds the world itself, and says so: every run
reports the worlds it built (``RunRecord.world_builds``), and the batch's ``manifest.json`` records
``world_builds`` (parent and workers together, per root seed), so reuse is visible. The folder is removed when
the batch ends.

Custom world factories (``world_factory`` other than the default) are called in the worker as before; only
`sim.world.build.build_world` calls count as builds.
"""

from __future__ import annotations

import os
import pickle
import shutil
import tempfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sim.config import Scenario
from sim.runner import seeds
from sim.world import build
from sim.world.types import World


@dataclass(frozen=True)
class WorldRef:
    """Where a run finds its world: the cache key, and the pickle the parent wrote (None: in-process only)."""

    key: str
    path: str | None = None


class BatchWorlds:
    """The worlds of one batch, built in the parent; `share_files` for executors with worker processes."""

    def __init__(self, share_files: bool, on_world: Callable[[Scenario, int, World], None] | None = None) -> None:
        self.share_files = share_files
        self.on_world = on_world  # told of each world once built and shared (`fedsim run` summarises it meanwhile)
        self.folder: Path | None = None
        self.refs: dict[str, WorldRef] = {}
        self.worlds: dict[str, World] = {}  # held for the batch, whatever the per-process cache drops
        self.builds: Counter[int] = Counter()  # root seed -> worlds built in the parent

    def world(self, scenario: Scenario, seed: int) -> World:
        """The world of `scenario` and root `seed`, built here once (counted) and held for the batch."""
        seq = seeds.world_seed(seed)
        key = build.cache_key(scenario, seq)
        world = self.worlds.get(key)
        if world is None:
            before = build.builds()
            world = self.worlds[key] = build.build_world_cached(scenario, seq)
            self.builds[seed] += build.builds() - before
        return world

    def ref(self, scenario: Scenario, seed: int) -> WorldRef:
        seq = seeds.world_seed(seed)
        key = build.cache_key(scenario, seq)
        ref = self.refs.get(key)
        if ref is not None:
            return ref
        world = self.world(scenario, seed)
        path = None
        if self.share_files:
            if self.folder is None:
                self.folder = Path(tempfile.mkdtemp(prefix="fedsim-worlds-"))
            file = self.folder / f"world-{len(self.refs)}.pickle"
            with open(file, "wb") as f:
                pickle.dump(world, f, protocol=pickle.HIGHEST_PROTOCOL)
            path = str(file)
        ref = self.refs[key] = WorldRef(key, path)
        if self.on_world is not None:
            self.on_world(scenario, seed, world)
        return ref

    def close(self) -> None:
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None
        self.worlds.clear()


def load_world(ref: WorldRef, scenario: Scenario, seed: int) -> World:
    """The world of `ref` in a worker: cached, else loaded from the parent's pickle, else built here."""
    world = build.cached(ref.key)
    if world is not None:
        return world
    if ref.path is not None and os.path.exists(ref.path):
        with open(ref.path, "rb") as f:
            return build.remember(ref.key, pickle.load(f))
    return build.build_world_cached(scenario, seeds.world_seed(seed))
