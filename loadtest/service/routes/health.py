"""Liveness and metrics: `GET /healthz` (the database answers) and `GET /metrics` (Prometheus text)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import PlainTextResponse

from loadtest.service.context import ctx_of
from loadtest.service.routes.common import answer, read

router = APIRouter(tags=["operations"])


@router.get("/healthz")
async def healthz(request: Request) -> Response:
    """200 when the database answers."""
    agencies = await read(request, lambda tx: int(tx.scalar("SELECT count(*) FROM agencies")))
    return answer(200, {"status": "ok", "db": ctx_of(request).db.dialect, "agencies": agencies})


@router.get("/metrics", response_class=PlainTextResponse)
async def metrics(request: Request) -> Response:
    """Prometheus text format: server-side time per route and DB time per batch, in microseconds."""
    text = ctx_of(request).metrics.text()
    return PlainTextResponse(text, media_type="text/plain; version=0.0.4; charset=utf-8")
