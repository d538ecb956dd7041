"""Fit the private networks and the fleet to what a national lookup reaches: networks (EFF) and cameras (Eugene).

Figures (figures.md): a national lookup touches ~6,700 networks (EFF, 2025; Okaloosa County SO's largest search
6,709); Eugene OR PD's national lookups ~87,000 cameras (median 85,185 in its log; 404 Media: one search
83,345). The world's ~4,950 agencies, ~75% opted in (ACLU), give a lookup ~3,600 networks and, with 80,000
cameras, ~50,000 cameras: both short. Two unknowns close both gaps: the count of private networks (companies
and HOAs, `world.businesses` + `world.hoas`, split as the 2023 figure: ~1,000 companies to >200 HOAs) and the
fleet (`world.alpr.total`, a lower bound at 80,000). The private networks' opt-in share stays an assumption
(``world.private.national_lookup_share``): only opt-in x count is identified by the networks figure.

`fit_private(scenario)` builds the world, measures over police agencies allowed national lookup the median
networks and cameras their national scope reaches (`sim.model.access.AccessTable`, the scenario's policy),
and moves the private count by the secant method (networks are linear in it) and the fleet in proportion
(cameras scale with the fleet at a fixed composition) until both are within `TOL`; at most `MAX_ROUNDS`
world builds. ``python -m sim.calibration.fit_private SCENARIO`` prints each round and the result.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

import numpy as np

from sim.config import Scenario, load_scenario, with_overrides
from sim.model.access import AccessTable
from sim.model.policy_effects import policy_effects
from sim.world.build import build_world
from sim.world.types import is_police

NETWORKS_TARGET = 6700.0  # EFF: ~6,700 networks per national lookup (Okaloosa max 6,709)
CAMERAS_TARGET = 85185.0  # Eugene OR PD's national lookups, median cameras (data/audit_logs/eugene_or)
HOA_SHARE = 200 / 1200  # >200 HOAs to ~1,000 companies (2023)
TOL = 0.01
MAX_ROUNDS = 6


@dataclass(frozen=True)
class PrivateFit:
    businesses: int
    hoas: int
    total: int
    networks: float  # median networks a police agency's national scope reaches, at the fit
    cameras: float  # median cameras, likewise
    rounds: list[tuple[int, int, float, float]]  # (private networks, fleet, networks, cameras) per world built


def reach_medians(scenario: Scenario) -> tuple[float, float]:
    """Median networks and cameras of a national-scope search over police agencies whose state allows national
    lookup, in the world of `scenario` under its policy."""
    world = build_world(scenario)
    fx = policy_effects(world, scenario.policy)
    table = AccessTable(world, fx)
    rows = is_police(world.agencies.kind) & ~np.asarray(fx.no_national_lookup, dtype=bool)
    return float(np.median(table.networks["national"][rows])), float(np.median(table.cameras["national"][rows]))


def _with(scenario: Scenario, private: int, total: int) -> Scenario:
    hoas = int(round(private * HOA_SHARE))
    return with_overrides(scenario, {"world.businesses": private - hoas, "world.hoas": hoas,
                                     "world.alpr.total": total}, "fit_private")


def fit_private(scenario: Scenario, echo: bool = False, networks_target: float = NETWORKS_TARGET,
                cameras_target: float = CAMERAS_TARGET) -> PrivateFit:
    """Private networks and fleet of `scenario`'s world such that the medians hit the targets (default: figures)."""
    private = scenario.world.businesses + scenario.world.hoas
    total = scenario.world.alpr.total
    rounds: list[tuple[int, int, float, float]] = []
    prev: tuple[int, float] | None = None
    for _ in range(MAX_ROUNDS):
        nets, cams = reach_medians(_with(scenario, private, total))
        rounds.append((private, total, nets, cams))
        if echo:
            print(f"private networks {private:,}, fleet {total:,}: networks {nets:,.0f}, cameras {cams:,.0f}")
        if abs(nets / networks_target - 1) < TOL and abs(cams / cameras_target - 1) < TOL:
            break
        slope = (nets - prev[1]) / (private - prev[0]) if prev is not None and private != prev[0] else 1.0
        prev = (private, nets)
        private = max(int(round(private + (networks_target - nets) / max(slope, 1e-3))), 0)
        total = int(round(total * cameras_target / max(cams, 1.0)))
    p, t, nets, cams = rounds[-1]
    hoas = int(round(p * HOA_SHARE))
    return PrivateFit(p - hoas, hoas, t, nets, cams, rounds)


def main() -> None:
    fit = fit_private(load_scenario(sys.argv[1] if len(sys.argv) > 1 else "scenarios/baseline.yaml"), echo=True)
    print(f"fit: world.businesses {fit.businesses:,}, world.hoas {fit.hoas:,}, world.alpr.total {fit.total:,} "
          f"(networks {fit.networks:,.0f} vs {NETWORKS_TARGET:,.0f}, cameras {fit.cameras:,.0f} vs {CAMERAS_TARGET:,.0f})")


if __name__ == "__main__":
    main()
