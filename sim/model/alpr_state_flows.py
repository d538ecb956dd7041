"""Flows where people live: the whole-run ``flows_by_state`` table, the flows keyed by owner and searcher state.

The daily ``flows`` table (`sim.model.alpr_flows`) is national: per day and (owner type, searcher type,
relation, path). Keeping the day and adding both states would multiply its cells by up to 52 x 52 (the
states and FED, the federal units): up to a row per whole-run cell and day, 30 times the whole-run table in a
30-day run (national baseline: 36,332 whole-run rows, 3.2 MB of CSV; benchmarks/README.md), so the state split
is over the run. One row per cell (owner_state,
searcher_state, owner_type, searcher_type, relation, path) with:

- ``searches``: searches run from searcher_state that reached at least one camera network of owner_state in
  the cell (what the daily flows count, per owner state: a search reaching networks of three states counts
  once in each, so over owner_state it sums to at least the national count; over searcher_state exactly);
- ``owner_entries``: audit entries the cell's owners received, searches x owners whose networks the scope
  covered (owners with cameras: a federal unit's own row has none); summed per owner state it is ``by_state``'s
  ``audit.records_received`` (same definition), and over all cells the national ``audit.owner_entries``;
- ``records``: results attributed to the cell. Per searcher and category this is the daily flows' own
  attribution (results in proportion to reads scanned), summed over the run; it is split across owner states
  (only ``out_of_state`` and ``federal`` categories span several) in proportion to what the searcher's own
  searches found there: per look-back w, the results per read of its searches with that look-back whose scope
  covered the category, times the reads each state's owners hold for such a search, their expected reads per
  day x min(w, retention) (`StateFlows.per_read`, `look_back_days`). Over owner states it sums to the national
  records exactly. What is left out: a day's reads differ from their mean by Poisson noise (relative
  1/sqrt(reads), ~1e-4 for a state's month); following it would take a (rows x look-backs) product over the
  group-resolved reach every day, ~360,000 rows and 65-100 ms a day nationally for a first version (measured),
  against one bincount a day here. A state's retention change moves another state's records by that noise only
  (tested: 2e-5, where the split by run-average look-back weights it replaces moved them by 0.5-2%).

Proxy lookups (local officers for a federal unit) are rows of searcher type ``federal``, relation ``federal``,
path ``proxy`` as in ``flows``, with searcher_state the state of the agency that ran them.

Why this costs little: whether a search touches a category depends only on its searcher and scope (and on
moderation, which empties the scope), so searches and entries come from the whole-run counts per (searcher,
scope) kept by `sim.model.alpr_places.AgencyTally` and the reach; per day only the records per (searcher,
category) are summed, one sparse product, and the results per read per (look-back, searcher, scope), one
bincount. At the end the reach is multiplied by per-state owner indicators (searchers in chunks of `CHUNK`, so
the arrays of a chunk stay near 10 MB each). Sums go through scipy's sparse loops and einsum, never BLAS, so
results do not depend on thread counts.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse

from sim.config.behavior_alpr import SEARCH_SCOPES
from sim.geo.states import FEDERAL_STATE, STATE_CODES
from sim.model.alpr_reach import N_CAT, PATHS, RELATIONS, Reach, category_parts
from sim.world.types import AGENCY_TYPES, FEDERAL, OWNER_TYPES

CHUNK = 250  # searchers per block of the end-of-run products: (CHUNK, N_CAT, 2 + retention classes, groups) floats
COLUMNS = ("owner_state", "searcher_state", "owner_type", "searcher_type", "relation", "path", "searches",
           "owner_entries", "records")


def group_labels(n_groups: int) -> list[str]:
    """Label per reach group: 0 the federal units, g the state of index g - 1."""
    return [FEDERAL_STATE] + [STATE_CODES[g - 1] for g in range(1, n_groups)]


def collapse_classes(m: sparse.csr_matrix, n_cls: int) -> sparse.csr_matrix:
    """A reach matrix (rows (row, category, retention class)) with its class rows summed: rows (row, category)."""
    coo = m.tocoo()
    return sparse.csr_matrix((coo.data, (coo.row // n_cls, coo.col)), shape=(m.shape[0] // n_cls, m.shape[1]))


class StateFlows:
    """Whole-run records per (searcher, category), and the ``flows_by_state`` rows built from them at the end."""

    def __init__(self, reach: Reach, kind: np.ndarray, has_cam: np.ndarray, owner_rate: np.ndarray) -> None:
        """`owner_rate`: expected reads per owner-day (`sim.model.alpr_reads.Reads.owner_rate`)."""
        self.reach = reach
        self.kind = np.asarray(kind, dtype=np.int64)
        self.has_cam = np.asarray(has_cam, dtype=bool)
        self.owner_rate = np.asarray(owner_rate, dtype=float)
        # own searches by searcher, then proxy lookups by runner; the categories `reach.layout.cols` only (the
        # others scan no reads: +0.0, as `table` restores them; a speed trick, `sim.model.alpr_columns`)
        self._records = np.zeros((2 * reach.n_s, reach.layout.width))
        # results per read summed per (look-back, own 0 / proxy 1, searcher, scope): what weighs each look-back's
        # reads in a searcher's split (`table`)
        self.per_read = np.zeros((len(reach.windows), 2, reach.n_s, len(SEARCH_SCOPES)))

    def add_day(self, searcher: np.ndarray, per_read: np.ndarray, per_cat: np.ndarray, proxy: np.ndarray,
                window: np.ndarray, scope: np.ndarray) -> None:
        """A day's searches (any order, all arrays in the same one): `per_read` results per read scanned (0 for a
        search moderation blocked: it scans nothing), `per_cat` (searches, N_CAT) reads scanned per category,
        `window` look-back days, `scope` index in SEARCH_SCOPES; per_cat's columns are `reach.layout.cols`."""
        k = len(per_read)
        rows = np.asarray(searcher, dtype=np.int32) + np.int32(self.reach.n_s) * np.asarray(proxy, dtype=np.int32)
        # The selection matrix is built as CSC, one entry per column (search), straight from its arrays: no COO
        # to CSR conversion (sorting the entries) a day. CSC's product adds each search's row into its
        # searcher's row in search order, the order the CSR product of the same matrix adds them in, so the
        # sums are the same bytes. int32 indices: rows < 2 x agencies, columns < a day's searches.
        pick = sparse.csc_matrix((per_read, rows, np.arange(k + 1, dtype=np.int32)), shape=(len(self._records), k))
        self._records += pick @ per_cat
        w = self.reach.window_index[window]  # look-backs are a few day counts: their index (by table)
        code = ((w * 2 + np.asarray(proxy, dtype=np.int64)) * self.reach.n_s + searcher) * len(SEARCH_SCOPES) + scope
        self.per_read += np.bincount(code, weights=per_read, minlength=self.per_read.size).reshape(self.per_read.shape)

    @property
    def records(self) -> np.ndarray:
        """(2 x searchers, N_CAT) results attributed per (searcher, category), own searches then proxy lookups."""
        return self.reach.layout.expand(self._records)

    def look_back_days(self) -> np.ndarray:
        """(look-back, retention class): the days of reads a search with that look-back finds of an owner of that
        class, min(look-back, retention)."""
        r = self.reach
        return np.minimum(np.asarray(r.windows, dtype=float)[:, None], r.class_days[None, :])

    def table(self, own: np.ndarray, proxy: np.ndarray) -> dict[str, object]:
        """The rows (`COLUMNS`, sorted by the six keys): `own`, `proxy` (searchers x scopes) the run's searches
        that ran (moderation's blocked ones excluded) and proxy lookups per running agency (rows beyond the
        searchers, the private owners', are ignored)."""
        r = self.reach
        n, ns, g_n, t_n, o_n = r.n, r.n_s, r.n_groups, len(AGENCY_TYPES), len(OWNER_TYPES)
        own, proxy = own[:ns], proxy[:ns]
        rp = len(RELATIONS) * len(PATHS)  # categories per owner type (contiguous: `category`)
        # X: per owner one column per (weight, owner group): networks (has cameras: an audit entry each, none for
        # a camera-less federal unit's own row), then its expected reads per day in the column of its retention
        # class (times `look_back_days`: what a search finds)
        n_x = 1 + r.n_cls
        weights = np.concatenate([self.has_cam.astype(float), self.owner_rate])
        rows = np.tile(np.arange(n), 2)
        cols = np.concatenate([r.group, (1 + r.cls) * g_n + r.group])
        x = sparse.csr_matrix((weights, (rows, cols)), shape=(n, n_x * g_n))
        days = self.look_back_days()
        pool = (collapse_classes(r.pool_st, r.n_cls) @ x).toarray().reshape(g_n, N_CAT, n_x, g_n)
        delta = collapse_classes(r.delta_st, r.n_cls)
        mask = r.mask.astype(float)
        fed = r.federal[:ns].astype(np.int64)
        z_own = np.einsum("ns,nsc->nc", own, mask[fed])  # searches that covered each category, per searcher
        z_prx = np.einsum("ns,sc->nc", proxy, mask[0])  # proxies are run by non-federal agencies
        key = r.row_group * t_n + self.kind[:ns]  # (searcher state, searcher type)
        shape_own = (g_n * t_n, N_CAT * g_n)
        acc = {k: np.zeros(shape_own) for k in ("searches", "owner_entries", "records")}
        pacc = {k: np.zeros((g_n, o_n * g_n)) for k in acc}  # per (runner state, owner type, owner state)
        all_records = self.records
        for lo in range(0, ns, CHUNK):
            hi = min(lo + CHUNK, ns)
            m = hi - lo
            reach = (delta[lo * N_CAT:hi * N_CAT] @ x).toarray().reshape(m, N_CAT, n_x, g_n) + pool[r.row_group[lo:hi]]
            entries = reach[:, :, 0]  # networks covered, per (category, owner group)
            touched = entries > 0.5
            held = reach[:, :, 1:]  # (m, N_CAT, retention class, group): expected reads per day
            records = all_records[lo:hi]
            prx_records = all_records[ns + lo:ns + hi]
            # per (searcher, category, group): results per read of its searches covering the category, per
            # look-back, times the reads that look-back finds there (days held x expected reads per day)
            w_own = np.einsum("wms,msc,wk->mck", self.per_read[:, 0, lo:hi], mask[fed[lo:hi]], days)
            w_prx = np.einsum("wms,sc,wk->mck", self.per_read[:, 1, lo:hi], mask[0], days)  # proxies: not federal
            split = _split(records, np.einsum("mck,mckg->mcg", w_own, held), entries)
            pick = sparse.csr_matrix((np.ones(m), (key[lo:hi], np.arange(m))), shape=(g_n * t_n, m))
            acc["searches"] += pick @ (z_own[lo:hi, :, None] * touched).reshape(m, -1)
            acc["owner_entries"] += pick @ (z_own[lo:hi, :, None] * entries).reshape(m, -1)
            acc["records"] += pick @ split.reshape(m, -1)
            run = np.flatnonzero(proxy[lo:hi].sum(axis=1) > 0)
            if not len(run):
                continue
            k = len(run)
            ppick = sparse.csr_matrix((np.ones(k), (r.row_group[lo + run], np.arange(k))), shape=(g_n, k))
            by_type = touched[run].reshape(k, o_n, rp, g_n)
            hit = np.zeros((k, o_n, g_n))
            for sc in range(proxy.shape[1]):  # a proxy search touches an owner type where any covered category has networks
                covers = mask[0, sc].reshape(o_n, rp)[None, :, :, None] > 0
                hit += proxy[lo + run, sc][:, None, None] * (by_type & covers).any(axis=2)
            pacc["searches"] += ppick @ hit.reshape(k, -1)
            pacc["owner_entries"] += ppick @ (z_prx[lo + run, :, None] * entries[run]).reshape(k, o_n, rp, g_n).sum(
                axis=2).reshape(k, -1)
            rec = _split(prx_records[run], np.einsum("mck,mckg->mcg", w_prx[run], held[run]), entries[run])
            pacc["records"] += ppick @ rec.reshape(k, o_n, rp, g_n).sum(axis=2).reshape(k, -1)
        return _rows(acc, pacc, g_n, t_n)


