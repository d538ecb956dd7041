"""Liveness and metrics: `GET /healthz` (the database answers) and `GET /metrics` (Prometheus text)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import PlainTextResponse

from loadtest.service.context import ctx_of
from loadtest.service.routes.common import answer

router = APIRouter(tags=["operations"])


@router.get("/healthz")
async def healthz(request: Request) -> Response:
    """200 when the database answers."""
    ctx = ctx_of(request)

    def op() -> int:
        with ctx.db.read() as tx:
            return int(tx.scalar("SELECT count(*) FROM agencies"))

    return answer(200, {"status": "ok", "db": ctx.db.dialect, "agencies": await ctx.run(op)})


@router.get("/metrics", response_class=PlainTextResponse)
async def metrics(request: Request) -> Response:
    """Prometheus text format: server-side time per route and DB time per batch, in microseconds."""
    text = ctx_of(request).metrics.text()
    return PlainTextResponse(text, media_type="text/plain; version=0.0.4; charset=utf-8")
