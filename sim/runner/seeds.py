"""Seeds of a batch of runs: one root `numpy.random.SeedSequence` per scenario (``run.seed``).

- The world of a design point is built from the root seed itself, so every replication of a point, and every
  design point whose world parameters are unchanged, share one world. Variation across replications comes
  from the behaviour streams, not from the world.
- With ``run.world_per_replication: true`` replication ``r`` builds its own world instead, from
  ``SeedSequence(entropy=seed, spawn_key=(W1, W2, r))``, (W1, W2) the stable hash of the name
  ``"world.replication"`` (`sim.rng.name_key`): it depends only on (seed, r), never on the design point, the
  worker or ``crn``, so the design points of a sweep share replication r's world (with or without ``--crn``)
  as they share the one world by default. Its spawn key is three words long where a run's is two and the
  root world's streams' two: no stream of one can coincide with a stream of another.
- Replication ``r`` of design point ``p`` runs under ``SeedSequence(entropy=seed, spawn_key=(p, r))``
  (`sim.rng.replication_seed`): a child of the root that depends only on (seed, p, r), never on the
  worker that runs it or the order runs finish in. Inside a run, each named stream is a child of that
  sequence keyed by the stream's name (`sim.rng.Streams`).
- With common random numbers across design points (``crn=True``), every point uses the spawn keys of point 0:
  replication ``r`` sees the same behaviour draws at every point, so differences between points are not
  blurred by sampling noise. Runs of one scenario via `fedsim run` are always design point 0, so two
  scenarios run separately already share their streams replication by replication.
"""

from __future__ import annotations

import numpy as np

from sim.config import Scenario
from sim.rng import name_key, replication_seed, root_seed

WORLD_STREAM = "world.replication"  # names the per-replication worlds' branch of the root seed


def world_seed(seed: int, replication: int | None = None) -> np.random.SeedSequence:
    """The seed sequence a world is built from: the root itself (`replication` None: the one world every
    replication shares), or replication `replication`'s own world (``run.world_per_replication``)."""
    if replication is None:
        return root_seed(seed)
    return np.random.SeedSequence(entropy=seed, spawn_key=(*name_key(WORLD_STREAM), replication))


def world_index(scenario: Scenario, replication: int) -> int | None:
    """Which world replication `replication` of `scenario` runs on: its own index under
    ``run.world_per_replication``, else None (the shared world of the root seed)."""
    return replication if scenario.run.world_per_replication else None


def seed_point(design_point: int, crn: bool) -> int:
    """The design point index that goes into the spawn key (0 for every point under common random numbers)."""
    return 0 if crn else design_point


def run_seed(seed: int, design_point: int, replication: int, crn: bool = False) -> np.random.SeedSequence:
    """Seed sequence of one run."""
    return replication_seed(seed, seed_point(design_point, crn), replication)


def describe(seq: np.random.SeedSequence) -> dict[str, object]:
    """JSON-ready description of a seed sequence, enough to rebuild it."""
    return {"entropy": int(seq.entropy), "spawn_key": [int(k) for k in seq.spawn_key]}
