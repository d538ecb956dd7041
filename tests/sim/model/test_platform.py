"""Service-time samplers (the queues themselves: test_server_pool.py)."""

from __future__ import annotations

import numpy as np

from sim.config.base import ServiceTime
from sim.model.platform import ServiceSampler


def test_samplers_have_their_means() -> None:
    rng = np.random.default_rng(1)
    for spec in (
        ServiceTime(dist="exponential", mean_s=2.0),
        ServiceTime(dist="lognormal", mean_s=2.0, cv=0.5),
        ServiceTime(dist="fixed", mean_s=2.0),
        ServiceTime(dist="empirical", samples_s=[1.0, 3.0]),
    ):
        draws = ServiceSampler(spec, rng).draw(40_000)
        assert abs(draws.mean() - 2.0) < 0.05, spec.dist
