"""What one search reaches: owners, networks, cameras and reads scanned, by flow category, per searcher.

Each reachable pair (searcher s, owner a) of the national scope of `sim.model.access.AccessTable` gets a
flow category: owner type x relation x path, with relation ``same_agency`` (a = s), ``federal`` (s is a
federal unit), ``in_state`` or ``out_of_state``, and path ``direct`` (own reads, or an edge a -> s of the
sharing graph: a 1:1 grant or statewide sharing) or ``opted_in`` (reachable only because a opted into lookups:
by a statewide or a national lookup, of any search type; flows tables written before the rename call it
``national_lookup``; not ``lookup``, the name of Flock's Lookup tool, a search type). A
scope is a set of categories (`scope_mask`), Flock's scopes: ``local`` = own reads;
``shared`` = own + every network sharing with the searcher 1:1 (direct path, any state);
``statewide`` = shared + the in-state networks opted into lookups (Flock's statewide lookup; assumption:
the national-lookup opt-in stands for the statewide one too); ``national`` = everything. A federal unit
has no state: its statewide searches cover what is shared with it 1:1 (direct path).

Searchers and owners. Rows are the searchers (the first ``Agencies.n_searchers`` rows: the agencies), columns
every owner, private networks included (owner types `OWNER_TYPES`; private owners never search).

Representation. At national scale the national scope holds ~34 million pairs, almost all through
national lookup, and those depend on the searcher only through its group (its state, or "federal"):
an opted-in owner refuses or admits a searcher by state law, firewall and sharing scope, all functions
of the group. So the reach is stored as a *pool* per group (G x owners, the lookup pairs) plus a sparse
*delta* per searcher (+1 own reads and shared edges, -1 where such a pair was counted in the pool as a
lookup): ~1.6 million entries instead of 34 million (the baseline, private networks included). The pool is
read from one AccessTable row per group and the delta from AccessTable membership of the sharing edges, so
the access rules stay in `sim.model.access`; a check that every searcher's pair count equals the AccessTable's guards the
decomposition. Both parts are CSR matrices with one row per (group or searcher, category, retention
class), so one pair of sparse products per day gives every searcher's reads per category.

Windows. A search at time t of day d with look-back k days covers [t - k, t]: the share f of day d's
traffic before t, the k - 1 whole days before, and the share 1 - f of day d - k, i.e. A_k + f B_k with
A_k = reads of days d-1..d-k and B_k = (day d) - (day d-k). A ring buffer of the daily products and a
running sum per k give both in a few array operations a day. Owners whose retention is shorter than a
window contribute only their retention: owners are grouped by min(retention, longest window), and a search with
look-back w finds min(w, retention) days of each owner's reads (a look-back beyond an owner's retention finds
nothing older: Okaloosa County SO ran such searches; docs/sources.md).
"""

from __future__ import annotations

import numpy as np
from scipy import sparse

from sim.config.behavior_alpr import SEARCH_SCOPES
from sim.model.access import AccessTable, policy_edges
from sim.model.alpr_columns import ColumnLayout
from sim.world.types import FEDERAL, OWNER_TYPES, World

RELATIONS: tuple[str, ...] = ("same_agency", "in_state", "out_of_state", "federal")
PATHS: tuple[str, ...] = ("direct", "opted_in")  # "opted_in": reached by a statewide or a national lookup
SAME, IN_STATE, OUT_STATE, FED_REL = range(4)
DIRECT, LOOKUP = range(2)
N_CAT = len(OWNER_TYPES) * len(RELATIONS) * len(PATHS)


def category(owner_type: np.ndarray | int, relation: np.ndarray | int, path: np.ndarray | int) -> np.ndarray | int:
    return (np.asarray(owner_type) * len(RELATIONS) + relation) * len(PATHS) + path


