"""`platform:` request routing and the capacities of the platform's queues.

Service times in seconds; bandwidth in megabits per second; ingest capacity in reads per second.
``calibration`` points to a `calibration.json` written by `fedsim loadtest`; when given, its measured
service times and worker counts replace the values here (see docs/scenarios.md).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from sim.config.base import NonNegFloat, PositiveFloat, PositiveInt, ServiceTime, StrictModel, known_names
from sim.config.behavior_alpr import SEARCH_TYPES


class Packaging(StrictModel):
    workers: PositiveInt = 4
    service_time: ServiceTime = Field(default_factory=lambda: ServiceTime(dist="exponential", mean_s=20.0))


class Transfer(StrictModel):
    bandwidth_mbps: PositiveFloat = 100.0


def _type_costs() -> dict[str, float]:
    # Relative service demand of a search type against a full-plate lookup (1). Assumption (no public figure of
    # Flock's per-type costs; ranges in docs/MODEL.md): a partial-plate/attribute search matches patterns instead
    # of one index key (2x); multiGeo runs one search per area (3x); freeform and visual match a description
    # against image attributes (5x); convoy joins every read of a target with the reads around it (10x).
    return {"lookup": 1.0, "search": 2.0, "freeform": 5.0, "visual": 5.0, "multigeo": 3.0, "convoy": 10.0}


class SearchQueue(StrictModel):
    """Search service time = type_cost[type] * base + per_million_reads_s * (reads scanned / 1e6).

    The base time (``service_time``) is a full-plate lookup's; ``type_cost`` scales it per search type
    (`sim.config.behavior_alpr.SEARCH_TYPES`; a type not named costs 1). The per-read term is the same for
    every type: the reads scanned are those in the search's reach and window, whatever it matches.
    """

    workers: PositiveInt = 16
    service_time: ServiceTime = Field(default_factory=lambda: ServiceTime(dist="exponential", mean_s=0.05))
    per_million_reads_s: NonNegFloat = 0.02
    type_cost: dict[str, PositiveFloat] = Field(default_factory=_type_costs)

    @field_validator("type_cost")
    @classmethod
    def _known_types(cls, v: dict[str, float]) -> dict[str, float]:
        known_names(v, SEARCH_TYPES, "search types")
        return v

    def cost_of(self, search_type: str) -> float:
        """Relative service demand of one search type (1 for a type ``type_cost`` does not name)."""
        return float(self.type_cost.get(search_type, 1.0))


class Ingest(StrictModel):
    capacity_reads_per_s: PositiveFloat = 25_000.0


class Platform(StrictModel):
    routing: Literal["axon", "flock", "none"] = "axon"
    calibration: str | None = None
    packaging: Packaging = Field(default_factory=Packaging)
    transfer: Transfer = Field(default_factory=Transfer)
    search: SearchQueue = Field(default_factory=SearchQueue)
    ingest: Ingest = Field(default_factory=Ingest)
