"""JSON request bodies: bounded reads, strict parsing, model validation, and their OpenAPI description.

Bodies are parsed here rather than by FastAPI so that: the size limit is enforced while streaming (413);
duplicate keys, NaN and Infinity are errors (jiter), not silently the last value or a float; and the raw
bytes are kept for the Idempotency-Key check. `documented(Model)` puts the model in the OpenAPI document.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import jiter
from fastapi import Request
from pydantic import BaseModel, ValidationError

from loadtest.service.errors import ApiError, validation_error

M = TypeVar("M", bound=BaseModel)
BODY_MODELS: dict[str, type[BaseModel]] = {}


@dataclass
class Body(Generic[M]):
    value: M
    raw: bytes

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.raw).hexdigest()


async def read_raw(request: Request, limit: int) -> bytes:
    ctype = request.headers.get("content-type", "")
    if ctype.split(";")[0].strip().lower() != "application/json":
        raise ApiError(415, "unsupported_media_type", f"Content-Type must be application/json, got {ctype[:60]!r}")
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise ApiError(413, "body_too_large", f"the body has {declared} bytes; at most {limit} are allowed here")
    buf = bytearray()
    async for chunk in request.stream():
        buf += chunk
        if len(buf) > limit:
            raise ApiError(413, "body_too_large", f"the body exceeds {limit} bytes allowed here")
    return bytes(buf)


def parse_json(raw: bytes) -> Any:
    try:
        return jiter.from_json(raw, allow_inf_nan=False, catch_duplicate_keys=True, cache_mode="keys")
    except ValueError as exc:
        err = ApiError(422, "invalid_json", f"the body is not valid JSON: {exc}")
        err.detail = [{"field": "body", "loc": ["body"], "msg": str(exc), "type": "json_invalid"}]  # type: ignore[attr-defined]
        raise err from None


async def read_json(request: Request, model: type[M], limit: int) -> Body[M]:
    raw = await read_raw(request, limit)
    obj = parse_json(raw)
    try:
        return Body(model.model_validate(obj), raw)
    except ValidationError as exc:
        raise validation_error(exc) from None


def documented(model: type[BaseModel], description: str = "") -> dict[str, Any]:
    """`openapi_extra` for a route whose JSON body is `model`."""
    BODY_MODELS[model.__name__] = model
    return {
        "requestBody": {
            "required": True,
            "description": description,
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{model.__name__}"}}},
        }
    }


def add_body_schemas(openapi: dict[str, Any]) -> dict[str, Any]:
    schemas = openapi.setdefault("components", {}).setdefault("schemas", {})
    for name, model in BODY_MODELS.items():
        schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
        for sub, sub_schema in schema.pop("$defs", {}).items():
            schemas.setdefault(sub, sub_schema)
        schemas[name] = schema
    return openapi