def category_parts(code: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(owner type, relation, path) of category codes."""
    code = np.asarray(code)
    return code // (len(RELATIONS) * len(PATHS)), (code // len(PATHS)) % len(RELATIONS), code % len(PATHS)


def scope_mask() -> np.ndarray:
    """bool [searcher is federal (0/1), scope, category]: which categories a scope covers."""
    _, rel, path = category_parts(np.arange(N_CAT))
    same = rel == SAME
    direct = path == DIRECT
    mask = np.zeros((2, len(SEARCH_SCOPES), N_CAT), dtype=bool)
    mask[:, 0] = same
    mask[:, 1] = direct
    mask[0, 2] = direct | (rel == IN_STATE)
    mask[1, 2] = direct  # a federal unit has no state: its statewide lookup is what is shared with it
    mask[:, 3] = True
    return mask


class Reach:
    """Per-searcher reach by category, and the per-day look-back windows of reads it scans."""

    def __init__(self, world: World, access: AccessTable, retention: np.ndarray, windows: tuple[int, ...],
                 opted: np.ndarray, federal_lookup: bool = True, federal_admitted: np.ndarray | None = None) -> None:
        """`opted`: bool per owner, its reads open to national lookup (`PolicyEffects.national_lookup`);
        `federal_lookup`: lookups open to federal units (`policy.federal_access: open`), else they reach only
        their 1:1 grants; `federal_admitted`: owners whose rules admit federal searchers."""
        a = world.agencies
        n = len(a)
        self.n = n  # owners (columns)
        self.n_s = a.n_searchers  # searchers (rows): the agencies, before the private owners
        self.windows = tuple(sorted(windows))
        self.max_window = self.windows[-1]
        # index in `windows` of each look-back day count 0..max_window: np.searchsorted(windows, w), the same
        # integers, by table (a day's ~51,000 searches, twice a day: a binary search per element costs ~3x more)
        self.window_index = np.searchsorted(self.windows, np.arange(self.max_window + 1))
        self.kind = np.asarray(a.kind, dtype=np.int64)
        self.state = np.asarray(a.state, dtype=np.int64)
        self.federal = self.kind == FEDERAL
        self.group = np.where(self.federal, 0, self.state + 1)  # per row: federal 0, else state + 1
        self.row_group = self.group[:self.n_s]  # per searcher: its row of the pools
        self.n_groups = int(self.group.max()) + 1 if n else 1
        nat = access.matrix["national"]
        opted = np.asarray(opted, dtype=bool)
        self.pool = self._pools(nat, opted)
        if not federal_lookup and self.federal.any():
            # the federal pool as it would be with lookups open (`federal_admitted`: owners whose rules admit federal
            # searchers), so that each unit's grants from opted-in owners are told apart from refusals below
            admitted = np.ones(n, dtype=bool) if federal_admitted is None else np.asarray(federal_admitted, dtype=bool)
            self.pool[0] = opted & admitted
        self.edge_s, self.edge_a = self._allowed_edges(world, access, nat, opted)
        if not federal_lookup:  # policy.federal_access closes lookups to federal units: only their 1:1 grants
            self.pool[0] = False  # (after the edges: a grant from an opted-in owner stays allowed)
        class_days = np.minimum(np.asarray(retention, dtype=np.int64), self.max_window)
        self.class_days, self.cls = np.unique(class_days, return_inverse=True)
        self.n_cls = len(self.class_days)
        self.one_class = self.n_cls == 1  # every owner keeps reads alike: `push` takes `_push_one_class`
        self.k = N_CAT * self.n_cls
        self.pool_st, self.delta_st = self._stacked()
        self._check(np.diff(nat.indptr)[:self.n_s])
        # The daily windows keep only the categories of `layout` (a speed trick, `sim.model.alpr_columns`): a
        # category with no entry in either matrix is +0.0 for every searcher and day. Row subsets of the matrices
        # (scipy keeps each row's entries in order: each kept row's product is the same bytes).
        nnz_cat = np.flatnonzero(np.diff(self.pool_st.indptr) > 0) // self.n_cls % N_CAT
        nnz_cat = np.concatenate([nnz_cat, np.flatnonzero(np.diff(self.delta_st.indptr) > 0) // self.n_cls % N_CAT])
        self.layout = ColumnLayout(np.bincount(nnz_cat, minlength=N_CAT) > 0)
        self._pool_w, self._delta_w = (self._kept_rows(m, n_rows) for m, n_rows in
                                       ((self.pool_st, self.n_groups), (self.delta_st, self.n_s)))
        cams = np.asarray(a.cameras, dtype=float)
        self.networks = self.product((cams > 0).astype(float)).sum(axis=2)  # (searchers, N_CAT)
        self.cameras = self.product(cams).sum(axis=2)
        self.mask = scope_mask()
        # the days a window finds of a retention class, min(window, class days); the ring holds the daily products
        # of the longest of them (a look-back beyond every owner's retention needs no older day: a 90-day custom
        # range in a world of 30-day owners keeps the ring at 31 days, 50 MB nationally, not 91)
        self.ks = sorted({min(w, int(d)) for w in self.windows for d in self.class_days})
        width = self.layout.width
        self.ring = np.zeros((self.ks[-1] + 1, self.n_s, width, self.n_cls))
        self.sums = {k: np.zeros((self.n_s, width, self.n_cls)) for k in self.ks}
        # `push`'s windows A, B, rewritten every day (a speed trick: 2 x 6 MB nationally not allocated and
        # page-faulted afresh each day); what `push` returns holds until its next call
        self._a_out = np.empty((len(self.windows), self.n_s, width))
        self._b_out = np.empty_like(self._a_out)
        self.day = 0

    def _pools(self, nat: sparse.csr_matrix, opted: np.ndarray) -> np.ndarray:
        """bool [group, owner]: opted-in owners every searcher of the group reaches (own reads aside)."""
        pool = np.zeros((self.n_groups, self.n), dtype=bool)
        for g in np.unique(self.row_group).tolist():
            members = np.flatnonzero(self.row_group == g)
            rep = int(members[0])
            pool[g, nat.indices[nat.indptr[rep]:nat.indptr[rep + 1]]] = True
            pool[g, rep] = len(members) > 1 and bool(nat[int(members[1]), rep])
            pool[g] &= opted
        return pool

    def _allowed_edges(self, world: World, access: AccessTable, nat: sparse.csr_matrix,
                       opted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(searcher, owner) of the sharing edges the policy lets through: in the pool for opted-in owners,
        else looked up in the AccessTable's columns of the other owners (a small matrix)."""
        src, dst = (x.astype(np.int64) for x in policy_edges(world, access.effects))
        allowed = np.zeros(len(src), dtype=bool)
        lookup = opted[src]
        allowed[lookup] = self.pool[self.group[dst[lookup]], src[lookup]]
        others = np.flatnonzero(~opted)
        sub = nat[:, others].tocoo()
        keys = np.sort(sub.row.astype(np.int64) * self.n + others[sub.col])
        q = dst[~lookup] * self.n + src[~lookup]
        pos = np.minimum(np.searchsorted(keys, q), max(len(keys) - 1, 0))
        allowed[~lookup] = keys[pos] == q if len(keys) else False
        return dst[allowed], src[allowed]

    def _relation(self, s: np.ndarray, a: np.ndarray) -> np.ndarray:
        rel = np.where(self.federal[s], FED_REL, np.where(self.state[s] == self.state[a], IN_STATE, OUT_STATE))
        return np.where(s == a, SAME, rel)

    def _stacked(self) -> tuple[sparse.csr_matrix, sparse.csr_matrix]:
        g, cols = np.nonzero(self.pool)
        rel_pool = np.where(g == 0, FED_REL, np.where(self.state[cols] + 1 == g, IN_STATE, OUT_STATE))
        pool_code = category(self.kind[cols], rel_pool, LOOKUP)
        pool_st = self._csr(g, pool_code, cols, np.ones(len(cols)), self.n_groups)
        own = np.arange(self.n_s)
        own_pool = self.pool[self.row_group, own]
        s, o = self.edge_s, self.edge_a
        rel = self._relation(s, o)
        in_pool = self.pool[self.group[s], o]
        rows = np.concatenate([own, own[own_pool], s, s[in_pool]])
        owners = np.concatenate([own, own[own_pool], o, o[in_pool]])
        code = np.concatenate([
            category(self.kind[own], SAME, DIRECT),
            category(self.kind[own[own_pool]], np.where(self.federal[own[own_pool]], FED_REL, IN_STATE), LOOKUP),
            category(self.kind[o], rel, DIRECT),
            category(self.kind[o[in_pool]], rel[in_pool], LOOKUP),
        ])
        data = np.concatenate([np.ones(self.n_s), -np.ones(int(own_pool.sum())), np.ones(len(s)),
                               -np.ones(int(in_pool.sum()))])
        return pool_st, self._csr(rows, code, owners, data, self.n_s)

    def _csr(self, rows: np.ndarray, code: np.ndarray, owners: np.ndarray, data: np.ndarray, n_rows: int) -> sparse.csr_matrix:
        r = (rows * N_CAT + code) * self.n_cls + self.cls[owners]
        return sparse.csr_matrix((data, (r, owners)), shape=(n_rows * self.k, self.n))

    def _check(self, expected: np.ndarray) -> None:
        got = self.product(np.ones(self.n)).sum(axis=(1, 2))
        bad = np.flatnonzero(np.abs(got - expected) > 0.5)
        if len(bad):
            raise RuntimeError(f"ALPR reach decomposition disagrees with AccessTable for searchers {bad[:5].tolist()} "
                               f"({got[bad[:5]].tolist()} vs {expected[bad[:5]].tolist()} owners): have the access "
                               "rules started to depend on more than the searcher's state and type?")

    def _kept_rows(self, m: sparse.csr_matrix, n_rows: int) -> sparse.csr_matrix:
        """The rows (row, category of `layout.cols`, class) of a stacked matrix, in that order."""
        r = np.arange(n_rows)[:, None, None] * N_CAT + self.layout.cols[None, :, None]
        return m[(r * self.n_cls + np.arange(self.n_cls)[None, None, :]).ravel()]

    def product(self, x: np.ndarray, out: np.ndarray | None = None, kept: bool = False) -> np.ndarray:
        """Sum of x (per owner) over each searcher's reachable owners per category and retention class:
        (searchers, N_CAT, n_cls[, m]), or with `kept` only the categories `layout.cols` (searchers,
        layout.width, n_cls[, m]); into `out` (C-contiguous, that shape) when given."""
        tail = x.shape[1:]
        pool, delta, width = (self._pool_w, self._delta_w, self.layout.width) if kept else \
            (self.pool_st, self.delta_st, N_CAT)
        p = (pool @ x).reshape(self.n_groups, width, self.n_cls, *tail)
        d = (delta @ x).reshape(self.n_s, width, self.n_cls, *tail)
        if out is None:
            return p[self.row_group] + d
        # p[row_group] + d written in place: the same additions, without two fresh (searchers, N_CAT, n_cls) arrays
        # and a copy a day (`push`). mode="clip": `take` with `out` copies through a buffer in "raise" mode, and
        # every group index is valid.
        np.take(p, self.row_group, axis=0, mode="clip", out=out)
        out += d
        return out

    def prefill(self, history: np.ndarray) -> None:
        """`history[j]` = per-owner reads of the day aged j + 1 before the first day (j < max_window)."""
        m = min(len(history), len(self.ring) - 1)  # no window finds an older day
        if m:
            y = self.product(np.ascontiguousarray(history[:m].T, dtype=float), kept=True)
            for j in range(m):
                self.ring[(-1 - j) % len(self.ring)] = y[..., j]
        for k, total in self.sums.items():
            total[:] = sum(self.ring[(-1 - j) % len(self.ring)] for j in range(k))

    def push(self, reads: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Add a day's reads per owner; return that day's windows A, B of shape (len(windows), searchers,
        layout.width), the categories `layout.cols` (buffers of this object: valid until the next `push`)."""
        size = len(self.ring)
        today = self.product(reads.astype(float), out=self.ring[self.day % size], kept=True)  # today's ring slot
        a_out, b_out = self._a_out, self._b_out  # every slot is set by its first class (j = 0)
        if self.one_class:
            self._push_one_class(today, a_out, b_out)
            return a_out, b_out
        delta = {k: today - self.ring[(self.day - k) % size] for k in self.ks}
        for i, w in enumerate(self.windows):
            for j, days in enumerate(self.class_days.tolist()):
                k = min(w, days)
                if j == 0:
                    a_out[i] = self.sums[k][:, :, 0]
                    b_out[i] = delta[k][:, :, 0]
                else:
                    a_out[i] += self.sums[k][:, :, j]
                    b_out[i] += delta[k][:, :, j]
        for k in self.ks:
            self.sums[k] += delta[k]
        self.day += 1
        return a_out, b_out

    def _push_one_class(self, today: np.ndarray, a_out: np.ndarray, b_out: np.ndarray) -> None:
        """`push` when every owner keeps reads alike (one retention class, as in the baseline): the same
        subtractions and sums, each window's B written straight into its slot of `b_out`. A speed trick: the
        general path makes a fresh (searchers, N_CAT) difference per look-back (1.6 MB nationally, page faults
        included) and copies it into `b_out`; here that copy and those allocations go (~2 ms of a national
        day's ~8 ms push, measured)."""
        size = len(self.ring)
        days = int(self.class_days[0])
        first: dict[int, int] = {}  # k -> the slot of b_out that holds today - (the day k days ago)
        for i, w in enumerate(self.windows):
            k = min(w, days)
            a_out[i] = self.sums[k][:, :, 0]
            if k in first:  # look-backs beyond the retention share its difference
                b_out[i] = b_out[first[k]]
            else:
                np.subtract(today[:, :, 0], self.ring[(self.day - k) % size][:, :, 0], out=b_out[i])
                first[k] = i
        for k in self.ks:
            self.sums[k][:, :, 0] += b_out[first[k]]
        self.day += 1

    def category_counts(self, searcher: int) -> np.ndarray:
        """(N_CAT, owners) reach of one searcher: 1 where the pair is in that category (for checks)."""
        def rows(m: sparse.csr_matrix, i: int) -> np.ndarray:
            return m[i * self.k:(i + 1) * self.k].toarray().reshape(N_CAT, self.n_cls, self.n).sum(axis=1)
        return rows(self.pool_st, int(self.group[searcher])) + rows(self.delta_st, searcher)

    def owners(self, searcher: int, scope: str) -> np.ndarray:
        """Owner agencies (ascending) a search by `searcher` in `scope` reaches."""
        cats = self.mask[int(self.federal[searcher]), SEARCH_SCOPES.index(scope)]
        return np.flatnonzero(self.category_counts(searcher)[cats].sum(axis=0) > 0.5)

    def audit_counts(self, per_searcher_category: np.ndarray) -> np.ndarray:
        """Audit records per owner, given how many searches of each searcher covered each category
        (searchers, N_CAT)."""
        z = np.repeat(per_searcher_category[:, :, None], self.n_cls, axis=2)
        zg = np.zeros((self.n_groups, N_CAT, self.n_cls))
        np.add.at(zg, self.row_group, z)
        return self.pool_st.T @ zg.ravel() + self.delta_st.T @ z.ravel()

    def searcher_owner_pairs(self) -> tuple[np.ndarray, np.ndarray]:
        """(searcher, owner) pairs of the national scope outside the group pools: own reads and shared edges."""
        own = np.arange(self.n_s)
        return np.concatenate([own, self.edge_s]), np.concatenate([own, self.edge_a])
