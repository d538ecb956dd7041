"""Bodies of the ALPR side: read batches, hotlists, alerts, searches, sharing, audit and transparency.

Plates are upper-case letters and digits (1-8, the longest US plates); colour, make and body are short
tokens compared case-insensitively (stored lower-case). Search windows: default 30 days (Flock's longest preset
window); any other window runs (`loadtest.service.queries.search`).

A search's scope follows Flock's tools (haveibeenflocked.com, "search types"; docs/sources.md), as the model's
searches do (`sim.model.alpr_searches`): statewide and national searches are the Lookup tool's, by full plate
(`sim.config.behavior_alpr.LOOKUP_SCOPES`; national lookup by full plate only, Flock 2025); a search by vehicle
description is the Search tool's, which reaches only the agency's own network and the networks shared with it 1:1
(`SEARCH_TOOL_SCOPES`, local or shared): a description search at statewide or national scope is a 422 naming
``scope``, echoing the value and saying what is allowed. A search without a scope runs as the tool for its kind
would (`default_scope`): a plate as a statewide lookup, a description over everything the Search tool reaches
(shared: the agency's own network and those shared with it).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, ConfigDict, Field, ValidationInfo, field_validator, model_validator
from typing_extensions import TypedDict

from loadtest.service.limits import HOTLIST_PLATES_MAX, READS_PER_BATCH_MAX
from loadtest.service.models.common import (
    ApiModel,
    Attr,
    CaseNumber,
    Epoch,
    Location,
    Name,
    OutModel,
    Page,
    Plate,
    Reason,
    Scope,
    StateCode,
    after,
)
from sim.config.behavior_alpr import LOOKUP_SCOPES, SEARCH_TOOL_SCOPES

Confidence = Annotated[float, Field(strict=True, ge=0.0, le=1.0)]


class ReadIn(TypedDict):
    """One plate read. A TypedDict, not a model: validation of a 5,000-read batch is the ingest hot path."""

    __pydantic_config__ = ConfigDict(extra="forbid")  # type: ignore[misc]
    plate: Plate
    state: StateCode
    ts: AwareDatetime
    confidence: Confidence
    color: Attr
    make: Attr
    body: Attr


class ReadBatch(ApiModel):
    reads: Annotated[list[ReadIn], Field(min_length=1, max_length=READS_PER_BATCH_MAX)]


class Accepted(OutModel):
    accepted: int


class HotlistPlate(ApiModel):
    plate: Plate
    state: StateCode
    reason: Reason


class HotlistIn(ApiModel):
    name: Name
    plates: Annotated[list[HotlistPlate], Field(min_length=1, max_length=HOTLIST_PLATES_MAX)]


class HotlistCreated(OutModel):
    id: int
    entries: int  # plates stored on this hotlist
    duplicates: int  # plates repeated in the list or already on one of the agency's hotlists


class Alert(OutModel):
    id: int
    hotlist_id: int
    plate: str
    state: str
    ts: str
    camera_id: int
    camera_agency_id: int
    reason: str
    created: str


class Alerts(Page):
    items: list[Alert]


class VehicleQuery(ApiModel):
    color: Attr | None = None
    make: Attr | None = None
    body: Attr | None = None

    @model_validator(mode="after")
    def _something(self) -> VehicleQuery:
        if self.color is None and self.make is None and self.body is None:
            raise ValueError("give at least one of color, make, body")
        return self


def default_scope(data: dict[str, Any]) -> str:
    """The scope of a search that gives none, from the fields validated before it: what Flock's tool for its kind
    would run. A plate: a statewide lookup (the Lookup tool; a national one is asked for by name). A vehicle
    description: ``shared``, the Search tool's whole reach (the agency's own network and the networks shared with
    it 1:1); its narrower ``local`` is asked for by name."""
    return "shared" if data.get("vehicle") is not None and data.get("plate") is None else "statewide"


class SearchIn(ApiModel):
    plate: Plate | None = None
    vehicle: VehicleQuery | None = None
    reason: Reason
    case_number: CaseNumber | None = None
    scope: Scope = Field(
        default_factory=default_scope,
        description="local, shared, statewide or national; a search by vehicle description (Flock's Search tool) "
                    "local or shared only. Default: statewide for a plate, shared for a vehicle description.",
    )  # fmt: skip
    since: Epoch | None = None
    until: Epoch | None = None

    @field_validator("scope")
    @classmethod
    def _tool_reaches(cls, scope: str, info: ValidationInfo) -> str:
        """A description search (the Search tool) at a Lookup-tool scope: refused, naming what is allowed."""
        if scope in LOOKUP_SCOPES and info.data.get("vehicle") is not None and info.data.get("plate") is None:
            raise ValueError(
                f"a search by vehicle description (Flock's Search tool) reaches only the agency's own network and "
                f"networks shared with it 1:1: scope must be {' or '.join(SEARCH_TOOL_SCOPES)}, got {scope!r} "
                f"({' and '.join(LOOKUP_SCOPES)} searches are lookups by full plate)"
            )
        return scope

    @model_validator(mode="after")
    def _query(self) -> SearchIn:
        if (self.plate is None) == (self.vehicle is None):
            raise ValueError("give exactly one of plate or vehicle")
        return self

    @field_validator("until")
    @classmethod
    def _after_since(cls, until: float | None, info: ValidationInfo) -> float | None:
        return after(until, info, "since")


class SearchHit(OutModel):
    read_id: int
    plate: str
    state: str
    ts: str
    confidence: float
    color: str
    make: str
    body: str
    camera_id: int
    agency_id: int
    location: Location


class SearchOut(OutModel):
    results: list[SearchHit]
    networks_touched: int
    audit_id: int
    truncated: bool
    # the searching agency's moderation matched the reason: "blocked" (audited, reaches nothing) or "warned"
    moderation: Literal["blocked", "warned"] | None = None


class Grant(OutModel):
    owner_id: int
    grantee_id: int
    how: str


class AuditEntry(OutModel):
    id: int
    ts: str
    agency_id: int
    agency_name: str
    reason: str
    case_number: str | None
    scope: str
    kind: str
    networks_touched: int
    results: int
    moderation: Literal["blocked", "warned"] | None  # the searching agency's moderation on this search's reason
    probe: bool  # the load-test harness's timing search (its probe token), not the agency's: no transparency count


class AuditPage(Page):
    items: list[AuditEntry]


class Org(OutModel):
    id: int
    name: str


class Transparency(OutModel):
    agency_id: int
    name: str
    type: str
    state: str
    cameras: int
    retention_days: int
    vehicles_detected_30d: int
    hotlist_hits_30d: int
    searches_30d: int
    national_lookup: bool
    organizations_with_access: list[Org]
