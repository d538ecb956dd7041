"""Who may search whose ALPR reads under a policy: the one place these rules are combined.

Used by the ALPR model, `fedsim world` and the reference service's tests. The policy's per-owner decisions
come from `sim.model.policy_effects.PolicyEffects`; for a searcher v and an access scope (`ACCESS_SCOPES`, not
Flock's four search scopes `sim.config.behavior_alpr.SEARCH_SCOPES`, whose ``statewide`` is a lookup):
- ``local``: v's own reads only;
- ``in_state_shared``: own + owners in v's state that share with v (``grant`` or ``statewide`` edges);
- ``national``: own + every owner sharing with v (any state) + every owner whose reads are open to
  national lookup (``effects.national_lookup``: opted in, and ``policy.national_lookup`` on); for a federal
  unit only when ``policy.federal_access`` is ``open`` (``effects.federal_lookup``).
Then owners refuse searchers (own reads are always allowed):
- ``effects.sharing_scope`` (per owner): ``in_state`` -> the owner shares only with searchers of its own
  state; ``none`` -> nobody searches its reads but itself;
- sharing edges the owner's policy drops (`policy_edges`): its ``statewide`` edges where
  ``effects.statewide_sharing`` is off, its 1:1 grants to federal units where ``effects.federal_grants`` is off;
- ``effects.refuses_out_of_state``: owners under a state law refuse out-of-state and federal searchers;
- ``effects.refuses_federal``: owners refusing federal searchers (state laws, platform state rules,
  ``policy.federal_firewall``). A proxy lookup is the in-state runner's own search, so these refusals do not
  reach it; who may run one is ``effects.proxy_refused`` (`sim.model.federal_channels`).
Federal units have state -1: they are never "in state". Private owners (`sim.world.types.PRIVATE`) never search:
their rows hold their own reads only (every scope), so they add no dense block.

Representation: one scipy CSR matrix per scope, searchers x owners, bool data with int32 indices. At
national scale the national scope has ~34 million non-zeros (~170 MB with the private networks' 4,181 columns;
baseline, 2026-12-06); local and in_state_shared are small.
Matrices are filled from dense boolean blocks of `BLOCK_ROWS` searchers at a time (column indices
read straight off each block), so peak extra memory stays at a few blocks of N booleans; ~0.4-0.5 s of CPU
at national scale (benchmarks/bench_world.py). A compact alternative (national reach = edges + "opted-in
owners minus refusals") was not needed at this size. Per-searcher arrays ``networks[scope]`` (owners with at
least one camera reachable, own included) and ``cameras[scope]`` (cameras of those owners) come with it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse

from sim.model.policy_effects import IN_STATE, NONE, PolicyEffects
from sim.world.sharing import STATEWIDE, edge_arrays, edge_how
from sim.world.summary import stats
from sim.world.types import FEDERAL, World, is_police

# The access table's scopes (not the four search scopes, `sim.config.behavior_alpr.SEARCH_SCOPES`): own reads, own +
# in-state owners sharing 1:1 or statewide, and the national scope (everything a national search reaches).
ACCESS_SCOPES: tuple[str, ...] = ("local", "in_state_shared", "national")
BLOCK_ROWS = 256


def policy_edges(world: World, effects: PolicyEffects) -> tuple[np.ndarray, np.ndarray]:
    """(src, dst) of the sharing edges the owners' policies keep (edge src -> dst: dst may search src's reads)."""
    src, dst = edge_arrays(world.sharing)
    keep = np.ones(len(src), dtype=bool)
    if not effects.federal_grants.all():
        keep &= effects.federal_grants[src] | (np.asarray(world.agencies.kind)[dst] != FEDERAL)
    if not effects.statewide_sharing.all():
        keep &= effects.statewide_sharing[src] | (edge_how(world.sharing, src, dst) != STATEWIDE)
    return (src, dst) if keep.all() else (src[keep], dst[keep])


def refusals(effects: PolicyEffects, owners: np.ndarray | slice, same_state: np.ndarray,
             searcher_federal: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(by law, by sharing scope): whether owners `owners` (indices, or a slice of all) refuse searchers, given
    whether each searcher is in the owner's state and is a federal unit (arrays that broadcast together)."""
    law = (effects.refuses_out_of_state[owners] & ~same_state) | (effects.refuses_federal[owners] & searcher_federal)
    code = effects.sharing_scope[owners]
    return law, (code == NONE) | ((code == IN_STATE) & ~same_state)


