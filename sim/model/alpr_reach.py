"""What one search reaches: owners, networks, cameras and reads scanned, by flow category, per searcher.

Built once from the national-scope matrix of `sim.world.access.AccessTable` (searchers x owners; the
local and statewide scopes are subsets of it, see below) and the sharing graph. Each reachable pair
(searcher s, owner a) gets a flow category: owner type x relation x path, with

- relation ``same_agency`` (a = s), ``federal`` (s is a federal unit), ``in_state`` or ``out_of_state``;
- path ``direct`` (own reads, a 1:1 grant or statewide sharing: an edge a -> s of the graph) or
  ``national_lookup`` (reachable only because a opted into national lookup).

A scope is then a set of categories (`scope_mask`): ``local`` = own reads; ``statewide`` = own + direct
in-state; ``national`` = everything (the AccessTable's national scope). A federal unit has no state: its
non-national searches cover what is shared with it 1:1 (direct path). The pairs are stored as one CSR
matrix with a row per (searcher, category, retention class), so a single sparse product per day,
``stacked @ reads_of_the_day``, gives every searcher's reads per category; a ring buffer of these
per-day products over the longest look-back gives any look-back window by sums (no per-search work
over owners). Owners whose retention is shorter than a window only contribute their retention:
owners are grouped by min(retention, longest window) ("retention classes").

A search at time t of day d with look-back k days covers [t - k, t]: the share f of day d's traffic
before t, the k - 1 whole days before, and the share 1 - f of day d - k, i.e. A_k + f B_k with
A_k = sum of ages 1..k and B_k = (age 0) - (age k).
"""

from __future__ import annotations

import numpy as np
from scipy import sparse

from sim.world.access import AccessTable
from sim.world.sharing import edge_arrays
from sim.world.types import AGENCY_TYPES, FEDERAL, World

RELATIONS: tuple[str, ...] = ("same_agency", "in_state", "out_of_state", "federal")
PATHS: tuple[str, ...] = ("direct", "national_lookup")
SCOPES: tuple[str, ...] = ("local", "statewide", "national")
SAME, IN_STATE, OUT_STATE, FED_REL = range(4)
DIRECT, LOOKUP = range(2)
N_CAT = len(AGENCY_TYPES) * len(RELATIONS) * len(PATHS)


def category(owner_type: np.ndarray | int, relation: np.ndarray | int, path: np.ndarray | int) -> np.ndarray | int:
    return (owner_type * len(RELATIONS) + relation) * len(PATHS) + path


