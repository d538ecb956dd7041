"""Bootstrap from a scenario: the world's agencies, grants, sampled households and cameras, the policy, and tokens
that authenticate as the right actors."""

from __future__ import annotations

import json
import os
import sqlite3
import stat

import pytest
from fastapi.testclient import TestClient

from loadtest.service.app import create_app
from loadtest.service.bootstrap import sample, seed, seed_scenario, write_tokens
from loadtest.service.rules import load_rules
from loadtest.service.settings import Settings
from loadtest.service.storage import open_database
from loadtest.service.storage.base import SchemaMismatch
from loadtest.service.storage.schema import SCHEMA_VERSION
from sim.cli.main import main
from sim.config import load_scenario
from sim.geo.states import STATE_CODES
from sim.model.policy_effects import policy_effects
from sim.world import build_world
from sim.world.types import FEDERAL, PRIVATE
from tests.conftest import SCENARIOS
from tests.loadtest.conftest import start_service
from tests.loadtest.helpers import read
from tests.loadtest.test_alpr import CAM, ingest, owners_found
from tests.loadtest.worlds import DURHAM, FEDS, OAKLAND, RALEIGH


def test_sample_is_even_and_bounded():
    assert list(sample(5, None)) == [0, 1, 2, 3, 4]
    picked = sample(1000, 10)
    assert len(picked) == 10 and picked[0] == 0 and picked[-1] == 999


def test_seed_small_scenario(tmp_path, scenarios_dir):
    scenario = load_scenario(scenarios_dir / "small.yaml", ["policy.federal_firewall=true"])
    world = build_world(scenario)
    a_kind = world.agencies.kind.tolist()
    url = f"sqlite:///{tmp_path}/b.db"
    db = open_database(url)
    db.create_schema()
    tokens = seed_scenario(db, scenario, limit=300)
    with db.read() as tx:
        # every owner and searcher is seeded; only searchers get a token (private networks never search)
        assert tx.scalar("SELECT count(*) FROM agencies") == len(world.agencies)
        private = int((world.agencies.kind == PRIVATE).sum())
        assert private > 0 and len(tokens["agencies"]) == len(world.agencies) - private
        assert tx.scalar("SELECT count(*) FROM agencies WHERE kind = 'private'") == private
        assert tx.scalar("SELECT count(*) FROM grants") == world.sharing.number_of_edges()
        assert tx.scalar("SELECT count(*) FROM households") == 300 == len(tokens["residents"])
        assert tx.scalar("SELECT count(*) FROM cameras") == 300 == len(tokens["cameras"])
        # the firewall and the state laws live in each agency's own columns, as the model resolves them
        refuses = [r[0] for r in tx.all("SELECT refuses_federal FROM agencies ORDER BY id")]
    fx = policy_effects(world, scenario.policy)
    assert refuses == fx.refuses_federal.astype(int).tolist() and 0 < sum(refuses) < len(refuses)
    proxies = {int(i) for i, a in tokens["agencies"].items() if a["proxy_lookups"]}  # police free to proxy
    assert proxies == {i for i in range(len(refuses)) if not fx.proxy_refused[i] and a_kind[i] < FEDERAL} and proxies
    rules = load_rules(db)
    assert rules.reason_mode == scenario.policy.reason_mode and rules.world_version == "1"
    db.close()
    types = {a["type"] for a in tokens["agencies"].values()}
    assert types == {"local", "sheriff", "state", "federal"}
    path = tmp_path / "t" / "tokens.json"
    write_tokens(tokens, path)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert json.loads(path.read_text()) == tokens
    with TestClient(create_app(Settings(db=url, background=False, rate_scale=0))) as client:
        fed = next(i for i, a in tokens["agencies"].items() if a["type"] == "federal")
        cam = next(iter(tokens["cameras"]))
        bearer = {"Authorization": f"Bearer {tokens['agencies'][fed]['token']}"}
        assert client.get("/v1/alerts", headers=bearer).status_code == 200
        assert client.get("/v1/feed", headers=bearer).status_code == 403
        cam_bearer = {"Authorization": f"Bearer {tokens['cameras'][cam]['token']}"}
        assert client.get("/v1/alerts", headers=cam_bearer).status_code == 403


NC_CLOSED_TO_LOOKUPS = [{"where": {"state": "NC"}, "set": {"national_lookup": False}}]


