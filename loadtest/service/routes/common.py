"""Pieces every router uses: actor dependencies, page parameters, JSON answers with the right status."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Query

from loadtest.service.auth import Actor, require
from loadtest.service.errors import JsonResponse
from loadtest.service.limits import PAGE_SIZE_DEFAULT, PAGE_SIZE_MAX

AgencyActor = Annotated[Actor, Depends(require("agency"))]
ResidentActor = Annotated[Actor, Depends(require("resident"))]
CameraActor = Annotated[Actor, Depends(require("camera"))]
AdminActor = Annotated[Actor, Depends(require("admin"))]
Limit = Annotated[int, Query(ge=1, le=PAGE_SIZE_MAX, description="page size")]
Cursor = Annotated[int, Query(ge=0, le=2**62, description="next_cursor of the previous page")]
ObjectId = Annotated[int, "a positive integer id"]
PAGE_DEFAULT = PAGE_SIZE_DEFAULT
ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"description": "missing or unknown token"},
    403: {"description": "wrong kind of actor"},
    422: {"description": "malformed input (names the field)"},
    429: {"description": "rate limited"},
}


def answer(status: int, body: dict[str, Any]) -> JsonResponse:
    return JsonResponse(body, status_code=status)
