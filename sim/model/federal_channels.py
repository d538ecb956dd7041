"""Federal reach per owner agency and per state, by channel: direct 1:1 grant, the unit's own lookup, proxies.

For each non-federal owner with cameras (agencies and private networks alike), under one policy
(`sim.model.policy_effects.PolicyEffects`) and the access rules of `sim.model.access`:
- ``federal.units_direct``: federal units reaching its reads through a 1:1 grant it kept (and does not refuse);
- ``federal.units_lookup``: federal units reaching it through their own national lookup and no grant;
- ``federal.proxy_open``: 1 when a proxy lookup (a local agency running a plate for a federal unit,
  `sim.model.alpr_searches`) could reach it: some police agency free to run them (not
  `PolicyEffects.proxy_refused`: no state law or firewall it complies with; a platform state rule does not
  bind the runner, only owners searched by others) has it in its national scope. A possible channel: the run
  draws only a few such agencies as proxy agents, and the proxy lookups they make are counted in
  ``audit.records_received_proxy``.
Per state (`state_channels`): owner agencies and their cameras reachable directly by at least one unit, by
lookup only (no unit directly), only through proxies (no unit directly or by lookup), and not at all.
The proxy channel uses the AccessTable's national matrix (columns any-reduced over the proxy runners'
rows: one sparse product); the unit channels one dense block of federal rows (a handful of units x owners).
"""

from __future__ import annotations

import numpy as np

from sim.geo.states import STATE_CODES
from sim.model.access import AccessTable
from sim.model.alpr_reach import Reach
from sim.model.policy_effects import PolicyEffects
from sim.world.types import FEDERAL, World, is_police

CHANNELS: tuple[str, ...] = ("direct", "lookup_only", "proxy_only", "none")


def owner_channels(world: World, effects: PolicyEffects, access: AccessTable) -> dict[str, np.ndarray]:
    """Per agency (federal units: 0): ``federal.units_direct``, ``federal.units_lookup``, ``federal.proxy_open``."""
    federal = np.asarray(world.agencies.kind) == FEDERAL
    runners = (is_police(world.agencies.kind) & ~effects.proxy_refused).astype(np.float64)  # private owners run none
    proxy = (access.matrix["national"].T @ runners) > 0  # owners in some runner's national scope
    owns = np.asarray(world.agencies.cameras) > 0  # nothing to reach without cameras
    return {**unit_channels(world, access), "federal.proxy_open": (proxy & ~federal & owns).astype(np.float64)}


def proxy_open(reach: Reach, runners: np.ndarray) -> np.ndarray:
    """`owner_channels`' ``federal.proxy_open`` from a run's `Reach`: a runner's national scope is its own reads,
    its allowed edges and its group's lookup pool, so no pass over the ~19 million national pairs is needed."""
    out = np.zeros(reach.n, dtype=bool)
    groups = np.unique(reach.group[runners])
    if len(groups):
        out |= reach.pool[groups].any(axis=0)
    out[reach.edge_a[runners[reach.edge_s]]] = True
    out |= runners
    return (out & ~reach.federal).astype(np.float64)


def unit_channels(world: World, access: AccessTable) -> dict[str, np.ndarray]:
    """``federal.units_direct`` and ``federal.units_lookup`` per agency (one dense block of federal rows)."""
    a = world.agencies
    n = len(a)
    federal = np.asarray(a.kind) == FEDERAL
    fed = np.flatnonzero(federal)
    direct = np.zeros(n)
    lookup = np.zeros(n)
    if len(fed):
        b = access.rules.block(fed)
        open_ = ~b["law"] & ~b["scope"] & ~federal[None, :]
        d = b["share"] & open_
        lk = b["national"] & open_ & ~d
        direct = d.sum(axis=0).astype(np.float64)
        lookup = lk.sum(axis=0).astype(np.float64)
    return {"federal.units_direct": direct, "federal.units_lookup": lookup}


def channel_of(columns: dict[str, np.ndarray]) -> np.ndarray:
    """Each owner's best channel as an index into `CHANNELS`."""
    direct = columns["federal.units_direct"] > 0
    lookup = columns["federal.units_lookup"] > 0
    proxy = columns["federal.proxy_open"] > 0
    return np.where(direct, 0, np.where(lookup, 1, np.where(proxy, 2, 3)))


def state_channels(world: World, columns: dict[str, np.ndarray]) -> dict[str, dict[str, int]]:
    """Per state code: owner agencies and cameras by channel (``direct``, ``lookup_only``, ``proxy_only``,
    ``none``; ``<channel>_cameras``), for world.json."""
    a = world.agencies
    owner = np.asarray(a.kind) != FEDERAL
    ch = channel_of(columns)
    cams = np.asarray(a.cameras, dtype=np.int64)
    state = np.asarray(a.state)
    out: dict[str, dict[str, int]] = {}
    for s in np.unique(state[owner]).tolist():
        rows = owner & (state == s)
        entry: dict[str, int] = {}
        for i, name in enumerate(CHANNELS):
            sel = rows & (ch == i)
            entry[name] = int(sel.sum())
            entry[f"{name}_cameras"] = int(cams[sel].sum())
        out[STATE_CODES[s]] = entry
    return out
