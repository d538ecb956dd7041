"""The traffic plan: how many users of each actor class, how they pace themselves and what they do.

A plan is a small JSON file written by `fedsim loadtest` (or by hand) and read by the locustfile
(`--traffic FILE` or env ``FEDSIM_TRAFFIC``). Without one the locustfile runs `closed_plan()`: a
closed-loop mix with think times, Locust's usual model. Modes:

- ``closed``: users of each class in proportion to `weight`, each waiting `between` min and max seconds.
- ``rate``: a fixed number of users per class, each class held at a total rate split evenly over its users
  (constant throughput per user), e.g. the soak at 80% of what each class made at capacity.
- ``open``: an open model (`open_plan`): every user of the closed mix keeps Poisson arrivals at
  `PER_USER_RPS` whatever the server does, so the offered rate is users x that rate (`--arrival-rate`, and
  the capacity search, whose shape steps the users; its settings are the plan's `capacity`).
- ``scenario``: rates derived from a scenario (`loadtest.traffic`): a fixed number of users per class,
  Poisson arrivals per user (cameras: a fixed pace, open loop), action mix in proportion to the
  scenario's rates, and each class's rate multiplied by its 24-hour profile (mean 1) as the compressed
  day (`day_s` seconds long) plays.

Actions are method names of the user classes in `loadtest.users` (each a Locust ``@task``; the plan's
weights become each class's weighted ``tasks``). What a user does inside an action (how often a search
carries a case number, its reason, scope and look-back, a request's area and window, clips per submission
and their length) is the plan's `UserBehavior`, read from the scenario's ``behavior`` section
(`user_behavior`; the scenario format's defaults when no scenario is given). Rates are per second; sizes
in bytes; durations in seconds. The action mix and class weights of `closed_plan` are assumptions
(docs/loadtest.md).
"""

from __future__ import annotations

import json
import math
from dataclasses import MISSING, asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from loadtest.user_behavior import UserBehavior, user_behavior
from sim.config.base import AGENCY_TYPES

WaitKind = Literal["between", "pacing", "poisson", "throughput"]
ACTOR_CLASSES = {"agency": "AgencyUser", "resident": "ResidentUser", "camera": "CameraUser", "portal": "PortalVisitor"}

# Closed-loop mix (assumption): what an officer, a resident, a camera gateway and a portal visitor do, by weight.
AGENCY_MIX = {
    "search_plate": 8.0,
    "search_vehicle": 2.0,
    "read_alerts": 4.0,
    "check_packages": 3.0,
    "check_request": 2.0,
    "post_request": 2.0,
    "read_audit": 1.0,
    "upload_hotlist": 0.5,
    "change_sharing": 0.2,
}
# An agency's own Community Requests: posted only where the platform's routing takes them (`may_post`), so where it
# posts none it has none to check either.
REQUEST_ACTIONS = ("post_request", "check_request", "check_packages")
RESIDENT_MIX = {"read_feed": 5.0, "submit_clips": 1.0}
CLASS_WEIGHTS = {"camera": 2, "agency": 4, "resident": 3, "portal": 1}
BATCH_READS = 100  # reads per camera POST (assumption: a gateway uploading once a second)
USERS_LOG = "locust_users.jsonl"  # the locustfile's log of users per class (in --cpu-dir), read by the soak
CLIP_BYTES = 16 * 1024  # bytes per synthetic clip (assumption: small, so the test loads the API, not the disk)
# Open model: each user keeps Poisson arrivals at this rate (assumption: with one request in flight per user, a
# user can keep 2 req/s while answers take under 0.5 s, beyond any SLO worth searching for).
PER_USER_RPS = 2.0


@dataclass
class Wait:
    kind: WaitKind
    a: float  # between: min s; pacing: interval s; poisson and throughput: requests/s per user
    b: float = 0.0  # between: max s


@dataclass
class ActorPlan:
    wait: Wait
    actions: dict[str, float]  # the class's mix (the sum of `types`' where given)
    weight: int = 1
    fixed_count: int = 0  # 0: by weight
    profile: list[float] | None = None  # 24 hourly multipliers with mean 1
    # agencies: each agency type's own mix (model names, `sim.config.base.AGENCY_TYPES`), which an officer of that
    # type follows instead of `actions`; and, in a scenario plan, the share of the class's users of each type (the
    # type's share of the class's rate, so that every type's actions come at their planned rates); None: an
    # officer is of a tokens file's agency drawn uniformly
    types: dict[str, dict[str, float]] | None = None
    type_shares: dict[str, float] | None = None


