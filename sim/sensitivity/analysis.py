"""Global sensitivity analysis of a scenario's outcome metrics to its assumptions (SALib design and indices).

The parameters varied are declared in `sim.sensitivity.ranges` (each with a plausible range and its reason).
The design is drawn by SALib: ``morris`` (elementary effects: ``r`` trajectories of ``k + 1`` runs each; per
parameter and metric ``mu_star``, the mean absolute effect of moving the parameter across its range, with a
bootstrap 95% interval, and ``sigma``, the spread of the effects: non-linearity or interaction) or ``lhs``
(a Latin hypercube of N runs; per parameter and metric the Spearman rank correlation with a bootstrap 95%
interval). ``samples`` is the run budget: Morris takes ``max(2, samples // (k + 1))`` trajectories.

The runs are the design points of an ordinary sweep (`sim.runner.sweep`): one replication per point under
common random numbers, so every point sees the same behaviour streams and differences come from the
parameters. The sampling seed is the named stream ``sensitivity`` of the scenario's root seed: same seed,
same design, same table, whatever the worker count.

Output: ``sensitivity.csv`` (tidy: metric, parameter, method, index, value, low, high, sigma, rank; rank 1 is
the parameter that moves the metric most) and ``sensitivity.json`` (method, parameters with ranges and
reasons, runs), beside the sweep's own tables (named in `sim.results.layout`). ``--metric NAME`` adds one metric to
the table, first: a whole-run metric of any kind, or one state's figure written METRIC.ST
(`sim.results.state_metric`, ``audit.records_received_proxy.TX``), read from each point's by_state table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from sim.config import Scenario
from sim.results import layout, state_metric
from sim.results.catalog import info
from sim.results.read import read_by_state
from sim.rng import child, root_seed
from sim.sensitivity.ranges import BY_PATH, RANGES, Range

METHODS = ("morris", "lhs")
COLUMNS = ["metric", "parameter", "method", "index", "value", "low", "high", "sigma", "rank"]
BOOTSTRAP = 1000
MORRIS_LEVELS = 4


class SensitivityError(ValueError):
    """Bad sensitivity input: names the option, the value and what is allowed."""


@dataclass
class Design:
    method: str
    ranges: list[Range]
    X: np.ndarray  # runs x parameters, in the parameters' units

    @property
    def problem(self) -> dict:
        return problem(self.ranges)

    def points(self) -> list[dict[str, float | int]]:
        return [{r.path: (int(round(v)) if r.integer else float(v)) for r, v in zip(self.ranges, row, strict=True)}
                for row in self.X]


def problem(ranges: Sequence[Range]) -> dict:
    return {"num_vars": len(ranges), "names": [r.path for r in ranges], "bounds": [[r.low, r.high] for r in ranges]}


def seed_of(scenario: Scenario) -> int:
    """The design's sampling seed: the named stream 'sensitivity' of the scenario's root seed."""
    return int(child(root_seed(scenario.run.seed), "sensitivity").generate_state(1)[0])


def applicable(scenario: Scenario, r: Range) -> bool:
    """Whether `r`'s path exists in this scenario (a mapping key the scenario has, a section it uses)."""
    node = scenario.model_dump(mode="python")
    for part in r.path.split("."):
        if not isinstance(node, dict) or part not in node or node[part] is None:
            return False
        node = node[part]
    return isinstance(node, int | float) and not isinstance(node, bool)


def select(scenario: Scenario, params: str) -> list[Range]:
    """`params` is 'auto' (every declared range that applies to the scenario) or comma-separated paths."""
    if params == "auto":
        chosen = [r for r in RANGES if applicable(scenario, r)]
    else:
        names = [p.strip() for p in params.split(",") if p.strip()]
        unknown = [n for n in names if n not in BY_PATH]
        if unknown:
            raise SensitivityError(f"--params: {', '.join(map(repr, unknown))} has no declared range; allowed: auto "
                                   f"or paths of sim/sensitivity/ranges.py: {', '.join(sorted(BY_PATH))}")
        if len(set(names)) != len(names):
            raise SensitivityError(f"--params: {params!r} names a parameter twice")
        chosen = [BY_PATH[n] for n in names]
        missing = [r.path for r in chosen if not applicable(scenario, r)]
        if missing:
            raise SensitivityError(f"--params: {', '.join(missing)} is not a number in scenario {scenario.name!r}")
    if len(chosen) < 2:
        raise SensitivityError(f"--params: a sensitivity analysis needs at least 2 parameters, got {len(chosen)}")
    return chosen


