"""The Locust users in Locust's idiom: one `@task` per action weighted by the plan, per-run state on the
Environment. Run in a fresh interpreter: importing Locust monkey-patches the process (gevent)."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import ROOT

SCRIPT = """
import json, sys
from collections import Counter
from locust.env import Environment
from loadtest.plan import closed_plan, AGENCY_MIX
from loadtest.users import AgencyUser, ResidentUser, apply_plan, task_names, weighted_tasks
plan = closed_plan(0.5)
plan.actors["agency"].actions = dict(AGENCY_MIX, change_sharing=0.0001)
a, b = Environment(user_classes=[AgencyUser]), Environment(user_classes=[AgencyUser])
sa = apply_plan(a, plan, "tokens-a.json", 0)
counts, total = Counter(t.__name__ for t in AgencyUser.tasks), len(AgencyUser.tasks)
sb = apply_plan(b, closed_plan(2.0), "tokens-b.json", 3)  # classes are Locust's, shared: only the state is per run
try:
    weighted_tasks(ResidentUser, {"read_feed": 1.0, "fly": 2.0})
    err = ""
except ValueError as exc:
    err = str(exc)
print(json.dumps({
    "tasks": sorted(task_names(AgencyUser)), "counts": counts, "total": total,
    "own_state": a.fedsim is sa and b.fedsim is sb and sa is not sb,
    "tokens": [a.fedsim.tokens_path, b.fedsim.tokens_path], "workers": [sa.worker, sb.worker],
    "weight": AgencyUser.weight, "error": err,
}))
"""


def test_tasks_are_weighted_by_the_plan_and_state_lives_on_the_environment() -> None:
    proc = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    from loadtest.plan import AGENCY_MIX

    assert out["tasks"] == sorted(AGENCY_MIX)  # every action is a @task
    mix = dict(AGENCY_MIX, change_sharing=0.0001)
    for name, weight in mix.items():  # shares kept to within one slot in 10,000
        assert abs(out["counts"][name] / out["total"] - weight / sum(mix.values())) <= 1e-4 + 1e-9, name
    assert out["counts"]["change_sharing"] == 1  # a tiny weight still runs now and then
    assert out["own_state"] and out["tokens"] == ["tokens-a.json", "tokens-b.json"] and out["workers"] == [0, 3]
    assert "ResidentUser has no task ['fly']" in out["error"] and "read_feed" in out["error"]


AGENCY_SCRIPT = """
import json, sys, tempfile
from collections import Counter
from locust.env import Environment
from loadtest.plan import closed_plan
from loadtest.users import AgencyUser, apply_plan
out = {}
for kind in ("local", "state", "sheriff", "federal"):
    tokens = {"admin": "A", "agencies": {"0": {"token": "T", "type": kind, "state": "" if kind == "federal" else "NC"}},
              "residents": {"1": {"token": "R", "lat": 35.7, "lon": -78.6}}, "cameras": {"2": {"token": "C", "agency": 0}}}
    path = tempfile.mkstemp(suffix=".json")[1]
    open(path, "w").write(json.dumps(tokens))
    env = Environment(user_classes=[AgencyUser])
    AgencyUser.host = "http://127.0.0.1:9"
    apply_plan(env, closed_plan(), path, 0)
    user = AgencyUser(env)
    calls = []
    user.call = lambda method, route, token=None, body=None, **kw: calls.append((method, route, body))
    user.on_start()
    for _ in range(20):
        user.post_request()
    for _ in range(400):
        user.search_plate()
    out[kind] = {"type": user.agency_type, "posts": sum(c[1] == "/v1/requests" for c in calls),
                 "scopes": Counter(c[2]["scope"] for c in calls if c[1] == "/v1/searches")}
print(json.dumps(out))
"""


def test_an_officer_searches_with_its_types_scope_mix_and_a_federal_one_posts_no_requests() -> None:
    """A token's type is the service's name (``local``, ``state``); the plan's scope mixes are keyed by the model's
    (``local_police``, ``state_police``): local and state police drew the default ``local`` only before. Federal
    units are not eligible for Community Requests (the service answers 403; the plans count no federal posts)."""
    proc = subprocess.run([sys.executable, "-c", AGENCY_SCRIPT], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    from sim.config.behavior import Behavior

    mixes = Behavior().searches.scope_mix
    for kind, model in (("local", "local_police"), ("state", "state_police"), ("sheriff", "sheriff"), ("federal", "federal")):
        assert out[kind]["type"] == model
        drawn = out[kind]["scopes"]
        assert set(drawn) == {s for s, w in mixes[model].items() if w > 0}, (kind, drawn)
        for scope, weight in mixes[model].items():  # 400 draws: within 4 standard errors of each share
            share = weight / sum(mixes[model].values())
            assert abs(drawn.get(scope, 0) / 400 - share) <= 4 * (share * (1 - share) / 400) ** 0.5 + 1e-9, (kind, scope)
        assert out[kind]["posts"] == (0 if kind == "federal" else 20)


FEDERAL = """
import json, sys
from locust.env import Environment
from loadtest.plan import closed_plan
from loadtest.service.models.alpr import HotlistIn
from loadtest.users import AgencyUser, apply_plan
tokens = {"admin": "a", "agencies": {"1": {"token": "t1", "type": "local", "state": "SC", "name": "X PD"},
                                     "2": {"token": "t2", "type": "federal", "state": "", "name": "FBI"}},
          "residents": {"9": {"token": "r", "lat": 35.8, "lon": -78.6}}, "cameras": {"5": {"token": "c", "agency": 1}}}
open(sys.argv[1], "w").write(json.dumps(tokens))
env = Environment(user_classes=[AgencyUser])
AgencyUser.host = "http://127.0.0.1:9"  # never called: `call` records instead
apply_plan(env, closed_plan(1.0), sys.argv[1], 0)
sent = []
AgencyUser.call = lambda self, method, path, token=None, body=None, **kw: sent.append([method, path, body])
user = AgencyUser(env)
user.on_start()
for _ in range(200):  # setup draws the user's agency: until it is the federal unit
    if user.agency_id == "2":
        break
    user.setup()
for _ in range(5):
    user.post_request()
    user.upload_hotlist()
for method, path, body in sent:
    if path == "/v1/hotlists":
        HotlistIn.model_validate(body)
print(json.dumps({"agency": user.agency_id, "sent": [[m, p] for m, p, _ in sent],
                  "states": sorted({x["state"] for _, p, b in sent if p == "/v1/hotlists" for x in b["plates"]})}))
"""


def test_a_federal_officers_hotlists_carry_a_plate_state(tmp_path) -> None:
    """A federal unit's token has no state (""), and its hotlists' plates took it: the service refuses a plate
    without a valid state (422), counted as a failure (1-2 per run in docs/loadtest.md's commands)."""
    proc = subprocess.run([sys.executable, "-c", FEDERAL, str(tmp_path / "tokens.json")], cwd=ROOT,
                          capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out["agency"] == "2" and ["POST", "/v1/hotlists"] in out["sent"]
    assert ["POST", "/v1/requests"] not in out["sent"]
    assert out["states"] == ["SC"]  # the plates' state: that of the agencies in the tokens file
