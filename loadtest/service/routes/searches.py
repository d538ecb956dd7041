"""Audited searches and the audit log of searches that touched an agency's own data."""

from __future__ import annotations

import time

from fastapi import APIRouter, Request, Response

from loadtest.service.body import documented, read_json
from loadtest.service.context import ctx_of
from loadtest.service.limits import BODY_MAX_DEFAULT
from loadtest.service.models.alpr import AuditPage, SearchIn, SearchOut
from loadtest.service.queries import search
from loadtest.service.routes.common import ERRORS, PAGE_DEFAULT, POST_ERRORS, AgencyActor, Cursor, Limit, answer, page, write
from loadtest.service.rules import moderation_of, rules_of

router = APIRouter(tags=["searches"], responses=ERRORS)


@router.post(
    "/v1/searches", response_model=SearchOut, responses=POST_ERRORS,
    openapi_extra=documented(SearchIn, "a plate or a vehicle description, with a reason"),
)  # fmt: skip
async def run_search(request: Request, actor: AgencyActor) -> Response:
    """Search reads of every agency whose data you may see; the search and its audit record commit together."""
    t0 = time.perf_counter()
    ctx = ctx_of(request)
    body = await read_json(request, SearchIn, BODY_MAX_DEFAULT)
    rules = await rules_of(ctx)
    by_agency = await moderation_of(ctx, rules)
    status, out, _ = await write(
        request, actor, body, search.op_name(body.value),
        lambda tx: (200, search.run(tx, actor.id, body.value, rules, by_agency, time.time(), actor.probe)),
    )
    # by kind: POST /v1/searches mixes plate lookups and description searches (`loadtest.service_times`)
    ctx.metrics.registry.observe("fedsim_search_server_seconds", time.perf_counter() - t0, kind=search.kind_of(body.value))
    return answer(status, out)


@router.get("/v1/audit", response_model=AuditPage)
async def audit(request: Request, actor: AgencyActor, limit: Limit = PAGE_DEFAULT, cursor: Cursor = 0) -> Response:
    """Searches (by anyone, yours included) whose networks included your agency's data, oldest first."""
    return await page(request, lambda tx: search.audit(tx, actor.id, cursor, limit))
