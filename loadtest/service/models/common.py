"""Field types shared by the API's bodies: strict numbers, safe short text, times as epoch seconds.

Short text (case numbers, reasons, names) admits no control characters (so no NUL bytes) and may not start
with a spreadsheet formula character (= + - @), so an export opened in a spreadsheet cannot run a formula.
Times are ISO 8601 with a time zone (or epoch seconds) on the wire and epoch seconds (float) inside.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints, ValidationInfo

from loadtest.service.limits import CASE_NUMBER_MAX, DESCRIPTION_MAX, REASON_MAX
from sim.geo.states import STATE_CODES


class ApiModel(BaseModel):
    """Request bodies: unknown fields (an owner, a status) are errors, NaN and Infinity are errors."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class OutModel(BaseModel):
    model_config = ConfigDict(extra="forbid")


def short_text(max_length: int) -> type[str]:
    return Annotated[  # type: ignore[return-value]
        str,
        StringConstraints(min_length=1, max_length=max_length, pattern=r"^[^\x00-\x1f\x7f=+@\-][^\x00-\x1f\x7f]*$"),
    ]


def _epoch(d: datetime) -> float:
    return d.timestamp()


Epoch = Annotated[AwareDatetime, AfterValidator(_epoch)]
CaseNumber = short_text(CASE_NUMBER_MAX)
Reason = short_text(REASON_MAX)
Name = short_text(100)
Description = Annotated[str, StringConstraints(max_length=DESCRIPTION_MAX, pattern=r"^[^\x00-\x08\x0b-\x1f\x7f]*$")]
Lat = Annotated[float, Field(strict=True, ge=-90.0, le=90.0)]
Lon = Annotated[float, Field(strict=True, ge=-180.0, le=180.0)]
StateCode = Literal[STATE_CODES]  # type: ignore[valid-type]
Plate = Annotated[str, StringConstraints(pattern=r"^[A-Z0-9]{1,8}$")]
Attr = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9 _-]{0,23}$", to_lower=True)]  # stored lower-case
Scope = Literal["local", "shared", "statewide", "national"]


class Location(ApiModel):
    lat: Lat
    lon: Lon


class Created(OutModel):
    id: int


class Page(OutModel):
    next_cursor: int | None = Field(None, description="pass as ?cursor= to get the next page")


def after(
    end: float | None, info: ValidationInfo, start_field: str, low_s: float = 0.0, high_s: float = math.inf
) -> float | None:
    """Validate that `end` comes after the already-validated `start_field` by `low_s` to `high_s` seconds."""
    start = info.data.get(start_field)
    if end is None or start is None:
        return end
    span = end - start
    if span <= 0:
        raise ValueError(f"must be after {start_field}")
    if span < low_s or span > high_s:
        raise ValueError(f"must be {low_s:g} to {high_s:g} s after {start_field}, got {span:.0f} s")
    return end


def iso(ts: float | None) -> str | None:
    return None if ts is None else datetime.fromtimestamp(ts, UTC).isoformat().replace("+00:00", "Z")
