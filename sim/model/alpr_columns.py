"""The flow categories a run's daily (searches x categories) tables hold, and their row sums in numpy's order.

Why (a speed trick): on a baseline national day 19 of the `N_CAT` (40) flow categories can hold no reads at all:
no searcher reaches an owner in them (federal units own no cameras, private owners never search, own reads are
never a lookup...). Such a category has no entry in the reach's sparse matrices, so its window tables A, B are
exact zeros (+0.0), and so is every search's reads scanned there. The daily tables (the reach's windows, the
scan, the flow table, the state flows) keep only the categories of a `ColumnLayout`: the live ones, plus a few
dead ones as padding (below). Every kept column goes through the same operations as before, so its values are
the same bytes; a dropped column is +0.0 wherever it would have been computed.

One value needs care: a search's reads scanned, the row sum over all `N_CAT` categories, which must stay the
bytes numpy gave (`np.sum(per_cat, axis=1)`). For a row of n doubles, 8 <= n <= 128 and n a multiple of 8, numpy
(pairwise_sum in its add reduction, per C-contiguous row) keeps 8 running sums r_j = x_j + x_{j+8} + ... added
left to right ("chains"), then adds ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7)) to the reduction's
initial 0.0. Adding +0.0 leaves a double unchanged except -0.0 (-0.0 + 0.0 = +0.0), and a sum of doubles is -0.0
only when every term is -0.0. So the same tree with the +0.0 leaves taken out (a chain without them, a node with
one empty side replaced by its other side) gives the same value, up to the sign of a zero, and a final + 0.0
gives numpy's sign (its initial 0.0 does the same). `row_sums` computes that pruned tree: each live chain's
live categories in order (the layout stores them level by level, chains side by side, a short chain padded
with a dead category of its own: zeros change nothing), then the tree over the chains that hold any.
tests/sim/model/test_alpr_columns.py checks the bytes against `np.sum` on random rows (so a numpy release
summing otherwise fails there), and the golden run's outputs are unchanged.
"""

from __future__ import annotations

import numpy as np

CHAINS = 8  # numpy's pairwise sum: running sums per column index mod 8 (see the module docstring)


class ColumnLayout:
    """Which of n categories a day's tables keep (`cols`, in the order stored) and how their rows are summed."""

    def __init__(self, live: np.ndarray) -> None:
        """`live`: bool per category, False where every value is +0.0 (no entry in the reach's matrices)."""
        live = np.asarray(live, dtype=bool)
        self.n = n = len(live)
        # numpy's 8-chain case only; else every column, in order, summed by np.sum itself
        self.pairwise = CHAINS <= n <= 128 and n % CHAINS == 0
        if not self.pairwise:
            self.chains, self.levels, self.cols, self.width = [], 0, np.arange(n), n
            self.adds, self.root, self.scratch_rows = [], None, 0
            return
        chains = [[c for c in range(j, n, CHAINS) if live[c]] for j in range(CHAINS)]
        self.chains = [j for j in range(CHAINS) if chains[j]]  # chains holding a live category, ascending
        self.levels = max((len(chains[j]) for j in self.chains), default=0)
        slots = []
        for j in self.chains:  # a short chain padded with its own dead categories (+0.0: they change no sum)
            dead = [c for c in range(j, n, CHAINS) if not live[c]]
            slots.append(chains[j] + dead[:self.levels - len(chains[j])])
        # level-major: the first category of every chain, then the second...: a level is one block of columns
        self.cols = np.array([slots[i][lev] for lev in range(self.levels) for i in range(len(self.chains))],
                             dtype=np.int64)
        self.width = len(self.cols)
        # the pruned tree as additions over rows of the scratch: rows 0..chains-1 the chains' sums, then one row per
        # addition (dst, left, right), in order; `root` the row holding the total. Found once, not per block.
        self.adds: list[tuple[int, int, int]] = []
        pos = {j: i for i, j in enumerate(self.chains)}

        def node(lo: int, hi: int) -> int | None:  # the row holding the sum of chains lo..hi-1; None when all empty
            if hi - lo == 1:
                return pos.get(lo)
            left, right = node(lo, (lo + hi) // 2), node((lo + hi) // 2, hi)
            if left is None or right is None:
                return right if left is None else left
            self.adds.append((len(self.chains) + len(self.adds), left, right))
            return self.adds[-1][0]

        self.root = node(0, CHAINS)
        self.scratch_rows = len(self.chains) + len(self.adds)  # rows of `row_sums`' scratch

    def expand(self, x: np.ndarray) -> np.ndarray:
        """A (rows, width) table as (rows, n): +0.0 in the columns not kept."""
        out = np.zeros((x.shape[0], self.n), dtype=x.dtype)
        out[:, self.cols] = x
        return out

    def row_sums(self, x: np.ndarray, out: np.ndarray, buf: np.ndarray) -> None:
        """`out[i]` = numpy's `np.sum` of row i of the full n-wide table, from `x` (rows, width) of this layout;
        `buf`: a scratch (>= scratch_rows, >= rows) array. The same bytes (module docstring)."""
        m, c = len(x), len(self.chains)
        if not self.pairwise:
            np.sum(x, axis=1, out=out)
            return
        if self.root is None:
            out[:] = 0.0
            return
        acc = buf[:c, :m]  # chain j's running sum in a row of its own: contiguous rows for the tree's additions
        if self.levels == 1:
            np.copyto(acc, x[:, :c].T)
        else:
            np.add(x[:, :c].T, x[:, c:2 * c].T, out=acc)
            for lev in range(2, self.levels):
                acc += x[:, lev * c:(lev + 1) * c].T
        for dst, left, right in self.adds:
            np.add(buf[left, :m], buf[right, :m], out=buf[dst, :m])
        np.add(buf[self.root, :m], 0.0, out=out)  # numpy's initial 0.0: -0.0 becomes +0.0, any other value unchanged
