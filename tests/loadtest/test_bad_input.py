"""Bad input on both backends: each case gets its 4xx, names the offending field, and never a 500.

SQL-injection strings are data: stored and returned verbatim, tables intact. Formula-leading short text
(= + - @) is refused so exports cannot run spreadsheet formulas.
"""

from __future__ import annotations

import json
import time

import pytest

from tests.loadtest.helpers import clip, iso, read, request_body
from tests.loadtest.worlds import RALEIGH

NOW = time.time()
AGENCY, RESIDENT, CAMERA = ("agencies", RALEIGH), ("residents", 0), ("cameras", 0)


def raw(body: dict) -> bytes:
    return json.dumps(body).encode()


def with_dup_key() -> bytes:
    text = raw(request_body())
    return text.replace(b'"case_number": "24-001234"', b'"case_number": "24-001234", "case_number": "other"')


def with_literal(value: str) -> bytes:
    return raw(request_body()).replace(b'"lat": 35.78', b'"lat": ' + value.encode())


def search(**changes) -> dict:
    return {"plate": "ABC123", "reason": "stolen", "case_number": "24-1", **changes}


# (id, method, path, actor, body bytes or JSON-able, status, field named in detail)
CASES = [
    ("lat-out-of-range", "POST", "/v1/requests", AGENCY, request_body(location={"lat": 91.0, "lon": -78.6}), 422, "location.lat"),
    ("lon-out-of-range", "POST", "/v1/requests", AGENCY, request_body(location={"lat": 35.0, "lon": -181.0}), 422,
     "location.lon"),
    ("lat-as-string", "POST", "/v1/requests", AGENCY, request_body(location={"lat": "35.7", "lon": -78.6}), 422, "location.lat"),
    ("nan", "POST", "/v1/requests", AGENCY, with_literal("NaN"), 422, "body"),
    ("infinity", "POST", "/v1/requests", AGENCY, with_literal("Infinity"), 422, "body"),
    ("huge-number", "POST", "/v1/requests", AGENCY, with_literal("1e400"), 422, "location.lat"),
    ("window-ends-before-start", "POST", "/v1/requests", AGENCY,
     request_body(window_start=iso(NOW - 3600), window_end=iso(NOW - 7200)), 422, "window_end"),
    ("window-too-long", "POST", "/v1/requests", AGENCY,
     request_body(window_start=iso(NOW - 14 * 3600), window_end=iso(NOW - 3600)), 422, "window_end"),
    ("window-too-short", "POST", "/v1/requests", AGENCY,
     request_body(window_start=iso(NOW - 3600), window_end=iso(NOW - 3000)), 422, "window_end"),
    ("naive-time", "POST", "/v1/requests", AGENCY, request_body(window_start="2026-01-01T00:00:00"), 422, "window_start"),
    ("window-in-future", "POST", "/v1/requests", AGENCY,
     request_body(window_start=iso(NOW + 3600), window_end=iso(NOW + 7200)), 422, "window_end"),
    ("area-too-big", "POST", "/v1/requests", AGENCY, request_body(area_sq_mi=0.6), 422, "area_sq_mi"),
    ("area-too-small", "POST", "/v1/requests", AGENCY, request_body(area_sq_mi=0.01), 422, "area_sq_mi"),
    ("case-number-1mb", "POST", "/v1/requests", AGENCY, request_body("9" * (1 << 20)), 413, None),
    ("case-number-too-long", "POST", "/v1/requests", AGENCY, request_body("9" * 65), 422, "case_number"),
    ("case-number-nul", "POST", "/v1/requests", AGENCY, request_body("24\x0001"), 422, "case_number"),
    ("description-nul", "POST", "/v1/requests", AGENCY, request_body(description="a\x00b"), 422, "description"),
    ("csv-formula-equals", "POST", "/v1/requests", AGENCY, request_body('=HYPERLINK("http://x","y")'), 422, "case_number"),
    ("csv-formula-plus", "POST", "/v1/requests", AGENCY, request_body("+1+1"), 422, "case_number"),
    ("csv-formula-at", "POST", "/v1/requests", AGENCY, request_body("@SUM(A1)"), 422, "case_number"),
    ("duplicate-keys", "POST", "/v1/requests", AGENCY, with_dup_key(), 422, "body"),
    ("unknown-field", "POST", "/v1/requests", AGENCY, request_body(priority="high"), 422, "priority"),
    ("owner-field", "POST", "/v1/requests", AGENCY, request_body(agency_id=2), 422, "agency_id"),
    ("status-field", "POST", "/v1/requests", AGENCY, request_body(status="closed"), 422, "status"),
    ("unknown-incident", "POST", "/v1/requests", AGENCY, request_body(incident_type="jaywalking"), 422, "incident_type"),
    ("missing-field", "POST", "/v1/requests", AGENCY, {k: v for k, v in request_body().items() if k != "area_sq_mi"}, 422,
     "area_sq_mi"),
    ("not-json", "POST", "/v1/requests", AGENCY, b"case_number=1", 422, "body"),
    ("json-array", "POST", "/v1/requests", AGENCY, b"[1, 2]", 422, "body"),
    ("empty-body", "POST", "/v1/requests", AGENCY, b"", 422, "body"),
    ("oversized-batch", "POST", "/v1/alpr/reads", CAMERA, {"reads": [read()] * 5001}, 422, "reads"),
    ("empty-batch", "POST", "/v1/alpr/reads", CAMERA, {"reads": []}, 422, "reads"),
    ("read-confidence", "POST", "/v1/alpr/reads", CAMERA, {"reads": [read(), read(confidence=1.5)]}, 422, "reads.1.confidence"),
    ("read-future", "POST", "/v1/alpr/reads", CAMERA, {"reads": [read(ts=NOW + 86400)]}, 422, "reads.0.ts"),
    ("read-past-retention", "POST", "/v1/alpr/reads", CAMERA, {"reads": [read(ts=NOW - 400 * 86400)]}, 422, "reads.0.ts"),
    ("read-state", "POST", "/v1/alpr/reads", CAMERA, {"reads": [read(state="ZZ")]}, 422, "reads.0.state"),
    ("read-plate-sql", "POST", "/v1/alpr/reads", CAMERA, {"reads": [read(plate="1' OR 1=1")]}, 422, "reads.0.plate"),
    ("read-owner-field", "POST", "/v1/alpr/reads", CAMERA, {"reads": [read(agency=3)]}, 422, "reads.0.agency"),
    ("reads-body-too-large", "POST", "/v1/alpr/reads", CAMERA, b'{"reads": [' + b" " * (5 << 20) + b"]}", 413, None),
    ("search-no-reason", "POST", "/v1/searches", AGENCY, {"plate": "ABC123"}, 422, "reason"),
    ("search-both", "POST", "/v1/searches", AGENCY, search(vehicle={"make": "ford"}), 422, "body"),
    ("search-scope", "POST", "/v1/searches", AGENCY, search(scope="galactic"), 422, "scope"),
    ("search-lower-plate", "POST", "/v1/searches", AGENCY, search(plate="abc123"), 422, "plate"),
    ("search-backwards", "POST", "/v1/searches", AGENCY, search(since=iso(NOW - 3600), until=iso(NOW - 7200)), 422, "until"),
    ("search-in-future", "POST", "/v1/searches", AGENCY, search(until=iso(NOW + 86400)), 422, "until"),
    ("search-vehicle-statewide", "POST", "/v1/searches", AGENCY, search(plate=None, vehicle={"make": "ford"}, scope="statewide"),
     422, "scope"),
    ("search-empty-vehicle", "POST", "/v1/searches", AGENCY, {"vehicle": {}, "reason": "x"}, 422, "vehicle"),
    ("clips-bad-base64", "POST", "/v1/requests/{rid}/submissions", RESIDENT, {"clips": [{**clip(), "content_b64": "@@@@"}]},
     422, "clips.0.content_b64"),
    ("clips-too-many", "POST", "/v1/requests/{rid}/submissions", RESIDENT, {"clips": [clip()] * 11}, 422, "clips"),
    ("clip-too-long", "POST", "/v1/requests/{rid}/submissions", RESIDENT,
     {"clips": [{**clip(), "end": iso(NOW)}]}, 422, "clips.0.end"),
    ("hotlist-formula", "POST", "/v1/hotlists", AGENCY, {"name": "-x", "plates": [{"plate": "A1", "state": "NC", "reason": "r"}]},
     422, "name"),
    ("page-size-zero", "GET", "/v1/alerts?limit=0", AGENCY, None, 422, "limit"),
    ("page-size-huge", "GET", "/v1/alerts?limit=100000", AGENCY, None, 422, "limit"),
    ("cursor-negative", "GET", "/v1/audit?cursor=-1", AGENCY, None, 422, "cursor"),
    ("id-not-int", "GET", "/v1/requests/abc", AGENCY, None, 422, "request_id"),
    ("id-zero", "GET", "/v1/requests/0", AGENCY, None, 422, "request_id"),
    ("id-huge", "GET", "/v1/requests/99999999999999999999999", AGENCY, None, 422, "request_id"),
    ("transparency-huge-id", "GET", "/v1/transparency/99999999999999999999999", None, None, 422, "agency_id"),
]  # fmt: skip


