"""Named random streams, spawned from one root `numpy.random.SeedSequence`.

A stream is derived from its *name*, not from the order in which streams are asked for: the child seed
sequence has the root's entropy and spawn key extended by a stable 32-bit hash of the name. Adding a
stream, or a policy change that makes the model skip one, leaves every other stream's draws identical
(common random numbers across scenarios). Never use numpy's or Python's global random state.
"""

from __future__ import annotations

import hashlib

import numpy as np


def name_key(name: str) -> tuple[int, int]:
    """Two stable 32-bit words from the SHA-256 of a stream name."""
    digest = hashlib.sha256(name.encode("utf-8")).digest()
    return int.from_bytes(digest[:4], "little"), int.from_bytes(digest[4:8], "little")


def child(seed_seq: np.random.SeedSequence, name: str) -> np.random.SeedSequence:
    """The seed sequence of stream `name` under `seed_seq`."""
    return np.random.SeedSequence(entropy=seed_seq.entropy, spawn_key=tuple(seed_seq.spawn_key) + name_key(name))


class Streams:
    """A family of named generators under one seed sequence; each name gives one cached Generator."""

    def __init__(self, seed_seq: np.random.SeedSequence) -> None:
        self.seed_seq = seed_seq
        self._cache: dict[str, np.random.Generator] = {}

    def get(self, name: str) -> np.random.Generator:
        gen = self._cache.get(name)
        if gen is None:
            gen = np.random.Generator(np.random.PCG64(child(self.seed_seq, name)))
            self._cache[name] = gen
        return gen


def root_seed(seed: int) -> np.random.SeedSequence:
    return np.random.SeedSequence(seed)


def replication_seed(seed: int, design_point: int, replication: int) -> np.random.SeedSequence:
    """Seed of one (design point, replication): a child of the root, independent of worker count."""
    return np.random.SeedSequence(entropy=seed, spawn_key=(design_point, replication))
