"""Field types shared by the API's bodies: strict numbers, safe short text, times as epoch seconds.

Short text (case numbers, reasons, names) is normalised before it is stored: Unicode NFKC (full-width letters
become ASCII, a no-break or ideographic space a plain space), then trimmed. It is refused (422) when nothing is
left, when it holds a control character (C0 or C1, so no NUL bytes), a format character (zero-width spaces,
bidirectional overrides such as U+202E) or a line or paragraph separator, or when it starts with a spreadsheet
formula character (= + - @), so an export opened in a spreadsheet cannot run a formula. Descriptions follow
the same rules but keep newlines and tabs and may be empty.
Times are ISO 8601 with a time zone (or epoch seconds) on the wire and epoch seconds (float) inside.
"""

from __future__ import annotations

import math
import unicodedata
from datetime import UTC, datetime
from functools import partial
from typing import Annotated, Literal

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints, ValidationInfo

from loadtest.service.limits import CASE_NUMBER_MAX, DESCRIPTION_MAX, REASON_MAX
from sim.geo.states import STATE_CODES


class ApiModel(BaseModel):
    """Request bodies: unknown fields (an owner, a status) are errors, NaN and Infinity are errors."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class OutModel(BaseModel):
    model_config = ConfigDict(extra="forbid")


REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"})  # controls, format, separators, unassigned
FORMULA_START = "=+-@"


def clean_text(value: str, max_length: int, *, multiline: bool = False, allow_empty: bool = False) -> str:
    """NFKC, trimmed; ValueError naming the first character refused (see the module docstring)."""
    text = unicodedata.normalize("NFKC", value)
    for ch in text:  # before trimming: a trailing U+0085 is a control character, not a space
        if unicodedata.category(ch) in REFUSED_CATEGORIES and not (multiline and ch in "\n\t"):
            raise ValueError(f"must not contain control or format characters (found U+{ord(ch):04X})")
    text = text.strip()
    if len(text) > max_length:  # NFKC may lengthen a string (a ligature becomes several letters)
        raise ValueError(f"at most {max_length} characters after normalisation, got {len(text)}")
    if not text and not allow_empty:
        raise ValueError("must not be empty or only spaces")
    if text and text[0] in FORMULA_START and not multiline:
        raise ValueError(f"must not start with {text[0]!r} (a spreadsheet formula character)")
    return text


def _description(value: str) -> str:
    return clean_text(value, DESCRIPTION_MAX, multiline=True, allow_empty=True)


def short_text(max_length: int) -> type[str]:
    return Annotated[  # type: ignore[return-value]
        str,
        StringConstraints(min_length=1, max_length=max_length, pattern=r"^[^\x00-\x1f\x7f=+@\-][^\x00-\x1f\x7f]*$"),
        AfterValidator(partial(clean_text, max_length=max_length)),
    ]


def _epoch(d: datetime) -> float:
    return d.timestamp()


Epoch = Annotated[AwareDatetime, AfterValidator(_epoch)]
CaseNumber = short_text(CASE_NUMBER_MAX)
Reason = short_text(REASON_MAX)
Name = short_text(100)
Description = Annotated[
    str, StringConstraints(max_length=DESCRIPTION_MAX, pattern=r"^[^\x00-\x08\x0b-\x1f\x7f]*$"), AfterValidator(_description)
]
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
