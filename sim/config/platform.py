"""`platform:` request routing and the capacities of the platform's queues.

Service times in seconds; bandwidth in megabits per second; ingest capacity in reads per second.
``calibration`` points to a `calibration.json` written by `fedsim loadtest`; when given, its measured
service times and worker counts replace the values here (see docs/scenarios.md).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from sim.config.base import NonNegFloat, PositiveFloat, PositiveInt, ServiceTime, StrictModel


class Packaging(StrictModel):
    workers: PositiveInt = 4
    service_time: ServiceTime = Field(default_factory=lambda: ServiceTime(dist="exponential", mean_s=20.0))


class Transfer(StrictModel):
    bandwidth_mbps: PositiveFloat = 100.0


class SearchQueue(StrictModel):
    """Search service time = base + per_million_reads_s * (reads scanned / 1e6)."""

    workers: PositiveInt = 16
    service_time: ServiceTime = Field(default_factory=lambda: ServiceTime(dist="exponential", mean_s=0.05))
    per_million_reads_s: NonNegFloat = 0.02


class Ingest(StrictModel):
    capacity_reads_per_s: PositiveFloat = 25_000.0


class Platform(StrictModel):
    routing: Literal["axon", "flock", "none"] = "axon"
    calibration: str | None = None
    packaging: Packaging = Field(default_factory=Packaging)
    transfer: Transfer = Field(default_factory=Transfer)
    search: SearchQueue = Field(default_factory=SearchQueue)
    ingest: Ingest = Field(default_factory=Ingest)
