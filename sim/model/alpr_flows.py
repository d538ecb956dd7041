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


LANE = 255  # rows counted at once per byte of a 64-bit word (`column_counts`): a byte holds up to 255


def column_counts(table: np.ndarray) -> np.ndarray:
    """Per column, the True cells of a bool (rows, columns) table (int64; exact integers).

    A speed trick: summing the rows' bytes column by column (numpy reduces the short rows one at a time, with a
    cast) cost ~3 ms a national day. Here each row's bytes are read as 64-bit words, and blocks of `LANE` rows are
    summed word by word (one integer matmul with a vector of ones, no BLAS): every byte of a word sums its own
    column, at most 255, so no carry reaches the next byte; the blocks' bytes are then summed per column. The
    counts are the same integers (~0.7 ms). Needs whole words per row (columns a multiple of 8, C-contiguous
    rows), else the plain byte sum.
    """
    rows, cols = table.shape
    bytes_ = table.view(np.uint8)
    if cols % 8 or not table.flags.c_contiguous:
        return bytes_.sum(axis=0, dtype=np.int64)
    full = rows - rows % LANE
    out = np.zeros(cols, dtype=np.int64)
    if full:
        words = bytes_[:full].view(np.uint64).reshape(full // LANE, LANE, cols // 8)
        per_block = np.ones(LANE, dtype=np.uint64) @ words  # (blocks, words): a count <= 255 in each byte
        out += per_block.view(np.uint8).reshape(-1, cols).sum(axis=0, dtype=np.int64)
    if rows > full:
        out += bytes_[full:].sum(axis=0, dtype=np.int64)
    return out


def add_day(flows: FlowTable, day: int, searcher_kind: np.ndarray, per_cat: np.ndarray, scanned: np.ndarray,
            touched: np.ndarray, results: np.ndarray, proxy: np.ndarray, cols: np.ndarray | None = None) -> None:
    """`per_cat`: (searches, categories) reads scanned per category, `scanned` the full rows' sums; `touched`:
    networks reached there (bool); `cols` the categories of their columns (default all `N_CAT`; the others
    hold no reads and reach no network: `sim.model.alpr_columns`). Any order of searches; cheapest when already
    ordered by flow row (searcher type, proxies last), as `AlprModel` builds them: each row's searches are then
    one contiguous block."""
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
    # per column the same sums whatever columns are kept (einsum adds each column's searches in order)
    cols = np.arange(N_CAT) if cols is None else np.asarray(cols)
    n_search = np.zeros((len(blocks), N_CAT), dtype=np.int64)
    n_records = np.zeros((len(blocks), N_CAT))
    n_search[:, cols] = np.stack([column_counts(touched[lo:hi]) for lo, hi in blocks])
    n_records[:, cols] = np.stack([np.einsum("s,sc->c", per_read[lo:hi], per_cat[lo:hi]) for lo, hi in blocks])
    owner_type, relation, path = category_parts(np.arange(N_CAT))
    for st, c in zip(*np.nonzero(n_search[:n_types]), strict=True):
        flows.add(day, OWNER_TYPES[owner_type[c]], AGENCY_TYPES[st], RELATIONS[relation[c]], PATHS[path[c]],
                  float(n_search[st, c]), float(n_records[st, c]))
    lo, hi = blocks[n_types]  # the proxies: the last row's block (a slice, not a bool selection of the table)
    if hi > lo:
        hit, kept_type = touched[lo:hi], owner_type[cols]  # touched's columns are `cols`
        for ot in range(len(OWNER_TYPES)):
            searches = int(hit[:, kept_type == ot].any(axis=1).sum())
            if searches:
                flows.add(day, OWNER_TYPES[ot], AGENCY_TYPES[FEDERAL], "federal", "proxy", float(searches),
                          float(n_records[n_types, owner_type == ot].sum()))
