"""Building blocks of the scenario schema: a strict base model and a few shared value types.

Every section of a scenario is a `StrictModel`: unknown keys are refused and values are never
coerced across types (a YAML string such as ``"NO"`` or ``"010"`` is never read as a boolean or an
integer). Units are in the field names (``_days``, ``_s``, ``_sq_mi``, ``_m``) or in the field docs.

A field declares what it holds by its type, and the type carries its check: `Share` (0..1), `Weights` (a
categorical mix: a mapping of names, or `DayWeights` of day counts, to weights >= 0 with a positive sum),
`HourlyProfile` and `WeeklyProfile` (24 weights for hour 0..23, 7 for Monday..Sunday, >= 0 with a positive sum).
Their errors say what is wrong and what is allowed; the scenario loader puts the field's dotted path and the value
beside them (``behavior.searches.reasons: weights must be >= 0, got {'theft': -1.0} (got {'theft': -1})``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Annotated, Any, Literal, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from sim.geo.states import STATE_CODES, code_for_name

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


K = TypeVar("K")


def check_weights(values: dict[K, float]) -> dict[K, float]:
    """A categorical mix: at least one weight, each >= 0, with a positive sum (the `Weights` types' check)."""
    if not values:
        raise ValueError("must not be empty: give one weight or more (>= 0, with a positive sum)")
    bad = {k: v for k, v in values.items() if v < 0}
    if bad:
        raise ValueError(f"weights must be >= 0, got {bad}")
    if sum(values.values()) <= 0:
        raise ValueError("weights must sum to more than 0 (at least one above 0)")
    return values


_NON_NEGATIVE_WEIGHTS = {"additionalProperties": {"type": "number", "minimum": 0}, "minProperties": 1}
Weights = Annotated[dict[str, float], AfterValidator(check_weights), Field(json_schema_extra=_NON_NEGATIVE_WEIGHTS)]
DayWeights = Annotated[dict[int, float], AfterValidator(check_weights), Field(json_schema_extra=_NON_NEGATIVE_WEIGHTS)]


def state_codes_validator(values: list[str]) -> list[str]:
    """Check two-letter state codes: a lower-case code gets "did you mean 'NC'?", others the valid codes."""
    unknown = [s for s in values if s not in STATE_CODES]
    if not unknown:
        return values
    cased = {s: s.upper() for s in unknown if isinstance(s, str) and s.upper() in STATE_CODES}
    parts = [f"state codes are upper case: {k!r}: did you mean {v!r}?" for k, v in cased.items()]
    named = {s: code_for_name(s) for s in unknown if s not in cased and code_for_name(s)}
    parts += [f"{k!r} is a state's name; state codes are two letters: did you mean {v!r}?" for k, v in named.items()]
    rest = [s for s in unknown if s not in cased and s not in named]
    if rest:
        parts.append(f"unknown state codes {rest}; valid codes: {', '.join(STATE_CODES)}")
    raise ValueError("; ".join(parts))


def _profile_check(positions: tuple[str, ...], unit: str) -> Callable[[list[float]], list[float]]:
    """The check of a time profile: one relative weight per position (hour of day, day of week), each >= 0, with
    a positive sum; an error names the positions (``hour 0..23``) and, for negative weights, which are."""
    n = len(positions)

    def check(values: list[float]) -> list[float]:
        if len(values) != n:
            raise ValueError(f"needs exactly {n} values, one per {unit} {positions[0]}..{positions[-1]}, "
                             f"got {len(values)}")
        negative = [positions[i] for i, v in enumerate(values) if v < 0]
        if negative:
            raise ValueError(f"values must be >= 0 with a positive sum; negative at {unit} {', '.join(negative)}")
        if sum(values) <= 0:
            raise ValueError("values must be >= 0 with a positive sum; all are 0")
        return values

    return check


def _profile_schema(n: int) -> dict[str, Any]:
    return {"minItems": n, "maxItems": n, "items": {"type": "number", "minimum": 0}}


HOURS = tuple(str(h) for h in range(24))
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
WEEKDAYS = tuple(d[:3].lower() for d in DAYS)  # "mon" .. "sun": metric and option names, Monday first
HourlyProfile = Annotated[list[float], AfterValidator(_profile_check(HOURS, "hour")),
                          Field(json_schema_extra=_profile_schema(len(HOURS)))]
WeeklyProfile = Annotated[list[float], AfterValidator(_profile_check(DAYS, "day")),
                          Field(json_schema_extra=_profile_schema(len(DAYS)))]
