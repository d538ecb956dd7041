"""Moderation per searching agency (`policy.moderation` and its per-agency overrides, as the bootstrap resolves
them): a blocked search is audited and reaches nothing, a warned one runs and says so; on both backends. Each
worker process holds the moderation table and reads it again when a bootstrap moves the world version."""

from __future__ import annotations

import numpy as np

from benchmarks.db_replay import read_trace, units
from loadtest.service.bootstrap import moderation_rows, seed
from loadtest.service.queries.search import reason_key
from loadtest.service.settings import Settings
from loadtest.service.storage import open_database
from loadtest.service.storage.sql_trace import ENV
from tests.loadtest.conftest import start_service
from tests.loadtest.helpers import read
from tests.loadtest.test_alpr import CAM, ingest
from tests.loadtest.worlds import DURHAM, OAKLAND, RALEIGH, tiny_policy, tiny_world

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


def test_searches_read_no_moderation_rows(tmp_path, monkeypatch):
    """Each worker process holds the moderation table: five searches read it once (SQLite's statement trace)."""
    monkeypatch.setenv(ENV, str(tmp_path / "trace"))
    for svc in start_service(f"sqlite:///{tmp_path}/m.db", Settings(rate_scale=0, background=False), NC_MODERATED):
        outcomes = [searched(svc, RALEIGH, reason).get("moderation") for reason in ("immigration", "theft") * 3]
        assert outcomes == ["blocked", None] * 3
    reads = [sql for _, _, ops in units(read_trace(tmp_path / "trace")) for _, sql, _ in ops
             if sql.lstrip().upper().startswith("SELECT") and "FROM moderation" in sql]
    assert len(reads) == 1, reads


def test_a_new_bootstrap_is_seen_when_the_rules_are_read_again(db_url):
    """The held moderation goes with the world version: a bootstrap with other moderation is applied once this
    process reads the rules again (at most RULES_CACHE_S later), and not before."""
    for svc in start_service(db_url, Settings(rate_scale=0, background=False), NC_MODERATED):
        ctx = svc.client.app.state.ctx
        assert searched(svc, RALEIGH, "immigration")["moderation"] == "blocked"
        rules, _ = ctx.cache["rules"]
        ctx.cache["rules"] = (rules, float("inf"))  # these rules stay fresh until told otherwise
        db = open_database(svc.url)
        try:
            svc.tokens = seed(db, tiny_world(), tiny_policy(moderation={"warned": ["immigration"]}))
            assert searched(svc, RALEIGH, "immigration")["moderation"] == "blocked"  # still the rules read before
            ctx.cache["rules"] = (rules, 0.0)  # stale: read again, with the new world version
            assert searched(svc, RALEIGH, "immigration")["moderation"] == "warned"
            assert ctx.cache["rules"][0].world_version != rules.world_version
            svc.tokens = seed(db, tiny_world(), tiny_policy())
            ctx.cache["rules"] = (ctx.cache["rules"][0], 0.0)
            assert "moderation" not in searched(svc, RALEIGH, "immigration")
        finally:
            db.close()
