"""Resident side: the feed of open requests around one's home, and voluntary clip submissions.

Viewing the feed writes nothing: no resident identity (nor anything else) is stored when a resident looks.
A request a resident's home is not inside is, for that resident, not there (404).
"""

from __future__ import annotations

import time
from typing import Annotated

from fastapi import APIRouter, Path, Request, Response

from loadtest.service.body import documented, read_json
from loadtest.service.limits import BODY_MAX_SUBMISSION
from loadtest.service.models.common import Created
from loadtest.service.models.requests import Feed, SubmissionIn
from loadtest.service.queries import footage, requests
from loadtest.service.routes.common import ERRORS, PAGE_DEFAULT, POST_ERRORS, Cursor, Limit, ResidentActor, answer, page, write
from loadtest.service.storage import Tx

router = APIRouter(tags=["residents"], responses=ERRORS)


@router.get("/v1/feed", response_model=Feed)
async def feed(request: Request, actor: ResidentActor, limit: Limit = PAGE_DEFAULT, cursor: Cursor = 0) -> Response:
    """Open requests whose area covers your home, oldest first."""
    return await page(request, lambda tx: requests.covering(tx, actor.lat, actor.lon, time.time(), cursor, limit))


@router.post(
    "/v1/requests/{request_id}/submissions", status_code=202, response_model=Created,
    openapi_extra=documented(SubmissionIn, "clips as base64, each with its camera and time span"),
    responses={**POST_ERRORS, 404: {"description": "no open request covering your home"}},
)  # fmt: skip
async def submit(request: Request, request_id: Annotated[int, Path(ge=1, le=2**62)], actor: ResidentActor) -> Response:
    """Share clips with the requesting agency; a worker packages them (SHA-256 per clip)."""
    body = await read_json(request, SubmissionIn, BODY_MAX_SUBMISSION)

    def op(tx: Tx) -> tuple[int, dict]:
        now = time.time()
        window = requests.open_request_covering(tx, request_id, actor.lat, actor.lon, now)
        return 202, {"id": footage.add_submission(tx, request_id, actor.id, body.value, window, now)}

    status, out, _ = await write(request, actor, body, "submission", op)
    return answer(status, out)
