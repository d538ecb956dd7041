"""Sharing: an agency grants or revokes another agency's access to its reads, and lists its grants."""

from __future__ import annotations

import time
from typing import Annotated

from fastapi import APIRouter, Path, Request, Response

from loadtest.service.context import ctx_of
from loadtest.service.models.alpr import Grant
from loadtest.service.queries import sharing
from loadtest.service.routes.common import ERRORS, AgencyActor, answer, read

router = APIRouter(tags=["sharing"], responses=ERRORS)
AgencyId = Annotated[int, Path(ge=0, le=2**62)]


@router.put("/v1/sharing/{agency_id}", response_model=Grant, responses={404: {"description": "no such agency"}})
async def grant(request: Request, agency_id: AgencyId, actor: AgencyActor) -> Response:
    """Let `agency_id` search your reads (idempotent)."""
    ctx = ctx_of(request)

    def op() -> dict:
        with ctx.db.timed("sharing"), ctx.db.write() as tx:
            return sharing.grant(tx, actor.id, agency_id, time.time())

    return answer(200, await ctx.run(op))


@router.delete("/v1/sharing/{agency_id}", status_code=204, responses={404: {"description": "no such grant"}})
async def revoke(request: Request, agency_id: AgencyId, actor: AgencyActor) -> Response:
    """Stop `agency_id` searching your reads; takes effect for the next search."""
    ctx = ctx_of(request)

    def op() -> None:
        with ctx.db.timed("sharing"), ctx.db.write() as tx:
            sharing.revoke(tx, actor.id, agency_id)

    await ctx.run(op)
    return Response(status_code=204)


@router.get("/v1/sharing", response_model=list[Grant])
async def my_grants(request: Request, actor: AgencyActor) -> Response:
    """Agencies that may search your reads."""
    return answer(200, await read(request, lambda tx: sharing.grants_of(tx, actor.id)))
