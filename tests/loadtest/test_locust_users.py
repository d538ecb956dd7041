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
