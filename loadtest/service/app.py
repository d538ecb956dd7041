"""The ASGI app: routes per area, error handlers, per-route timing, and the background workers' lifetime.

`create_app(settings)` opens the database (creating the schema if needed), and while the app runs, starts the
packaging worker, the retention purge and (with several uvicorn workers) the metrics snapshot thread.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from loadtest.service import errors
from loadtest.service.admission import Admission
from loadtest.service.body import add_body_schemas
from loadtest.service.context import Context
from loadtest.service.fastlane import FastLane
from loadtest.service.ingest import IngestOps
from loadtest.service.limits import RateLimiter
from loadtest.service.metrics import Metrics
from loadtest.service.routes import ROUTERS
from loadtest.service.settings import Settings
from loadtest.service.storage import open_database
from loadtest.service.workers import Workers
from loadtest.service.writer import GroupWriter

# The API contract (/openapi.json info.version; docs/service.md): 1.1.0 follows Flock's tools in POST /v1/searches: a
# search by vehicle description runs local or shared only (statewide or national: 422 naming scope) and one without
# a scope runs shared (1.0.0: statewide for both kinds)
API_VERSION = "1.1.0"


CLIENT_CLOSED = 499  # nginx's status for a client that closed the connection before the answer


class TimingMiddleware:
    """Server-side time per request by route template, into `fedsim_http_server_duration_seconds`; a request whose
    client went away before an answer started is counted as 499, not 500."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app, self.metrics = app, metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        t0 = time.perf_counter()
        status = 500
        started = gone = False

        async def send_wrapper(message: Message) -> None:
            nonlocal status, started
            if message["type"] == "http.response.start":
                status, started = message["status"], True
            await send(message)

        async def receive_wrapper() -> Message:
            nonlocal gone
            message = await receive()
            if message["type"] == "http.disconnect":
                gone = True
            return message

        try:
            await self.app(scope, receive_wrapper, send_wrapper)
        finally:
            if gone and (not started or status == 500):
                status = CLIENT_CLOSED
            route = scope.get("route")
            template = getattr(route, "path", None) or "unmatched"
            reg = self.metrics.registry
            reg.observe(
                "fedsim_http_server_duration_seconds", time.perf_counter() - t0, method=scope["method"], route=template
            )
            reg.inc("fedsim_http_responses_total", method=scope["method"], route=template, status=str(status))


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings.from_env()
    metrics = Metrics(settings.metrics_dir)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        db = open_database(settings.db, settings.read_connections)
        db.db_seconds = metrics.db_seconds
        db.create_schema()
        ctx = Context(settings, db, metrics, RateLimiter(settings.rate_scale))
        ctx.ingestor = GroupWriter(db, IngestOps(ctx.cache, metrics), metrics)  # camera batches, in groups
        # SQLite: one lock serialises every write, so the same thread takes the durable writes too; PostgreSQL:
        # they run concurrently from the pool.
        ctx.writer = ctx.ingestor if db.dialect == "sqlite" else None
        app.state.ctx = ctx
        workers = Workers(ctx)
        workers.start()
        try:
            yield
        finally:
            workers.stop()
            ctx.ingestor.close()
            if ctx.writer is not None and ctx.writer is not ctx.ingestor:
                ctx.writer.close()
            db.close()

    app = FastAPI(
        title="fedsim reference service",
        version=API_VERSION,
        description="Community footage requests, ALPR ingest and audited searches (see docs/service.md).",
        lifespan=lifespan,
        # FastAPI's native OpenTelemetry off: the service reports through its own /metrics, and with telemetry on
        # FastAPI asks the global providers whether they are configured on every request (~2.5% of the server's
        # CPU under the mixed load test, py-spy)
        telemetry={"tracing": False, "metrics": False, "logs": False},
    )
    errors.install(app)
    for router in ROUTERS:  # each route as it is (it carries its router's tags, responses and dependencies):
        app.router.routes.extend(router.routes)  # a flat list, matched once, not nested included routers

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
            app.openapi_schema = add_body_schemas(schema)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    app.add_middleware(FastLane, fastapi=app)  # innermost: plain requests skip FastAPI's per-request machinery
    app.add_middleware(Admission, limit=settings.in_flight_max)
    app.add_middleware(TimingMiddleware, metrics=metrics)  # outermost: shed requests are counted too
    return app
