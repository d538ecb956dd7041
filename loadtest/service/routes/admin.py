"""Platform admin: row counts and an immediate retention purge."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from loadtest.service.context import ctx_of
from loadtest.service.purge import purge
from loadtest.service.routes.common import ERRORS, AdminActor, answer, read

router = APIRouter(tags=["admin"], responses=ERRORS)
TABLES = ("agencies", "grants", "households", "cameras", "requests", "submissions", "clips", "packages", "reads",
          "hotlist_entries", "alerts", "searches")  # fmt: skip


@router.get("/v1/admin/stats")
async def stats(request: Request, actor: AdminActor) -> Response:
    """Row counts per table."""
    rows = await read(request, lambda tx: {t: int(tx.scalar(f"SELECT count(*) FROM {t}")) for t in TABLES})
    return answer(200, {"db": ctx_of(request).db.dialect, "rows": rows})


@router.post("/v1/admin/purge")
async def purge_now(request: Request, actor: AdminActor) -> Response:
    """Run one retention purge pass now; rows deleted per table."""
    ctx = ctx_of(request)
    return answer(200, {"deleted": await ctx.run(purge, ctx.db, ctx.settings.purge_batch)})
