"""Community requests end to end on both backends: post, feed, submit, package, download."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile

import numpy as np
import pytest

from loadtest import payloads
from loadtest.plan import may_post, user_behavior
from loadtest.service.packaging import package_pending
from loadtest.service.settings import Settings
from loadtest.service.storage import open_database
from tests.loadtest.conftest import start_service
from tests.loadtest.helpers import clip, request_body
from tests.loadtest.worlds import DURHAM, FEDS, RALEIGH


def test_post_and_read_a_request(service):
    c = service.client
    r = c.post("/v1/requests", json=request_body(), headers=service.h("agencies", RALEIGH))
    assert r.status_code == 201, r.text
    rid = r.json()["id"]
    got = c.get(f"/v1/requests/{rid}", headers=service.h("agencies", RALEIGH)).json()
    assert got["status"] == "open" and got["case_number"] == "24-001234"
    assert got["counts"] == {"submissions": 0, "clips": 0, "bytes": 0, "packages": 0, "pending_submissions": 0}


def test_at_most_two_requests_per_case(service):
    h = service.h("agencies", RALEIGH)
    codes = [service.client.post("/v1/requests", json=request_body("CASE-7"), headers=h).status_code for _ in range(3)]
    assert codes == [201, 201, 409]
    # another agency's case with the same number is its own case
    assert (
        service.client.post("/v1/requests", json=request_body("CASE-7"), headers=service.h("agencies", DURHAM)).status_code == 201
    )


def test_feed_shows_covering_requests_and_stores_no_viewer(service):
    c = service.client
    near = c.post("/v1/requests", json=request_body(), headers=service.h("agencies", RALEIGH)).json()["id"]
    far_body = request_body("24-9", location={"lat": 36.5, "lon": -79.5})
    far = c.post("/v1/requests", json=far_body, headers=service.h("agencies", RALEIGH)).json()["id"]
    before = c.get("/v1/admin/stats", headers=service.h("admin")).json()["rows"]
    feed = c.get("/v1/feed", headers=service.h("residents", 0)).json()
    ids = [item["id"] for item in feed["items"]]
    assert near in ids and far not in ids
    assert feed["items"][0]["agency_name"] == "Raleigh PD"
    assert c.get("/v1/admin/stats", headers=service.h("admin")).json()["rows"] == before


def test_submission_packaged_with_checksums_and_custody(service):
    c = service.client
    rid = c.post("/v1/requests", json=request_body(), headers=service.h("agencies", RALEIGH)).json()["id"]
    content = b"clip-bytes-" * 100
    sub = c.post(
        f"/v1/requests/{rid}/submissions", json={"clips": [clip(content), clip(b"second")]}, headers=service.h("residents", 1)
    )
    assert sub.status_code == 202, sub.text
    db = open_database(service.url)
    try:
        assert package_pending(db) == 1
        assert package_pending(db) == 0
    finally:
        db.close()
    got = c.get(f"/v1/requests/{rid}", headers=service.h("agencies", RALEIGH)).json()["counts"]
    assert got["submissions"] == 1 and got["clips"] == 2 and got["packages"] == 1 and got["pending_submissions"] == 0
    packages = c.get(f"/v1/requests/{rid}/packages", headers=service.h("agencies", RALEIGH)).json()["items"]
    assert len(packages) == 1
    r = c.get(f"/v1/packages/{packages[0]['id']}", headers=service.h("agencies", RALEIGH))
    assert r.status_code == 200 and r.headers["content-type"] == "application/zip"
    assert hashlib.sha256(r.content).hexdigest() == packages[0]["sha256"] == r.headers["x-content-sha256"]
    with zipfile.ZipFile(io.BytesIO(r.content)) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        custody = json.loads(zf.read("custody.json"))
        for entry in manifest["clips"]:
            assert hashlib.sha256(zf.read(entry["file"])).hexdigest() == entry["sha256"]
    assert sorted(e["size"] for e in manifest["clips"]) == sorted([len(content), len(b"second")])
    assert [e["event"] for e in custody] == ["submitted", "packaged"]
    # another agency cannot see the package or the list
    assert c.get(f"/v1/packages/{packages[0]['id']}", headers=service.h("agencies", DURHAM)).status_code == 404
    assert c.get(f"/v1/requests/{rid}/packages", headers=service.h("agencies", DURHAM)).status_code == 404


def test_clip_outside_the_window_is_refused(service):
    c = service.client
    rid = c.post("/v1/requests", json=request_body(), headers=service.h("agencies", RALEIGH)).json()["id"]
    r = c.post(f"/v1/requests/{rid}/submissions", json={"clips": [clip(offset_s=10 * 3600)]}, headers=service.h("residents", 0))
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "clips.0.start"


def test_feed_pages_with_cursor(service):
    c = service.client
    h = service.h("agencies", RALEIGH)
    ids = [c.post("/v1/requests", json=request_body(f"P-{i}"), headers=h).json()["id"] for i in range(3)]
    first = c.get("/v1/feed?limit=2", headers=service.h("residents", 0)).json()
    assert [i["id"] for i in first["items"]] == ids[:2] and first["next_cursor"] == ids[1]
    second = c.get(f"/v1/feed?limit=2&cursor={first['next_cursor']}", headers=service.h("residents", 0)).json()
    assert [i["id"] for i in second["items"]] == ids[2:] and second["next_cursor"] is None


def test_packages_are_bounded_in_bytes(service, monkeypatch):
    from loadtest.service import packaging

    monkeypatch.setattr(packaging, "MAX_PACKAGE_BYTES", 10)
    c = service.client
    rid = c.post("/v1/requests", json=request_body(), headers=service.h("agencies", RALEIGH)).json()["id"]
    for resident in (0, 1):
        assert (
            c.post(
                f"/v1/requests/{rid}/submissions", json={"clips": [clip(b"8 bytes!")]}, headers=service.h("residents", resident)
            ).status_code
            == 202
        )
    db = open_database(service.url)
    try:
        assert package_pending(db) == 2
    finally:
        db.close()
    items = c.get(f"/v1/requests/{rid}/packages", headers=service.h("agencies", RALEIGH)).json()["items"]
    assert [p["clips"] for p in items] == [1, 1]


@pytest.mark.parametrize("cap", [0.1, 0.5])
def test_the_load_generators_requests_follow_the_services_area_cap(db_url, cap):
    """policy.request_area_cap_sq_mi below the behaviour's largest area: the model caps each post's area, the
    service refuses a larger one (422). The generator drew areas up to 0.5 sq mi whatever the cap: under a cap
    of 0.1, about 54% of its posts were refused (ln 5 / ln 20). The tokens file's rules now cap them."""
    rng = np.random.default_rng(5)
    for svc in start_service(db_url, Settings(rate_scale=0, background=False), {"request_area_cap_sq_mi": cap}):
        behavior = user_behavior().under(svc.tokens["rules"])
        areas = []
        for i in range(40):
            body = payloads.request(rng, f"LT-cap-{i}", 35.78, -78.64, behavior)
            r = svc.client.post("/v1/requests", json=body, headers=svc.h("agencies", RALEIGH))
            assert r.status_code == 201, r.text
            areas.append(body["area_sq_mi"])
        assert max(areas) <= cap and min(areas) < cap  # capped, not all set to the cap
        assert (max(areas) == cap) == (cap < 0.5)  # a cap below the largest draw is reached


@pytest.mark.parametrize("routing", ["axon", "flock", "none"])
def test_who_may_post_follows_the_platforms_routing(db_url, routing):
    """As the model refuses posts (sim.model.requests): on Axon's route a federal unit may not post (403), on
    Flock's it may, with no routing nobody posts. The service refused federal posts whatever the routing, so a load
    test of a `routing: flock` world could not send the federal posts the model makes; the tokens' rules say the
    routing, and the load generator's officers drop the posts it refuses."""
    for svc in start_service(db_url, Settings(rate_scale=0, background=False), routing=routing):
        assert svc.tokens["rules"]["routing"] == routing
        got = {who: svc.client.post("/v1/requests", json=request_body(f"R-{who}"), headers=svc.h("agencies", who))
               for who in (RALEIGH, FEDS)}
        expected = {"axon": (201, 403), "flock": (201, 201), "none": (403, 403)}[routing]
        assert (got[RALEIGH].status_code, got[FEDS].status_code) == expected, {k: v.text for k, v in got.items()}
        behavior = user_behavior().under(svc.tokens["rules"])
        assert [may_post(t, behavior.routing) for t in ("local_police", "federal")] == [s == 201 for s in expected]
