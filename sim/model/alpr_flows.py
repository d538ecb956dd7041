"""The data-flow table for one day's searches: owner type -> searcher type, by relation and path.

Per cell (owner type: `OWNER_TYPES`, private networks included; searcher type, relation, path): ``searches`` =
searches that reached at least one camera network of that cell; ``records`` = results attributed to the cell in
proportion to the reads it contributed to each search's scan. Proxy lookups (local officers for a federal unit) go
to searcher type ``federal``, relation ``federal``, path ``proxy``, whatever local reach they used.
"""

from __future__ import annotations

import numpy as np

from sim.model.alpr_reach import N_CAT, PATHS, RELATIONS, category_parts
from sim.model.metrics import FlowTable
from sim.world.types import AGENCY_TYPES, FEDERAL, OWNER_TYPES


def flow_rows(searcher_kind: np.ndarray, proxy: np.ndarray) -> np.ndarray:
    """Each search's row of the day's flow table (int8): its searcher's type, proxy lookups in a row of their own
    after the types."""
    return np.where(proxy, len(AGENCY_TYPES), searcher_kind).astype(np.int8)


def add_day(flows: FlowTable, day: int, searcher_kind: np.ndarray, per_cat: np.ndarray, scanned: np.ndarray,
            touched: np.ndarray, results: np.ndarray, proxy: np.ndarray) -> None:
    """`per_cat`: (searches, N_CAT) reads scanned per category, `scanned` its row sums; `touched`: networks
    reached there (bool). Any order of searches; cheapest when already ordered by flow row (searcher type,
    proxies last), as `AlprModel` builds them: each row's searches are then one contiguous block."""
    n_types = len(AGENCY_TYPES)
    touched = np.asarray(touched, dtype=bool)  # no copy when it is (summed as bytes below)
    row = flow_rows(searcher_kind, proxy)
    if len(row) > 1 and bool(np.any(row[1:] < row[:-1])):
        order = np.argsort(row, kind="stable")
        row, per_cat, scanned, touched, results, proxy = (x[order] for x in (row, per_cat, scanned, touched, results,
                                                                              proxy))
    per_read = np.divide(results, scanned, out=np.zeros(len(scanned)), where=scanned > 0)
    # Sums over each row's block of searches. Records go through einsum's own loop, never BLAS: OpenBLAS splits
    # such a sum differently with 1 or 2 threads (Dask workers run with 1), and the same seed must give the same
    # bytes on every executor.
    edges = np.searchsorted(row, np.arange(n_types + 2))
    blocks = list(zip(edges[:-1].tolist(), edges[1:].tolist(), strict=True))
    # Searches per cell: the block's bools summed as bytes into int32 (exact up to 2**31 searches), which skips
    # count_nonzero's conversion of every bool to a 64-bit integer (~1/3 less time for a national day's table).
    n_search = np.stack([touched[lo:hi].view(np.uint8).sum(axis=0, dtype=np.int32) for lo, hi in blocks])
    n_records = np.stack([np.einsum("s,sc->c", per_read[lo:hi], per_cat[lo:hi]) for lo, hi in blocks])
    owner_type, relation, path = category_parts(np.arange(N_CAT))
    for st, c in zip(*np.nonzero(n_search[:n_types]), strict=True):
        flows.add(day, OWNER_TYPES[owner_type[c]], AGENCY_TYPES[st], RELATIONS[relation[c]], PATHS[path[c]],
                  float(n_search[st, c]), float(n_records[st, c]))
    if proxy.any():
        hit = touched[proxy]
        for ot in range(len(OWNER_TYPES)):
            cols = owner_type == ot
            searches = int(hit[:, cols].any(axis=1).sum())
            if searches:
                flows.add(day, OWNER_TYPES[ot], AGENCY_TYPES[FEDERAL], "federal", "proxy", float(searches),
                          float(n_records[n_types, cols].sum()))
