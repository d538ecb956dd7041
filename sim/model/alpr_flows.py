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


def add_day(flows: FlowTable, day: int, searcher_kind: np.ndarray, per_cat: np.ndarray, networks: np.ndarray,
            results: np.ndarray, proxy: np.ndarray) -> None:
    """`per_cat` and `networks`: (searches, N_CAT) reads scanned and networks reached per category."""
    n_types = len(AGENCY_TYPES)
    scanned = per_cat.sum(axis=1)
    share = np.divide(per_cat, scanned[:, None], out=np.zeros_like(per_cat), where=scanned[:, None] > 0)
    records = results[:, None] * share
    touched = (networks > 0).astype(float)
    direct = ~proxy
    key = (searcher_kind[direct][:, None] * N_CAT + np.arange(N_CAT)[None, :]).ravel()
    size = n_types * N_CAT
    n_search = np.bincount(key, weights=touched[direct].ravel(), minlength=size).reshape(n_types, N_CAT)
    n_records = np.bincount(key, weights=records[direct].ravel(), minlength=size).reshape(n_types, N_CAT)
    owner_type, relation, path = category_parts(np.arange(N_CAT))
    for st, c in zip(*np.nonzero(n_search), strict=True):
        flows.add(day, AGENCY_TYPES[owner_type[c]], AGENCY_TYPES[st], RELATIONS[relation[c]], PATHS[path[c]],
                  float(n_search[st, c]), float(n_records[st, c]))
    if proxy.any():
        by_type = np.zeros((2, n_types))
        for ot in range(n_types):
            cols = owner_type == ot
            by_type[0, ot] = float((touched[proxy][:, cols].sum(axis=1) > 0).sum())
            by_type[1, ot] = float(records[proxy][:, cols].sum())
        for ot in np.flatnonzero(by_type[0]):
            flows.add(day, AGENCY_TYPES[ot], AGENCY_TYPES[FEDERAL], "federal", "proxy",
                      float(by_type[0, ot]), float(by_type[1, ot]))
