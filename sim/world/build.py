"""Build a `World` from a scenario and a seed: `build_world` and its per-process cache.

The world depends on ``scenario.world`` and the seed only, never on ``policy.*``, ``behavior.*`` or
``platform.*``: what a policy decides is applied in the model (`sim.model.policy_effects`), so the design
points of a policy sweep share one world (`cache_key`). Every random draw comes from a named stream
(`sim.rng.Streams`, names ``world.*``), so adding a stream never shifts the others and the same world
section and seed always give an identical world.

Real data (``world.sharing.source`` ``private_eyes`` or a folder) replaces the synthetic agencies,
camera counts, retention and sharing graph with the transparency-portal ones
(`sim.world.private_eyes`); places, households and camera positions are synthesised around them.
``world.source: flock-2026`` builds the whole world from the 2026 real-geography data (`sim.world.flock_2026`).
Private networks (`sim.world.private_networks`: one per business and HOA place) are appended after the agencies
of a synthetic world before cameras are counted; the real-data worlds (``private_eyes``, a portal folder)
have none: their agencies are the portals' and their graph is real, and private networks have no portal.
"""

from __future__ import annotations

import json
from collections import OrderedDict

import numpy as np

from sim.config.scenario import Scenario
from sim.config.world import World as WorldConfig
from sim.rng import Streams, root_seed
from sim.world.agencies import synthetic_agencies
from sim.world.alpr import camera_counts, place_cameras
from sim.world.places import make_households, make_places
from sim.world.private_networks import append_private, private_edges, private_places
from sim.world.sharing import build_graph, synthetic_edges
from sim.world.types import World

CACHE_SIZE = 2  # a national world is ~150 MB; replications reuse one world


def build_world(scenario: Scenario, seed_seq: np.random.SeedSequence | None = None) -> World:
    """The world of `scenario`, drawn from `seed_seq` (default: ``SeedSequence(scenario.run.seed)``)."""
    global _BUILDS
    seed_seq = seed_seq if seed_seq is not None else root_seed(scenario.run.seed)
    _BUILDS += 1
    return _build(scenario.world, Streams(seed_seq))


def _build(cfg: WorldConfig, streams: Streams) -> World:
    notes: list[str] = []
    if cfg.source == "flock-2026":
        from sim.world.flock_2026 import flock_world

        return flock_world(cfg, streams)
    synthetic = cfg.sharing.source == "synthetic"
    if synthetic:
        agencies = synthetic_agencies(cfg, streams)
        edges = None
    else:
        from sim.world.private_eyes import real_agencies

        agencies, edges, notes = real_agencies(cfg, streams)
    radius = cfg.places_radius_m
    neighborhoods = make_places(agencies, cfg.neighborhoods, radius, streams.get("world.places.neighborhoods"))
    hoas = make_places(agencies, cfg.hoas, radius, streams.get("world.places.hoas"))
    businesses = make_places(agencies, cfg.businesses, radius, streams.get("world.places.businesses"))
    households = make_households(cfg, neighborhoods, streams)
    src, dst, how = edges if edges is not None else synthetic_edges(cfg, agencies, streams)
    site = area = np.zeros(0, dtype=np.int32)
    if not synthetic and cfg.private.enabled and (cfg.businesses or cfg.hoas):
        notes.append("portal world: no private networks (world.private): its owners and graph are the portals'; "
                     "businesses and HOAs are camera sites only")
    if synthetic:
        agencies, site, area = append_private(agencies, private_places(cfg, businesses, hoas), cfg, streams)
        agencies.cameras = camera_counts(cfg, agencies, streams)
        p_src, p_dst, p_how = private_edges(agencies, area, cfg, streams)
        src, dst, how = np.concatenate([src, p_src]), np.concatenate([dst, p_dst]), np.concatenate([how, p_how])
    cameras = place_cameras(cfg, agencies, {"neighborhood": neighborhoods, "business": businesses, "hoa": hoas}, streams,
                            site)
    graph = build_graph(agencies, src, dst, how)
    return World(agencies, neighborhoods, hoas, businesses, households, cameras, graph, notes)


_CACHE: OrderedDict[str, World] = OrderedDict()
_BUILDS = 0  # worlds this process has built (`builds`)


def builds() -> int:
    """How many worlds `build_world` has built in this process so far (runs count them: ``world_builds``)."""
    return _BUILDS


def cached(key: str) -> World | None:
    """The world cached in this process under `key` (`cache_key`), if any."""
    world = _CACHE.get(key)
    if world is not None:
        _CACHE.move_to_end(key)
    return world


def remember(key: str, world: World) -> World:
    """Cache `world` under `key`, dropping the least recently used beyond `CACHE_SIZE`."""
    _CACHE[key] = world
    _CACHE.move_to_end(key)
    while len(_CACHE) > CACHE_SIZE:
        _CACHE.popitem(last=False)
    return world


def cache_key(scenario: Scenario, seed_seq: np.random.SeedSequence) -> str:
    """What a world depends on: the world section and the seed (a JSON string)."""
    return json.dumps(
        {"world": scenario.world.model_dump(mode="json"), "seed": [str(seed_seq.entropy), list(seed_seq.spawn_key)]},
        sort_keys=True,
    )


def build_world_cached(scenario: Scenario, seed_seq: np.random.SeedSequence | None = None) -> World:
    """`build_world`, memoised within the process (the last `CACHE_SIZE` worlds).

    Callers share the returned object: treat it as read-only.
    """
    seed_seq = seed_seq if seed_seq is not None else root_seed(scenario.run.seed)
    key = cache_key(scenario, seed_seq)
    world = cached(key)
    return world if world is not None else remember(key, build_world(scenario, seed_seq))