@dataclass
class TrafficPlan:
    mode: Literal["closed", "rate", "open", "scenario"]
    actors: dict[str, ActorPlan]
    behavior: UserBehavior
    batch_reads: int = BATCH_READS
    clip_bytes: int = CLIP_BYTES
    day_s: float | None = None
    seed: int = 20251016
    offered_per_s: dict[str, float] = field(default_factory=dict)  # planned rate per action (scenario, rate)
    notes: list[str] = field(default_factory=list)
    capacity: dict[str, Any] | None = None  # the capacity search's settings (loadtest.capacity_shape)

    def users(self) -> int:
        return sum(a.fixed_count for a in self.actors.values())

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2)

    def write(self, path: str | Path) -> Path:
        p = Path(path)
        p.write_text(self.to_json())
        return p


def from_dict(data: dict[str, Any]) -> TrafficPlan:
    actors = {
        name: ActorPlan(wait=Wait(**a["wait"]), **{k: v for k, v in a.items() if k != "wait"})
        for name, a in data["actors"].items()
    }
    unknown = set(actors) - set(ACTOR_CLASSES)
    if unknown:
        raise ValueError(f"traffic plan: unknown actors {sorted(unknown)}; allowed {sorted(ACTOR_CLASSES)}")
    if "behavior" not in data:
        raise ValueError("traffic plan: no behavior section (what users do inside an action; loadtest.plan.UserBehavior)")
    b = data["behavior"]
    required = {k for k, f in UserBehavior.__dataclass_fields__.items() if f.default is MISSING and f.default_factory is MISSING}
    missing = sorted(required - set(b))
    if missing:
        raise ValueError(f"traffic plan: behavior lacks {missing} (a plan of an older fedsim: write it again)")
    pairs = ("request_area_sq_mi", "request_window_s", "clip_length_s")
    behavior = UserBehavior(**{k: tuple(v) if k in pairs else v for k, v in b.items()})
    rest = {k: v for k, v in data.items() if k not in ("actors", "behavior")}
    return TrafficPlan(**rest, actors=actors, behavior=behavior)


def read_plan(path: str | Path) -> TrafficPlan:
    return from_dict(json.loads(Path(path).read_text()))


def closed_plan(think_s: float = 1.0, batch_reads: int = BATCH_READS, behavior: UserBehavior | None = None) -> TrafficPlan:
    """Locust's usual closed loop: think `think_s` +- 50% between tasks (0: back to back); users behave as
    `behavior` says (default: the scenario format's defaults)."""
    behavior = behavior or user_behavior()
    wait = Wait("between", 0.5 * think_s, 1.5 * think_s)
    actors = {
        "camera": ActorPlan(Wait("pacing", think_s), {"post_reads": 1.0}, CLASS_WEIGHTS["camera"]),
        "agency": ActorPlan(wait, dict(AGENCY_MIX), CLASS_WEIGHTS["agency"], types=officer_mixes(behavior)),
        "resident": ActorPlan(wait, dict(RESIDENT_MIX), CLASS_WEIGHTS["resident"]),
        "portal": ActorPlan(wait, {"view_transparency": 1.0}, CLASS_WEIGHTS["portal"]),
    }
    return TrafficPlan("closed", actors, behavior, batch_reads=batch_reads)


def may_post(agency_type: str, routing: str) -> bool:
    """Whether an agency of `agency_type` may post community requests under ``platform.routing`` `routing`, as the
    model refuses posts (`sim.model.requests`) and the reference service does: on ``axon`` federal units are not
    eligible (Consumer Reports 2025), on ``flock`` every agency is, on ``none`` nobody posts."""
    return routing != "none" and not (agency_type == "federal" and routing == "axon")


