"""Fit the private networks and the fleet to what a national lookup reaches: networks (EFF) and cameras (Eugene).

Figures (docs/sources.md): a national lookup touches ~6,700 networks (EFF, 2025; Okaloosa County SO's largest search
6,709); Eugene OR PD's national lookups ~87,000 cameras (median 85,185 in its log; 404 Media: one search
83,345); an agency's cameras: median 12 (portals 2024-04). The world's ~4,950 agencies, ~75% opted in (ACLU),
gave a lookup ~3,600 networks and, with 80,000 cameras, ~50,000 cameras: both short, and the agencies' median
scaled down to ~10. Three unknowns close the three: the count of private networks (companies and HOAs,
`world.businesses` + `world.hoas`, split as the 2023 figure: ~1,000 companies to >200 HOAs), the fleet
(`world.alpr.total`, a lower bound at 80,000) and a private network's median camera weight
(``world.private.cameras_median``). Their opt-in share stays an assumption (``world.private.national_lookup_share``):
the networks figure identifies only opt-in x count.

`fit_private(scenario)` builds the world and measures, over police agencies allowed national lookup, the median
networks and cameras their national scope reaches (`sim.model.access.AccessTable`, the scenario's policy), and
the agencies' median cameras; it moves the private count by the secant method (networks are linear in it), the
fleet in proportion to the cameras reached, and the private median so that the agencies keep the cameras their
median asks (the fleet split: agencies' cameras x 12 / their median, the rest private), until all three are within
`TOL` (the median within half a camera); at most `MAX_ROUNDS` world builds. ``python -m
sim.calibration.fit_private SCENARIO`` prints each round and the result.

The real-geography world (``world.source: flock-2026``) fits two of the three: its agencies' cameras are the data's
(portal counts, OSM-mapped cameras) plus the fill, so their median is an outcome, reported and not fitted. The
private count is ``world.flock.unmapped_private`` (networks beyond the 641 OSM names,
`sim.world.flock_2026_unmapped`; their size is the OSM-named networks', not a knob) and the fleet
``world.alpr.total``, moved as above.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

import numpy as np

from sim.config import Scenario, load_scenario, with_overrides
from sim.model.access import AccessTable
from sim.model.policy_effects import policy_effects
from sim.world.build import build_world
from sim.world.private_networks import HOA_SHARE
from sim.world.types import PRIVATE, is_police

NETWORKS_TARGET = 6700.0  # EFF: ~6,700 networks per national lookup (Okaloosa max 6,709)
CAMERAS_TARGET = 85185.0  # Eugene OR PD's national lookups, median cameras (data/audit_logs/eugene_or)
AGENCY_MEDIAN_TARGET = 12.0  # cameras per agency, median (portals 2024-04, data/private_eyes)
TOL = 0.01
MAX_ROUNDS = 8


@dataclass(frozen=True)
class LookupReach:
    """What one world gives: a national lookup's medians and the fleet's split between owners."""

    networks: float  # median networks a police agency's national scope reaches
    cameras: float  # median cameras, likewise
    agency_median: float  # median cameras an agency owns (police agencies)
    agency_cameras: int  # cameras police agencies own
    private_cameras: int  # cameras private networks own


@dataclass(frozen=True)
class PrivateFit:
    """The fitted counts (`world.businesses`, `world.hoas`, `world.alpr.total`, the private median) and how."""

    businesses: int
    hoas: int
    total: int
    cameras_median: float  # world.private.cameras_median
    reach: LookupReach  # at the fit
    # (private networks, fleet, private median, reach) per world built
    rounds: list[tuple[int, int, float, LookupReach]]


def measure(scenario: Scenario) -> LookupReach:
    """What the world of `scenario` gives under its policy (national scope of police agencies whose state allows
    national lookup; cameras owned)."""
    world = build_world(scenario)
    a = world.agencies
    fx = policy_effects(world, scenario.policy)
    table = AccessTable(world, fx)
    police = is_police(a.kind)
    rows = police & ~np.asarray(fx.no_national_lookup, dtype=bool)
    return LookupReach(float(np.median(table.networks["national"][rows])),
                       float(np.median(table.cameras["national"][rows])), float(np.median(a.cameras[police])),
                       int(a.cameras[police].sum()), int(a.cameras[a.kind == PRIVATE].sum()))


def _real(scenario: Scenario) -> bool:
    """The real-geography world: the private count is its unmapped networks' and the agencies' median is not fitted."""
    return scenario.world.source == "flock-2026"


def _with(scenario: Scenario, private: int, total: int, median: float) -> Scenario:
    if _real(scenario):
        return with_overrides(scenario, {"world.flock.unmapped_private": private, "world.alpr.total": total},
                              "fit_private")
    hoas = int(round(private * HOA_SHARE))
    return with_overrides(scenario, {"world.businesses": private - hoas, "world.hoas": hoas, "world.alpr.total": total,
                                     "world.private.cameras_median": median}, "fit_private")


def fit_private(scenario: Scenario, echo: bool = False, networks_target: float = NETWORKS_TARGET,
                cameras_target: float = CAMERAS_TARGET, agency_median: float = AGENCY_MEDIAN_TARGET) -> PrivateFit:
    """Private networks, fleet and private median of `scenario`'s world such that a national lookup's medians hit
    the targets and agencies keep their median cameras (defaults: the figures). In the real-geography world the
    private networks are its unmapped ones (`businesses` and `hoas` their split as the world builds it) and the
    median is neither moved nor a target."""
    real = _real(scenario)
    private = scenario.world.flock.unmapped_private if real else scenario.world.businesses + scenario.world.hoas
    total = scenario.world.alpr.total
    median = scenario.world.private.cameras_median
    rounds: list[tuple[int, int, float, LookupReach]] = []
    prev: tuple[int, float] | None = None
    for _ in range(MAX_ROUNDS):
        r = measure(_with(scenario, private, total, median))
        rounds.append((private, total, median, r))
        if echo:
            print(f"private networks {private:,}, fleet {total:,}" + ("" if real else f", private median {median:.2f}")
                  + f": networks "
                  f"{r.networks:,.0f}, cameras {r.cameras:,.0f}, agency median {r.agency_median:g} "
                  f"(agencies' cameras {r.agency_cameras:,}, private {r.private_cameras:,})")
        if (abs(r.networks / networks_target - 1) < TOL and abs(r.cameras / cameras_target - 1) < TOL
                and (real or abs(r.agency_median - agency_median) <= 0.5)):
            break
        slope = (r.networks - prev[1]) / (private - prev[0]) if prev is not None and private != prev[0] else 1.0
        prev = (private, r.networks)
        new_total = int(round(total * cameras_target / max(r.cameras, 1.0)))
        if not real:
            agencies = r.agency_cameras * agency_median / max(r.agency_median, 1.0) * new_total / max(total, 1)
            median *= max(new_total - agencies, 0.05 * new_total) / max(r.private_cameras * new_total / max(total, 1),
                                                                          1.0)
            median = round(median, 3)
        private = max(int(round(private + (networks_target - r.networks) / max(slope, 1e-3))), 0)
        total = new_total
    p, t, med, r = rounds[-1]
    hoas = int(round(p * HOA_SHARE))
    return PrivateFit(p - hoas, hoas, t, med, r, rounds)


def main() -> None:
    """``python -m sim.calibration.fit_private [SCENARIO]``: fit and print each round and the result."""
    scenario = load_scenario(sys.argv[1] if len(sys.argv) > 1 else "scenarios/baseline.yaml")
    fit = fit_private(scenario, echo=True)
    r = fit.reach
    knobs = (f"world.flock.unmapped_private {fit.businesses + fit.hoas:,}" if _real(scenario) else
             f"world.businesses {fit.businesses:,}, world.hoas {fit.hoas:,}")
    median = "" if _real(scenario) else f", world.private.cameras_median {fit.cameras_median:g}"
    print(f"fit: {knobs}, world.alpr.total {fit.total:,}{median} (networks {r.networks:,.0f} vs {NETWORKS_TARGET:,.0f}, "
          f"cameras {r.cameras:,.0f} vs {CAMERAS_TARGET:,.0f}, agency median {r.agency_median:g} vs "
          f"{AGENCY_MEDIAN_TARGET:g})")


if __name__ == "__main__":
    main()
