"""What the audit records (issue 17, findings 3, 4, 5 and 13): case numbers and reasons normalised and refused
when empty or holding control or format characters; the scenario's case_number_required honoured; the
posts-per-case limit held by the database under concurrency and look-alike spellings, on both backends;
integers too large for JSON answered with 422; agencies without cameras see their own searches."""

from __future__ import annotations

import threading

import pytest

from loadtest.service.settings import Settings
from tests.loadtest.conftest import start_service
from tests.loadtest.helpers import read, request_body
from tests.loadtest.test_alpr import ingest
from tests.loadtest.worlds import DURHAM, FEDS, RALEIGH

BAD_TEXT = {
    "spaces": "   ",
    "nbsp": "\u00a0\u00a0",
    "zero-width": "\u200b",
    "ideographic": "\u3000",
    "c1-nel": "stolen\u0085",
    "c1-csi": "\u009b31m",
    "bidi-override": "stolen \u202eelcihev",
    "line-separator": "a\u2028b",
    "full-width-formula": "\uff1dSUM(A1)",
}


@pytest.mark.parametrize("name", BAD_TEXT)
def test_bad_reasons_and_case_numbers_are_refused(service, name):
    text = BAD_TEXT[name]
    h = service.h("agencies", RALEIGH)
    r = service.client.post("/v1/searches", json={"plate": "AB1", "reason": text, "case_number": "24-1"}, headers=h)
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "reason", r.text
    r = service.client.post("/v1/searches", json={"plate": "AB1", "reason": "theft", "case_number": text}, headers=h)
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "case_number", r.text
    r = service.client.post("/v1/requests", json=request_body(case=text), headers=h)
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "case_number", r.text


def test_text_is_stored_normalised(service):
    h = service.h("agencies", RALEIGH)
    r = service.client.post(
        "/v1/searches",
        json={"plate": "AB1", "reason": "\u00a0stolen\u3000car ", "case_number": " \uff12\uff14-\uff21\uff22 "},
        headers=h,
    )
    assert r.status_code == 200, r.text
    mine = service.client.get("/v1/audit", headers=h).json()["items"]
    assert [(e["reason"], e["case_number"]) for e in mine] == [("stolen car", "24-AB")]


def test_case_number_required_by_the_scenario(service, tmp_path):
    h = service.h("agencies", RALEIGH)
    r = service.client.post("/v1/searches", json={"plate": "AB1", "reason": "theft"}, headers=h)
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "case_number"
    for svc in start_service(
        f"sqlite:///{tmp_path}/free.db", Settings(rate_scale=0, background=False), {"case_number_required": False}
    ):
        r = svc.client.post(
            "/v1/searches", json={"plate": "AB1", "reason": "theft"}, headers=svc.h("agencies", RALEIGH)
        )
        assert r.status_code == 200, r.text


def test_concurrent_posts_of_one_case_store_at_most_the_limit(service):
    codes: list[int] = []
    h = service.h("agencies", RALEIGH)
    barrier = threading.Barrier(20)

    def post() -> None:
        barrier.wait(timeout=30)
        codes.append(service.client.post("/v1/requests", json=request_body("RACE-1"), headers=h).status_code)

    threads = [threading.Thread(target=post) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(codes) == [201] * 2 + [409] * 18
    assert service.client.get("/v1/admin/stats", headers=service.h("admin")).json()["rows"]["requests"] == 2


def test_look_alike_case_numbers_are_one_case(service):
    h = service.h("agencies", RALEIGH)
    assert service.client.post("/v1/requests", json=request_body("ab-77"), headers=h).status_code == 201
    assert service.client.post("/v1/requests", json=request_body(" AB-77 "), headers=h).status_code == 201
    for twin in ("\uff21\uff22-\uff17\uff17", "Ab-77\u00a0", "aB-77"):
        r = service.client.post("/v1/requests", json=request_body(twin), headers=h)
        assert r.status_code == 409 and r.json()["error"] == "case_limit", (twin, r.text)
    assert service.client.post("/v1/requests", json=request_body("ab-78"), headers=h).status_code == 201
    other = service.client.post("/v1/requests", json=request_body("ab-77"), headers=service.h("agencies", DURHAM))
    assert other.status_code == 201  # the limit is per agency


HUGE = 2**64
HUGE_BODIES = [
    ("/v1/searches", ("agencies", RALEIGH), {"plate": "AB1", "reason": "x", "case_number": "1", "since": HUGE}),
    ("/v1/searches", ("agencies", RALEIGH), {"plate": HUGE, "reason": "x"}),
    ("/v1/alpr/reads", ("cameras", 0), {"reads": [read(confidence=HUGE)]}),
    ("/v1/alpr/reads", ("cameras", 0), {"reads": [read(ts=0) | {"ts": -HUGE * 10}]}),
    ("/v1/hotlists", ("agencies", RALEIGH), {"name": "n", "plates": [{"plate": "A1", "state": "NC", "reason": HUGE}]}),
    ("/v1/requests", ("agencies", RALEIGH), request_body(area_sq_mi=HUGE)),
    ("/v1/requests", ("agencies", RALEIGH), request_body(location={"lat": HUGE, "lon": 0})),
]


@pytest.mark.parametrize("path, who, body", HUGE_BODIES)
def test_integers_beyond_64_bits_are_422(service, path, who, body):
    r = service.client.post(path, json=body, headers=service.h(*who))
    assert r.status_code == 422, r.text
    assert any(str(d.get("input")).lstrip("-").isdigit() for d in r.json()["detail"])  # echoed as text


def test_an_agency_without_cameras_sees_its_own_searches(service):
    ingest(service, DURHAM, [read("FED123")])
    r = service.client.post(
        "/v1/searches", json={"plate": "FED123", "reason": "x", "case_number": "F-1", "scope": "national"},
        headers=service.h("agencies", FEDS),
    )  # fmt: skip
    assert r.status_code == 200 and r.json()["results"]
    mine = service.client.get("/v1/audit", headers=service.h("agencies", FEDS)).json()["items"]
    assert [(e["id"], e["agency_id"]) for e in mine] == [(r.json()["audit_id"], FEDS)]
    durham = service.client.get("/v1/audit", headers=service.h("agencies", DURHAM)).json()["items"]
    assert [e["agency_id"] for e in durham] == [FEDS]
