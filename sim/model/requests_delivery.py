"""From a household's submission to the agency: packaging, then transfer over a bandwidth-limited link.

One *package* per submission (one household's clips for one request): the household's upload is the
unit the platform hashes, bundles with its audit record and hands over, and it is what the load test's
packaging endpoint times. Packages queue FCFS for ``platform.packaging.workers`` packaging workers with
service times drawn from ``platform.packaging.service_time`` (seconds; or the load-test calibration file,
already applied to ``ctx.platform``; stream ``platform.packaging``). A packaged submission then crosses the
platform's egress link to the destination (Axon Evidence on the ``axon`` route, Flock's platform on
``flock``): one FCFS link of ``platform.transfer.bandwidth_mbps`` megabits per second, modelled as a single
server whose service time is ``bytes * 8 / (bandwidth_mbps * 1e6)`` seconds (a store-and-forward link that
sends one package at a time at full rate; mean delay equals a fair-share fluid link's at low load).

Both queues are `ServerPool`s: no SimPy process per package, exact time-weighted probes from the end of
warm-up, reported as ``packaging.*`` and ``transfer.*``.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import simpy

from sim.config.platform import Platform
from sim.model.platform import ServerPool, ServiceSampler

SERVICE_BLOCK = 256  # service times are drawn this many at a time (fewer numpy calls)


class DeliveryLine:
    """Packaging workers followed by one egress link; `submit(nbytes, on_delivered)` per submission."""

    def __init__(self, env: simpy.Environment, platform: Platform, rng: np.random.Generator,
                 record_from: float) -> None:
        self.env = env
        self.packaging = ServerPool(env, platform.packaging.workers, record_from)
        self.link = ServerPool(env, 1, record_from)
        self.sampler = ServiceSampler(platform.packaging.service_time, rng)
        self.bits_per_s = platform.transfer.bandwidth_mbps * 1e6
        self._block = np.zeros(0)
        self._next = 0

    def _service_s(self) -> float:
        if self._next >= len(self._block):
            self._block = self.sampler.draw(SERVICE_BLOCK)
            self._next = 0
        self._next += 1
        return float(self._block[self._next - 1])

    def transfer_s(self, nbytes: float) -> float:
        return nbytes * 8.0 / self.bits_per_s

    def submit(self, nbytes: float, on_delivered: Callable[[float], None]) -> None:
        """A package of `nbytes` arrives now; `on_delivered(latency_s)` runs when the agency has it."""
        arrived = self.env.now

        def packaged(_wait: float) -> None:
            self.link.submit(self.transfer_s(nbytes), lambda _w: on_delivered(self.env.now - arrived))

        self.packaging.submit(self._service_s(), packaged)

    def stats(self, horizon_s: float) -> dict[str, float]:
        return self.packaging.stats("packaging", horizon_s) | self.link.stats("transfer", horizon_s)
