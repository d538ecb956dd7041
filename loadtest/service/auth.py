"""Bearer tokens -> actors, and the checks every route starts with.

Actors: an agency user (agency id, type local/sheriff/state/federal, state), a resident (one household), an
ALPR camera (device key; the owning agency), the platform admin. Tokens are random (256 bits) and stored only
as SHA-256 digests. Order of refusals: too many failed authentications from this
address -> 429; no or unknown token -> 401 (counted against the address: `RATE_LIMITS["auth_failure"]`), the
wrong kind of actor -> 403, too many requests for this token -> 429. Resolved tokens are cached per process
for `Settings.auth_cache_s` (at most `AUTH_CACHE_MAX`, least recently resolved dropped first).
"""

from __future__ import annotations

import hashlib
import secrets
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from fastapi import Request

from loadtest.service.context import Context, ctx_of
from loadtest.service.errors import ApiError
from loadtest.service.storage import Database

AUTH_CACHE_MAX = 100_000


@dataclass(frozen=True)
class Actor:
    kind: str
    id: int
    agency_type: str = ""  # agencies: local, sheriff, state, federal
    state: str = ""  # agencies: two-letter code, '' for federal units
    agency: int = -1  # cameras: the owning agency
    lat: float = 0.0  # residents: the household's location
    lon: float = 0.0
    probe: bool = False  # the load-test harness's probe token: searches as its agency, marked as probes

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.id}"


def new_token() -> str:
    return secrets.token_urlsafe(32)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def lookup(db: Database, token_hash: str) -> Actor | None:
    with db.read() as tx:
        row = tx.one("SELECT kind, subject FROM tokens WHERE hash = :h", {"h": token_hash})
        if row is None:
            return None
        kind, subject = row[0], int(row[1])
        if kind in ("agency", "probe"):  # a probe token acts as its agency; its searches are marked (searches.probe)
            a = tx.one("SELECT kind, state FROM agencies WHERE id = :i", {"i": subject})
            return None if a is None else Actor("agency", subject, agency_type=a[0], state=a[1], probe=kind == "probe")
        if kind == "camera":
            c = tx.one("SELECT agency FROM cameras WHERE id = :i", {"i": subject})
            return None if c is None else Actor("camera", subject, agency=int(c[0]))
        if kind == "resident":
            h = tx.one("SELECT lat, lon FROM households WHERE id = :i", {"i": subject})
            return None if h is None else Actor("resident", subject, lat=float(h[0]), lon=float(h[1]))
        return Actor(kind, subject)


def client_address(request: Request) -> str:
    """The socket's peer (or, from a trusted proxy only, X-Forwarded-For: see `Settings.trusted_proxies`)."""
    return request.client.host if request.client else "?"


def _refused(ctx: Context, address: str, message: str) -> ApiError:
    """A 401, counted against the address's allowance of failed authentications."""
    throttle(ctx, "auth_failure", address)
    return ApiError(401, "unauthorized", message, {"WWW-Authenticate": "Bearer"})


async def authenticate(request: Request, ctx: Context) -> Actor:
    address = client_address(request)
    wait = ctx.limiter.exhausted("auth_failure", address)
    if wait > 0:  # too many bad tokens from here: refused before any lookup
        raise ApiError(
            429, "rate_limited", f"too many failed authentications; retry in {wait:.2f} s",
            {"Retry-After": str(max(1, round(wait)))},
        )  # fmt: skip
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise _refused(ctx, address, "send Authorization: Bearer TOKEN")
    h = digest(token.strip())
    cache: OrderedDict[str, tuple[Actor | None, float]] = ctx.cache.setdefault("auth", OrderedDict())
    hit = cache.get(h)
    now = time.monotonic()
    if hit is not None and hit[1] > now:
        actor = hit[0]
    else:
        actor = await ctx.run(lookup, ctx.db, h)
        cache[h] = (actor, now + ctx.settings.auth_cache_s)
        cache.move_to_end(h)
        while len(cache) > AUTH_CACHE_MAX:
            cache.popitem(last=False)  # least recently resolved first
    if actor is None:
        raise _refused(ctx, address, "unknown token")
    return actor


def throttle(ctx: Context, kind: str, subject: str) -> None:
    ok, wait = ctx.limiter.allow(kind, subject)
    if not ok:
        raise ApiError(
            429, "rate_limited", f"too many requests; retry in {wait:.2f} s", {"Retry-After": str(max(1, round(wait)))}
        )


def require(*kinds: str) -> Callable[[Request], Awaitable[Actor]]:
    """A FastAPI dependency admitting only these kinds of actor."""

    async def dependency(request: Request) -> Actor:
        ctx = ctx_of(request)
        actor = await authenticate(request, ctx)
        if actor.kind not in kinds:
            raise ApiError(403, "forbidden", f"this endpoint is for {' or '.join(kinds)} tokens, not {actor.kind}")
        throttle(ctx, actor.kind, str(actor.id))
        return actor

    return dependency


async def public(request: Request) -> None:
    """Unauthenticated endpoints: rate-limited per client address."""
    throttle(ctx_of(request), "public", client_address(request))
