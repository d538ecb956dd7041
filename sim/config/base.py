"""Building blocks of the scenario schema: a strict base model and a few shared value types.

Every section of a scenario is a `StrictModel`: unknown keys are refused and values are never
coerced across types (a YAML string such as ``"NO"`` or ``"010"`` is never read as a boolean or an
integer). Units are in the field names (``_days``, ``_s``, ``_sq_mi``, ``_m``) or in the field docs.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from sim.geo.states import STATE_CODES

Share = Annotated[float, Field(ge=0.0, le=1.0)]
PositiveFloat = Annotated[float, Field(gt=0.0)]
NonNegFloat = Annotated[float, Field(ge=0.0)]
PositiveInt = Annotated[int, Field(gt=0)]
NonNegInt = Annotated[int, Field(ge=0)]

# The names a scenario keys per-type values by: the agency types (the searchers) and, for what selects owners
# (`policy.overrides` ``where.type``), ``private`` networks. `sim.world.types` codes rows by these; the config does
# not import the world, so tests/sim/config/test_policy_overrides.py keeps the two equal.
AGENCY_TYPES: tuple[str, ...] = ("local_police", "sheriff", "state_police", "federal")
OWNER_TYPES: tuple[str, ...] = AGENCY_TYPES + ("private",)


class StrictModel(BaseModel):
    """Base of every scenario section: unknown keys refused, no silent type conversion."""

    model_config = ConfigDict(extra="forbid", strict=True, validate_default=True, frozen=False)


class ServiceTime(StrictModel):
    """A service-time distribution in seconds.

    ``exponential``: mean only. ``lognormal``: mean and coefficient of variation ``cv``.
    ``fixed``: always ``mean``. ``empirical``: resample ``samples_s`` (written by load-test calibration).
    """

    dist: Literal["exponential", "lognormal", "fixed", "empirical"] = "exponential"
    mean_s: PositiveFloat = 1.0
    cv: NonNegFloat = 1.0
    samples_s: list[PositiveFloat] = Field(default_factory=list)

    @model_validator(mode="after")
    def _samples_for_empirical(self) -> ServiceTime:
        if self.dist == "empirical" and not self.samples_s:
            raise ValueError("dist 'empirical' needs a non-empty samples_s list")
        return self


def known_names(values: Iterable[str], allowed: Sequence[str], what: str, field: str = "") -> None:
    """Refuse names outside `allowed`, naming them and what is allowed: ``[field: ]unknown {what} ['x']; allowed
    a, b, c`` (the keys of a per-type or per-scope mapping, the types an override selects)."""
    unknown = sorted(set(values) - set(allowed))
    if unknown:
        raise ValueError(f"{field + ': ' if field else ''}unknown {what} {unknown}; allowed {', '.join(allowed)}")


def weights_validator(values: dict[str, float], what: str) -> dict[str, float]:
    """Check a mapping of non-negative weights with a positive sum (a categorical mix)."""
    if not values:
        raise ValueError(f"{what} must not be empty")
    bad = {k: v for k, v in values.items() if v < 0}
    if bad:
        raise ValueError(f"{what} weights must be >= 0, got {bad}")
    if sum(values.values()) <= 0:
        raise ValueError(f"{what} weights must sum to more than 0")
    return values


def state_codes_validator(values: list[str]) -> list[str]:
    """Check two-letter state codes: a lower-case code gets "did you mean 'NC'?", others the valid codes."""
    unknown = [s for s in values if s not in STATE_CODES]
    if not unknown:
        return values
    cased = {s: s.upper() for s in unknown if isinstance(s, str) and s.upper() in STATE_CODES}
    parts = [f"state codes are upper case: {k!r}: did you mean {v!r}?" for k, v in cased.items()]
    rest = [s for s in unknown if s not in cased]
    if rest:
        parts.append(f"unknown state codes {rest}; valid codes: {', '.join(STATE_CODES)}")
    raise ValueError("; ".join(parts))


def profile_validator(values: list[float], length: int, what: str) -> list[float]:
    """Check a time profile (24 hourly or 7 daily relative weights)."""
    if len(values) != length:
        raise ValueError(f"{what} needs exactly {length} values, got {len(values)}")
    if any(v < 0 for v in values) or sum(values) <= 0:
        raise ValueError(f"{what} values must be >= 0 with a positive sum")
    return values