def design(scenario: Scenario, ranges: list[Range], samples: int, method: str) -> Design:
    if method not in METHODS:
        raise SensitivityError(f"--method must be one of {', '.join(METHODS)}, got {method!r}")
    k = len(ranges)
    seed = seed_of(scenario)
    if method == "morris":
        from SALib.sample import morris as morris_sample
        trajectories = max(2, samples // (k + 1))
        X = morris_sample.sample(problem(ranges), trajectories, num_levels=MORRIS_LEVELS, seed=seed)
    else:
        from SALib.sample import latin
        if samples < 8:
            raise SensitivityError(f"--samples: a Latin hypercube needs at least 8 runs, got {samples}")
        X = latin.sample(problem(ranges), samples, seed=seed)
    return Design(method, ranges, np.asarray(X, dtype=float))


def outcome_metrics(frame: pd.DataFrame) -> list[str]:
    """The declared outcome metrics present in a sweep table."""
    return sorted(m for m in frame["metric"].unique() if (d := info(m)) is not None and d.kind == "outcome")


def responses(sweep: pd.DataFrame, n_points: int) -> dict[str, np.ndarray]:
    """Per outcome metric, its value at every design point (NaN where a run failed)."""
    out = {}
    for metric in outcome_metrics(sweep):
        rows = sweep[sweep["metric"] == metric].set_index("design_point")["mean"]
        out[metric] = rows.reindex(range(n_points)).to_numpy(dtype=float)
    return out


def named_response(folder: Path, sweep: pd.DataFrame, n_points: int, name: str) -> np.ndarray:
    """The values at every design point (NaN where a run failed) of the metric ``--metric`` names: a whole-run
    metric from the sweep table, or one state's figure (METRIC.ST, `sim.results.state_metric`) from each point's
    by_state table (one replication per point)."""
    found = state_metric.parse(name) if name not in set(sweep["metric"]) else None
    if found is None:
        rows = sweep[sweep["metric"] == name].set_index("design_point")["mean"]
        return rows.reindex(range(n_points)).to_numpy(dtype=float)
    out = np.full(n_points, np.nan)
    for i in range(n_points):
        table = read_by_state(layout.point_dir(folder, i))
        v = state_metric.value(table, found) if table is not None else None
        out[i] = np.nan if v is None else v
    return out


def _morris(d: Design, y: np.ndarray, seed: int) -> pd.DataFrame:
    from SALib.analyze import morris
    res = morris.analyze(d.problem, d.X, y, conf_level=0.95, num_resamples=BOOTSTRAP, num_levels=MORRIS_LEVELS,
                         seed=seed)
    mu, conf = np.asarray(res["mu_star"], float), np.asarray(res["mu_star_conf"], float)
    return pd.DataFrame({"parameter": res["names"], "index": "mu_star", "value": mu,
                         "low": np.maximum(mu - conf, 0.0), "high": mu + conf, "sigma": np.asarray(res["sigma"])})


def _spearman(d: Design, y: np.ndarray, seed: int) -> pd.DataFrame:
    from scipy.stats import rankdata
    rng = np.random.default_rng(seed)
    n = len(y)
    idx = rng.integers(0, n, size=(BOOTSTRAP, n))

    def rho(x: np.ndarray, v: np.ndarray) -> np.ndarray:  # rank correlation along the last axis
        rx, rv = rankdata(x, axis=-1), rankdata(v, axis=-1)
        rx, rv = rx - rx.mean(-1, keepdims=True), rv - rv.mean(-1, keepdims=True)
        den = np.sqrt((rx ** 2).sum(-1) * (rv ** 2).sum(-1))
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(den > 0, (rx * rv).sum(-1) / den, 0.0)

    rows = []
    for j, r in enumerate(d.ranges):
        x = d.X[:, j]
        boot = rho(x[idx], y[idx])
        rows.append({"parameter": r.path, "index": "spearman", "value": float(rho(x, y)),
                     "low": float(np.quantile(boot, 0.025)), "high": float(np.quantile(boot, 0.975)),
                     "sigma": float(boot.std())})
    return pd.DataFrame(rows)


def analyze(d: Design, ys: dict[str, np.ndarray], seed: int) -> pd.DataFrame:
    """The tidy sensitivity table over every outcome metric (metrics constant over the design are left out)."""
    frames = []
    for metric, y in ys.items():
        ok = np.isfinite(y)
        if not ok.any() or np.nanstd(y) == 0:
            continue
        if d.method == "morris":
            if not ok.all():  # an elementary effect needs both ends of its step
                continue
            f = _morris(d, y, seed)
        else:
            f = _spearman(Design(d.method, d.ranges, d.X[ok]), y[ok], seed)
        f["rank"] = f["value"].abs().rank(ascending=False, method="first").astype(int)
        f.insert(0, "metric", metric)
        f.insert(2, "method", d.method)
        frames.append(f.sort_values("rank"))
    if not frames:
        return pd.DataFrame(columns=COLUMNS)
    return pd.concat(frames, ignore_index=True)[COLUMNS]
