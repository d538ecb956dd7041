"""Sharing edges of the real-geography world, drawn to match each agency's 2026 connection count.

The data gives each node's ``connectionCount`` (partners it shares with or receives from, April 2026) but not
the edge list. The graph is drawn in three steps:
1. The 2024 grants (``world.flock.keep_2024_edges``): the N&O edge list shipped in data/private_eyes, kept where
   both ends match an agency of this world by name (`name_key` of the 2024 name against 2026 names and
   aliases, same state). Each kept grant uses up one connection at both ends.
2. The remaining connections become stubs: binomially ``world.sharing.in_state_share`` of them stay in the
   agency's state (at most the state's other agencies), the rest go anywhere; federal units' stubs all go
   anywhere. Stubs are paired at random (a configuration model: within each state, then nationally), a federal
   unit's only with a portal's: the counts are "as seen in the portals' lists" and no federal unit has a portal,
   so every grant to one is a portal's (USPIS 154 of the 906 portals);
   self-pairs, federal-federal pairs and repeats are dropped and the stubs they held are paired again (half the
   `REPAIR_ROUNDS` within each state, then anywhere).
   Hubs still end below their count: a configuration model cannot give two agencies more than one pair when
   d_i x d_j / (2 x summed counts) exceeds 1, so every agency above ~sqrt(522,239) = ~720 partners saturates
   (before this step the 892 portals' partners p90 was 703 against the data's 1,136). `_rewire_hubs` then gives
   each agency still short by 2 or more (largest shortfall first) pairs taken from two other agencies: a pair
   u-v, neither yet its partner, becomes h-u and h-v, so u and v keep their counts and h gains two (in-state
   pairs first for ``world.sharing.in_state_share`` of them); pairs touching a federal unit and 2024 grants are
   never taken.
3. Each pair becomes grants: both ways with probability ``world.flock.mutual_share`` (272,290 directed edges
   against 522,239 summed counts, DeFlock 2026-04: ~4.3%), else one way, either way with probability 1/2
   (assumption); a pair with a federal unit is always a grant from the local agency to the unit (federal
   units own no cameras). No "statewide" edges: the counts already hold everyone an agency shares with.
National-lookup opt-in is drawn as for a synthetic world (``world.sharing.national_lookup_share``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from sim.config.world import World as WorldConfig
from sim.geo.states import STATE_CODES
from sim.rng import Streams
from sim.world.flock_2026_agencies import FlockAgencies, name_key
from sim.world.sharing import GRANT
from sim.world.types import FEDERAL

REPAIR_ROUNDS = 4  # re-pairings of lost stubs; each recovers most of what is left (hubs saturate)


def _edges_2024(fa: FlockAgencies) -> tuple[np.ndarray, np.ndarray, int]:
    """The N&O 2024 grants whose two ends are agencies of this world, and how many grants were read."""
    from sim.world.agency_names import parse_state
    from sim.world.private_eyes import SHIPPED, read_portal_data

    data = read_portal_data(SHIPPED)
    a = fa.agencies
    match: dict[int, int] = {}
    for pid, name in data.names.items():
        code = parse_state(name) or ""
        k = fa.keys.get((name_key(name, code), code), -1)
        if k < 0 and code:
            k = fa.keys.get((name_key(name, ""), ""), -1)  # federal units carry no state
        if k >= 0 and (code == "" or a.kind[k] == FEDERAL or STATE_CODES[a.state[k]] == code):
            match[pid] = k
    pairs = [(match[s], match[e]) for s, e in data.edges if s in match and e in match and match[s] != match[e]]
    src = np.array([p[0] for p in pairs], dtype=np.int64)
    dst = np.array([p[1] for p in pairs], dtype=np.int64)
    keep = a.kind[src] != FEDERAL  # federal units share no reads
    return src[keep], dst[keep], len(data.edges)


def _pair(stubs: np.ndarray, rng: np.random.Generator, federal: np.ndarray, portal: np.ndarray
          ) -> tuple[np.ndarray, np.ndarray]:
    """Random pairs of `stubs` (agency indices): a federal unit's stub with a portal's (a unit has no portal, so the
    lists see its connections only in portals' lists), the rest at random; a unit's stubs beyond the portals'
    stay unpaired."""
    stubs = rng.permutation(stubs)
    unit, other = stubs[federal[stubs]], stubs[~federal[stubs]]
    host = np.flatnonzero(portal[other])[:len(unit)]
    u, v = unit[:len(host)], other[host]
    rest = np.delete(other, host)
    half = len(rest) // 2
    return np.concatenate([u, rest[:half]]), np.concatenate([v, rest[half:2 * half]])


def _valid(u: np.ndarray, v: np.ndarray, federal: np.ndarray, n: int, taken: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pairs without self-pairs, federal-federal pairs, repeats, or pairs whose key (lo * n + hi) is in `taken`."""
    ok = (u != v) & ~(federal[u] & federal[v])
    u, v = u[ok], v[ok]
    key = np.minimum(u, v) * n + np.maximum(u, v)
    _, first = np.unique(key, return_index=True)
    first = np.sort(first)
    if len(taken):  # a sorted search instead of np.isin (which hashes both arrays: ~5x slower here)
        ts = np.sort(taken)
        at = np.minimum(np.searchsorted(ts, key[first]), len(ts) - 1)
        first = first[ts[at] != key[first]]
    return u[first], v[first]


def _take(pu: np.ndarray, pv: np.ndarray, alive: np.ndarray, mine: np.ndarray, want: int) -> list[int]:
    """Positions of up to `want` alive pairs (pu[i], pv[i]) whose ends are not in `mine` and share no agency, in pool
    order; marks them dead and their ends in `mine`. Scans a prefix that doubles until enough are found (most hubs
    want few), then walks the candidates in a plain loop (exact, and short: ~40,000 pairs taken nationally)."""
    got: list[int] = []
    size = 16 * want + 512
    start = 0
    while len(got) < want and start < len(pu):
        stop = min(len(pu), start + size)
        cand = start + np.flatnonzero(alive[start:stop] & ~mine[pu[start:stop]] & ~mine[pv[start:stop]])
        for i, x, y in zip(cand.tolist(), pu[cand].tolist(), pv[cand].tolist(), strict=True):
            if not mine[x] and not mine[y]:
                mine[x] = mine[y] = True
                alive[i] = False
                got.append(i)
                if len(got) == want:
                    break
        start, size = stop, 2 * size
    return got


def _rewire_hubs(u: np.ndarray, v: np.ndarray, left: np.ndarray, src24: np.ndarray, dst24: np.ndarray,
                 federal: np.ndarray, state: np.ndarray, in_state_share: float, rng: np.random.Generator
                 ) -> tuple[np.ndarray, np.ndarray, int]:
    """Pairs (u, v) with agencies short of their count by 2 or more given pairs of others (module docstring, step
    2): each such hub h, largest shortfall first, takes short // 2 pairs x-y (neither end a hub, a federal unit or
    already its partner; in its own state first for a binomial ``in_state_share`` of them) and turns each into h-x
    and h-y. A pair touching a hub is never taken, so each hub's partners are its pairs so far plus its own
    additions. Returns the new pairs and how many were taken."""
    n = len(left)
    short = np.maximum(left - np.bincount(u, minlength=n) - np.bincount(v, minlength=n), 0)
    hub = (short >= 2) & ~federal
    hubs = np.flatnonzero(hub)
    if not len(hubs):
        return u, v, 0
    hubs = hubs[np.argsort(-short[hubs], kind="stable")]
    donor = rng.permutation(np.flatnonzero(~hub[u] & ~hub[v] & ~federal[u] & ~federal[v]))
    du, dv = u[donor], v[donor]
    alive = np.ones(len(donor), dtype=bool)
    same = state[du] == state[dv]
    by_state = {int(s): np.flatnonzero(same & (state[du] == s)) for s in np.unique(state[hubs])}
    ends, other = np.concatenate([src24, u, dst24, v]), np.concatenate([dst24, v, src24, u])
    order = np.argsort(ends, kind="stable")
    other = other[order]
    starts = np.searchsorted(ends[order], np.arange(n + 1))
    hub_of: list[np.ndarray] = []
    taken: list[np.ndarray] = []
    for h in hubs.tolist():  # a loop over the ~540 hubs; each scans only as much of the pool as it needs
        mine = np.zeros(n, dtype=bool)
        mine[other[starts[h]:starts[h + 1]]] = True
        mine[h] = True
        k = int(short[h]) // 2
        pool = by_state[int(state[h])]
        got = [int(pool[i]) for i in _take(du[pool], dv[pool], alive[pool], mine, int(rng.binomial(k, in_state_share)))]
        alive[got] = False  # _take marked its own copy of the in-state pool
        got += _take(du, dv, alive, mine, k - len(got))
        taken.append(np.array(got, dtype=np.int64))
        hub_of.append(np.full(len(got), h, dtype=u.dtype))
    pick = np.concatenate(taken)
    hh = np.concatenate(hub_of)
    keep = np.ones(len(u), dtype=bool)
    keep[donor[pick]] = False
    u_new = np.concatenate([u[keep], hh, hh])
    v_new = np.concatenate([v[keep], du[pick], dv[pick]])
    return u_new, v_new, len(pick)


def flock_edges(cfg: WorldConfig, fa: FlockAgencies, streams: Streams, notes: list[str]
                ) -> tuple[tuple[np.ndarray, np.ndarray, np.ndarray], dict[str, Any]]:
    a = fa.agencies
    n = len(a)
    rng = streams.get("world.sharing.grants")
    federal = a.kind == FEDERAL
    portal = a.portal
    target = np.minimum(fa.connections, n - 1).astype(np.int64)
    src24 = dst24 = np.zeros(0, dtype=np.int64)
    read24 = 0
    if cfg.flock.keep_2024_edges:
        src24, dst24, read24 = _edges_2024(fa)
    left = np.maximum(target - np.bincount(src24, minlength=n) - np.bincount(dst24, minlength=n), 0)
    m = np.bincount(a.state[~federal], minlength=len(STATE_CODES))
    room = np.where(federal, 0, m[np.maximum(a.state, 0)] - 1)
    k_in = np.minimum(rng.binomial(left, cfg.sharing.in_state_share), room)
    us: list[np.ndarray] = []
    vs: list[np.ndarray] = []
    stubs_in = np.repeat(np.arange(n), k_in)
    st = a.state[stubs_in]
    for s in np.unique(st):
        u, v = _pair(stubs_in[st == s], rng, federal, portal)
        us.append(u)
        vs.append(v)
    u, v = _pair(np.repeat(np.arange(n), left - k_in), rng, federal, portal)
    us.append(u)
    vs.append(v)
    u, v = _valid(np.concatenate(us), np.concatenate(vs), federal, n, np.zeros(0, dtype=np.int64))
    for rnd in range(REPAIR_ROUNDS):  # stubs lost to repeats and self-pairs are paired again: in-state, then anywhere
        short = np.maximum(left - np.bincount(u, minlength=n) - np.bincount(v, minlength=n), 0)
        if short.sum() < 2:
            break
        stubs = np.repeat(np.arange(n), short)
        groups = [stubs[a.state[stubs] == s] for s in np.unique(a.state[stubs])] if rnd < REPAIR_ROUNDS // 2 else [stubs]
        pairs = [_pair(g, rng, federal, portal) for g in groups]
        a2, b2 = _valid(np.concatenate([p[0] for p in pairs]), np.concatenate([p[1] for p in pairs]), federal, n,
                        np.minimum(u, v) * n + np.maximum(u, v))
        u, v = np.concatenate([u, a2]), np.concatenate([v, b2])
    u, v, rewired = _rewire_hubs(u, v, left, src24, dst24, federal, a.state, cfg.sharing.in_state_share, rng)
    # federal units receive: orient every federal pair local -> federal
    flip = federal[u]
    u, v = np.where(flip, v, u), np.where(flip, u, v)
    fed_pair = federal[v]
    draw = rng.uniform(size=len(u))
    mutual = ~fed_pair & (draw < cfg.flock.mutual_share)
    swap = ~fed_pair & ~mutual & (draw >= cfg.flock.mutual_share + (1 - cfg.flock.mutual_share) / 2)
    u, v = np.where(swap, v, u), np.where(swap, u, v)
    src = np.concatenate([src24, u, v[mutual]])
    dst = np.concatenate([dst24, v, u[mutual]])
    partners = np.zeros(n, dtype=np.int64)
    lo, hi = np.minimum(src, dst), np.maximum(src, dst)
    pairs = np.sort(lo * n + hi)
    pairs = pairs[np.concatenate([[True], np.diff(pairs) != 0])] if len(pairs) else pairs
    np.add.at(partners, pairs // n, 1)
    np.add.at(partners, pairs % n, 1)
    has = target > 0
    ratio = partners[has] / target[has]
    in_state = (a.state[src] == a.state[dst]) & (a.state[src] >= 0)
    figures = {"edges": len(src), "edges_2024_kept": len(src24), "edges_2024_read": read24,
               "connections_target": int(target.sum()), "connections_achieved": int(partners.sum()),
               "connections_ratio_median": float(np.median(ratio)) if len(ratio) else 0.0,
               "in_state_share": float(in_state.mean()) if len(src) else 0.0, "mutual_pairs": int(mutual.sum()),
               "rewired_pairs": rewired}
    notes.append(f"flock-2026 sharing: {len(src):,} grants ({len(src24):,} of the {read24:,} 2024 N&O grants kept where "
                 f"both ends exist, world.flock.keep_2024_edges); partners {int(partners.sum()):,} of "
                 f"{int(target.sum()):,} connection counts (median agency {figures['connections_ratio_median']:.2f} of "
                 f"its count); in-state {figures['in_state_share']:.0%} (world.sharing.in_state_share "
                 f"{cfg.sharing.in_state_share:g}); {rewired:,} pairs of others given to hubs short of their count; "
                 f"both ways {int(mutual.sum()):,} pairs (world.flock.mutual_share "
                 f"{cfg.flock.mutual_share:g}); direction of one-way pairs a coin flip (assumption)")
    return (src.astype(np.int32), dst.astype(np.int32), np.full(len(src), GRANT, dtype=np.int8)), figures
