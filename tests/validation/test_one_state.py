"""Metamorphic: a one-state world gives that state's agencies the per-agency figures of a bigger world.

Every search rate is per agency or per federal unit (issue 18), so simulating North Carolina alone or
North Carolina among its neighbours must give NC's agencies, in expectation, the same own searches per
agency, the same proxy lookups per agency (run for federal units by a few agencies) and the same
records from federal units per camera owner (federal units search at their own rates; with pilots paused
they reach the owners that grant them 1:1, a per-owner share). Different worlds are different draws, so
each figure is compared as a mean over NC agencies and replications, with a z-test on their standard
errors. The contrast checks that the test can fail: world-wide totals (all proxy lookups) do grow with
the world, as a rate spread over the world's agencies (the earlier model) would not have kept per agency.
"""

from __future__ import annotations

import numpy as np

from sim.geo.states import STATE_CODES
from sim.model.alpr import CHANNELS, AlprModel
from sim.model.simulation import simulate
from sim.runner import seeds
from sim.world.build import build_world_cached
from sim.world.types import FEDERAL
from tests.validation.helpers import scenario

REPS = 3
DAYS = 7
NC = STATE_CODES.index("NC")
FOUR = {"world.states": ["NC", "VA", "SC", "GA"], "world.agencies.local_police": 700, "world.agencies.sheriff": 170,
        "world.agencies.state_police": 4, "world.alpr.total": 11_000, "world.households.count": 40_000}
ONE = {"world.states": ["NC"]}
COMMON = {"run.days": DAYS, "behavior.searches.proxy_agency_share": 0.2, "behavior.exposure.tracked_vehicles": 0}


class Capture(AlprModel):
    """The ALPR component, kept after the run so the test reads its per-agency arrays."""

    last: AlprModel | None = None

    def finish(self) -> None:
        super().finish()
        Capture.last = self


def per_agency(values: dict) -> tuple[dict[str, list[np.ndarray]], float]:
    """NC agencies' figures per replication (30-day own searches and proxy lookups; federal records per owner
    with cameras), and the world's proxy lookups in all."""
    sc = scenario(COMMON | values)
    world = build_world_cached(sc, seed_seq=seeds.world_seed(sc.run.seed))
    a = world.agencies
    nc = (a.state == NC) & (a.kind != FEDERAL)
    owners = nc & (a.cameras > 0)
    out: dict[str, list[np.ndarray]] = {"searches": [], "proxies": [], "federal_records": []}
    proxies = 0.0
    for rep in range(REPS):
        simulate(sc, world, seeds.run_seed(sc.run.seed, 0, rep), components=(Capture,))
        m = Capture.last
        assert m is not None
        out["searches"].append(m.per_agency[nc] * 30 / DAYS)
        out["proxies"].append(m.proxy_per_agency[nc] * 30 / DAYS)
        out["federal_records"].append(m.audit_by_channel[CHANNELS.index("federal_own")][owners])
        proxies += float(m.proxy_per_agency.sum())
    return out, proxies / REPS


def test_one_state_world_gives_its_agencies_the_national_per_agency_figures() -> None:
    big, big_proxies = per_agency(FOUR)
    one, one_proxies = per_agency(ONE)
    for name in big:
        x, y = np.concatenate(big[name]), np.concatenate(one[name])
        se = np.sqrt(x.var(ddof=1) / len(x) + y.var(ddof=1) / len(y))
        z = (x.mean() - y.mean()) / se
        assert abs(z) < 3.5, (name, x.mean(), y.mean(), se)
        assert x.mean() > 0 and y.mean() > 0, name
    assert big_proxies > 2 * one_proxies  # the world's total grows with it; per agency it stays
