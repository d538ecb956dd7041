"""Agency side of community requests: post a request, see its status, list and download its packages."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Path, Request, Response
from fastapi.responses import StreamingResponse

from loadtest.service.body import documented, read_json
from loadtest.service.context import ctx_of
from loadtest.service.errors import ApiError
from loadtest.service.limits import BODY_MAX_DEFAULT
from loadtest.service.models.common import Created
from loadtest.service.models.requests import PackageList, RequestIn, RequestOut
from loadtest.service.queries import footage, requests
from loadtest.service.routes.common import ERRORS, POST_ERRORS, AgencyActor, answer, read, write
from loadtest.service.rules import rules_of

router = APIRouter(tags=["requests"], responses=ERRORS)
DOWNLOAD_CHUNK = 1 << 20  # bytes of an archive read per query while streaming a download
Id = Annotated[int, Path(ge=1, le=2**62)]
NOT_YOURS = {404: {"description": "not yours, or absent"}}


@router.post(
    "/v1/requests", status_code=201, response_model=Created, openapi_extra=documented(RequestIn),
    responses={**POST_ERRORS, 409: {"description": "the case already has its requests, or Idempotency-Key reuse"}},
)  # fmt: skip
async def create_request(request: Request, actor: AgencyActor) -> Response:
    """Post a footage request for a case (area 0.025-0.5 sq mi, window 15 min-12 h, at most 2 per case).

    Who may post follows the platform's routing (``platform.routing``, as the model refuses posts): via Axon
    federal agencies are not eligible (Ring's Community Requests via Axon, 2025); via Flock every agency is;
    with no routing there are no community requests."""
    ctx = ctx_of(request)
    rules = await rules_of(ctx)
    if rules.routing == "none":
        raise ApiError(403, "forbidden", "this platform routes no community requests (platform.routing none)")
    if actor.agency_type == "federal" and rules.routing == "axon":
        raise ApiError(403, "forbidden", "federal agencies are not eligible for community requests (platform.routing axon)")
    body = await read_json(request, RequestIn, BODY_MAX_DEFAULT)
    status, out, _ = await write(
        request, actor, body, "request_create",
        lambda tx: (201, {"id": requests.create(tx, actor.id, body.value, rules, time.time())}),
    )  # fmt: skip
    return answer(status, out)


@router.get("/v1/requests/{request_id}", response_model=RequestOut, responses=NOT_YOURS)
async def get_request(request: Request, request_id: Id, actor: AgencyActor) -> Response:
    """Status and counts of one of your requests."""
    return answer(200, await read(request, lambda tx: requests.show(tx, request_id, actor.id)))


@router.get("/v1/requests/{request_id}/packages", response_model=PackageList, responses=NOT_YOURS)
async def list_packages(request: Request, request_id: Id, actor: AgencyActor) -> Response:
    """Packages built for one of your requests."""
    return answer(200, {"items": await read(request, lambda tx: footage.list_packages(tx, request_id, actor.id))})


@router.get(
    "/v1/packages/{package_id}", response_class=Response,
    responses={200: {"content": {"application/zip": {}}, "description": "the archive"}, **NOT_YOURS},
)  # fmt: skip
async def download_package(request: Request, package_id: Id, actor: AgencyActor) -> Response:
    """Download a package (zip: clips, manifest.json with SHA-256 per clip, custody.json); logged in the custody chain."""
    ctx = ctx_of(request)

    def op() -> tuple[int, str]:
        with ctx.db.timed("package_download"), ctx.db.write() as tx:
            return footage.take_package(tx, package_id, actor.id, time.time())

    def chunk(offset: int) -> bytes:
        with ctx.db.read() as tx:
            return footage.package_chunk(tx, package_id, offset, DOWNLOAD_CHUNK)

    size, sha = await ctx.run(op)

    async def archive() -> AsyncIterator[bytes]:  # one chunk in memory at a time, each read on a worker thread
        offset = 0
        while offset < size:
            data = await ctx.run(chunk, offset)
            if not data:
                return  # purged meanwhile: the client sees a short body (Content-Length)
            offset += len(data)
            yield data

    headers = {
        "X-Content-SHA256": sha,
        "Content-Disposition": f'attachment; filename="package-{package_id}.zip"',
        "Content-Length": str(size),
    }
    return StreamingResponse(archive(), media_type="application/zip", headers=headers)
