"""`policy.reason_mode` in the service, as in the model (`sim.model.alpr_searches`): under ``offense_type`` a
search's reason is one of the model's offense types (free text is a 422 naming the field, the value and the offense
types), moderation sees that offense type, and the audit stores it; under ``free_text`` the reason is the
officer's text. On SQLite and PostgreSQL, through HTTP."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import numpy as np
import pytest

from loadtest import payloads
from loadtest.plan import user_behavior
from loadtest.service.settings import Settings
from sim.config.behavior_alpr import OFFENSE_TYPES, OTHER_REASON, Searches
from sim.model.alpr_searches import SearchGenerator
from sim.model.policy_effects import policy_effects
from sim.rng import Streams
from tests.loadtest.conftest import start_service
from tests.loadtest.helpers import read
from tests.loadtest.test_alpr import CAM, ingest
from tests.loadtest.worlds import DURHAM, OAKLAND, RALEIGH, tiny_policy, tiny_world

SETTINGS = Settings(rate_scale=0, background=False)
# the national lever blocks immigration and theft and warns about investigation; NC's agencies warn about fraud too
MODERATION: dict[str, Any] = {
    "moderation": {"blocked": ["immigration", "theft"], "warned": ["investigation"]},
    "overrides": [{"where": {"state": "NC"}, "set": {"moderation": {"blocked": ["immigration", "theft"],
                                                                    "warned": ["investigation", "fraud"]}}}],
}


def post(svc, agency: int, reason: str) -> Any:
    body = {"plate": "RSN123", "reason": reason, "case_number": "24-9", "scope": "statewide"}
    return svc.client.post("/v1/searches", json=body, headers=svc.h("agencies", agency))


def test_free_text_is_refused_under_the_offense_type_drop_down(db_url):
    for svc in start_service(db_url, SETTINGS, {"reason_mode": "offense_type"}):
        r = post(svc, RALEIGH, "Immigration case 12")
        assert r.status_code == 422, r.text
        err = r.json()
        assert err["error"] == "invalid_input" and err["detail"][0]["field"] == "reason"
        assert err["detail"][0]["input"] == "Immigration case 12"
        assert "'Immigration case 12'" in err["message"] and "policy.reason_mode" in err["message"]
        assert all(t in err["message"] for t in OFFENSE_TYPES)  # the allowed values, every one
        assert post(svc, RALEIGH, "Stolen Vehicle").status_code == 422  # the drop-down's values, exactly
        audit = svc.client.get("/v1/audit", headers=svc.h("agencies", RALEIGH)).json()["items"]
        assert audit == []  # nothing was searched, nothing audited
        assert post(svc, RALEIGH, "stolen_vehicle").status_code == 200


def test_under_offense_types_moderation_sees_the_offense_type(db_url):
    """An immigration-purpose search filed as ``other`` runs unseen; ``mail_theft`` is not ``theft`` (a free-text
    reason "mail theft" is: whole words); the audit row keeps the offense type."""
    for svc in start_service(db_url, SETTINGS, MODERATION | {"reason_mode": "offense_type"}):
        for agency in CAM:
            ingest(svc, agency, [read("RSN123")])
        other = post(svc, RALEIGH, OTHER_REASON).json()
        assert "moderation" not in other and {h["agency_id"] for h in other["results"]} == {RALEIGH, DURHAM}
        assert post(svc, RALEIGH, "theft").json()["moderation"] == "blocked"
        assert "moderation" not in post(svc, RALEIGH, "mail_theft").json()
        assert post(svc, RALEIGH, "fraud").json()["moderation"] == "warned"
        assert "moderation" not in post(svc, OAKLAND, "fraud").json()  # CA keeps the national lever
        audit = svc.client.get("/v1/audit", headers=svc.h("agencies", RALEIGH)).json()["items"]
        assert [(a["reason"], a["moderation"]) for a in audit] == [
            ("other", None), ("theft", "blocked"), ("mail_theft", None), ("fraud", "warned")]
    for svc in start_service(db_url, SETTINGS, MODERATION):  # free text: whole words
        assert post(svc, RALEIGH, "mail theft").json()["moderation"] == "blocked"


@pytest.mark.parametrize("mode", ["free_text", "offense_type"])
def test_the_service_moderates_as_the_model(db_url, mode):
    """For every reason the model's searches are run for and every agency, the service's answer to a search with
    the reason the model audits is the model's blocked / warned / neither."""
    policy = tiny_policy(reason_mode=mode, **MODERATION)
    world = tiny_world()
    gen = SearchGenerator(world, Searches(), policy_effects(world, policy), Streams(np.random.SeedSequence(1)))
    for svc in start_service(db_url, SETTINGS, MODERATION | {"reason_mode": mode}):
        seen = set()
        for agency in (RALEIGH, OAKLAND, DURHAM):
            rule = gen.moderation[agency]
            for purpose in range(len(gen.reasons)):
                audited = int(gen.audited[purpose])
                model = "blocked" if gen.blocked[rule, audited] else "warned" if gen.warned[rule, audited] else None
                r = post(svc, agency, gen.reasons[audited])
                assert r.status_code == 200, r.text
                assert r.json().get("moderation") == model, (agency, gen.reasons[purpose], mode)
                seen.add(model)
        assert seen == {"blocked", "warned", None}
        unseen = gen.reasons.index("immigration")  # blocked by purpose; seen by moderation only under free text
        assert (gen.audited[unseen] == unseen) == (mode == "free_text")


