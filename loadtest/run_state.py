"""One Locust process's state for one run (`RunState`, on Locust's Environment as ``environment.fedsim``), and the
weighted task lists Locust draws a user's next action from (`weighted_tasks`).

The state holds the plan, the tokens file (read once; an older file's agency key ``national_lookup`` is read as
``may_run_national_lookup``) and what follows from them: the behaviour under the service's
rules (the tokens file's ``rules``), the agencies by type and by state, the officers' task lists by agency type, and
the run's moving parts (the hour of a compressed day, the homes of active residents, every user's pacer). The user
classes (`loadtest.users`) hold only what Locust reads from classes.
"""

from __future__ import annotations

import itertools
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from loadtest.pacing import Pacer
from loadtest.plan import REQUEST_ACTIONS, TrafficPlan, UserBehavior, may_post
from loadtest.service.agency_types import MODEL_TYPES

TASK_SLOTS = 10_000  # entries of a class's weighted task list: a share is kept to within 1/20,000


@dataclass
class RunState:
    """One Locust process's state for one run, kept on the Environment (``environment.fedsim``)."""

    plan: TrafficPlan
    tokens_path: str
    worker: int = 0
    hour: int = 0  # hour of the compressed scenario day, broadcast by the shape
    active_homes: list[str] = field(default_factory=list)  # households of this process's running residents
    pacers: list[Pacer] = field(default_factory=list)  # every user's pacer, for the backlog count at the end
    user_numbers: Any = field(default_factory=itertools.count)
    officer_numbers: Any = field(default_factory=itertools.count)  # the officers' own count: their type sequence
    run_token: str = field(default_factory=lambda: uuid.uuid4().hex[:8])  # unique case numbers on a shared database
    cpu_at_start: float | None = None  # this process's CPU seconds when the test started
    type_task_lists: dict[str, list[Callable[..., Any]]] = field(default_factory=dict)  # officers' tasks, by type

    @cached_property
    def behavior(self) -> UserBehavior:
        """The plan's behaviour under the rules of the service the tokens were minted for (the tokens file's ``rules``,
        written when its database was seeded): a plain `locust` run, or a plan made for another world, sends what
        that service takes (case numbers, offense types)."""
        return self.plan.behavior.under(self.tokens.get("rules"))

    @cached_property
    def agencies_by_type(self) -> dict[str, list[str]]:
        """The tokens file's agency ids by type (model names), in file order."""
        out: dict[str, list[str]] = {}
        for aid, a in self.tokens["agencies"].items():
            out.setdefault(MODEL_TYPES[a.get("type", "local")], []).append(aid)
        return out

    @cached_property
    def agencies_by_state(self) -> dict[str, list[str]]:
        """The tokens file's agency ids by state ("" for federal units), in file order."""
        out: dict[str, list[str]] = {}
        for aid, a in self.tokens["agencies"].items():
            out.setdefault(a.get("state", ""), []).append(aid)
        return out

    @cached_property
    def type_offset(self) -> float:
        """Where this process's sequence of officer types starts (from the plan's seed and the worker)."""
        return float(np.random.default_rng([self.plan.seed, int(self.worker)]).random())

    def type_tasks(self, cls: type, agency_type: str) -> list[Callable[..., Any]] | None:
        """The weighted task list of an officer of `agency_type`: the plan's mix of that type, without the request
        actions where the service's routing takes no post from that type (`may_post`); None: the class's."""
        mixes = self.plan.actors[cls.actor].types or {}  # type: ignore[attr-defined]
        if agency_type not in mixes:
            return None
        if agency_type not in self.type_task_lists:
            mix = mixes[agency_type]
            if not may_post(agency_type, self.behavior.routing):
                mix = {a: w for a, w in mix.items() if a not in REQUEST_ACTIONS}
            self.type_task_lists[agency_type] = weighted_tasks(cls, mix)
        return self.type_task_lists[agency_type]

    @cached_property
    def tokens(self) -> dict[str, Any]:
        if not self.tokens_path:
            raise RuntimeError("no tokens file: pass --tokens FILE or set FEDSIM_TOKENS (written by fedsim serve --bootstrap)")
        data = json.loads(Path(self.tokens_path).read_text(encoding="utf-8"))
        for key in ("agencies", "residents", "cameras"):
            if not data.get(key):
                raise RuntimeError(f"tokens file {self.tokens_path} has no {key}")
        for agency in data["agencies"].values():
            if isinstance(agency, dict):
                legacy_may_run_national_lookup(agency)
        return data


def legacy_may_run_national_lookup(agency: dict[str, Any]) -> None:
    """A tokens file written before the key was renamed (its database may be kept and still served) gave an
    agency's leave to run national lookups as ``national_lookup``, the transparency page's name for a network open
    to lookups: read it as ``may_run_national_lookup``, which the file now holds, so the old file sends the same."""
    if "may_run_national_lookup" not in agency and "national_lookup" in agency:
        agency["may_run_national_lookup"] = agency.pop("national_lookup")


def run_state(environment: Any) -> RunState:
    state = getattr(environment, "fedsim", None)
    if state is None:
        raise RuntimeError("no fedsim run state on the Locust environment: run through loadtest/locustfile.py")
    return state


def weighted_tasks(cls: type, actions: dict[str, float]) -> list[Callable[..., Any]]:
    """Locust's weighted task list for `actions` (method name -> weight): each method repeated in proportion to
    its weight over `TASK_SLOTS` entries (largest remainders; every action with weight > 0 gets one at least)."""
    names = [n for n, w in actions.items() if w > 0]
    methods = {n: getattr(cls, n, None) for n in names}
    bad = [n for n, m in methods.items() if m is None or not hasattr(m, "locust_task_weight")]
    if bad:
        raise ValueError(f"traffic plan: {cls.__name__} has no task {bad}; its tasks are {sorted(task_names(cls))}")
    total = sum(actions[n] for n in names)
    exact = {n: actions[n] / total * TASK_SLOTS for n in names}
    slots = {n: max(1, int(exact[n])) for n in names}
    spare = TASK_SLOTS - sum(slots.values())
    for n in sorted(names, key=lambda n: exact[n] - int(exact[n]), reverse=True)[: max(spare, 0)]:
        slots[n] += 1
    return [methods[n] for n in names for _ in range(slots[n])]


def task_names(cls: type) -> set[str]:
    return {n for n in dir(cls) if hasattr(getattr(cls, n, None), "locust_task_weight")}