@dataclass
class _Rules:
    """Per-owner and per-searcher arrays the rules need, plus the sharing edges as a CSR matrix."""

    shares: sparse.csr_matrix  # searchers x owners: owner shares with searcher (edge owner -> searcher)
    state: np.ndarray
    federal: np.ndarray
    effects: PolicyEffects

    @classmethod
    def of(cls, world: World, effects: PolicyEffects) -> _Rules:
        a = world.agencies
        n = len(a)
        src, dst = policy_edges(world, effects)
        shares = sparse.csr_matrix((np.ones(len(src), dtype=bool), (dst, src)), shape=(n, n), dtype=bool)
        return cls(shares=shares, state=np.asarray(a.state), federal=np.asarray(a.kind) == FEDERAL, effects=effects)

    def block(self, rows: np.ndarray) -> dict[str, np.ndarray]:
        """Dense blocks for searchers `rows`: raw reach per scope, refusals by law and by scope."""
        n = self.shares.shape[1]
        eye = np.zeros((len(rows), n), dtype=bool)
        eye[np.arange(len(rows)), rows] = True
        share = self.shares[rows].toarray()
        sv = self.state[rows][:, None]
        same = (sv == self.state[None, :]) & (sv >= 0)
        fx = self.effects
        law, scope = refusals(fx, slice(None), same, self.federal[rows][:, None])
        return {
            "eye": eye,
            "in_state_shared": share & same,
            # lookups are closed to federal units unless policy.federal_access is "open"
            "national": share | (fx.national_lookup[None, :] & (fx.federal_lookup | ~self.federal[rows][:, None])),
            "share": share,
            "law": law,
            "scope": scope,
        }


class AccessTable:
    """Owners each searcher may search, per scope, under one policy (applied as `PolicyEffects`)."""

    def __init__(self, world: World, effects: PolicyEffects) -> None:
        rules = _Rules.of(world, effects)
        self.rules = rules  # kept for federal_channels (its sharing matrix is ~1M edges at national scale)
        self.effects = effects
        n = len(world.agencies)
        cols: dict[str, list[np.ndarray]] = {s: [] for s in ACCESS_SCOPES}
        counts: dict[str, list[np.ndarray]] = {s: [] for s in ACCESS_SCOPES}
        cams = np.asarray(world.agencies.cameras, dtype=np.int64)
        has_camera = (cams > 0).astype(np.int64)
        self.networks = {s: np.zeros(n, dtype=np.int64) for s in ACCESS_SCOPES}
        self.cameras = {s: np.zeros(n, dtype=np.int64) for s in ACCESS_SCOPES}
        n_s = world.agencies.n_searchers
        # 256 searchers a block: a block's dense masks (256 x N booleans, ~1.3 MB at national scale) stay in cache
        # across the dozen passes over them; 1,024 rows took ~30% longer (same bytes).
        for start in range(0, n_s, BLOCK_ROWS):
            rows = np.arange(start, min(start + BLOCK_ROWS, n_s))
            b = rules.block(rows)
            allowed = ~(b["law"] | b["scope"])
            offsets = np.arange(0, len(rows) * n, n)  # where each row starts in the flattened block
            for scope in ACCESS_SCOPES:
                if scope == "local":
                    m = b["eye"]
                else:  # in place: the block's own arrays are not used again
                    m = b[scope]
                    m &= allowed
                    m |= b["eye"]
                row_counts = np.count_nonzero(m, axis=1)
                # column indices off the flattened block: 1-D flatnonzero is ~3x cheaper than 2-D nonzero
                c = np.flatnonzero(m)
                c -= np.repeat(offsets, row_counts)
                # Networks and cameras per searcher: integer sums of the owners' weights over each row of the dense
                # block, by einsum's own integer loop (exact, no BLAS: the same bytes on any thread count). With the
                # private networks a national row holds ~7,900 owners: gathering the weights of every column and
                # summing them cumulatively cost ~10x more (0.76 s against 0.05 s for 20 blocks, 2 weights).
                for out, weight in ((self.networks, has_camera), (self.cameras, cams)):
                    out[scope][rows] = np.einsum("ij,j->i", m, weight)
                cols[scope].append(c.astype(np.int32))
                counts[scope].append(row_counts)
        if n_s < n:  # private owners: their own reads, in every scope
            own = np.arange(n_s, n)
            for scope in ACCESS_SCOPES:
                self.networks[scope][own] = has_camera[own]
                self.cameras[scope][own] = cams[own]
                cols[scope].append(own.astype(np.int32))
                counts[scope].append(np.ones(len(own), dtype=np.int64))
        self.matrix: dict[str, sparse.csr_matrix] = {s: _csr(cols[s], counts[s], n) for s in ACCESS_SCOPES}

    def owners(self, searcher: int, scope: str) -> np.ndarray:
        """Owner agencies whose reads `searcher` may search in `scope` (ascending indices)."""
        m = self.matrix[_check_scope(scope)]
        return m.indices[m.indptr[searcher]:m.indptr[searcher + 1]].copy()

    def can_search(self, searcher: int, owner: int, scope: str) -> bool:
        return bool(self.matrix[_check_scope(scope)][searcher, owner])


