"""The day's flow table: sums per (searcher type, category) that do not depend on how many BLAS threads run."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np

from sim.model.alpr_flows import add_day, column_counts
from sim.model.alpr_reach import N_CAT
from sim.model.metrics import FlowTable
from sim.world.types import AGENCY_TYPES

# One day of 30,000 searches with random reads per category: the shape at which OpenBLAS splits a product's
# inner sum across threads.
SCRIPT = """
import sys
import numpy as np
from sim.model.alpr_flows import add_day, column_counts
from sim.model.alpr_reach import N_CAT
from sim.model.metrics import FlowTable
from sim.world.types import AGENCY_TYPES
rng = np.random.default_rng(4)
n = 30_000
per_cat = rng.random((n, N_CAT)) * 1e6
kind = rng.integers(0, len(AGENCY_TYPES), n)
flows = FlowTable()
add_day(flows, 0, kind, per_cat, per_cat.sum(axis=1), per_cat > 2e5, rng.poisson(30.0, n).astype(float),
        rng.random(n) < 0.05)
print(repr(flows.rows()))
"""


def _rows(threads: int) -> str:
    env = {"OPENBLAS_NUM_THREADS": str(threads), "OMP_NUM_THREADS": str(threads), "PATH": "/usr/bin:/bin"}
    return subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, check=True,
                          timeout=120, cwd=Path(__file__).resolve().parents[3]).stdout


def test_flows_are_the_same_with_one_or_two_blas_threads() -> None:
    one = _rows(1)
    assert "federal" in one and one == _rows(2)


def test_records_split_results_by_reads_and_counts_touched_searches() -> None:
    per_cat = np.zeros((3, N_CAT))
    per_cat[0, 0], per_cat[0, 1] = 30.0, 10.0  # 40 reads, 8 results: 6 to category 0, 2 to category 1
    per_cat[1, 0] = 5.0  # 5 reads, 1 result
    per_cat[2, 1] = 7.0  # a proxy lookup: 7 reads, 7 results
    touched = per_cat > 0
    kind = np.array([0, 0, 1])
    flows = FlowTable()
    add_day(flows, 3, kind, per_cat, per_cat.sum(axis=1), touched, np.array([8.0, 1.0, 7.0]),
            np.array([False, False, True]))
    rows = {(r[1], r[2], r[3], r[4]): (r[5], r[6]) for r in flows.rows()}
    searcher = AGENCY_TYPES[0]
    direct = [v for k, v in rows.items() if k[1] == searcher]
    assert sorted(direct) == [(1.0, 2.0), (2.0, 7.0)]  # category 1: one search, 2 records; 0: two, 6 + 1
    proxy = [v for k, v in rows.items() if k[3] == "proxy"]
    assert proxy == [(1.0, 7.0)]


def test_column_counts_are_the_tables_column_sums() -> None:
    """`column_counts` (a speed trick: 255 rows a block summed as bytes of 64-bit words) counts exactly."""
    rng = np.random.default_rng(11)
    for rows, cols, p in [(0, 40, 0.5), (254, 40, 0.5), (255 * 7, 40, 1.0), (255 * 9 + 101, 40, 0.3), (600, 13, 0.5)]:
        table = rng.uniform(size=(rows, cols)) < p
        assert np.array_equal(column_counts(table), table.sum(axis=0))
    table = rng.uniform(size=(3000, 48)) < 0.5
    assert np.array_equal(column_counts(table[::2]), table[::2].sum(axis=0))  # not contiguous: the byte sum


def test_kept_columns_give_the_full_tables_rows() -> None:
    """Given only some categories' columns (`cols`; the others hold no reads and touch nothing), the rows are the
    full table's, byte for byte (per column the same sums)."""
    rng = np.random.default_rng(6)
    n = 3000
    cols = np.array([0, 2, 3, 4, 5, 6, 8, 10, 11, 12, 13, 14, 16, 18, 19, 20, 21, 22, 24, 34, 35, 1, 37, 7])
    per_cat = np.zeros((n, N_CAT))
    per_cat[:, cols[:-3]] = rng.random((n, len(cols) - 3)) * 10.0 ** rng.integers(0, 7, (n, len(cols) - 3))
    touched = per_cat > 2e3
    kind = np.sort(rng.integers(0, len(AGENCY_TYPES), n))
    results, proxy = rng.poisson(30.0, n).astype(float), rng.random(n) < 0.05
    full, kept = FlowTable(), FlowTable()
    add_day(full, 0, kind, per_cat, per_cat.sum(axis=1), touched, results, proxy)
    add_day(kept, 0, kind, np.ascontiguousarray(per_cat[:, cols]), per_cat.sum(axis=1),
            np.ascontiguousarray(touched[:, cols]), results, proxy, cols)
    assert repr(full.rows()) == repr(kept.rows()) and any(r[4] == "proxy" for r in full.rows())