def officer_mixes(behavior: UserBehavior) -> dict[str, dict[str, float]]:
    """The closed mix of an officer of each agency type: `AGENCY_MIX`, its searches split by plate and by
    description as the model's searches of that type are (`UserBehavior.search_split`: its proxy lookups
    included); a federal unit changes no sharing grant (in the model it owns no network and grants nobody:
    `sim.world.sharing` draws out-edges for police agencies only). The request actions stay in every mix: the run
    drops them where the service's routing takes no post from that type (`loadtest.run_state`, `may_post`)."""
    searches = AGENCY_MIX["search_plate"] + AGENCY_MIX["search_vehicle"]
    out = {}
    for t in AGENCY_TYPES:
        plate = behavior.search_split(t)[0]
        mix = dict(AGENCY_MIX, search_plate=searches * plate, search_vehicle=searches * (1.0 - plate))
        if t == "federal":
            mix.pop("change_sharing")
        out[t] = mix
    return out


def rate_plan(
    class_rates: dict[str, tuple[int, float]], batch_reads: int = BATCH_READS, behavior: UserBehavior | None = None
) -> TrafficPlan:
    """The closed mix with each actor class held at a rate: ``class_rates[actor] = (users, requests/s)``, each of
    its users keeping an equal share (e.g. a soak at 80% of what each class reached in a step run). Classes not
    named, or with no users or no rate, take no part."""
    unknown = set(class_rates) - set(ACTOR_CLASSES)
    if unknown:
        raise ValueError(f"rate plan: unknown actors {sorted(unknown)}; allowed {sorted(ACTOR_CLASSES)}")
    plan = closed_plan(1.0, batch_reads, behavior)
    for name, actor in plan.actors.items():
        users, rps = class_rates.get(name, (0, 0.0))
        if users <= 0 or rps <= 0:
            actor.weight, actor.fixed_count = 0, 0
            continue
        actor.fixed_count = users
        actor.wait = Wait("throughput", rps / users)
    if not plan.users():
        raise ValueError(f"rate plan: no class has users and a rate: {class_rates}")
    plan.mode = "rate"
    plan.offered_per_s = {name: rps for name, (users, rps) in class_rates.items() if users > 0 and rps > 0}
    return plan


def open_plan(
    rate_rps: float | None = None, per_user_rps: float = PER_USER_RPS, behavior: UserBehavior | None = None
) -> TrafficPlan:
    """The closed mix as an open model: every user keeps Poisson arrivals at `per_user_rps` (the pace does not
    slow when the server does). With `rate_rps`, a fixed number of users per class (by the class weights) whose
    arrivals add up to that rate; without, users by weight (the capacity search sets how many)."""
    if per_user_rps <= 0 or (rate_rps is not None and rate_rps <= 0):
        raise ValueError(f"open plan: rates must be > 0, got {rate_rps} req/s at {per_user_rps} per user")
    plan = closed_plan(1.0, behavior=behavior)
    plan.mode = "open"
    if rate_rps is None:
        for actor in plan.actors.values():
            actor.wait = Wait("poisson", per_user_rps)
        return plan
    users = max(1, math.ceil(rate_rps / per_user_rps))
    counts = split_by_weight(users, {a: p.weight for a, p in plan.actors.items()})
    for name, actor in plan.actors.items():
        actor.fixed_count, actor.weight = counts[name], 0
        actor.wait = Wait("poisson", rate_rps / users)
    plan.actors = {n: a for n, a in plan.actors.items() if a.fixed_count > 0}
    plan.offered_per_s = {"requests": rate_rps}
    return plan


def split_by_weight(total: int, weights: dict[str, int]) -> dict[str, int]:
    """`total` split in proportion to `weights` (largest remainders)."""
    wsum = sum(weights.values())
    exact = {k: total * w / wsum for k, w in weights.items()}
    counts = {k: int(v) for k, v in exact.items()}
    for k in sorted(exact, key=lambda k: exact[k] - counts[k], reverse=True)[: total - sum(counts.values())]:
        counts[k] += 1
    return counts


def profile_multiplier(profile: list[float] | None, hour: int) -> float:
    """The profile's weight at `hour` relative to its mean (1.0 without a profile)."""
    if not profile:
        return 1.0
    mean = sum(profile) / len(profile)
    return profile[hour % len(profile)] / mean if mean > 0 else 1.0
