"""The Locust users in Locust's idiom: one `@task` per action weighted by the plan, per-run state on the
Environment. Run in a fresh interpreter: importing Locust monkey-patches the process (gevent)."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import ROOT, SCENARIOS

SCRIPT = """
import json, sys
from collections import Counter
from locust.env import Environment
from loadtest.plan import closed_plan, AGENCY_MIX
from loadtest.run_state import task_names, weighted_tasks
from loadtest.users import AgencyUser, ResidentUser, apply_plan
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
import json, random, sys, tempfile
from collections import Counter
from locust.env import Environment
from loadtest.plan import closed_plan
from loadtest.users import AgencyUser, apply_plan
out = {}
N = 6000
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
    pick = random.Random(1)
    for _ in range(N):  # as Locust runs a user: a task drawn from its task list, again and again
        pick.choice(user.tasks)(user)
    out[kind] = {"type": user.agency_type, "posts": sum(c[1] == "/v1/requests" for c in calls),
                 "scopes": Counter(c[2]["scope"] for c in calls if c[1] == "/v1/searches"),
                 "plates": sum("plate" in c[2] for c in calls if c[1] == "/v1/searches"),
                 "described": sorted({c[2]["scope"] for c in calls if c[1] == "/v1/searches" and "plate" not in c[2]})}
