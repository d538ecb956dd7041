"""The synthetic world: agencies, places, Ring households, Flock ALPR cameras and the sharing federation.

`build_world(scenario, seed_seq)` builds it from ``scenario.world`` and the seed alone (`build_world_cached`
memoises it per process); the world holds no policy: `sim.model.policy_effects` applies one to it and
`sim.model.access.AccessTable` says which owners' reads each agency may search under it.
`sim.world.spatial.GridIndex` answers "which points lie within r metres". See docs/world.md.

The builders are imported lazily, so importing the types stays light.
"""

from __future__ import annotations

from typing import Any

from sim.world.types import AGENCY_TYPES, SITE_TYPES, Agencies, Cameras, Households, Places, World

__all__ = [
    "AGENCY_TYPES",
    "SITE_TYPES",
    "Agencies",
    "Cameras",
    "Households",
    "Places",
    "World",
    "build_world",
    "build_world_cached",
]


def __getattr__(name: str) -> Any:
    if name in ("build_world", "build_world_cached"):
        from sim.world import build

        return getattr(build, name)
    raise AttributeError(f"module 'sim.world' has no attribute {name!r}")
