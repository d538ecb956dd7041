"""The sharing federation: who may search whose ALPR reads, as a networkx DiGraph over agencies.

Edge u -> v: agency v may search agency u's reads. Edge attribute ``how``:
- ``"grant"``: a 1:1 grant from u to v;
- ``"statewide"``: u shares with every agency in its own state (Flock's "own state" option).
Flock's national lookup is *not* materialised as edges (with 75% of ~5,000 owners opted in it would be
~19 million edges): it is the boolean array ``agencies.national_lookup`` (owner opted in), applied by
`sim.model.access`. Node attributes: ``kind`` (an `OWNER_TYPES` name), ``state`` (two-letter code,
"" for federal units) and ``name``.

Edge attribute mappings are shared, read-only objects (one per ``how``): building a million separate
dicts would take seconds and hundreds of MB. ``G.copy()`` gives ordinary, mutable copies. Such mappings do
not pickle, so `build_graph` keeps its (src, dst, how) arrays in ``G.graph["edges"]`` and a pickled `World`
carries those and rebuilds the identical graph (`sim.world.types.World.__getstate__`).

Synthetic graph (``world.sharing.source: synthetic``): each non-federal agency u draws an out-degree
from a split lognormal, median ``out_degree_median``, log-sd ``out_degree_sigma`` above the median and
``out_degree_sigma_low`` below it (null: the same, a plain lognormal; portals 2024-04: median ~128, p25 60,
p75 204, p90 305, max 3,870, a lower tail wider than the upper), capped at ``out_degree_max``. Binomially a share
``in_state_share`` of it goes to agencies in u's state (what a small state cannot take goes out of
state), the rest to agencies elsewhere, both uniformly without replacement (assumption: no distance
preference). A share ``statewide_share``
of agencies (assumption) instead shares with its whole state (``statewide`` edges) and keeps its
out-of-state grants. Each federal unit receives 1:1 grants from a share
``federal_grant_share[unit]`` of the non-federal agencies (defaults from the 2026 sharing lists: USPIS 17%,
FBI 9.7%, ATF 1.3%; none for ICE-HSI, CBP, USSS, NCIS, which are in no list).
"""

from __future__ import annotations

import math
from types import MappingProxyType

import networkx as nx
import numpy as np

from sim.config.world import World as WorldConfig
from sim.geo.states import STATE_CODES
from sim.rng import Streams
from sim.world.types import OWNER_TYPES, Agencies, is_police

HOW: tuple[str, ...] = ("grant", "statewide")
GRANT, STATEWIDE = range(2)
_EDGE_ATTRS = tuple(MappingProxyType({"how": h}) for h in HOW)


def split_lognormal(rng: np.random.Generator, median: float, sigma_low: float, sigma_high: float, n: int) -> np.ndarray:
    """exp(log(median) + sigma z), z standard normal, sigma = `sigma_low` where z < 0 else `sigma_high`.

    With equal sigmas it is numpy's own lognormal draw (the same standard normals, but libm's exp, which can
    differ from ``np.exp`` in the last bit: worlds built before the split keep their exact degrees).
    """
    if sigma_low == sigma_high:
        return rng.lognormal(math.log(median), sigma_high, size=n)
    z = rng.standard_normal(n)
    return np.exp(math.log(median) + np.where(z < 0, sigma_low, sigma_high) * z)


