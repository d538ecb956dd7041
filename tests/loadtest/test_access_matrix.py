"""Every actor x object x verb on both backends: 401 without a valid token, 403 for the wrong kind of actor,
404 for another agency's object (never revealing that it exists), 2xx for the owner."""

from __future__ import annotations

import pytest

from loadtest.service.packaging import package_pending
from loadtest.service.storage import open_database
from tests.loadtest.helpers import clip, read, request_body
from tests.loadtest.worlds import DURHAM, FEDS, OAKLAND, RALEIGH

ACTORS = {
    "raleigh": ("agencies", RALEIGH),
    "oakland": ("agencies", OAKLAND),
    "federal": ("agencies", FEDS),
    "resident0": ("residents", 0),
    "resident1": ("residents", 1),
    "camera": ("cameras", 0),
    "admin": ("admin", None),
    "anonymous": None,
    "bad_token": "bad",
}
KIND = {"agencies": "agency", "residents": "resident", "cameras": "camera", "admin": "admin"}


@pytest.fixture
def world_objects(service):
    """A Raleigh request with one packaged submission: ids of the request and the package."""
    c = service.client
    rid = c.post("/v1/requests", json=request_body("OBJ-1"), headers=service.h("agencies", RALEIGH)).json()["id"]
    assert (
        c.post(f"/v1/requests/{rid}/submissions", json={"clips": [clip()]}, headers=service.h("residents", 0)).status_code == 202
    )
    db = open_database(service.url)
    try:
        assert package_pending(db) == 1
    finally:
        db.close()
    pid = c.get(f"/v1/requests/{rid}/packages", headers=service.h("agencies", RALEIGH)).json()["items"][0]["id"]
    return rid, pid


def verbs(rid: int, pid: int) -> list[tuple[str, str, object, str | None, dict[str, int]]]:
    """(method, path, body, kind allowed, status per actor where it is not the default 2xx/403/401)."""
    not_owner = {"oakland": 404, "federal": 404}
    return [
        ("POST", "/v1/requests", "request", "agency", {"raleigh": 201, "oakland": 201, "federal": 403}),
        ("GET", f"/v1/requests/{rid}", None, "agency", {"raleigh": 200, **not_owner}),
        ("GET", f"/v1/requests/{rid}/packages", None, "agency", {"raleigh": 200, **not_owner}),
        ("GET", f"/v1/packages/{pid}", None, "agency", {"raleigh": 200, **not_owner}),
        ("GET", "/v1/feed", None, "resident", {"resident0": 200, "resident1": 200}),
        ("POST", f"/v1/requests/{rid}/submissions", {"clips": [clip()]}, "resident", {"resident0": 202, "resident1": 202}),
        ("POST", "/v1/alpr/reads", {"reads": [read()]}, "camera", {"camera": 202}),
        ("POST", "/v1/hotlists", {"name": "h", "plates": [{"plate": "AB1", "state": "NC", "reason": "r"}]}, "agency",
         {"raleigh": 201, "oakland": 201, "federal": 201}),
        ("GET", "/v1/alerts", None, "agency", {"raleigh": 200, "oakland": 200, "federal": 200}),
        ("POST", "/v1/searches", {"plate": "AB1", "reason": "r", "case_number": "c1"}, "agency",
         {"raleigh": 200, "oakland": 200, "federal": 200}),
        ("GET", "/v1/audit", None, "agency", {"raleigh": 200, "oakland": 200, "federal": 200}),
        ("PUT", f"/v1/sharing/{DURHAM}", None, "agency", {"raleigh": 200, "oakland": 200, "federal": 200}),
        ("DELETE", f"/v1/sharing/{FEDS}", None, "agency", {"raleigh": 404, "oakland": 204, "federal": 404}),
        ("GET", f"/v1/transparency/{RALEIGH}", None, None, {}),
        ("GET", "/v1/admin/stats", None, "admin", {"admin": 200}),
        ("POST", "/v1/admin/purge", None, "admin", {"admin": 200}),
    ]  # fmt: skip


def headers(service, actor) -> dict[str, str]:
    if actor is None:
        return {}
    if actor == "bad":
        return {"Authorization": "Bearer not-a-token"}
    return service.h(*actor) if actor[0] != "admin" else service.h("admin")


def expected(name: str, actor, kind: str | None, special: dict[str, int]) -> int:
    if kind is None:
        return 200  # public: tokens are ignored
    if actor is None or actor == "bad":
        return 401
    if KIND[actor[0]] != kind:
        return 403
    return special[name]


def test_access_matrix(service, world_objects):
    rid, pid = world_objects
    wrong = []
    cells = 0
    for method, path, body, kind, special in verbs(rid, pid):
        for name, actor in ACTORS.items():
            payload = request_body(f"M-{name}") if body == "request" else body
            r = service.client.request(method, path, json=payload, headers=headers(service, actor))
            want = expected(name, actor, kind, special)
            cells += 1
            if r.status_code != want:
                wrong.append(f"{name} {method} {path}: got {r.status_code}, want {want} ({r.text[:100]})")
            if r.status_code == 404:
                assert "not found" in r.json()["message"]
    assert not wrong, "\n".join(wrong)
    assert cells == 16 * len(ACTORS)


def test_not_found_does_not_reveal_existence(service, world_objects):
    """Another agency's request and a request that never existed give the same answer."""
    rid, _ = world_objects
    h = service.h("agencies", OAKLAND)
    theirs = service.client.get(f"/v1/requests/{rid}", headers=h)
    absent = service.client.get(f"/v1/requests/{rid + 1000}", headers=h)
    assert theirs.status_code == absent.status_code == 404
    assert theirs.json() == absent.json()
