"""ALPR end to end on both backends: ingest, plate and vehicle search under the sharing rules, hotlist alerts,
revocation, audit and the transparency page."""

from __future__ import annotations

import time
from datetime import datetime

from loadtest.service.queries.search import held_since
from loadtest.service.rules import ServiceRules
from loadtest.service.settings import Settings
from tests.loadtest.conftest import start_service
from tests.loadtest.helpers import iso, read
from tests.loadtest.worlds import DURHAM, FEDS, OAKLAND, RALEIGH, tiny_world

CAM = {RALEIGH: 0, OAKLAND: 1, DURHAM: 2}


def ingest(service, agency: int, reads: list[dict]) -> None:
    r = service.client.post("/v1/alpr/reads", json={"reads": reads}, headers=service.h("cameras", CAM[agency]))
    assert r.status_code == 202, r.text
    assert r.json() == {"accepted": len(reads)}


def search(service, agency: int, **body) -> dict:
    body = {"reason": "stolen vehicle", "case_number": "24-0001", **body}
    r = service.client.post("/v1/searches", json=body, headers=service.h("agencies", agency))
    assert r.status_code == 200, r.text
    return r.json()


def owners_found(service, agency: int, plate: str, scope: str) -> set[int]:
    return {hit["agency_id"] for hit in search(service, agency, plate=plate, scope=scope)["results"]}


def test_plate_search_follows_sharing_rules(service):
    for agency in CAM:
        ingest(service, agency, [read("XYZ123"), read("OTHER1")])
    assert owners_found(service, RALEIGH, "XYZ123", "local") == {RALEIGH}
    assert owners_found(service, RALEIGH, "XYZ123", "shared") == {RALEIGH, DURHAM}
    assert owners_found(service, RALEIGH, "XYZ123", "statewide") == {RALEIGH, DURHAM}
    # Oakland opted into national lookup but honours California's law: no out-of-state searchers
    assert owners_found(service, RALEIGH, "XYZ123", "national") == {RALEIGH, DURHAM}
    # ICE-HSI: Durham's 1:1 grant works; Oakland's grant is refused by the state law
    assert owners_found(service, FEDS, "XYZ123", "national") == {DURHAM}
    # California's platform rule bars its agencies from national lookup: Oakland's national search runs statewide
    assert owners_found(service, OAKLAND, "XYZ123", "national") == {OAKLAND}
    out = search(service, RALEIGH, plate="XYZ123", scope="statewide")
    assert out["networks_touched"] == 2 and out["audit_id"] > 0 and not out["truncated"]


def test_revoked_grant_stops_results_at_once(service):
    ingest(service, DURHAM, [read("REV0KE")])
    assert owners_found(service, RALEIGH, "REV0KE", "shared") == {DURHAM}
    grants = service.client.get("/v1/sharing", headers=service.h("agencies", DURHAM)).json()
    assert [(g["grantee_id"], g["how"]) for g in grants] == [(RALEIGH, "grant"), (FEDS, "grant")]
    assert service.client.delete(f"/v1/sharing/{RALEIGH}", headers=service.h("agencies", DURHAM)).status_code == 204
    assert owners_found(service, RALEIGH, "REV0KE", "shared") == set()
    assert service.client.delete(f"/v1/sharing/{RALEIGH}", headers=service.h("agencies", DURHAM)).status_code == 404
    r = service.client.put(f"/v1/sharing/{RALEIGH}", headers=service.h("agencies", DURHAM))
    assert r.status_code == 200 and r.json() == {"owner_id": DURHAM, "grantee_id": RALEIGH, "how": "grant"}
    assert owners_found(service, RALEIGH, "REV0KE", "shared") == {DURHAM}


def test_low_confidence_reads_and_windows(service):
    now = time.time()
    ingest(service, RALEIGH, [read("LOWC0N", confidence=0.5), read("OLDREAD", ts=now - 10 * 86400)])
    assert search(service, RALEIGH, plate="LOWC0N")["results"] == []
    since = now - 2 * 86400
    assert search(service, RALEIGH, plate="OLDREAD", since=iso(since))["results"] == []
    assert len(search(service, RALEIGH, plate="OLDREAD")["results"]) == 1
    # the threshold's edge, where the load generator puts its misreads (at most 0.749) and the rest (0.75 up)
    ingest(service, RALEIGH, [read("EDGE01", confidence=0.749), read("EDGE01", confidence=0.75)])
    assert [h["confidence"] for h in search(service, RALEIGH, plate="EDGE01")["results"]] == [0.75]


def test_vehicle_search_and_national_needs_a_plate(service):
    ingest(service, DURHAM, [read("VAN001", color="Blue", make="Honda", body="minivan")])
    hits = search(service, RALEIGH, vehicle={"color": "blue", "make": "honda"}, scope="shared")["results"]
    assert [h["plate"] for h in hits] == ["VAN001"]
    r = service.client.post(
        "/v1/searches",
        json={"reason": "x", "vehicle": {"make": "honda"}, "scope": "national"},
        headers=service.h("agencies", RALEIGH),
    )
    assert r.status_code == 422 and [d["field"] for d in r.json()["detail"]] == ["scope"]  # test_search_scope.py


