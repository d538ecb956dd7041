"""Error answers: one JSON shape for every refusal, and the handlers that make sure no input gives a 500.

401 missing or bad token; 403 the wrong kind of actor; 404 another agency's object (as if it did not exist);
409 an Idempotency-Key reused with a different body; 413 body too large; 415 not JSON; 422 malformed input,
naming the field; 429 rate limited (with Retry-After); 503 the database stayed busy past its timeout, the disk
is full, or too many requests are in progress (with Retry-After); 499 (metrics only) the client went away first.
"""

from __future__ import annotations

import logging
import math
from typing import Any

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from pydantic import ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect

log = logging.getLogger("fedsim.service")
INPUT_ECHO_MAX = 80


class JsonResponse(Response):
    """JSON via orjson (fast on the large bodies of searches and alerts)."""

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content)


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, headers


def not_found(what: str) -> ApiError:
    return ApiError(404, "not_found", f"{what} not found")


_NO_VALUE = object()


def invalid(field: str, message: str, value: Any = _NO_VALUE) -> ApiError:
    """A 422 for a rule checked outside the model (e.g. against the database's policy); with `value`, the
    detail echoes it as the field's ``input``."""
    err = ApiError(422, "invalid_input", f"{field}: {message}")
    if value is not _NO_VALUE:
        err.detail = [{"field": field, "loc": ["body", *field.split(".")], "msg": message, "type": "value_error",  # type: ignore[attr-defined]
                       "input": _echo(value)}]
    return err


def _echo(value: Any) -> Any:
    if isinstance(value, str):
        return value if len(value) <= INPUT_ECHO_MAX else value[:INPUT_ECHO_MAX] + "..."
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, int) and not isinstance(value, bool) and not -(2**63) <= value < 2**64:
        return str(value)  # orjson serialises 64-bit integers only: a larger one echoed as a number would be a 500
    if isinstance(value, int | float | bool) or value is None:
        return value
    return type(value).__name__


def field_errors(errors: list[dict[str, Any]], prefix: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """Pydantic errors -> [{"field": "location.lat", "loc": [...], "msg": ..., "type": ..., "input": ...}]."""
    out = []
    for e in errors:
        loc = [*prefix, *e.get("loc", ())]
        shown = [str(p) for p in (loc[1:] if loc and loc[0] in ("body", "query", "path", "header") else loc)]
        item = {"field": ".".join(shown) or "body", "loc": loc, "msg": e.get("msg", ""), "type": e.get("type", "")}
        if "input" in e:
            item["input"] = _echo(e["input"])
        out.append(item)
    return out


def validation_error(exc: ValidationError, prefix: tuple[str, ...] = ("body",)) -> ApiError:
    err = ApiError(422, "invalid_input", "the request is malformed")
    err.detail = field_errors(exc.errors(include_url=False), prefix)  # type: ignore[attr-defined]
    return err


def _response(status: int, code: str, message: str, detail: Any = None, headers: dict[str, str] | None = None) -> JsonResponse:
    body: dict[str, Any] = {"error": code, "message": message}
    if detail is not None:
        body["detail"] = detail
    return JsonResponse(body, status_code=status, headers=headers)


def overloaded(exc: BaseException) -> bool:
    """503, not 500: a database locked past its busy timeout, a pool with no free connection, a full disk
    (SQLite's SQLITE_FULL, PostgreSQL's disk_full, ENOSPC). The transaction rolled back: nothing is lost."""
    import errno
    import sqlite3

    import psycopg
    from psycopg_pool import PoolTimeout

    if isinstance(exc, sqlite3.OperationalError):
        text = str(exc)
        return "locked" in text or "busy" in text or "disk is full" in text or "disk I/O error" in text
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return True
    return isinstance(exc, PoolTimeout | psycopg.OperationalError)


def install(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api(_: Request, exc: ApiError) -> JsonResponse:
        detail = getattr(exc, "detail", None)
        if detail is None and exc.status == 422:
            field, _, msg = exc.message.partition(": ")
            detail = [{"field": field, "loc": ["body", *field.split(".")], "msg": msg, "type": "value_error"}]
        return _response(exc.status, exc.code, exc.message, detail, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JsonResponse:
        detail = field_errors(list(exc.errors()))
        fields = ", ".join(d["field"] for d in detail)
        return _response(422, "invalid_input", f"invalid {fields}", detail)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JsonResponse:
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        return _response(exc.status_code, code, str(exc.detail), headers=getattr(exc, "headers", None))

    @app.exception_handler(ClientDisconnect)
    async def _gone(request: Request, exc: ClientDisconnect) -> Response:
        log.debug("client closed the connection during %s %s", request.method, request.url.path)
        return Response(status_code=499)  # nobody reads it; the metrics count a 499, and no stack trace is logged

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JsonResponse:
        if overloaded(exc):
            log.warning("database busy or full on %s %s: %s", request.method, request.url.path, exc)
            return _response(503, "unavailable", "the database is busy or full; retry", headers={"Retry-After": "5"})
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return _response(500, "internal_error", "internal error (logged)")
