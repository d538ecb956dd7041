"""Liveness and metrics: `GET /healthz` (the database answers) and `GET /metrics` (Prometheus text)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import PlainTextResponse

from loadtest.service.context import Context, ctx_of
from loadtest.service.metrics import process_gauges
from loadtest.service.routes.common import answer, read
from loadtest.service.table_rows import TableRows, count_rows

router = APIRouter(tags=["operations"])


@router.get("/healthz")
async def healthz(request: Request) -> Response:
    """200 when the database answers."""
    agencies = await read(request, lambda tx: int(tx.scalar("SELECT count(*) FROM agencies")))
    return answer(200, {"status": "ok", "db": ctx_of(request).db.dialect, "agencies": agencies})


@router.get("/metrics", response_class=PlainTextResponse)
async def metrics(request: Request) -> Response:
    """Prometheus text format: server-side time per route and DB time per batch (seconds), process, queue and
    database gauges."""
    ctx = ctx_of(request)
    gauges = process_gauges()
    for name, thread, text in (("fedsim_writer_queue_depth", ctx.writer, "writes waiting for the group commit"),
                               ("fedsim_ingest_queue_depth", ctx.ingestor, "ALPR batches waiting to be written")):
        if thread is not None and hasattr(thread, "depth"):
            gauges[name] = (text, thread.depth())
    size = await read(request, lambda tx: db_size(tx, ctx.db.dialect))
    if size is not None:
        gauges["fedsim_db_size_bytes"] = ("size of the database (SQLite: its pages, the WAL aside)", size)
    rows, age = await ctx.run(table_rows(ctx).get)  # a recount, when due, scans tables: never on the event loop
    gauges["fedsim_db_table_rows"] = ("rows per table (exact counts, refreshed at most every few seconds)",
                                      {(("table", t),): n for t, n in rows.items()})
    gauges["fedsim_db_table_rows_age_seconds"] = ("age of the rows-per-table counts, seconds", age)
    text = ctx.metrics.text(gauges)
    return PlainTextResponse(text, media_type="text/plain; version=0.0.4; charset=utf-8")


def table_rows(ctx: Context) -> TableRows:
    """This worker's cached rows-per-table counts."""
    cached = ctx.cache.get("table_rows")
    if cached is None:
        def count() -> dict[str, int]:
            with ctx.db.read() as tx:
                return count_rows(tx)

        cached = ctx.cache["table_rows"] = TableRows(count, ctx.settings.table_rows_min_age_s)
    return cached


def db_size(tx: Any, dialect: str) -> float | None:
    """Bytes the database occupies: SQLite pages (the WAL aside), or pg_database_size on PostgreSQL."""
    if dialect == "sqlite":
        return float(tx.scalar("SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()"))
    if dialect == "postgresql":
        return float(tx.scalar("SELECT pg_database_size(current_database())"))
    return None
