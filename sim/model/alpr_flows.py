"""The data-flow table for one day's searches: owner type -> searcher type, by relation and path.

Per cell (owner type, searcher type, relation, path): ``searches`` = searches that reached at least one
camera network of that cell; ``records`` = results attributed to the cell in proportion to the reads it
contributed to each search's scan. Proxy lookups (local officers for a federal unit) go to searcher type
``federal``, relation ``federal``, path ``proxy``, whatever local reach they used.
"""

from __future__ import annotations

import numpy as np

from sim.model.alpr_reach import N_CAT, PATHS, RELATIONS, category_parts
from sim.model.metrics import FlowTable
from sim.world.types import AGENCY_TYPES, FEDERAL


def add_day(flows: FlowTable, day: int, searcher_kind: np.ndarray, per_cat: np.ndarray, scanned: np.ndarray,
            touched: np.ndarray, results: np.ndarray, proxy: np.ndarray) -> None:
    """`per_cat`: (searches, N_CAT) reads scanned per category, `scanned` its row sums; `touched`: networks
    reached there (bool)."""
    n_types = len(AGENCY_TYPES)
    per_read = np.divide(results, scanned, out=np.zeros(len(scanned)), where=scanned > 0)
    row = np.where(proxy, n_types, searcher_kind)  # proxies in a row of their own
    # Sums over the searches of each row, as products with the (row x search) indicator. Counts go through BLAS
    # (integers below 2**24 are exact in float32 in any order); records must not: OpenBLAS splits such a sum
    # differently with 1 or 2 threads (Dask workers run with 1), so einsum's own loop keeps one order.
    member = row[None, :] == np.arange(n_types + 1)[:, None]
    n_search = member.astype(np.float32) @ touched.astype(np.float32)
    n_records = np.einsum("rs,sc->rc", member * per_read, per_cat, optimize=False)
    owner_type, relation, path = category_parts(np.arange(N_CAT))
    for st, c in zip(*np.nonzero(n_search[:n_types]), strict=True):
        flows.add(day, AGENCY_TYPES[owner_type[c]], AGENCY_TYPES[st], RELATIONS[relation[c]], PATHS[path[c]],
                  float(n_search[st, c]), float(n_records[st, c]))
    if proxy.any():
        hit = touched[proxy]
        for ot in range(n_types):
            cols = owner_type == ot
            searches = int(hit[:, cols].any(axis=1).sum())
            if searches:
                flows.add(day, AGENCY_TYPES[ot], AGENCY_TYPES[FEDERAL], "federal", "proxy", float(searches),
                          float(n_records[n_types, cols].sum()))