@pytest.mark.parametrize("overrides", [[], NC_CLOSED_TO_LOOKUPS], ids=["national levers", "NC override"])
def test_an_override_for_one_state_changes_what_its_agencies_see(db_url, overrides):
    """The bootstrap applies `policy.overrides` per agency: with NC's agencies taken out of lookups, Raleigh (NC),
    which Durham (NC, opted in) no longer shares with, stops reaching Durham in its statewide search; Oakland (CA)
    and the federal unit (Durham's 1:1 grant) see what they saw."""
    for svc in start_service(db_url, Settings(rate_scale=0, background=False), {"overrides": overrides}):
        for agency in CAM:
            ingest(svc, agency, [read("OVR1DE")])
        assert svc.client.delete(f"/v1/sharing/{RALEIGH}", headers=svc.h("agencies", DURHAM)).status_code == 204
        seen = {(a, scope): owners_found(svc, a, "OVR1DE", scope)
                for a in (RALEIGH, OAKLAND, FEDS) for scope in ("shared", "statewide", "national")}
        raleigh = {RALEIGH} if overrides else {RALEIGH, DURHAM}
        assert seen[RALEIGH, "statewide"] == seen[RALEIGH, "national"] == raleigh
        assert seen[RALEIGH, "shared"] == {RALEIGH}
        assert all(seen[OAKLAND, s] == {OAKLAND} for s in ("shared", "statewide", "national"))
        assert all(seen[FEDS, s] == {DURHAM} for s in ("shared", "statewide", "national"))
        db = open_database(svc.url)
        with db.read() as tx:
            opted = dict(tx.all("SELECT id, national_lookup FROM agencies ORDER BY id"))
        db.close()
        assert opted == {RALEIGH: 0, OAKLAND: 1, DURHAM: 0 if overrides else 1, FEDS: 0}


def test_a_database_of_an_older_schema_is_refused_with_a_message(tmp_path, capsys):
    """An older database (here version 4, which still had the policy row's federal_firewall, sharing_scope and the
    law_states table) is refused before anything is written: `fedsim serve` exits 2 saying to start afresh, with
    or without --bootstrap, and leaves the database as it was."""
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        conn.execute("INSERT INTO meta VALUES ('schema_version', '4')")
    db = open_database(f"sqlite:///{path}")
    with pytest.raises(SchemaMismatch, match=f"schema version 4, this service needs {SCHEMA_VERSION}: start from a fresh"):
        db.create_schema()
    db.close()
    for extra in ([], ["--bootstrap", str(SCENARIOS / "small.yaml"), "--tokens", str(tmp_path / "t.json")]):
        assert main(["serve", "--db", str(path), "--port", "0", *extra]) == 2
        err = capsys.readouterr().err
        assert "schema version 4" in err and "fresh database" in err and "Traceback" not in err
    with sqlite3.connect(path) as conn:  # nothing created or changed (opening it set WAL mode, nothing else)
        assert conn.execute("SELECT name FROM sqlite_master").fetchall() == [("meta",), ("sqlite_autoindex_meta_1",)]
        assert conn.execute("SELECT * FROM meta").fetchall() == [("schema_version", "4")]
    assert not (tmp_path / "t.json").exists()


def test_the_tokens_file_says_what_the_service_refuses_and_where_cameras_stand(tmp_path, scenarios_dir):
    """The load generator reads no scenario: the tokens file carries the seeded rules a search must follow (without
    them a plain `locust` sent free-text reasons to an offense-type service, ~12% of searches refused), which
    agencies may not run a national lookup (a state's platform rule: California's), and each camera's state, a
    private network's too (it has no agency token, and its cameras' reads took the generator's default, NC)."""
    scenario = load_scenario(scenarios_dir / "small.yaml", ["world.states=[CA]", "policy.reason_mode=offense_type"])
    world = build_world(scenario)
    db = open_database(f"sqlite:///{tmp_path}/ca.db")
    db.create_schema()
    tokens = seed(db, world, scenario.policy, limit=400)
    service = load_rules(db)  # what the service itself reads of the seeded policy
    db.close()
    pol = scenario.policy
    assert tokens["rules"] == {"reason_mode": "offense_type", "case_number_required": pol.case_number_required,
                               "request_area_cap_sq_mi": pol.request_area_cap_sq_mi, "posts_per_case": pol.posts_per_case,
                               "retention_days_max": service.max_retention_days, "routing": "axon"}
    assert (service.reason_mode, service.posts_per_case, service.area_cap_sq_mi) == (
        pol.reason_mode, pol.posts_per_case, pol.request_area_cap_sq_mi)
    barred = {a["type"]: a["may_run_national_lookup"] for a in tokens["agencies"].values()}
    assert not any("national_lookup" in a for a in tokens["agencies"].values())  # the network's openness: not here
    assert barred == {"local": False, "sheriff": False, "state": False, "federal": True}  # CA's rule, not federal units'
    # CA's platform rule closes its owners to federal searchers but cannot stop an officer's proxy lookup: the
    # police that do not comply with SB 34 may run them, as in the model (federal units never do)
    fx = policy_effects(world, scenario.policy)
    proxies = {int(i) for i, a in tokens["agencies"].items() if a["proxy_lookups"]}
    assert proxies == {i for i in map(int, tokens["agencies"]) if world.agencies.kind[i] < FEDERAL
                       and not fx.proxy_refused[i]}
    assert 0 < len(proxies) < 0.2 * len(tokens["agencies"])  # SB 34 at 90% compliance
    a = world.agencies
    private = {str(i) for i, c in tokens["cameras"].items() if int(a.kind[c["agency"]]) == PRIVATE}
    assert private and {tokens["cameras"][i]["state"] for i in private} == {"CA"}
    assert all(c["state"] == STATE_CODES[int(a.state[c["agency"]])] for c in tokens["cameras"].values())
