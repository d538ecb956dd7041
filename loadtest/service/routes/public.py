"""Public pages: an agency's transparency portal (no token; rate-limited per client address)."""

from __future__ import annotations

import time
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request, Response

from loadtest.service.auth import public
from loadtest.service.models.alpr import Transparency
from loadtest.service.queries import sharing
from loadtest.service.routes.common import answer, read

router = APIRouter(tags=["public"], dependencies=[Depends(public)])


@router.get(
    "/v1/transparency/{agency_id}", response_model=Transparency,
    responses={404: {"description": "no such agency"}, 422: {"description": "malformed id"},
               429: {"description": "rate limited"}},
)  # fmt: skip
async def transparency(request: Request, agency_id: Annotated[int, Path(ge=0, le=2**62)]) -> Response:
    """Cameras, retention, vehicles detected, hotlist hits and searches (30 days), organisations with access."""
    return answer(200, await read(request, lambda tx: sharing.transparency(tx, agency_id, time.time())))