def _split(records: np.ndarray, held: np.ndarray, entries: np.ndarray) -> np.ndarray:
    """(searchers, N_CAT, groups): each (searcher, category)'s records split over owner groups by `held`, the
    reads its searches found there in expectation; a cell with none (no results per read recorded for it) but
    records splits by the networks its searches covered (`entries`: records come from cameras, so such a cell
    covers some)."""
    total = held.sum(axis=2)
    out = np.divide(records, total, out=np.zeros_like(records), where=total > 0)[:, :, None] * held
    bad = (total <= 0) & (records != 0)
    if bad.any():
        owners = entries[bad]
        out[bad] = records[bad][:, None] * owners / np.maximum(owners.sum(axis=1, keepdims=True), 1.0)
    return out


def _rows(acc: dict[str, np.ndarray], pacc: dict[str, np.ndarray], g_n: int, t_n: int) -> dict[str, object]:
    """`t_n` searcher types; owner types are `OWNER_TYPES`."""
    labels = np.asarray(group_labels(g_n))
    types = np.asarray(AGENCY_TYPES)
    owner_types = np.asarray(OWNER_TYPES)
    o_n = len(OWNER_TYPES)
    own = np.stack([acc[k].reshape(g_n * t_n, N_CAT, g_n) for k in ("searches", "owner_entries", "records")])
    sk, c, og = np.nonzero((own != 0).any(axis=0))
    ot, rel, path = category_parts(c)
    prx = np.stack([pacc[k].reshape(g_n, o_n, g_n) for k in ("searches", "owner_entries", "records")])
    pg, pt, pog = np.nonzero((prx != 0).any(axis=0))
    n_p = len(pg)
    data: dict[str, np.ndarray] = {
        "owner_state": np.concatenate([labels[og], labels[pog]]),
        "searcher_state": np.concatenate([labels[sk // t_n], labels[pg]]),
        "owner_type": np.concatenate([owner_types[ot], owner_types[pt]]),
        "searcher_type": np.concatenate([types[sk % t_n], np.full(n_p, AGENCY_TYPES[FEDERAL])]),
        "relation": np.concatenate([np.asarray(RELATIONS)[rel], np.full(n_p, "federal")]),
        "path": np.concatenate([np.asarray(PATHS)[path], np.full(n_p, "proxy")]),
    }
    for i, name in enumerate(("searches", "owner_entries", "records")):
        data[name] = np.concatenate([own[i][sk, c, og], prx[i][pg, pt, pog]])
    order = np.lexsort([data[k] for k in reversed(COLUMNS[:6])])
    return {k: v[order] for k, v in data.items()}