def synthetic_edges(cfg: WorldConfig, agencies: Agencies, streams: Streams) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(src, dst, how) arrays of a synthetic federation; no duplicate edges, no self-loops."""
    s = cfg.sharing
    rng = streams.get("world.sharing.grants")
    owners = np.flatnonzero(is_police(agencies.kind))  # police agencies (private owners' grants: private_networks)
    order = owners[np.argsort(agencies.state[owners], kind="stable")]
    st_sorted = agencies.state[order]
    n = len(order)
    block_start = np.searchsorted(st_sorted, st_sorted, side="left")
    block_stop = np.searchsorted(st_sorted, st_sorted, side="right")
    deg = np.rint(split_lognormal(rng, s.out_degree_median, s.out_degree_sigma_low or s.out_degree_sigma,
                                  s.out_degree_sigma, n)).astype(np.int64)
    deg = np.minimum(deg, s.out_degree_max)
    k_in = rng.binomial(deg, s.in_state_share)
    statewide = streams.get("world.sharing.statewide").uniform(size=n) < s.statewide_share
    srcs: list[np.ndarray] = []
    dsts: list[np.ndarray] = []
    hows: list[np.ndarray] = []
    for i in range(n):
        b0, b1 = int(block_start[i]), int(block_stop[i])
        m = b1 - b0
        if statewide[i]:
            inn = np.concatenate([np.arange(b0, i), np.arange(i + 1, b1)])
        else:
            j = rng.choice(m - 1, size=min(int(k_in[i]), m - 1), replace=False)
            inn = b0 + j + (j >= i - b0)
        n_out = n - m
        j = rng.choice(n_out, size=min(int(deg[i] - min(k_in[i], m - 1)), n_out), replace=False)
        out = np.where(j >= b0, j + m, j)
        tgt = order[np.concatenate([inn, out]).astype(np.int64)]
        srcs.append(np.full(len(tgt), order[i]))
        dsts.append(tgt)
        hows.append(np.concatenate([np.full(len(inn), STATEWIDE if statewide[i] else GRANT), np.full(len(out), GRANT)]))
    fed_rng = streams.get("world.sharing.federal")
    rows = agencies.unit_index()  # the configured units (synthetic worlds name them by their code)
    for unit, share in s.federal_grant_share.items():
        f = rows[unit]
        k = min(int(round(share * len(owners))), len(owners))
        src = fed_rng.choice(owners, size=k, replace=False)
        srcs.append(src)
        dsts.append(np.full(k, f))
        hows.append(np.full(k, GRANT))
    if not srcs:
        return np.zeros(0, np.int32), np.zeros(0, np.int32), np.zeros(0, np.int8)
    return (np.concatenate(srcs).astype(np.int32), np.concatenate(dsts).astype(np.int32),
            np.concatenate(hows).astype(np.int8))


def build_graph(agencies: Agencies, src: np.ndarray, dst: np.ndarray, how: np.ndarray) -> nx.DiGraph:
    """The DiGraph of agencies 0..N-1 with the given edges (duplicates keep the first ``how``)."""
    n = len(agencies)
    g = nx.DiGraph()
    g.graph["edges"] = (src, dst, how)  # replaced by the deduplicated arrays below; rebuilds g when unpickled
    g.add_nodes_from(
        (i, {"kind": OWNER_TYPES[int(k)], "state": STATE_CODES[int(s)] if s >= 0 else "", "name": str(nm)})
        for i, (k, s, nm) in enumerate(zip(agencies.kind, agencies.state, agencies.name, strict=True))
    )
    if not len(src):
        return g
    _, first = np.unique(src.astype(np.int64) * n + dst, return_index=True)
    keep = np.sort(first)
    src, dst, how = src[keep], dst[keep], how[keep]
    g.graph["edges"] = (src, dst, how)
    for code, attrs in enumerate(_EDGE_ATTRS):
        sel = how == code
        _fill(g._succ, src[sel], dst[sel], attrs, n)
        _fill(g._pred, dst[sel], src[sel], attrs, n)
    return g


def _fill(adj: dict, a: np.ndarray, b: np.ndarray, attrs: MappingProxyType, n: int) -> None:
    order = np.argsort(a, kind="stable")
    a, b = a[order], b[order]
    bounds = np.searchsorted(a, np.arange(n + 1))
    blist = b.tolist()
    for u in np.flatnonzero(np.diff(bounds)).tolist():
        adj[u].update(dict.fromkeys(blist[bounds[u]:bounds[u + 1]], attrs))


def edge_arrays(graph: nx.DiGraph) -> tuple[np.ndarray, np.ndarray]:
    """(src, dst) int32 arrays of every edge (any ``how``)."""
    src: list[np.ndarray] = []
    dst: list[np.ndarray] = []
    for u, nbrs in graph._succ.items():
        if nbrs:
            dst.append(np.fromiter(nbrs, dtype=np.int32, count=len(nbrs)))
            src.append(np.full(len(nbrs), u, dtype=np.int32))
    if not src:
        return np.zeros(0, np.int32), np.zeros(0, np.int32)
    return np.concatenate(src), np.concatenate(dst)


def edge_how(graph: nx.DiGraph, src: np.ndarray, dst: np.ndarray) -> np.ndarray:
    """int8 ``how`` code (index into `HOW`) of each edge (src[i] -> dst[i]) of `graph`."""
    stored = graph.graph.get("edges")
    if stored is None:  # a graph built by hand: read the attributes
        return np.array([HOW.index(graph._succ[int(u)][int(v)]["how"]) for u, v in zip(src, dst, strict=True)],
                        dtype=np.int8)
    g_src, g_dst, g_how = stored
    n = max(graph.number_of_nodes(), 1)
    keys = g_src.astype(np.int64) * n + g_dst
    order = np.argsort(keys)
    pos = np.searchsorted(keys[order], src.astype(np.int64) * n + dst)
    return np.asarray(g_how, dtype=np.int8)[order][np.minimum(pos, len(order) - 1)] if len(order) else \
        np.zeros(len(src), np.int8)
