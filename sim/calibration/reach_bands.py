"""Where a calibration band's searches come from: one agency type's searches reaching >= N networks, by scope and state.

The Okaloosa County SO rows compare the share of the model's sheriff searches reaching >= 100, 1,000 or 5,000
networks (`search.networks_share.sheriff.<threshold>`) with one sheriff's log. `decompose(scenario)` runs the
scenario's replications (its world, its seeds: the runs `fedsim run` makes, one process) and splits that share by
the searches' scope (Flock's local, shared 1:1, statewide lookup, national lookup: `SEARCH_SCOPES`) and, within a
scope, by the searcher's state; and says how many of the type's agencies reach >= N networks in each scope (a
shared scope of >= N networks: 1:1 partners, own and private networks granting it included). The shares add up to
the run's metric (tested). ``python -m sim.calibration.reach_bands [SCENARIO] [--type T] [--threshold N]
[--replications R] [--days D]`` prints them.

Units: shares of the type's own searches (proxy lookups left out, as the metric does); agencies; networks.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field

import numpy as np

from sim.config import Scenario, load_scenario, with_overrides
from sim.config.behavior_alpr import SEARCH_SCOPES
from sim.geo.states import STATE_CODES
from sim.model.alpr import AlprModel
from sim.model.alpr_search_stats import THRESHOLDS
from sim.model.simulation import simulate
from sim.runner.seeds import run_seed, world_seed
from sim.world.build import build_world_cached
from sim.world.types import AGENCY_TYPES


@dataclass
class Bands:
    """One replication's split of a type's searches reaching >= `threshold` networks."""

    searches: int  # the type's own searches
    by_scope: dict[str, int]  # scope -> searches of that scope reaching >= threshold
    scope_share: dict[str, float]  # scope -> share of the type's searches run in it
    by_state: dict[str, dict[str, int]]  # scope -> state code -> searches reaching >= threshold
    agencies: int  # agencies of the type
    agencies_reaching: dict[str, int]  # scope -> agencies whose scope reaches >= threshold networks
    metric: float = float("nan")  # the run's search.networks_share.<type>.<key> (a threshold of `THRESHOLDS`)
    shared_reach: np.ndarray = field(default_factory=lambda: np.zeros(0))  # the type's shared-scope networks

    @property
    def share(self) -> float:
        return sum(self.by_scope.values()) / self.searches if self.searches else 0.0


def _capturing() -> tuple[type[AlprModel], dict[str, object]]:
    """An `AlprModel` that keeps its search statistics and per-searcher reach when it finishes."""
    kept: dict[str, object] = {}

    class Capturing(AlprModel):
        def finish(self) -> None:
            super().finish()
            kept.update(stats=self.stats, networks=self.scope_networks, kind=self.kind, state=self.state)

    return Capturing, kept


def bands(scenario: Scenario, replication: int, agency_type: str = "sheriff", threshold: float = 1000.0) -> Bands:
    """Replication `replication` of `scenario` (the ALPR model alone: it draws from its own streams, so its searches
    are those of the full model's run), split as the module says."""
    t = AGENCY_TYPES.index(agency_type)
    world = build_world_cached(scenario, world_seed(scenario.run.seed))
    component, kept = _capturing()
    out = simulate(scenario, world, run_seed(scenario.run.seed, 0, replication), components=(component,))
    cat = {k: np.concatenate(v) if v else np.zeros(0) for k, v in kept["stats"].parts.items()}  # type: ignore[attr-defined]
    mine = cat["kind"] == t
    big = mine & (cat["networks"] >= threshold)
    by_scope, scope_share, by_state, reaching = {}, {}, {}, {}
    rows = np.flatnonzero(np.asarray(kept["kind"]) == t)
    reach = np.asarray(kept["networks"])[rows]  # non-federal searchers' columns: scope i at i
    for i, name in enumerate(SEARCH_SCOPES):
        m = big & (cat["scope"] == i)
        by_scope[name] = int(m.sum())
        scope_share[name] = float((mine & (cat["scope"] == i)).sum() / max(int(mine.sum()), 1))
        counts = np.bincount(cat["state"][m].astype(np.int64), minlength=len(STATE_CODES))
        by_state[name] = {STATE_CODES[k]: int(counts[k]) for k in np.flatnonzero(counts)}
        reaching[name] = int((reach[:, i] >= threshold).sum())
    key = next((k for k, v in THRESHOLDS.items() if v == threshold), None)
    name = f"search.networks_share.{agency_type}.{key}"
    metric = next((v for day, n, v in out.metrics if day is None and n == name), float("nan")) if key else float("nan")
    return Bands(int(mine.sum()), by_scope, scope_share, by_state, len(rows), reaching, metric,
                 reach[:, SEARCH_SCOPES.index("shared")].copy())


def decompose(scenario: Scenario, agency_type: str = "sheriff", threshold: float = 1000.0) -> list[Bands]:
    """`bands` of every replication of `scenario` (``run.replications``)."""
    return [bands(scenario, r, agency_type, threshold) for r in range(scenario.run.replications)]


def lines(reps: list[Bands], agency_type: str, threshold: float) -> list[str]:
    """A readable account: per replication and their mean, by scope and state."""
    out = []
    n = len(reps)
    mean = sum(b.share for b in reps) / n
    out.append(f"{agency_type} searches reaching >= {threshold:,.0f} networks: {mean:.2%} (mean of {n} replications: "
               + ", ".join(f"{b.share:.2%}" for b in reps) + ")")
    for scope in SEARCH_SCOPES:
        share = sum(b.by_scope[scope] / b.searches for b in reps) / n
        run_in = sum(b.scope_share[scope] for b in reps) / n
        states: dict[str, float] = {}
        for b in reps:
            for st, k in b.by_state[scope].items():
                states[st] = states.get(st, 0.0) + k / b.searches / n
        top = ", ".join(f"{st} {v:.2%}" for st, v in sorted(states.items(), key=lambda kv: -kv[1])[:6])
        agencies = reps[0].agencies_reaching[scope]
        out.append(f"  {scope}: {share:.2%} of the type's searches (run in this scope: {run_in:.2%}); "
                   f"agencies whose {scope} scope reaches >= {threshold:,.0f}: {agencies} of {reps[0].agencies}"
                   + (f"; by state: {top}" if top else ""))
    q = np.percentile(reps[0].shared_reach, [10, 50, 90]) if len(reps[0].shared_reach) else [0, 0, 0]
    out.append(f"  shared scope (1:1 partners, own and private networks granting it): p10/median/p90 "
               f"{q[0]:,.0f} / {q[1]:,.0f} / {q[2]:,.0f} networks, max {reps[0].shared_reach.max():,.0f}")
    return out


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(prog="python -m sim.calibration.reach_bands", description=__doc__.split("\n")[0])
    p.add_argument("scenario", nargs="?", default="scenarios/baseline.yaml")
    p.add_argument("--type", default="sheriff", choices=[t for t in AGENCY_TYPES])
    p.add_argument("--threshold", type=float, default=1000.0)
    p.add_argument("--replications", type=int, default=None)
    p.add_argument("--days", type=int, default=None)
    a = p.parse_args(argv)
    sc = load_scenario(a.scenario)
    sets = {k: v for k, v in (("run.replications", a.replications), ("run.days", a.days)) if v is not None}
    if sets:
        sc = with_overrides(sc, sets, "reach_bands")
    print("\n".join(lines(decompose(sc, a.type, a.threshold), a.type, a.threshold)))


if __name__ == "__main__":
    main()
