"""Reads each search of a day scans, per flow category: the (searches, N_CAT) tables of one day.

For a search of searcher s with look-back window w at day fraction f (the share of the day's reads recorded
before it), the reads scanned in category c are ``(A[w, s, c] + f B[w, s, c]) x mask[c]`` with A, B the
day's window tables (`sim.model.alpr_reach.Reach.push`) and mask the categories its scope covers (none for a
search moderation blocks); `touched` marks the categories where such a search reaches networks. Units: reads.

Why chunks and reused buffers (a speed trick; the values are the same floating-point operations, element by
element, as one whole-day pass): a national day has ~51,000 searches, so each whole-day (searches, N_CAT)
float table is ~13 MB, and the five passes of the computation (two row gathers, a product, a sum, the mask)
each went through main memory. In blocks of `CHUNK` searches every pass after the gathers works on data
still in the CPU cache, and the outputs are written into buffers kept from day to day, which saves the page
faults of fresh 13 MB arrays. `ScanTables.day` returns views of those buffers: they hold until its next call.
The tables hold only the categories of a `sim.model.alpr_columns.ColumnLayout` (the others are +0.0), and the
reads scanned are numpy's row sums of the full table all the same (`ColumnLayout.row_sums`).
"""

from __future__ import annotations

import numpy as np

from sim.model.alpr_columns import ColumnLayout

CHUNK = 2048  # searches per block: a (CHUNK, N_CAT) float block is 512 KiB, within a core's L2 cache


class ScanTables:
    """Per search and category, reads scanned and networks touched, into buffers reused from day to day."""

    def __init__(self, scope_mask: np.ndarray, has_networks: np.ndarray, layout: ColumnLayout | None = None) -> None:
        """`scope_mask` (federal * n_scopes + scope, N_CAT) bool; `has_networks` (searcher, N_CAT) bool;
        `layout` the categories kept (default: all), which `day`'s window tables and outputs hold."""
        self.layout = ColumnLayout(np.ones(scope_mask.shape[1], dtype=bool)) if layout is None else layout
        cols = self.layout.cols
        self.scope_mask = np.ascontiguousarray(np.asarray(scope_mask, dtype=bool)[:, cols])
        self.has_networks = np.ascontiguousarray(np.asarray(has_networks, dtype=bool)[:, cols])
        n_cat = self.layout.width
        self._acc = np.empty((self.layout.scratch_rows, CHUNK))  # `row_sums`' scratch
        self.per_cat = np.empty((0, n_cat))
        self.touched = np.empty((0, n_cat), dtype=bool)
        self._mask = np.empty((CHUNK, n_cat), dtype=bool)
        self._tail = np.empty((CHUNK, n_cat))

    def _reserve(self, k: int) -> None:
        if len(self.per_cat) < k:  # grown with room to spare: a day's count varies by a few hundred searches
            size = int(k * 1.25) + 1
            self.per_cat = np.empty((size, self.per_cat.shape[1]))
            self.touched = np.empty((size, self.per_cat.shape[1]), dtype=bool)

    def day(self, a: np.ndarray, b: np.ndarray, row: np.ndarray, frac: np.ndarray, mask_row: np.ndarray,
            blocked: np.ndarray, searcher: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(per_cat, scanned, touched) for searches in the order given: `a`, `b` (rows, layout.width) the
        window tables with `row` each search's row in them; `frac` its day fraction; `mask_row` its row of
        `scope_mask`; `blocked` refused by moderation; `searcher` its agency. `scanned` is the full table's
        row sums (a new array); per_cat and touched (layout.cols' categories) are views of this object's buffers."""
        k = len(row)
        self._reserve(k)
        per_cat, touched = self.per_cat[:k], self.touched[:k]
        scanned = np.empty(k)
        for lo in range(0, k, CHUNK):
            hi = min(lo + CHUNK, k)
            m = hi - lo
            # mode="clip": np.take copies through a temporary buffer when given `out` in its default "raise"
            # mode; every index here is a valid row by construction, so clipping never changes one.
            mask = np.take(self.scope_mask, mask_row[lo:hi], axis=0, mode="clip", out=self._mask[:m])
            mask[blocked[lo:hi]] = False  # a search refused by moderation reaches nothing (it is still audited)
            pc = np.take(a, row[lo:hi], axis=0, mode="clip", out=per_cat[lo:hi])
            tail = np.take(b, row[lo:hi], axis=0, mode="clip", out=self._tail[:m])
            tail *= frac[lo:hi, None]
            pc += tail
            pc *= mask
            self.layout.row_sums(pc, scanned[lo:hi], self._acc)  # np.sum's bytes over the full row
            tc = np.take(self.has_networks, searcher[lo:hi], axis=0, mode="clip", out=touched[lo:hi])
            tc &= mask
        return per_cat, scanned, touched
