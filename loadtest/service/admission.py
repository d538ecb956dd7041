"""Load shedding: at most `Settings.in_flight_max` requests in progress per worker process; beyond that a new
request gets 503 with ``Retry-After: 1`` at once instead of joining an unbounded queue.

Without it, under overload every request waits its turn (p50 2 s at 1,000 connections) and clients time out
after the server did the work anyway; answering 503 early keeps the latency of admitted requests bounded and
tells clients to back off. `/metrics` is exempt, so monitoring sees the overload. The count is of requests
whose handler has started and not finished (ALPR batches waiting for their group commit included).
"""

from __future__ import annotations

import orjson
from starlette.types import ASGIApp, Receive, Scope, Send

EXEMPT = frozenset({"/metrics"})
RETRY_AFTER_S = 1


class Admission:
    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit
        self.in_flight = 0
        self.shed = 0  # requests refused (tests; the 503s are also in fedsim_http_responses_total)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in EXEMPT:
            await self.app(scope, receive, send)
            return
        if self.in_flight >= self.limit:
            self.shed += 1
            body = orjson.dumps({"error": "overloaded", "message": f"{self.in_flight} requests in progress; retry"})
            headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                       (b"retry-after", str(RETRY_AFTER_S).encode())]  # fmt: skip
            await send({"type": "http.response.start", "status": 503, "headers": headers})
            await send({"type": "http.response.body", "body": body})
            return
        self.in_flight += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.in_flight -= 1
