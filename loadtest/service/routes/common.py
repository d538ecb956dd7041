"""Pieces every router uses: actor dependencies, page parameters, and the three shapes of a handler
(an idempotent write, a read-only transaction, a page of items); see `write` and `read` for where each runs."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Query, Request

from loadtest.service import idempotency
from loadtest.service.auth import Actor, require
from loadtest.service.body import Body
from loadtest.service.context import ctx_of
from loadtest.service.errors import JsonResponse
from loadtest.service.limits import PAGE_SIZE_DEFAULT, PAGE_SIZE_MAX
from loadtest.service.storage import Tx
from loadtest.service.writer import Write

T = TypeVar("T")
AgencyActor = Annotated[Actor, Depends(require("agency"))]
ResidentActor = Annotated[Actor, Depends(require("resident"))]
CameraActor = Annotated[Actor, Depends(require("camera"))]
AdminActor = Annotated[Actor, Depends(require("admin"))]
Limit = Annotated[int, Query(ge=1, le=PAGE_SIZE_MAX, description="page size")]
Cursor = Annotated[int, Query(ge=0, le=2**62, description="next_cursor of the previous page")]
PAGE_DEFAULT = PAGE_SIZE_DEFAULT
ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"description": "missing or unknown token"},
    403: {"description": "wrong kind of actor"},
    422: {"description": "malformed input (names the field)"},
    429: {"description": "rate limited"},
}
POST_ERRORS: dict[int | str, dict[str, Any]] = {
    409: {"description": "Idempotency-Key reused with another body"},
    413: {"description": "body too large"},
    415: {"description": "not application/json"},
}


def answer(status: int, body: Any) -> JsonResponse:
    return JsonResponse(body, status_code=status)


async def write(
    request: Request,
    actor: Actor,
    body: Body,
    op_name: str,
    op: Callable[[Tx], tuple[int, dict[str, Any]]],
    durable: bool = True,
) -> tuple[int, dict[str, Any], bool]:
    """Run `op` in a write transaction under the request's Idempotency-Key: (status, body, replayed).

    Durable writes on SQLite join the group commit (`loadtest.service.writer`); the rest run on a worker thread."""
    ctx = ctx_of(request)
    key = idempotency.key_of(request)
    bound = idempotency.fingerprint(request, body.digest) if key else ""
    if durable and ctx.writer is not None:
        return await asyncio.wrap_future(ctx.writer.submit(Write(op_name, op, actor.key, key, bound)))
    return await ctx.run(idempotency.write, ctx.db, op_name, op, actor=actor.key, key=key, body_hash=bound, durable=durable)


async def read(request: Request, fn: Callable[[Tx], T]) -> T:
    """Run `fn` in a read-only snapshot. On SQLite it runs on the event loop itself: an indexed read of the local
    file takes about 0.5 ms, while under load the hop to a worker thread and back cost about 10 ms (each sqlite3
    call releases the GIL, and getting it back from the busy event loop waits for the interpreter's switch
    interval). On PostgreSQL (network round trips) it runs on a worker thread."""
    ctx = ctx_of(request)

    def op() -> T:
        with ctx.db.read() as tx:
            return fn(tx)

    if ctx.db.dialect == "sqlite":
        return op()
    return await ctx.run(op)


async def page(request: Request, fn: Callable[[Tx], tuple[list[dict[str, Any]], int | None]]) -> JsonResponse:
    items, nxt = await read(request, fn)
    return answer(200, {"items": items, "next_cursor": nxt})
