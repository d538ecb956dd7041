"""A search's scope follows Flock's tools, on both backends: a search by vehicle description (the Search tool) runs
local or shared only; at statewide or national scope (the Lookup tool's, by full plate) it is a 422 naming
``scope``, echoing the value and saying what is allowed, and nothing is searched or audited (unlike a search
moderation blocks, which the platform runs and audits). A search without a scope runs as the tool for its kind
would: a plate statewide, a description shared."""

from __future__ import annotations

from loadtest import user_behavior
from loadtest.service.app import API_VERSION
from loadtest.service.settings import Settings
from sim.config.behavior_alpr import LOOKUP_SCOPES, SEARCH_SCOPES, SEARCH_TOOL_SCOPES
from tests.loadtest.conftest import start_service
from tests.loadtest.helpers import read
from tests.loadtest.test_alpr import CAM, ingest
from tests.loadtest.test_search_moderation import NC_MODERATED
from tests.loadtest.worlds import DURHAM, OAKLAND, RALEIGH

VAN = {"color": "blue", "make": "honda"}


def post(svc, agency: int, reason: str = "stolen vehicle", **body):
    body = {"reason": reason, "case_number": "24-0001", **body}
    return svc.client.post("/v1/searches", json=body, headers=svc.h("agencies", agency))


def audit_of(svc, agency: int) -> list[dict]:
    return svc.client.get("/v1/audit?limit=500", headers=svc.h("agencies", agency)).json()["items"]


def test_a_description_search_runs_local_or_shared_and_without_a_scope_shared(db_url):
    for svc in start_service(db_url, Settings(rate_scale=0, background=False)):
        for agency in CAM:  # Durham shares with Raleigh 1:1; Oakland does not
            ingest(svc, agency, [read("VAN001", color="Blue", make="Honda", body="minivan")])
        found = {}
        for scope in (None, *SEARCH_TOOL_SCOPES):
            r = post(svc, RALEIGH, vehicle=VAN, **({} if scope is None else {"scope": scope}))
            assert r.status_code == 200, r.text
            found[scope] = ({h["agency_id"] for h in r.json()["results"]}, r.json()["audit_id"])
        assert found["local"][0] == {RALEIGH} and found["shared"][0] == found[None][0] == {RALEIGH, DURHAM}
        scopes = {e["id"]: e["scope"] for e in audit_of(svc, RALEIGH)}
        assert scopes[found[None][1]] == "shared"  # audited as the scope it ran (1.0.0 ran it statewide)
        # a plate without a scope: the Lookup tool's statewide lookup, as before
        plate = post(svc, RALEIGH, plate="VAN001")
        assert plate.status_code == 200
        assert {e["id"]: e["scope"] for e in audit_of(svc, RALEIGH)}[plate.json()["audit_id"]] == "statewide"
        doc = svc.client.get("/openapi.json").json()
        assert doc["info"]["version"] == API_VERSION != "1.0.0"
        scope_doc = doc["components"]["schemas"]["SearchIn"]["properties"]["scope"]["description"]
        assert "shared for a vehicle description" in scope_doc


def test_a_description_search_at_a_lookup_scope_is_a_422_and_is_not_audited(db_url):
    for svc in start_service(db_url, Settings(rate_scale=0, background=False), NC_MODERATED):
        ingest(svc, DURHAM, [read("VAN002", color="Blue", make="Honda", body="minivan")])
        before = {a: audit_of(svc, a) for a in (RALEIGH, DURHAM, OAKLAND)}
        for scope in LOOKUP_SCOPES:
            for reason in ("stolen vehicle", "immigration"):  # the second one NC's moderation blocks
                r = post(svc, RALEIGH, reason, vehicle=VAN, scope=scope)
                assert r.status_code == 422, r.text
                err = r.json()
                assert err["error"] == "invalid_input" and len(err["detail"]) == 1
                detail = err["detail"][0]
                assert detail["field"] == "scope" and detail["loc"] == ["body", "scope"] and detail["input"] == scope
                assert "vehicle description" in detail["msg"] and "local or shared" in detail["msg"]
        assert {a: audit_of(svc, a) for a in before} == before  # nothing searched, nothing audited
        # nor is an Idempotency-Key taken: the corrected search may use it
        key = {"Idempotency-Key": "scope-1"}
        body = {"reason": "stolen vehicle", "case_number": "24-0001", "vehicle": VAN}
        refused = svc.client.post("/v1/searches", json=body | {"scope": "statewide"}, headers=svc.h("agencies", RALEIGH, **key))
        ran = svc.client.post("/v1/searches", json=body | {"scope": "shared"}, headers=svc.h("agencies", RALEIGH, **key))
        assert (refused.status_code, ran.status_code) == (422, 200)
        assert [h["agency_id"] for h in ran.json()["results"]] == [DURHAM]
        # a plate search at those scopes runs; moderation's block of one is a 200, audited (a search the platform ran)
        for scope in LOOKUP_SCOPES:
            assert post(svc, RALEIGH, plate="VAN002", scope=scope).status_code == 200
        blocked = post(svc, RALEIGH, "immigration", plate="VAN002", scope="statewide").json()
        assert blocked["moderation"] == "blocked"
        assert len(audit_of(svc, RALEIGH)) == len(before[RALEIGH]) + 1 + len(LOOKUP_SCOPES) + 1
        # both given: the body's own error, not the scope's
        both = post(svc, RALEIGH, plate="VAN002", vehicle=VAN, scope="statewide")
        assert both.status_code == 422 and [d["field"] for d in both.json()["detail"]] == ["body"]


def test_the_load_generator_and_the_service_share_the_lookup_scopes():
    assert user_behavior.LOOKUP_SCOPES == LOOKUP_SCOPES
    assert set(LOOKUP_SCOPES) | set(SEARCH_TOOL_SCOPES) == set(SEARCH_SCOPES)
    assert not set(LOOKUP_SCOPES) & set(SEARCH_TOOL_SCOPES)