def category_parts(code: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(owner type, relation, path) of category codes."""
    code = np.asarray(code)
    return code // (len(RELATIONS) * len(PATHS)), (code // len(PATHS)) % len(RELATIONS), code % len(PATHS)


def scope_mask() -> np.ndarray:
    """bool [searcher is federal (0/1), scope, category]: which categories a scope covers."""
    _, rel, path = category_parts(np.arange(N_CAT))
    same = rel == SAME
    mask = np.zeros((2, len(SCOPES), N_CAT), dtype=bool)
    mask[0, 0] = same
    mask[0, 1] = same | ((rel == IN_STATE) & (path == DIRECT))
    mask[1, 0] = same
    mask[1, 1] = path == DIRECT
    mask[:, 2] = True
    return mask


class Reach:
    """Per-searcher reach by category, and the per-day windows of reads it scans."""

    def __init__(self, world: World, access: AccessTable, retention: np.ndarray, windows: tuple[int, ...]) -> None:
        a = world.agencies
        n = len(a)
        self.n = n
        self.windows = tuple(sorted(windows))
        self.max_window = self.windows[-1]
        kind = np.asarray(a.kind, dtype=np.int64)
        state = np.asarray(a.state, dtype=np.int64)
        self.federal = kind == FEDERAL
        nat = access.matrix["national"]
        src, dst = edge_arrays(world.sharing)
        shares = sparse.csr_matrix((np.ones(len(src), dtype=bool), (dst, src)), shape=(n, n), dtype=bool)
        marked = (nat.astype(np.int8) + nat.multiply(shares).astype(np.int8)).tocsr()
        marked.sort_indices()
        rows = np.repeat(np.arange(n, dtype=np.int64), np.diff(marked.indptr))
        cols = marked.indices.astype(np.int64)
        rel = np.where(self.federal[rows], FED_REL, np.where(state[rows] == state[cols], IN_STATE, OUT_STATE))
        own = rows == cols
        rel[own] = SAME
        path = np.where((marked.data == 2) | own, DIRECT, LOOKUP)
        code = category(kind[cols], rel, path)
        del rel, path, own, marked
        class_days = np.minimum(np.asarray(retention, dtype=np.int64), self.max_window)
        self.class_days, cls = np.unique(class_days, return_inverse=True)
        self.n_cls = len(self.class_days)
        k = N_CAT * self.n_cls
        new_rows = rows * k + code * self.n_cls + cls[cols]
        del rows, code
        self.stacked = sparse.csr_matrix(
            (np.ones(len(cols), dtype=np.float64), (new_rows, cols)), shape=(n * k, n)
        )
        del new_rows, cols
        cams = np.asarray(a.cameras, dtype=float)
        self.networks = self._collapse(self.stacked @ (cams > 0).astype(float))  # (n, N_CAT)
        self.cameras = self._collapse(self.stacked @ cams)
        self.mask = scope_mask()
        self.ring = np.zeros((self.max_window + 1, n, N_CAT, self.n_cls))
        self.day = 0

    def _collapse(self, flat: np.ndarray) -> np.ndarray:
        return flat.reshape(self.n, N_CAT, self.n_cls).sum(axis=2)

    def prefill(self, history: np.ndarray) -> None:
        """`history[j]` = per-owner reads of the day aged j + 1 before the first day (j < max_window)."""
        m = min(len(history), self.max_window)
        if m == 0:
            return
        y = self.stacked @ np.ascontiguousarray(history[:m].T)  # (n * k, m)
        for j in range(m):
            self.ring[(-1 - j) % len(self.ring)] = y[:, j].reshape(self.n, N_CAT, self.n_cls)

    def push(self, reads: np.ndarray) -> None:
        """The reads per owner of a new day."""
        self.ring[self.day % len(self.ring)] = (self.stacked @ reads.astype(float)).reshape(self.n, N_CAT, self.n_cls)
        self.day += 1

    def windows_today(self) -> tuple[np.ndarray, np.ndarray]:
        """A, B of shape (len(windows), n, N_CAT): reads in a look-back at traffic share f are A + f B."""
        size = len(self.ring)
        ages = (self.day - 1 - np.arange(size)) % size
        by_age = self.ring[ages]  # age 0 = today
        cum = np.cumsum(by_age, axis=0)  # cum[m] = ages 0..m
        a_out = np.zeros((len(self.windows), self.n, N_CAT))
        b_out = np.zeros_like(a_out)
        for i, w in enumerate(self.windows):
            for j, days in enumerate(self.class_days.tolist()):
                kk = min(w, days)
                a_out[i] += cum[kk, :, :, j] - cum[0, :, :, j]
                b_out[i] += by_age[0, :, :, j] - by_age[kk, :, :, j]
        return a_out, b_out

    def owners(self, searcher: int, scope: str) -> np.ndarray:
        """Owner agencies (ascending) a search by `searcher` in `scope` reaches."""
        k = N_CAT * self.n_cls
        cats = np.flatnonzero(self.mask[int(self.federal[searcher]), SCOPES.index(scope)])
        rows = searcher * k + (cats[:, None] * self.n_cls + np.arange(self.n_cls)[None, :]).ravel()
        return np.unique(np.concatenate([self.stacked.indices[self.stacked.indptr[r]:self.stacked.indptr[r + 1]]
                                         for r in rows.tolist()]))

    def audit_counts(self, per_searcher_category: np.ndarray) -> np.ndarray:
        """Audit records per owner, given how many searches of each searcher covered each category (n, N_CAT)."""
        z = np.repeat(per_searcher_category[:, :, None], self.n_cls, axis=2).ravel()
        return self.stacked.T @ z
