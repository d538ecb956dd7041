"""Direct dispatch of plain requests to the service's own endpoint functions, without FastAPI's per-request
machinery; anything not plain takes FastAPI's path, unchanged.

Under the mixed load test the server spent about a third of its event-loop time between uvicorn and the
endpoint functions: route matching (a regular expression per route, in order), FastAPI's request handler and
dependency solver, two exception-handling wrappers and an exit stack per request (py-spy, see
benchmarks/loadtest-notes.md). The service's routes are uniform: each endpoint takes the request, integer
path and query parameters with bounds, and request-only dependencies (`loadtest.service.auth.require`, `public`);
bodies are read by the endpoints themselves (`loadtest.service.body`). `FastLane` sits inside the timing and
admission middlewares and, for a request that is *plain* for its route, does what FastAPI would do:

- match the path by a dictionary (static paths) or by prefix and suffix around one parameter;
- accept path and query parameters only in canonical form (ASCII digits, no leading zero, within the route's
  bounds; only the route's query names, each at most once; defaults otherwise), else hand the request over;
- run the route's dependencies in FastAPI's order (router-level first), then the endpoint, and answer with the
  endpoint's response; an exception goes to the app's exception handler for its class (the handlers
  `loadtest.service.errors.install` registers, looked up as Starlette's exception middleware does), and one
  without a handler propagates to the server-error middleware as before.

A request that is not plain (a malformed or out-of-range parameter, an unknown or repeated query name, HEAD,
a trailing slash, a root path) goes down FastAPI's stack, so every refusal keeps its status code, message and
order (a dependency's 401/403/429 before a parameter's 422). Routes with a response class of their own
(`/metrics`, package downloads that stream) and routes with anything else to solve always take FastAPI's path.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI
from fastapi.datastructures import DefaultPlaceholder
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

Bounds = tuple[int | None, int | None]


@dataclass(frozen=True)
class Lane:
    route: APIRoute
    endpoint: Callable[..., Awaitable[Any]]
    request_name: str
    dependencies: tuple[tuple[str | None, Callable[[Request], Awaitable[Any]]], ...]
    path_param: tuple[str, Bounds] | None
    query: dict[str, tuple[int, Bounds]]  # name -> (default, bounds)


def _bounds(field: Any) -> Bounds:
    lo = hi = None
    for m in field.field_info.metadata:
        lo = getattr(m, "ge", lo)
        hi = getattr(m, "le", hi)
    return lo, hi


def _int(text: str, bounds: Bounds) -> int | None:
    """`text` as an int when it is canonical and in bounds (what FastAPI accepts, in one spelling), else None."""
    if not text or not text.isascii() or not text.isdigit() or (text[0] == "0" and len(text) > 1):
        return None
    value = int(text)
    lo, hi = bounds
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        return None
    return value


def lane_of(route: APIRoute) -> Lane | None:
    """The lane for `route`, or None when FastAPI must solve something the lane does not."""
    d = route.dependant
    if not isinstance(route.response_class, DefaultPlaceholder) or d.request_param_name is None:
        return None
    if inspect.signature(route.endpoint).return_annotation not in (Response, "Response"):
        return None  # FastAPI would serialise what it returns
    if d.header_params or d.cookie_params or d.body_params or len(d.path_params) > 1:
        return None
    deps = []
    for s in d.dependencies:
        if (s.dependencies or s.path_params or s.query_params or s.header_params or s.cookie_params or s.body_params
                or s.request_param_name is None or s.call is None or not inspect.iscoroutinefunction(s.call)):  # fmt: skip
            return None
        deps.append((s.name, s.call))
    for f in (*d.path_params, *d.query_params):
        if f.field_info.annotation is not int:
            return None
    query = {}
    for f in d.query_params:
        if not isinstance(f.field_info.default, int) or f.alias != f.name:
            return None
        query[f.name] = (f.field_info.default, _bounds(f))
    path = (d.path_params[0].name, _bounds(d.path_params[0])) if d.path_params else None
    return Lane(route, route.endpoint, d.request_param_name, tuple(deps), path, query)  # type: ignore[arg-type]


class FastLane:
    """ASGI middleware: plain requests to lane routes are dispatched directly (see the module docstring)."""

    def __init__(self, app: ASGIApp, fastapi: FastAPI) -> None:
        self.app, self.fastapi = app, fastapi
        self._static: dict[tuple[str, str], Lane] | None = None
        self._param: list[tuple[str, str, str, Lane]] = []  # (method, prefix, suffix, lane)
        self._handlers: dict[Any, Callable[..., Awaitable[Any]]] = {}
        self._status_handlers: dict[int, Callable[..., Awaitable[Any]]] = {}
        self.taken = 0  # requests dispatched directly (tests)

    def _build(self) -> None:
        static: dict[tuple[str, str], Lane] = {}
        for route in self.fastapi.router.routes:
            if not isinstance(route, APIRoute) or route.path_format != route.path:
                continue
            lane = lane_of(route)
            if lane is None:
                continue
            methods = [m for m in (route.methods or ()) if m != "HEAD"]
            if lane.path_param is None:
                for m in methods:
                    static.setdefault((m, route.path), lane)
                continue
            prefix, _, rest = route.path.partition("{" + lane.path_param[0] + "}")
            if "{" in prefix or "{" in rest:
                continue
            self._param.extend((m, prefix, rest, lane) for m in methods)
        # Starlette's exception middleware: the app's handlers but the 500 one (the server-error middleware's)
        handlers = {k: v for k, v in self.fastapi.exception_handlers.items() if k not in (500, Exception)}
        self._status_handlers = {k: v for k, v in handlers.items() if isinstance(k, int)}
        self._handlers = {k: v for k, v in handlers.items() if not isinstance(k, int)}
        self._static = static

    def _match(self, scope: Scope) -> tuple[Lane, dict[str, Any]] | None:
        method, path = scope["method"], scope["path"]
        lane = self._static.get((method, path))  # type: ignore[union-attr]
        kwargs: dict[str, Any] = {}
        if lane is None:
            for m, prefix, suffix, candidate in self._param:
                if m != method or not path.startswith(prefix) or not path.endswith(suffix):
                    continue
                text = path[len(prefix):len(path) - len(suffix)]
                if "/" in text:
                    continue
                assert candidate.path_param is not None
                value = _int(text, candidate.path_param[1])
                if value is None:
                    return None
                lane = candidate
                kwargs[candidate.path_param[0]] = value
                break
            else:
                return None
        query: bytes = scope.get("query_string", b"")
        for name, (default, _) in lane.query.items():
            kwargs[name] = default
        if query:
            seen = set()
            for pair in query.decode("latin-1").split("&"):
                name, eq, text = pair.partition("=")
                if not eq or name in seen or name not in lane.query:
                    return None
                seen.add(name)
                value = _int(text, lane.query[name][1])
                if value is None:
                    return None
                kwargs[name] = value
        return lane, kwargs

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("root_path"):
            await self.app(scope, receive, send)
            return
        if self._static is None:
            self._build()
        hit = self._match(scope)
        if hit is None:
            await self.app(scope, receive, send)
            return
        lane, kwargs = hit
        self.taken += 1
        scope["route"], scope["endpoint"] = lane.route, lane.endpoint
        scope["path_params"] = {lane.path_param[0]: str(kwargs[lane.path_param[0]])} if lane.path_param else {}
        request = Request(scope, receive, send)
        try:
            for name, dependency in lane.dependencies:
                value = await dependency(request)
                if name is not None:
                    kwargs[name] = value
            kwargs[lane.request_name] = request
            response = await lane.endpoint(**kwargs)
        except Exception as exc:
            handler = self._status_handlers.get(exc.status_code) if isinstance(exc, HTTPException) else None
            handler = handler or next((self._handlers[c] for c in type(exc).__mro__ if c in self._handlers), None)
            if handler is None:
                raise
            response = await handler(request, exc)
            exc.__traceback__ = None
        await response(scope, receive, send)
