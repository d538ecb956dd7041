"""Moderation per searching agency (`policy.moderation` and its per-agency overrides, as the bootstrap resolves
them): a blocked search is audited and reaches nothing, a warned one runs and says so; on both backends."""

from __future__ import annotations

import numpy as np

from loadtest.service.bootstrap import moderation_rows
from loadtest.service.queries.search import reason_key
from loadtest.service.settings import Settings
from tests.loadtest.conftest import start_service
from tests.loadtest.helpers import read
from tests.loadtest.test_alpr import CAM, ingest
from tests.loadtest.worlds import DURHAM, OAKLAND, RALEIGH

NC_MODERATED = {"overrides": [{"where": {"state": "NC"},
                               "set": {"moderation": {"blocked": ["immigration"], "warned": ["investigation"]}}}]}


def searched(svc, agency: int, reason: str) -> dict:
    body = {"plate": "MOD123", "reason": reason, "case_number": "24-9", "scope": "statewide"}
    r = svc.client.post("/v1/searches", json=body, headers=svc.h("agencies", agency))
    assert r.status_code == 200, r.text
    return r.json()


def test_an_nc_override_blocks_and_warns_only_nc_searches(db_url):
    for svc in start_service(db_url, Settings(rate_scale=0, background=False), NC_MODERATED):
        for agency in CAM:
            ingest(svc, agency, [read("MOD123")])
        blocked = searched(svc, RALEIGH, "Immigration case 12")
        assert blocked["moderation"] == "blocked" and blocked["results"] == [] and blocked["networks_touched"] == 0
        warned = searched(svc, RALEIGH, "investigation")
        assert warned["moderation"] == "warned" and {h["agency_id"] for h in warned["results"]} == {RALEIGH, DURHAM}
        plain = searched(svc, RALEIGH, "stolen vehicle")
        assert "moderation" not in plain and len(plain["results"]) == 2
        # Oakland (CA) is not selected: the national lever (no moderation) holds for it
        ca = searched(svc, OAKLAND, "immigration")
        assert "moderation" not in ca and [h["agency_id"] for h in ca["results"]] == [OAKLAND]
        # the blocked search is audited, with its moderation, in the searcher's own audit log
        audit = svc.client.get("/v1/audit", headers=svc.h("agencies", RALEIGH)).json()["items"]
        by_id = {item["id"]: item for item in audit}
        assert by_id[blocked["audit_id"]]["moderation"] == "blocked" and by_id[blocked["audit_id"]]["networks_touched"] == 0
        assert by_id[warned["audit_id"]]["moderation"] == "warned" and by_id[plain["audit_id"]]["moderation"] is None


def test_the_national_lever_moderates_every_agency(db_url):
    for svc in start_service(db_url, Settings(rate_scale=0, background=False), {"moderation": {"blocked": ["abortion"]}}):
        assert all(searched(svc, a, "abortion")["moderation"] == "blocked" for a in (RALEIGH, OAKLAND, DURHAM))
        assert "moderation" not in searched(svc, RALEIGH, "abortions in 2024")  # whole words only


def test_reasons_match_categories_as_whole_words():
    assert reason_key("  Stolen  Vehicle ") == "stolen_vehicle" and reason_key("mail-theft/fraud") == "mail_theft_fraud"


def test_a_reason_blocked_and_warned_is_blocked():
    rows = moderation_rows(np.array([0, 1]), ((frozenset(), frozenset()), (frozenset({"a"}), frozenset({"a", "b"}))))
    assert rows == [(1, "a", "blocked"), (1, "b", "warned")]
