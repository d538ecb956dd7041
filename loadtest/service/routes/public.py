"""Public pages: an agency's transparency portal (no token; rate-limited per client address).

A page is computed on a worker thread (never on the event loop) and served from a per-process cache for
`PAGE_REFRESH_S` seconds (`loadtest.service.ttl_cache`): its figures are at most that old. An unknown agency's
404 is cached the same way, so scanning ids costs one query per id per refresh.
"""

from __future__ import annotations

import time
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request, Response

from loadtest.service.auth import public
from loadtest.service.context import ctx_of
from loadtest.service.errors import ApiError
from loadtest.service.models.alpr import Transparency
from loadtest.service.queries import sharing
from loadtest.service.routes.common import answer
from loadtest.service.ttl_cache import TtlCache

PAGE_REFRESH_S = 60.0  # assumption: how stale a transparency page may be (real portals refresh periodically)
PAGES_CACHED_MAX = 10_000  # pages kept per worker process (least recently used dropped)

router = APIRouter(tags=["public"], dependencies=[Depends(public)])


@router.get(
    "/v1/transparency/{agency_id}", response_model=Transparency,
    responses={404: {"description": "no such agency"}, 422: {"description": "malformed id"},
               429: {"description": "rate limited"}},
)  # fmt: skip
async def transparency(request: Request, agency_id: Annotated[int, Path(ge=0, le=2**62)]) -> Response:
    """Cameras, retention, vehicles detected, hotlist hits and searches (30 days), organisations with access."""
    ctx = ctx_of(request)
    if "transparency" not in ctx.cache:
        ctx.cache["transparency"] = TtlCache(PAGE_REFRESH_S, PAGES_CACHED_MAX)
    pages: TtlCache = ctx.cache["transparency"]

    def compute() -> dict | ApiError:
        with ctx.db.read() as tx:
            try:
                return sharing.transparency(tx, agency_id, time.time())
            except ApiError as exc:  # a 404 is an answer too: cached like a page
                return exc

    page = await pages.get(agency_id, lambda: ctx.run(compute))
    if isinstance(page, ApiError):
        raise page
    return answer(200, page)