@pytest.fixture
def rid(service):
    return service.client.post("/v1/requests", json=request_body("FIXTURE"), headers=service.h("agencies", RALEIGH)).json()["id"]


def send(service, method, path, actor, body, extra=None):
    headers = {"Content-Type": "application/json", **(extra or {})}
    if actor:
        headers.update(service.h(*actor))
    content = body if isinstance(body, bytes) or body is None else raw(body)
    return service.client.request(method, path, content=content, headers=headers)


def test_bad_input_table(service, rid):
    wrong = []
    for case, method, path, actor, body, status, field in CASES:
        r = send(service, method, path.format(rid=rid), actor, body)
        got = r.json() if r.headers.get("content-type", "").startswith("application/json") else {}
        fields = [d["field"] for d in got.get("detail", [])]
        if r.status_code != status or (field is not None and field not in fields):
            wrong.append(f"{case}: got {r.status_code} {fields} {r.text[:160]!r}; want {status} naming {field}")
        if len(r.content) > 4096:
            wrong.append(f"{case}: the error answer echoes {len(r.content)} bytes")
    assert not wrong, "\n".join(wrong)


def test_wrong_content_type_and_idempotency_key(service):
    r = service.client.post(
        "/v1/requests", content=raw(request_body()), headers={**service.h(*AGENCY), "Content-Type": "text/plain"}
    )
    assert r.status_code == 415
    r = send(service, "POST", "/v1/requests", AGENCY, request_body(), {"Idempotency-Key": "k" * 200})
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "Idempotency-Key"


def test_injection_strings_are_data(service):
    sneaky = "24-1'); DROP TABLE requests; --"
    desc = "Robert'); DROP TABLE requests;-- =cmd|' /C calc'!A0 \u2603"
    r = send(service, "POST", "/v1/requests", AGENCY, request_body(sneaky, description=desc))
    assert r.status_code == 201, r.text
    got = service.client.get(f"/v1/requests/{r.json()['id']}", headers=service.h(*AGENCY)).json()
    assert got["case_number"] == sneaky and got["description"] == desc
    assert service.client.get("/v1/admin/stats", headers=service.h("admin")).json()["rows"]["requests"] == 1
