"""The direct dispatch (`loadtest.service.fastlane`): plain requests take it, and every request, plain or not,
gets the same answer (status, body, the headers that matter) as through FastAPI's own stack."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from fastapi.testclient import TestClient

from loadtest.service.app import create_app
from loadtest.service.fastlane import FastLane
from loadtest.service.settings import Settings
from tests.loadtest.conftest import Service, start_service
from tests.loadtest.helpers import request_body
from tests.loadtest.worlds import RALEIGH

HEADERS = ("content-type", "retry-after", "www-authenticate", "allow", "location")


def lane_of_app(app: Any) -> FastLane:
    layer = app.middleware_stack
    while not isinstance(layer, FastLane):
        layer = layer.app
    return layer


@pytest.fixture
def both(tmp_path) -> Iterator[tuple[Service, TestClient]]:
    """The service (with the lane) and a second app on the same database without it."""
    url = f"sqlite:///{tmp_path}/service.db"
    settings = Settings(rate_scale=0, background=False)
    for svc in start_service(url, settings):
        plain = create_app(replace(settings, db=url))
        plain.user_middleware = [m for m in plain.user_middleware if m.cls is not FastLane]
        with TestClient(plain, raise_server_exceptions=False) as other:
            yield svc, other


def answer(client: TestClient, method: str, path: str, headers: dict[str, str], body: Any) -> tuple:
    kw: dict[str, Any] = {"headers": headers}
    if body is not None:
        kw["content" if isinstance(body, bytes) else "json"] = body
    r = client.request(method, path, **kw)
    text = r.text
    return r.status_code, text, {h: r.headers.get(h) for h in HEADERS}


def test_plain_and_odd_requests_get_the_same_answers(both) -> None:
    svc, other = both
    resident, agency = svc.h("residents", 0), svc.h("agencies", RALEIGH)
    rid = svc.client.post("/v1/requests", json=request_body(), headers=agency).json()["id"]
    json_ct = {**agency, "Content-Type": "application/json"}
    cases: list[tuple[str, str, dict[str, str], Any]] = [
        ("GET", "/healthz", {}, None),
        ("HEAD", "/healthz", {}, None),
        ("GET", "/v1/feed", resident, None),
        ("GET", "/v1/feed?limit=5&cursor=0", resident, None),
        *[("GET", f"/v1/feed?{q}", resident, None) for q in
          ("limit=0", "limit=501", "limit=abc", "limit=05", "limit=5&limit=6", "foo=1", "limit=", "cursor=-1",
           "limit=%35", "cursor=4611686018427387905")],  # fmt: skip
        ("GET", "/v1/feed/", resident, None),
        ("GET", "/v1/feed", {}, None),
        ("GET", "/v1/feed", {"Authorization": "Bearer nope"}, None),
        ("GET", "/v1/feed?limit=0", {"Authorization": "Bearer nope"}, None),  # 401 before the 422
        ("GET", "/v1/feed", agency, None),  # 403
        ("POST", "/v1/feed", resident, None),  # 405
        ("GET", f"/v1/requests/{rid}", agency, None),
        ("GET", f"/v1/requests/{rid}/packages", agency, None),
        *[("GET", f"/v1/requests/{p}", agency, None) for p in ("0", "007", "abc", "999999", "4611686018427387905")],
        ("GET", "/v1/requests/1/packages/x", agency, None),
        ("GET", f"/v1/transparency/{RALEIGH}", {}, None),
        ("GET", "/v1/transparency/99999999", {}, None),
        ("GET", "/v1/transparency/-1", {}, None),
        ("GET", "/v1/alerts?limit=2", agency, None),
        ("GET", "/v1/audit", agency, None),
        ("GET", "/v1/sharing", agency, None),
        ("PUT", "/v1/sharing/abc", agency, None),
        ("DELETE", "/v1/sharing/99999", agency, None),  # 404, no such grant
        ("POST", "/v1/searches", json_ct, b"{not json"),
        ("POST", "/v1/searches", {**agency, "Content-Type": "text/plain"}, b"{}"),
        ("POST", "/v1/searches", agency, {"plate": "ABC123"}),  # no reason: 422 naming the field
        ("POST", "/v1/alpr/reads", agency, {"reads": []}),  # an agency token on the camera route: 403
        ("GET", "/v1/admin/stats", agency, None),
    ]
    for method, path, headers, body in cases:
        assert answer(svc.client, method, path, headers, body) == answer(other, method, path, headers, body), (method, path)


def test_plain_requests_take_the_lane_and_odd_ones_do_not(service) -> None:
    lane = lane_of_app(service.client.app)
    h = service.h("residents", 0)
    taken = lane.taken
    assert service.client.get("/v1/feed?limit=3", headers=h).status_code == 200
    assert lane.taken == taken + 1
    assert service.client.get("/v1/feed?limit=03", headers=h).status_code == 200  # FastAPI's int parsing
    assert service.client.get("/v1/feed?limit=0", headers=h).status_code == 422
    assert lane.taken == taken + 1