@pytest.mark.parametrize("mode", ["free_text", "offense_type"])
def test_the_load_generators_searches_are_valid_under_each_mode(db_url, mode):
    behavior = user_behavior(platform=tiny_policy(reason_mode=mode))
    rng = np.random.default_rng(3)
    for svc in start_service(db_url, SETTINGS, {"reason_mode": mode}):
        reasons = set()
        for by_plate in (True, False) * 20:
            body = payloads.search(rng, by_plate, behavior, "local_police", "LT-1") | {"scope": "local"}
            r = svc.client.post("/v1/searches", json=body, headers=svc.h("agencies", RALEIGH))
            assert r.status_code == 200, r.text
            reasons.add(body["reason"])
        assert (reasons <= OFFENSE_TYPES) == (mode == "offense_type") and len(reasons) > 2


def test_searches_look_back_as_drawn_under_a_short_retention_and_run(db_url):
    """Under policy.alpr_retention_days 7 (scenarios/retention-7d.yaml) the generator sends the look-backs it draws, as
    the model's searches ask for them: the presets 1, 7, 14 and 30 days, and for description searches the custom
    range beyond (lookback_beyond_days), and the service runs every one (200), finding what each owner holds. Before,
    look-backs were cut to the retention (7) and the service refused a `since` before it."""
    rng = np.random.default_rng(11)
    for svc in start_service(db_url, SETTINGS, {"alpr_retention_days": 7}):
        assert svc.tokens["rules"]["retention_days_max"] == 7
        behavior = user_behavior().under(svc.tokens["rules"])
        days = set()
        for by_plate in (True, False) * 40:
            body = payloads.search(rng, by_plate, behavior, "local_police", "LT-1") | {"scope": "local"}
            r = svc.client.post("/v1/searches", json=body, headers=svc.h("agencies", RALEIGH))
            assert r.status_code == 200, r.text
            since = datetime.fromisoformat(body["since"])
            days.add(round((datetime.now(since.tzinfo) - since).total_seconds() / 86_400))
        assert days == {1, 7, 14, 30, behavior.lookback_beyond_days}


def test_hotlist_reasons_stay_free_text_under_offense_types(db_url):
    """Flock's 2026 drop-down is documented for searches only (docs/service.md): under ``offense_type`` a hotlist
    entry's reason is still free text, unchecked and unmoderated, and a hit on another agency's camera is audited
    with it (a reason no search could carry under these rules)."""
    for svc in start_service(db_url, SETTINGS, MODERATION | {"reason_mode": "offense_type"}):
        body = {"name": "watch", "plates": [{"plate": "HOT123", "state": "NC", "reason": "Immigration case 12"}]}
        assert svc.client.post("/v1/hotlists", json=body, headers=svc.h("agencies", RALEIGH)).status_code == 201
        assert post(svc, RALEIGH, "Immigration case 12").status_code == 422  # as a search's reason: refused
        ingest(svc, DURHAM, [read("HOT123")])  # Durham shares with Raleigh: an alert, audited in Durham's log
        audit = svc.client.get("/v1/audit", headers=svc.h("agencies", DURHAM)).json()["items"]
        assert [(e["agency_id"], e["kind"], e["reason"], e["moderation"]) for e in audit] == [
            (RALEIGH, "hotlist", "Immigration case 12", None)]
