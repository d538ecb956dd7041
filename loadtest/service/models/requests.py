"""Bodies of the community-request side: requests, the resident feed, submissions and packages.

Limits from Ring's Request for Assistance policy (see `loadtest.service.limits`): area 0.025-0.5 sq mi,
window 15 min-12 h. Incident types follow the categories of Ring's public posts (assumption: a short fixed
list, "other" for the rest).
"""

from __future__ import annotations

import binascii
from typing import Annotated, Literal

from pydantic import Field, ValidationInfo, field_validator

from loadtest.service.limits import (
    AREA_MAX_SQ_MI,
    AREA_MIN_SQ_MI,
    CLIP_BYTES_MAX,
    CLIP_SECONDS_MAX,
    CLIPS_PER_SUBMISSION_MAX,
    WINDOW_MAX_S,
    WINDOW_MIN_S,
)
from loadtest.service.models.common import ApiModel, CaseNumber, Description, Epoch, Location, OutModel, Page, after

IncidentType = Literal[
    "burglary", "theft", "vehicle_theft", "vandalism", "assault", "robbery", "shooting", "homicide",
    "hit_and_run", "missing_person", "fraud", "other",
]  # fmt: skip


class RequestIn(ApiModel):
    case_number: CaseNumber
    incident_type: IncidentType
    location: Location
    area_sq_mi: Annotated[float, Field(strict=True, ge=AREA_MIN_SQ_MI, le=AREA_MAX_SQ_MI)]
    window_start: Epoch
    window_end: Epoch
    description: Description = ""

    @field_validator("window_end")
    @classmethod
    def _window(cls, end: float, info: ValidationInfo) -> float | None:
        return after(end, info, "window_start", WINDOW_MIN_S, WINDOW_MAX_S)  # 15 min to 12 h


class Counts(OutModel):
    submissions: int
    clips: int
    bytes: int
    packages: int
    pending_submissions: int


class RequestView(OutModel):
    """What both the owning agency and residents see of a request."""

    id: int
    incident_type: str
    location: Location
    area_sq_mi: float
    window_start: str
    window_end: str
    description: str
    open_until: str


class RequestOut(RequestView):
    case_number: str
    status: Literal["open", "closed"]
    created: str
    counts: Counts


class FeedItem(RequestView):
    agency_id: int
    agency_name: str


class Feed(Page):
    items: list[FeedItem]


class ClipIn(ApiModel):
    camera_id: Annotated[str, Field(pattern=r"^[A-Za-z0-9._:-]{1,64}$")]
    start: Epoch
    end: Epoch
    content_b64: Annotated[str, Field(min_length=4, max_length=(CLIP_BYTES_MAX + 2) // 3 * 4)]

    @field_validator("content_b64")
    @classmethod
    def _base64(cls, v: str) -> str:
        try:
            binascii.a2b_base64(v, strict_mode=True)
        except binascii.Error as exc:
            raise ValueError(f"content_b64 is not valid base64 ({exc})") from None
        return v

    @field_validator("end")
    @classmethod
    def _span(cls, end: float, info: ValidationInfo) -> float | None:
        return after(end, info, "start", high_s=CLIP_SECONDS_MAX)

    def content(self) -> bytes:
        return binascii.a2b_base64(self.content_b64, strict_mode=True)


class SubmissionIn(ApiModel):
    clips: Annotated[list[ClipIn], Field(min_length=1, max_length=CLIPS_PER_SUBMISSION_MAX)]


class PackageOut(OutModel):
    id: int
    request_id: int
    created: str
    clips: int
    bytes: int
    sha256: str


class PackageList(OutModel):
    items: list[PackageOut]
