"""The chunked scan tables are the whole-day formula's bytes: (A + f B) x mask, its row sums, networks touched.

The reference is the computation `sim.model.alpr_scan` replaced (one whole-day pass per operation); the check is
byte for byte, over a day longer than a chunk (so blocks end mid-day), with blocked searches, and again on a
second, shorter and then longer day (buffers reused, then grown).
"""

from __future__ import annotations

import numpy as np

from sim.model.alpr_reach import N_CAT, scope_mask
from sim.model.alpr_scan import CHUNK, ScanTables


def whole_day(a, b, row, frac, mask_row, blocked, searcher, masks, has_networks):
    mask = np.take(masks, mask_row, axis=0)
    mask[blocked] = False
    per_cat = np.take(a, row, axis=0)
    tail = np.take(b, row, axis=0)
    tail *= frac[:, None]
    per_cat += tail
    per_cat *= mask
    return per_cat, per_cat.sum(axis=1), np.take(has_networks, searcher, axis=0) & mask


def test_chunks_give_the_whole_day_pass_bytes() -> None:
    rng = np.random.default_rng(3)
    n, windows = 300, 4
    masks = scope_mask().reshape(-1, N_CAT)
    has_networks = rng.uniform(size=(n, N_CAT)) < 0.6
    scan = ScanTables(masks, has_networks)
    for k in (CHUNK * 2 + 17, 40, CHUNK * 3 + 5):  # reused buffers, then grown ones
        # integer reads as the reach's window tables hold; B (today minus an old day) may be negative
        a = rng.poisson(50.0, size=(windows * n, N_CAT)).astype(float)
        b = rng.poisson(20.0, size=(windows * n, N_CAT)) - rng.poisson(20.0, size=(windows * n, N_CAT)) * 1.0
        searcher = rng.integers(0, n, size=k)
        row = rng.integers(0, windows, size=k) * n + searcher
        frac = rng.uniform(size=k)
        mask_row = rng.integers(0, len(masks), size=k)
        blocked = rng.uniform(size=k) < 0.1
        want = whole_day(a, b, row, frac, mask_row, blocked, searcher, masks, has_networks)
        got = scan.day(a, b, row, frac, mask_row, blocked, searcher)
        for w, g in zip(want, got, strict=True):
            assert w.dtype == g.dtype and w.shape == g.shape and w.tobytes() == g.tobytes()
        assert not got[0][blocked].any() and not got[2][blocked].any()
