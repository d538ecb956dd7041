"""The public transparency page (issue 17, findings 2 and 13): computed off the event loop, served from a cache
refreshed at most every `PAGE_REFRESH_S`, listing every agency whose searches reached the agency's data."""

from __future__ import annotations

import asyncio

from loadtest.service.queries import sharing
from loadtest.service.routes import public
from tests.loadtest.helpers import read
from tests.loadtest.test_alpr import ingest, search
from tests.loadtest.worlds import DURHAM, FEDS, OAKLAND, RALEIGH


def test_page_is_computed_off_the_event_loop_and_cached(service, monkeypatch):
    calls: list[bool] = []
    real = sharing.transparency

    def spy(tx, agency, now):
        try:
            asyncio.get_running_loop()
            calls.append(True)  # on the event loop
        except RuntimeError:
            calls.append(False)  # on a worker thread
        return real(tx, agency, now)

    monkeypatch.setattr(sharing, "transparency", spy)
    first = service.client.get(f"/v1/transparency/{RALEIGH}").json()
    search(service, RALEIGH, plate="CACHE1")
    for _ in range(5):
        assert service.client.get(f"/v1/transparency/{RALEIGH}").json() == first  # served from the cache
    assert calls == [False]
    assert service.client.get("/v1/transparency/999").status_code == 404
    assert service.client.get("/v1/transparency/999").status_code == 404
    assert calls == [False, False]  # an unknown id is cached too
    monkeypatch.setattr(public, "PAGE_REFRESH_S", 0.0)
    service.client.app.state.ctx.cache.pop("transparency")
    assert service.client.get(f"/v1/transparency/{RALEIGH}").json()["searches_30d"] == first["searches_30d"] + 1


def test_national_lookup_searchers_are_listed(service):
    ingest(service, OAKLAND, [read("NAT123")])
    ingest(service, DURHAM, [read("NAT123")])
    search(service, FEDS, plate="NAT123", scope="national")  # reaches Durham (grant) only
    search(service, RALEIGH, plate="NAT123", scope="national")  # Durham via its grant; Oakland refuses (CA law)
    durham = service.client.get(f"/v1/transparency/{DURHAM}").json()
    assert sorted(o["id"] for o in durham["organizations_with_access"]) == [RALEIGH, FEDS]
    oakland = service.client.get(f"/v1/transparency/{OAKLAND}").json()
    assert [o["id"] for o in oakland["organizations_with_access"]] == [FEDS]  # its grant (refused by CA law, listed)


def test_national_lookup_searcher_without_grant_is_listed(tmp_path):
    from loadtest.service.settings import Settings
    from tests.loadtest.conftest import start_service

    # no state laws nor California's 2025 platform rule, federal pilots open: Oakland's national-lookup opt-in opens it
    # to every searcher, grant or not
    pre_2025 = {"state_laws": [], "federal_access": "open",
                "state_rules": {"CA": {"may_run_national_lookup": True, "out_of_state_sharing": True}}}
    for svc in start_service(f"sqlite:///{tmp_path}/nl.db", Settings(rate_scale=0, background=False), pre_2025):
        ingest(svc, OAKLAND, [read("NAT999")])
        assert search(svc, RALEIGH, plate="NAT999", scope="national")["results"]
        page = svc.client.get(f"/v1/transparency/{OAKLAND}").json()
        assert sorted(o["id"] for o in page["organizations_with_access"]) == sorted([RALEIGH, FEDS])


def test_the_harness_probe_searches_are_audited_as_probes_and_left_out_of_transparency(service):
    """The harness times searches with the tokens file's probe token (as one agency): they stay in the audit log,
    marked ``probe``, and no transparency page counts them, neither as the agency's searches nor as an organisation
    with access to the owners they reached (before, a kept database's page showed them as the agency's own)."""
    prober = service.tokens["probe"]["agency"]
    owner = next(a for a in (RALEIGH, DURHAM) if a != prober)
    ingest(service, owner, [read("PRB123")])
    before = {a: service.client.get(f"/v1/transparency/{a}").json() for a in (prober, owner)}
    headers = {"Authorization": f"Bearer {service.tokens['probe']['token']}"}
    body = {"reason": "stolen vehicle", "case_number": "PROBE", "plate": "PRB123", "scope": "statewide"}
    r = service.client.post("/v1/searches", json=body, headers=headers)
    assert r.status_code == 200, r.text
    assert r.json()["networks_touched"] >= 1  # it ran, reaching the owner's data
    service.client.app.state.ctx.cache.pop("transparency", None)
    for a in (prober, owner):
        page = service.client.get(f"/v1/transparency/{a}").json()
        assert page["searches_30d"] == before[a]["searches_30d"]
        assert prober not in {o["id"] for o in page["organizations_with_access"]} - {
            o["id"] for o in before[a]["organizations_with_access"]}
    audit = service.client.get("/v1/audit", headers=service.h("agencies", prober)).json()["items"]
    assert [e["probe"] for e in audit if e["case_number"] == "PROBE"] == [True]
    search(service, prober, plate="PRB123", scope="statewide")  # the agency's own token: counted, not a probe
    service.client.app.state.ctx.cache.pop("transparency", None)
    assert service.client.get(f"/v1/transparency/{prober}").json()["searches_30d"] == before[prober]["searches_30d"] + 1
