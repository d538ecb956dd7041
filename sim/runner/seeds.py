"""Seeds of a batch of runs: one root `numpy.random.SeedSequence` per scenario (``run.seed``).

- The world of a design point is built from the root seed itself, so every replication of a point, and every
  design point whose world parameters are unchanged, share one world. Variation across replications comes
  from the behaviour streams, not from the world.
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

from sim.rng import replication_seed, root_seed


def world_seed(seed: int) -> np.random.SeedSequence:
    """The seed sequence the world of every design point is built from."""
    return root_seed(seed)


def seed_point(design_point: int, crn: bool) -> int:
    """The design point index that goes into the spawn key (0 for every point under common random numbers)."""
    return 0 if crn else design_point


def run_seed(seed: int, design_point: int, replication: int, crn: bool = False) -> np.random.SeedSequence:
    """Seed sequence of one run."""
    return replication_seed(seed, seed_point(design_point, crn), replication)


def describe(seq: np.random.SeedSequence) -> dict[str, object]:
    """JSON-ready description of a seed sequence, enough to rebuild it."""
    return {"entropy": int(seq.entropy), "spawn_key": [int(k) for k in seq.spawn_key]}