def test_hotlist_alerts_and_transparency(service):
    r = service.client.post(
        "/v1/hotlists",
        json={"name": "stolen", "plates": [{"plate": "HOT123", "state": "NC", "reason": "stolen vehicle"}]},
        headers=service.h("agencies", RALEIGH),
    )
    assert r.status_code == 201 and r.json()["entries"] == 1
    ingest(service, DURHAM, [read("HOT123"), read("COLD12")])  # Durham shares with Raleigh: alert
    ingest(service, OAKLAND, [read("HOT123")])  # Oakland does not: no alert
    alerts = service.client.get("/v1/alerts", headers=service.h("agencies", RALEIGH)).json()["items"]
    assert [(a["plate"], a["camera_agency_id"]) for a in alerts] == [("HOT123", DURHAM)]
    assert service.client.get("/v1/alerts", headers=service.h("agencies", DURHAM)).json()["items"] == []
    search(service, RALEIGH, plate="HOT123")
    page = service.client.get(f"/v1/transparency/{DURHAM}").json()
    assert page["cameras"] == 1 and page["vehicles_detected_30d"] == 2 and page["hotlist_hits_30d"] == 1
    assert [o["id"] for o in page["organizations_with_access"]] == sorted(
        [RALEIGH, FEDS], key=lambda i: ["Raleigh PD", "ICE-HSI"][i == FEDS]
    )
    assert service.client.get(f"/v1/transparency/{RALEIGH}").json()["searches_30d"] == 1


def test_audit_lists_searches_that_touched_own_data(service):
    ingest(service, DURHAM, [read("AUD1T1")])
    sid = search(service, RALEIGH, plate="AUD1T1", scope="statewide", case_number="24-77")["audit_id"]
    durham = service.client.get("/v1/audit", headers=service.h("agencies", DURHAM)).json()["items"]
    assert [(e["id"], e["agency_id"], e["case_number"], e["reason"]) for e in durham] == [
        (sid, RALEIGH, "24-77", "stolen vehicle")
    ]
    assert service.client.get("/v1/audit", headers=service.h("agencies", OAKLAND)).json()["items"] == []


def test_federal_firewall_closes_law_compliant_owners(tmp_path):
    for svc in start_service(f"sqlite:///{tmp_path}/fw.db", Settings(rate_scale=0, background=False), {"federal_firewall": True}):
        ingest(svc, DURHAM, [read("FEDS01")])
        assert owners_found(svc, FEDS, "FEDS01", "national") == set()
        assert owners_found(svc, RALEIGH, "FEDS01", "statewide") == {DURHAM}


def test_a_look_back_beyond_retention_runs_and_finds_what_each_owner_holds(db_url):
    """A window longer than 30 days or older than every retention is no error (Okaloosa County SO ran 463 such
    searches in 38 days): the search runs and finds, of each owner, reads within min(look-back, its retention), the
    model's rule, even before the retention purge has removed the older ones. Before, both were a 422 on `since`."""
    world = tiny_world()
    world.agencies.retention_days[DURHAM] = 365  # one of the 9 of 365 portals keeping a year (2024)
    policy = {"overrides": [{"where": {"agency": "Raleigh PD"}, "set": {"alpr_retention_days": 7}}]}
    for svc in start_service(db_url, Settings(rate_scale=0, background=False), policy, world=world):
        now = time.time()
        ingest(svc, RALEIGH, [read("LONG01", ts=now - 60 * 86400), read("LONG01", ts=now - 5 * 86400)])
        ingest(svc, DURHAM, [read("LONG01", ts=now - 60 * 86400), read("LONG01", ts=now - 200 * 86400)])
        found = {(h["agency_id"], round((now - _epoch(h["ts"])) / 86400))
                 for h in search(svc, RALEIGH, plate="LONG01", scope="shared", since=iso(now - 90 * 86400))["results"]}
        assert found == {(RALEIGH, 5), (DURHAM, 60)}  # Raleigh holds 7 days, Durham 365, the look-back is 90
        older = search(svc, RALEIGH, plate="LONG01", scope="shared", since=iso(now - 400 * 86400))["results"]
        assert len(older) == 3  # beyond every retention: all that is held
        r = svc.client.post("/v1/searches", headers=svc.h("agencies", RALEIGH),
                            json={"reason": "x", "plate": "LONG01", "since": iso(now - 3600), "until": iso(now - 7200)})
        assert r.status_code == 422 and "until" in r.text  # what truly cannot be stays refused


def _epoch(ts: str) -> float:
    return datetime.fromisoformat(ts.replace("Z", "+00:00")).timestamp()


def test_owners_own_retentions_are_read_only_where_they_cut_the_window():
    """The per-owner retention condition (a correlated lookup per read) is added only when the window reaches back
    past the shortest retention after clamping to the longest: with every owner at 30 days a 90-day look-back runs
    the 30-day query (it added the condition for every such search, 26% of description searches, when it compared
    the window as asked)."""
    def rules(shortest: int, longest: int) -> ServiceRules:
        return ServiceRules(180, 2, 0.5, False, "free_text", longest, "", "axon", shortest)

    now = 1_000 * 86400.0
    assert held_since(now - 90 * 86400, rules(30, 30), now) == (now - 30 * 86400, False)
    assert held_since(now - 90 * 86400, rules(7, 365), now) == (now - 90 * 86400, True)
    assert held_since(now - 5 * 86400, rules(7, 365), now) == (now - 5 * 86400, False)