print(json.dumps(out))
"""


def test_an_officer_searches_with_its_types_scope_mix_and_a_federal_one_posts_no_requests() -> None:
    """An officer runs its own type's mix, as Locust runs it (tasks drawn from the user's task list). A token's type
    is the service's name (``local``, ``state``), the plan's mixes are keyed by the model's (``local_police``):
    local and state police drew the default ``local`` only before. Over plate and description searches together
    the scopes are the type's ``scope_mix``, description searches are local or shared (the Search tool's reach) and
    the plate share is max(lookup share, statewide + national share), as in the model (Flock's Lookup tool runs the
    statewide and national lookups, by full plate): before, a description search drawn national went statewide, so a
    federal unit's national share was 0.8 x 0.757 = 0.61, not 0.8. A federal unit's mix has no request actions (not
    eligible for Community Requests): before, its user drew post_request and sent nothing, so every plan's posts
    fell short by the federal users' share."""
    proc = subprocess.run([sys.executable, "-c", AGENCY_SCRIPT], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    from loadtest.plan import AGENCY_MIX
    from sim.config.behavior import Behavior

    searches = Behavior().searches
    mixes, lookup = searches.scope_mix, searches.lookup_share
    for kind, model in (("local", "local_police"), ("state", "state_police"), ("sheriff", "sheriff"), ("federal", "federal")):
        assert out[kind]["type"] == model
        drawn = out[kind]["scopes"]
        n = sum(drawn.values())
        assert n > 0.3 * 6000
        assert set(drawn) == {s for s, w in mixes[model].items() if w > 0}, (kind, drawn)
        total = sum(mixes[model].values())
        for scope, weight in mixes[model].items():  # within 4 standard errors of each share
            share = weight / total
            assert abs(drawn.get(scope, 0) / n - share) <= 4 * (share * (1 - share) / n) ** 0.5 + 1e-9, (kind, scope)
        plate = max(lookup, (mixes[model]["statewide"] + mixes[model]["national"]) / total)
        assert abs(out[kind]["plates"] / n - plate) <= 4 * (plate * (1 - plate) / n) ** 0.5, kind
        assert set(out[kind]["described"]) <= {"local", "shared"}, kind  # never the Lookup tool's scopes
        if kind == "federal":
            assert out[kind]["posts"] == 0
        else:  # the closed mix's share of posts
            share = AGENCY_MIX["post_request"] / sum(AGENCY_MIX.values())
            assert abs(out[kind]["posts"] / 6000 - share) <= 4 * (share * (1 - share) / 6000) ** 0.5, kind


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
    user.upload_hotlist()
for method, path, body in sent:
    if path == "/v1/hotlists":
        HotlistIn.model_validate(body)
print(json.dumps({"agency": user.agency_id, "sent": [[m, p] for m, p, _ in sent],
                  "tasks": sorted({f.__name__ for f in user.tasks}),
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
    assert "post_request" not in out["tasks"] and "upload_hotlist" in out["tasks"]  # its own mix: no requests
    assert out["states"] == ["SC"]  # the plates' state: that of the agencies in the tokens file


RULES = """
import json, random, sys
from collections import Counter
from locust.env import Environment
from loadtest.plan import closed_plan, user_behavior
from loadtest.traffic import scenario_plan
from loadtest.users import AgencyUser, CameraUser, apply_plan
from sim.config import load_scenario
from sim.config.policy import Policy
kinds = ["local"] * 60 + ["sheriff"] * 30 + ["state"] * 3 + ["federal"] * 7
tokens = {"admin": "a", "rules": {"reason_mode": "offense_type", "case_number_required": True, "routing": "none"},
          "agencies": {str(i): {"token": f"t{i}", "type": k, "state": "" if k == "federal" else "NC", "name": f"A{i}"}
                       for i, k in enumerate(kinds)},
          "residents": {"900": {"token": "r", "lat": 35.8, "lon": -78.6}},
          "cameras": {"5": {"token": "c", "agency": 4000, "state": "CA"}}}  # a private network's camera: no token
open(sys.argv[1], "w").write(json.dumps(tokens))
AgencyUser.host = CameraUser.host = "http://127.0.0.1:9"  # never called: `call` records instead
sent = []
AgencyUser.call = CameraUser.call = lambda self, method, path, token=None, body=None, **kw: sent.append([path, body])
# a plain `locust` run: the scenario format's defaults (free text, case numbers optional) against the tokens' service
env = Environment(user_classes=[AgencyUser, CameraUser])
apply_plan(env, closed_plan(1.0, behavior=user_behavior(platform=Policy(case_number_required=False))), sys.argv[1], 0)
pick = random.Random(2)
for _ in range(20):
    user = AgencyUser(env)
    user.on_start()
    for _ in range(100):
        pick.choice(user.tasks)(user)
camera = CameraUser(env)
camera.on_start()
camera.post_reads()
searches = [b for p, b in sent if p == "/v1/searches"]
reads = [b for p, b in sent if p == "/v1/alpr/reads"]
# a scenario plan: 40 officers drawn by the plan's type shares
plan = scenario_plan(load_scenario(sys.argv[2]), 1.0, 60.0)
env2 = Environment(user_classes=[AgencyUser])
apply_plan(env2, plan, sys.argv[1], 0)
types = []
for _ in range(40):
    user = AgencyUser(env2)
    user.on_start()
    types.append(user.agency_type)
print(json.dumps({"reasons": sorted({b["reason"] for b in searches}), "searches": len(searches),
                  "posts": sum(p == "/v1/requests" for p, _ in sent),
                  "with_case": sum("case_number" in b for b in searches),
                  "read_states": sorted({r["state"] for b in reads for r in b["reads"]}),
                  "shares": plan.actors["agency"].type_shares, "types": Counter(types)}))
"""


def test_users_follow_the_services_rules_and_the_plans_type_shares(tmp_path) -> None:
    """Three things the tokens file and the plan decide:
    - the rules of the service the tokens were minted for (``rules``): a plain `locust` (the scenario format's
      defaults, free text) against an offense-type service sent free-text reasons, ~12% of searches refused (422);
      now every reason is an offense type, and every search carries a case number where one is required; under
      `platform.routing: none` nobody posts a request (the closed mix posted ~9% of an officer's actions);
    - a private network's camera (no agency token) sends its own state's plates: it sent NC, the default;
    - officers are of each agency type in the plan's shares, to within about one user (Locust's uniform draw
      among tokens gave federal units their count share, not the share of the actions the model gives them)."""
    from sim.config.behavior_alpr import OFFENSE_TYPES

    proc = subprocess.run([sys.executable, "-c", RULES, str(tmp_path / "tokens.json"), str(SCENARIOS / "small.yaml")],
                          cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out["searches"] > 500 and set(out["reasons"]) <= OFFENSE_TYPES and "other" in out["reasons"]
    assert out["with_case"] == out["searches"]
    assert out["posts"] == 0  # the service routes no community requests (routing none): nobody posts
    assert out["read_states"] == ["CA"]
    for kind, share in out["shares"].items():
        assert abs(out["types"].get(kind, 0) - 40 * share) <= 1.5, (kind, out["types"], out["shares"])


POSTS = """
import json, sys
from collections import Counter
from dataclasses import replace
from locust.env import Environment
from loadtest.plan import closed_plan
from loadtest.users import AgencyUser, apply_plan
tokens = {"admin": "a", "rules": {"posts_per_case": 3},
          "agencies": {"1": {"token": "t1", "type": "local", "state": "NC", "name": "X PD"}},
          "residents": {"9": {"token": "r", "lat": 35.8, "lon": -78.6}}, "cameras": {"5": {"token": "c", "agency": 1}}}
open(sys.argv[1], "w").write(json.dumps(tokens))
plan = closed_plan(1.0)
plan.behavior = replace(plan.behavior, second_post_share=0.5)
env = Environment(user_classes=[AgencyUser])
AgencyUser.host = "http://127.0.0.1:9"
sent = []
AgencyUser.call = lambda self, method, path, token=None, body=None, **kw: sent.append(body) or {"id": len(sent)}
apply_plan(env, plan, sys.argv[1], 0)
user = AgencyUser(env)
user.on_start()
for _ in range(6000):
    user.post_request()
cases = Counter(b["case_number"] for b in sent)
centres = {c: {(round(b["location"]["lat"], 2), round(b["location"]["lon"], 2)) for b in sent if b["case_number"] == c}
           for c in list(cases)[:50]}
one_centre = all(len(v) == 1 for v in centres.values())
print(json.dumps({"posts": len(sent), "per_case": Counter(cases.values()), "one_centre": one_centre}))
"""


def test_a_case_is_posted_again_as_in_the_model(tmp_path) -> None:
    """The model posts a case again with chance behavior.requests.second_post_share after each post, up to
    policy.posts_per_case posts (the plans' post rates count them: x (1 + second_post_share)); the generator gave
    every post a new case number, so the service's per-case count never saw a second post. With share 0.5 and the
    tokens' rule of 3 posts: cases of 1, 2, 3 posts in shares 1/2, 1/4, 1/4, at one centre."""
    proc = subprocess.run([sys.executable, "-c", POSTS, str(tmp_path / "tokens.json")], cwd=ROOT,
                          capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    per_case = {int(k): v for k, v in out["per_case"].items()}
    assert out["posts"] == 6000 and set(per_case) == {1, 2, 3} and out["one_centre"]
    cases = sum(per_case.values())
    for posts, share in ((1, 0.5), (2, 0.25), (3, 0.25)):
        assert abs(per_case[posts] / cases - share) <= 4 * (share * (1 - share) / cases) ** 0.5, per_case


GRANTS = """
import json, sys
from locust.env import Environment
from loadtest.plan import closed_plan
from loadtest.users import AgencyUser, apply_plan
states = ["NC"] * 10 + ["SC"] * 40 + ["VA"] * 50
tokens = {"admin": "a", "agencies": {str(i): {"token": f"t{i}", "type": "local", "state": s, "name": f"A{i}"}
                                     for i, s in enumerate(states)},
          "residents": {"900": {"token": "r", "lat": 35.8, "lon": -78.6}}, "cameras": {"5": {"token": "c", "agency": 1}}}
open(sys.argv[1], "w").write(json.dumps(tokens))
env = Environment(user_classes=[AgencyUser])
AgencyUser.host = "http://127.0.0.1:9"
sent = []
AgencyUser.call = lambda self, method, path, token=None, body=None, **kw: sent.append(path) or {}
apply_plan(env, closed_plan(1.0), sys.argv[1], 0)
user = AgencyUser(env)
user.on_start()
while user.state != "NC":
    user.setup()
for _ in range(3000):
    user.change_sharing()
others = [p.rsplit("/", 1)[1] for p in sent]
print(json.dumps({"me": user.agency_id, "in_state": sum(states[int(o)] == "NC" for o in others) / len(others),
                  "self": others.count(user.agency_id), "n": len(others),
                  "share": user.behavior.grant_in_state_share}))
"""


def test_grants_go_in_state_as_often_as_the_models(tmp_path) -> None:
    """world.sharing.in_state_share (0.65: 65% of the 2024 lists' grants stay in the owner's state): an officer's
    grants went to any agency alike, so in a national world about 2% stayed in-state. Here 10 of 100 agencies share
    the officer's state: 65% of its grants go to one of them, never to itself."""
    proc = subprocess.run([sys.executable, "-c", GRANTS, str(tmp_path / "tokens.json")], cwd=ROOT,
                          capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    share, n = out["share"], out["n"]
    assert share == 0.65 and n == 3000 and out["self"] == 0
    assert abs(out["in_state"] - share) <= 4 * (share * (1 - share) / n) ** 0.5


PROXIES = """
import json, sys
from dataclasses import replace
from locust.env import Environment
from loadtest.plan import closed_plan
from loadtest.users import AgencyUser, apply_plan
tokens = {"admin": "a", "rules": {"reason_mode": "free_text"},
          "agencies": {"1": {"token": "t1", "type": "local", "state": "NC", "name": "X PD", "proxy_lookups": True},
                       "2": {"token": "t2", "type": "local", "state": "NC", "name": "Y PD", "proxy_lookups": False}},
          "residents": {"9": {"token": "r", "lat": 35.8, "lon": -78.6}}, "cameras": {"5": {"token": "c", "agency": 1}}}
open(sys.argv[1], "w").write(json.dumps(tokens))
plan = closed_plan(1.0)
b = plan.behavior  # as many proxy lookups as own searches, and no own search for immigration
plan.behavior = replace(b, proxy_30d=b.searches_30d["local_police"], search_reasons={"theft": 1.0})
env = Environment(user_classes=[AgencyUser])
AgencyUser.host = "http://127.0.0.1:9"
sent = []
AgencyUser.call = lambda self, method, path, token=None, body=None, **kw: sent.append(body) or {}
apply_plan(env, plan, sys.argv[1], 0)
out = {}
for agency in ("1", "2"):
    user = AgencyUser(env)
    user.on_start()
    while user.agency_id != agency:
        user.setup()
    sent.clear()
    for _ in range(3000):
        user.search_plate()
    proxies = [x for x in sent if x["reason"] == "immigration"]
    out[agency] = {"proxies": len(proxies), "national": sum(x["scope"] == "national" for x in proxies),
                   "split": user.behavior.search_split("local_police")}
print(json.dumps(out))
"""


def test_police_that_admit_federal_searchers_run_proxy_lookups(tmp_path) -> None:
    """The model's police agencies that do not refuse federal searchers run proxy lookups for federal units
    (national lookups by plate, immigration-tagged; Searches.proxy_mean_30d per agency), counted in the plans'
    search rates; the generator sent them as ordinary searches. Now an officer of such an agency (the tokens'
    proxy_lookups) makes a plate search a proxy lookup with the share they have of its plate searches; an agency
    that refuses federal searchers runs none."""
    proc = subprocess.run([sys.executable, "-c", PROXIES, str(tmp_path / "tokens.json")], cwd=ROOT,
                          capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    share = out["1"]["split"][1]
    assert 0.5 < share < 0.6  # 1 / (1 + lookup share 0.757)
    assert abs(out["1"]["proxies"] / 3000 - share) <= 4 * (share * (1 - share) / 3000) ** 0.5
    assert out["1"]["national"] == out["1"]["proxies"] and out["2"]["proxies"] == 0
