"""ALPR routes: camera ingest, hotlists and alerts."""

from __future__ import annotations

import asyncio
import time

from fastapi import APIRouter, Request, Response

from loadtest.service import idempotency
from loadtest.service.body import documented, read_json
from loadtest.service.context import ctx_of
from loadtest.service.ingest import Batch
from loadtest.service.limits import BODY_MAX_READS, BODY_MAX_SUBMISSION
from loadtest.service.models.alpr import Accepted, Alerts, HotlistCreated, HotlistIn, ReadBatch
from loadtest.service.queries import alpr
from loadtest.service.routes.common import (
    ERRORS,
    PAGE_DEFAULT,
    POST_ERRORS,
    AgencyActor,
    CameraActor,
    Cursor,
    Limit,
    answer,
    page,
    write,
)  # fmt: skip
from loadtest.service.rules import rules_of

router = APIRouter(tags=["alpr"], responses=ERRORS)


@router.post(
    "/v1/alpr/reads", status_code=202, response_model=Accepted, responses=POST_ERRORS,
    openapi_extra=documented(ReadBatch, "1 to 5,000 reads from this camera"),
)  # fmt: skip
async def ingest(request: Request, actor: CameraActor) -> Response:
    """A camera's batch of plate reads; committed (and searchable) when the answer comes."""
    ctx = ctx_of(request)
    body = await read_json(request, ReadBatch, BODY_MAX_READS)
    rules = await rules_of(ctx)
    now = time.time()
    rows = alpr.read_rows(actor.id, actor.agency, body.value.reads, *alpr.read_window(now, rules.max_retention_days))
    key = idempotency.key_of(request)
    batch = Batch(actor.id, actor.agency, rows, actor.key, key, idempotency.fingerprint(request, body.digest) if key else "", now)
    status, out, _ = await asyncio.wrap_future(ctx.ingestor.submit(batch))
    return answer(status, out)


@router.post(
    "/v1/hotlists", status_code=201, response_model=HotlistCreated, openapi_extra=documented(HotlistIn), responses=POST_ERRORS
)
async def create_hotlist(request: Request, actor: AgencyActor) -> Response:
    """A hotlist: reads of these plates (and states) raise alerts for your agency.

    Plates already on one of your hotlists are not stored again (`duplicates`); your hotlists hold at most
    20,000 distinct plates (422 beyond)."""
    body = await read_json(request, HotlistIn, BODY_MAX_SUBMISSION)
    status, out, _ = await write(
        request, actor, body, "hotlist_create",
        lambda tx: (201, alpr.create_hotlist(tx, actor.id, body.value, time.time())),
    )  # fmt: skip
    return answer(status, out)


@router.get("/v1/alerts", response_model=Alerts)
async def alerts(request: Request, actor: AgencyActor, limit: Limit = PAGE_DEFAULT, cursor: Cursor = 0) -> Response:
    """Hotlist alerts for your agency, oldest first."""
    return await page(request, lambda tx: alpr.list_alerts(tx, actor.id, cursor, limit))