def _csr(cols: list[np.ndarray], counts: list[np.ndarray], n: int) -> sparse.csr_matrix:
    indices = np.concatenate(cols) if cols else np.zeros(0, dtype=np.int32)
    indptr = np.zeros(n + 1, dtype=np.int64 if len(indices) >= 2**31 else np.int32)
    if counts:
        np.cumsum(np.concatenate(counts), out=indptr[1:])
    data = np.ones(len(indices), dtype=bool)
    return sparse.csr_matrix((data, indices, indptr), shape=(n, n), copy=False)


def _check_scope(scope: str) -> str:
    if scope not in ACCESS_SCOPES:
        raise ValueError(f"scope must be one of {list(ACCESS_SCOPES)}, got {scope!r}")
    return scope


def federal_reach(world: World, effects: PolicyEffects) -> dict[str, dict[str, int | str]]:
    """For each federal unit, non-federal owners (agencies and private networks): ``direct``, reachable through a
    1:1 grant; ``lookup_only``, reachable through the unit's own national lookup and no grant (the channel
    `sim.model.federal_channels` calls ``lookup_only``); ``closed_by_law``, closed to it by a state law or the
    federal firewall (owners it would otherwise reach); with the cameras of each group (``direct_cameras``, ...);
    ``granted``: owners whose sharing list grants it 1:1, open or not (what published sharing lists count);
    ``unit``: the configured unit it is (`Agencies.unit`, "" if none). Keyed by display name. (world.json files
    written before the rename call ``lookup_only`` ``national_lookup``: `reports.charts.reach` reads both.)"""
    rules = _Rules.of(world, effects)
    fed = np.flatnonzero(rules.federal)
    out: dict[str, dict[str, int | str]] = {}
    if not len(fed):
        return out
    b = rules.block(fed)
    local = ~rules.federal[None, :]
    cams = np.asarray(world.agencies.cameras, dtype=np.int64)
    direct_raw = b["share"] & local
    lookup_raw = b["national"] & local & ~direct_raw
    open_ = ~b["law"] & ~b["scope"]
    groups = {"direct": direct_raw & open_, "lookup_only": lookup_raw & open_,
              "closed_by_law": (direct_raw | lookup_raw) & b["law"]}
    for i, f in enumerate(fed):
        row: dict[str, int | str] = {}
        for key, m in groups.items():
            row[key] = int(m[i].sum())
            row[f"{key}_cameras"] = int(cams[m[i]].sum())
        row["granted"] = int(direct_raw[i].sum())
        out[str(world.agencies.name[f])] = row | {"unit": str(world.agencies.unit[f])}
    return out


def reach_summary(world: World, effects: PolicyEffects) -> dict[str, dict]:
    """For `fedsim world`: per scope, the distribution over owners of the networks and cameras each may search;
    `federal_reach`; and per state, owner agencies and cameras by their widest federal channel (direct 1:1 grant,
    the units' own lookup only, proxies only, none: `sim.model.federal_channels.state_channels`); sharing links
between states (`sim.model.state_sharing`)."""
    from sim.model.federal_channels import owner_channels, state_channels  # it builds on this module
    from sim.model.state_sharing import state_sharing

    table = AccessTable(world, effects)
    police = is_police(world.agencies.kind)  # the searchers whose reach is compared (private owners never search)
    return {
        "access": {
            s: {"networks": stats(table.networks[s][police]), "cameras": stats(table.cameras[s][police])} for s in ACCESS_SCOPES
        },
        "federal_reach": federal_reach(world, effects),
        "federal_reach_by_state": state_channels(world, owner_channels(world, effects, table)),
        "state_sharing": state_sharing(world, effects),
    }
