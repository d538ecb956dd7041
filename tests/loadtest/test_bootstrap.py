"""Bootstrap from a scenario: the world's agencies, grants, sampled households and cameras, the policy, and tokens
that authenticate as the right actors."""

from __future__ import annotations

import json
import os
import stat

from fastapi.testclient import TestClient

from loadtest.service.app import create_app
from loadtest.service.bootstrap import sample, seed_scenario, write_tokens
from loadtest.service.rules import load_rules
from loadtest.service.settings import Settings
from loadtest.service.storage import open_database
from sim.config import load_scenario
from sim.world import build_world


def test_sample_is_even_and_bounded():
    assert list(sample(5, None)) == [0, 1, 2, 3, 4]
    picked = sample(1000, 10)
    assert len(picked) == 10 and picked[0] == 0 and picked[-1] == 999


def test_seed_small_scenario(tmp_path, scenarios_dir):
    scenario = load_scenario(scenarios_dir / "small.yaml", ["policy.federal_firewall=true"])
    world = build_world(scenario)
    url = f"sqlite:///{tmp_path}/b.db"
    db = open_database(url)
    db.create_schema()
    tokens = seed_scenario(db, scenario, limit=300)
    with db.read() as tx:
        assert tx.scalar("SELECT count(*) FROM agencies") == len(world.agencies) == len(tokens["agencies"])
        assert tx.scalar("SELECT count(*) FROM grants") == world.sharing.number_of_edges()
        assert tx.scalar("SELECT count(*) FROM households") == 300 == len(tokens["residents"])
        assert tx.scalar("SELECT count(*) FROM cameras") == 300 == len(tokens["cameras"])
    rules = load_rules(db)
    assert rules.federal_firewall and rules.law_states == frozenset(scenario.policy.state_laws)
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
