"""The kept categories' row sums are numpy's `np.sum` of the full rows, byte for byte.

`ColumnLayout.row_sums` reproduces numpy's pairwise row sum from the live columns alone (dead ones +0.0). Checked
on random live patterns (none, one, all, the baseline's) and values whose sum depends on the order of addition
(12 decades, both signs, -0.0 rows), so a numpy release that sums rows otherwise fails here.
"""

from __future__ import annotations

import numpy as np
import pytest

from sim.model.alpr_columns import ColumnLayout
from sim.model.alpr_reach import N_CAT

BASELINE_LIVE = [0, 2, 3, 4, 5, 6, 8, 10, 11, 12, 13, 14, 16, 18, 19, 20, 21, 22, 24, 34, 35, 37]  # measured


def _patterns() -> list[np.ndarray]:
    rng = np.random.default_rng(11)
    fixed = [np.zeros(N_CAT, dtype=bool), np.ones(N_CAT, dtype=bool), np.isin(np.arange(N_CAT), BASELINE_LIVE)]
    one = [np.arange(N_CAT) == c for c in (0, 7, 39)]
    return fixed + one + [rng.uniform(size=N_CAT) < p for p in (0.2, 0.5, 0.8) for _ in range(6)]


@pytest.mark.parametrize("live", _patterns())
def test_row_sums_are_numpy_s_full_row_sums(live: np.ndarray) -> None:
    rng = np.random.default_rng(int(live.sum()))
    layout = ColumnLayout(live)
    assert set(np.flatnonzero(live).tolist()) <= set(layout.cols.tolist()) and len(set(layout.cols.tolist())) == layout.width
    m = 3000
    full = rng.standard_normal((m, N_CAT)) * 10.0 ** rng.integers(-6, 7, (m, N_CAT))
    full[: m // 2] = np.abs(full[: m // 2])  # reads are non-negative; the rest tests both signs
    full[:, ~live] = 0.0
    full[-5:, live] = -0.0  # rows of negative zeros: numpy's sum is +0.0
    full[-10:-5] = 0.0
    want = np.sum(full, axis=1)
    got = np.full(m, np.nan)
    buf = np.empty((layout.scratch_rows, m))
    kept = np.ascontiguousarray(full[:, layout.cols])
    for lo in range(0, m, 1024):  # in blocks, as the scan calls it
        layout.row_sums(kept[lo:lo + 1024], got[lo:lo + 1024], buf)
    assert got.tobytes() == want.tobytes()
    assert layout.expand(kept).tobytes() == full.tobytes()  # the dropped columns: +0.0


def test_baseline_layout_keeps_24_of_40() -> None:
    layout = ColumnLayout(np.isin(np.arange(N_CAT), BASELINE_LIVE))
    assert layout.width == 24 and layout.chains == [0, 2, 3, 4, 5, 6] and layout.levels == 4


def test_a_width_numpy_does_not_sum_in_8_chains_keeps_every_column() -> None:
    live = np.arange(12) % 3 == 0
    layout = ColumnLayout(live)
    assert layout.cols.tolist() == list(range(12))
    x = np.random.default_rng(2).standard_normal((50, 12))
    out = np.empty(50)
    layout.row_sums(x, out, np.empty((layout.scratch_rows, 50)))
    assert out.tobytes() == np.sum(x, axis=1).tobytes()
