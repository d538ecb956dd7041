"""Idempotency-Key on POSTs: the same key and request give the same answer; the same key with another request, 409.

A key is the actor's, and it is bound to the whole request it first came with: method, path and body (their
SHA-256, `fingerprint`). Sent again with another path (a submission to request 2 with the key used for
request 1) or another body, it is refused with 409, never replayed as the other request's answer.

The key is claimed and the answer stored in the same transaction as the write itself, so after a crash either
both are there or neither is: a client that retries an unacknowledged request never writes twice. Keys are
per actor and kept for `IDEMPOTENCY_TTL_S` (the purge removes older ones).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from typing import Any

import orjson
from fastapi import Request

from loadtest.service.errors import ApiError, invalid
from loadtest.service.limits import IDEMPOTENCY_KEY_MAX
from loadtest.service.storage import Database, Tx

MAX_ATTEMPTS = 3


class KeyTaken(Exception):
    """The Idempotency-Key of `item` (a write or a camera batch) was stored by another transaction after `prior`
    looked: roll back to the item's savepoint and answer with the stored record (`writer._replay`)."""

    def __init__(self, item: Any) -> None:
        super().__init__(item.key)
        self.item = item


class _Race(Exception):
    """Another request with the same key committed first: roll back and answer from its record."""


def key_of(request: Request) -> str | None:
    key = request.headers.get("idempotency-key")
    if key is None:
        return None
    if not (1 <= len(key) <= IDEMPOTENCY_KEY_MAX) or not key.isascii() or not key.isprintable():
        raise invalid("Idempotency-Key", f"use 1 to {IDEMPOTENCY_KEY_MAX} printable ASCII characters")
    return key


def fingerprint(request: Request, body_digest: str) -> str:
    """What an Idempotency-Key is bound to: method, path and body."""
    return hashlib.sha256(f"{request.method} {request.url.path} {body_digest}".encode()).hexdigest()


def prior(tx: Tx, actor: str, key: str, body_hash: str) -> tuple[int, dict[str, Any], bool] | None:
    """The stored answer for this key (replayed), None if the key is new; 409 if it came with another body."""
    row = tx.one("SELECT body_hash, status, response FROM idempotency WHERE actor = :a AND key = :k", {"a": actor, "k": key})
    if row is None:
        return None
    if row[0] != body_hash:
        raise ApiError(409, "idempotency_conflict", "this Idempotency-Key was used with a different request (path or body)")
    return int(row[1]), orjson.loads(row[2]), True


def save(tx: Tx, actor: str, key: str, body_hash: str, status: int, body: dict[str, Any]) -> bool:
    """Store the answer; False when a concurrent transaction stored one for this key first."""
    saved = tx.one(
        "INSERT INTO idempotency (actor, key, body_hash, status, response, created) "
        "VALUES (:a, :k, :h, :s, :r, :t) ON CONFLICT (actor, key) DO NOTHING RETURNING status",
        {"a": actor, "k": key, "h": body_hash, "s": status, "r": orjson.dumps(body).decode(), "t": time.time()},
    )
    return saved is not None


def write(
    db: Database,
    op_name: str,
    op: Callable[[Tx], tuple[int, dict[str, Any]]],
    *,
    actor: str,
    key: str | None,
    body_hash: str,
    durable: bool = True,
) -> tuple[int, dict[str, Any], bool]:
    """Run `op` in a write transaction under an optional idempotency key; give (status, JSON body, replayed)."""
    for _ in range(MAX_ATTEMPTS):
        try:
            with db.timed(op_name), db.write(durable) as tx:
                if key is not None:
                    stored = prior(tx, actor, key, body_hash)
                    if stored is not None:
                        return stored
                status, body = op(tx)
                if key is not None and not save(tx, actor, key, body_hash, status, body):
                    raise _Race
                return status, body, False
        except _Race:
            continue
    raise ApiError(409, "idempotency_conflict", "this Idempotency-Key is being used by a concurrent request")
