"""`behavior.incidents`, `behavior.requests`, `behavior.optin`, `behavior.clips`: community footage requests.

Rates are per agency per day; areas in square miles; windows in hours; delays in hours; clip lengths
in seconds; sizes in bytes. Sources and assumptions: docs/MODEL.md.
"""

from __future__ import annotations

from pydantic import Field, field_validator, model_validator

from sim.config.base import (
    AGENCY_TYPES,
    HourlyProfile,
    NonNegFloat,
    PositiveFloat,
    Share,
    StrictModel,
    WeeklyProfile,
    known_names,
)

# Daily profile of reported incidents (hour 0..23), relative weights. Assumption: an evening peak.
DEFAULT_INCIDENT_HOURLY = [
    0.6, 0.5, 0.4, 0.35, 0.3, 0.35, 0.5, 0.7, 0.9, 1.0, 1.05, 1.1,
    1.15, 1.15, 1.2, 1.25, 1.35, 1.45, 1.5, 1.45, 1.35, 1.2, 1.0, 0.8,
]
DEFAULT_WEEKLY = [1.0, 1.0, 1.0, 1.0, 1.1, 1.15, 1.05]  # Monday..Sunday; assumption


def _per_type(values: dict[str, float], what: str) -> dict[str, float]:
    known_names(values, AGENCY_TYPES, "agency types")
    if any(v < 0 for v in values.values()):
        raise ValueError(f"{what}: values must be >= 0")
    return values


class Incidents(StrictModel):
    """Incidents per agency per day (Poisson, shaped by hour of day and day of week)."""

    per_agency_per_day: dict[str, float] = Field(
        default_factory=lambda: {"local_police": 0.5, "sheriff": 0.5, "state_police": 0.2, "federal": 0.5}
    )
    hourly_profile: HourlyProfile = Field(default_factory=lambda: list(DEFAULT_INCIDENT_HOURLY))
    weekly_profile: WeeklyProfile = Field(default_factory=lambda: list(DEFAULT_WEEKLY))
    request_share: Share = 0.088

    @field_validator("per_agency_per_day")
    @classmethod
    def _types(cls, v: dict[str, float]) -> dict[str, float]:
        return _per_type(v, "per_agency_per_day")


class Requests(StrictModel):
    """Shape of one community request: area (sq mi, log-uniform), window (hours, log-uniform)."""

    area_sq_mi_min: PositiveFloat = 0.025
    area_sq_mi_max: PositiveFloat = 0.5
    window_hours_min: PositiveFloat = 0.25
    window_hours_max: PositiveFloat = 12.0
    case_number_share: Share = 0.92
    second_post_share: Share = 0.1
    expiry_days: PositiveFloat = 7.0
    lag_hours_mean: NonNegFloat = 24.0

    @model_validator(mode="after")
    def _ranges(self) -> Requests:
        if not 0.025 <= self.area_sq_mi_min <= self.area_sq_mi_max <= 0.5:
            raise ValueError(
                "need 0.025 <= area_sq_mi_min <= area_sq_mi_max <= 0.5 (Ring's request-area policy), "
                f"got {self.area_sq_mi_min} .. {self.area_sq_mi_max}"
            )
        if not 0.25 <= self.window_hours_min <= self.window_hours_max <= 12.0:
            raise ValueError(
                "need 0.25 <= window_hours_min <= window_hours_max <= 12 (a window of 15 min to 12 h), "
                f"got {self.window_hours_min} .. {self.window_hours_max}"
            )
        return self


class OptIn(StrictModel):
    """Logistic opt-in of an eligible notified household.

    logit(p) = logit(base_rate) + distance_per_km * d + agency_type[t] + fatigue_per_request * n30
    + trust, where trust ~ Normal(0, trust_sd) per neighborhood. ``base_rate`` is per eligible household;
    the default is set so that submissions per notified household come out near 3.5% (Fort Lauderdale).
    """

    base_rate: Share = 0.07
    distance_per_km: float = -0.3
    agency_type: dict[str, float] = Field(
        default_factory=lambda: {"local_police": 0.0, "sheriff": -0.1, "state_police": -0.2, "federal": -0.7}
    )
    fatigue_per_request: float = -0.05
    trust_sd: NonNegFloat = 0.5
    delay_hours_mean: PositiveFloat = 10.0

    @field_validator("agency_type")
    @classmethod
    def _types(cls, v: dict[str, float]) -> dict[str, float]:
        known_names(v, AGENCY_TYPES, "agency types")
        return v


class Clips(StrictModel):
    """What one submitting household sends: 1 + Poisson(extra) clips of up to 60 s each."""

    extra_clips_mean: NonNegFloat = 1.0
    length_s_mean: PositiveFloat = 30.0
    length_s_max: PositiveFloat = 60.0
    bytes_per_second: PositiveFloat = 250_000.0
