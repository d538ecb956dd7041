"""The platform's users as Locust users: an officer, a resident, a camera gateway, a portal visitor.

Each user class reads as a story: its actions are ``@task`` methods, and the traffic plan's `actions` weigh
them (`apply_plan` sets each class's weighted ``tasks``, as a ``tasks = {method: weight}`` dict would);
`wait_time` paces them as the plan says (think times, a fixed pace, Poisson arrivals or a constant
throughput), multiplied by the class's hourly profile while a compressed scenario day plays (the hour is
set by the shape through a Locust message). What a user does inside an action (case numbers, reasons,
scopes, look-backs, request areas and windows, clips) is the plan's `UserBehavior`, read from the scenario and
filed under the rules of the service the tokens were minted for. An officer is of one agency: of a type drawn by
the plan's type shares when it has them (a scenario plan), and runs that type's own mix of actions (its instance's
``tasks``: a federal unit grants nobody, and posts no request where the service's routing is Axon's).
Every request is named by its route template so Locust groups it (``GET /v1/requests/{id}/packages``); a
non-2xx answer is a failure named ``HTTP <status>``.

Per-run state (the plan, the tokens, the hour, the homes of active residents, every user's pacer) is a
`loadtest.run_state.RunState` on Locust's `Environment` (``environment.fedsim``), set by the locustfile's init
listener; the classes hold only what Locust reads from classes (weight, fixed_count, tasks). Tokens come from the file
`fedsim serve --bootstrap` writes; randomness from a per-user numpy Generator seeded by (plan seed, worker,
user number); Locust picks each next task. Of the service it imports only names it shares (agency types, the
plate pool): the service is a separate process.
"""

from __future__ import annotations

import itertools
import time
import uuid
from typing import Any

import numpy as np
import orjson
from locust import FastHttpUser, task

from loadtest import payloads
from loadtest.pacing import Pacer
from loadtest.plan import ActorPlan, TrafficPlan
from loadtest.run_state import RunState, run_state, weighted_tasks
from loadtest.service.agency_types import MODEL_TYPES

# Assumption: half the requests are posted where this process's simulated residents live, so that feeds and
# submissions (and packaging) are exercised; the other half near any seeded household.
NEAR_ACTIVE_SHARE = 0.5
CLIPS_PER_SUBMISSION_MAX = 10  # the service's limit (loadtest/service/limits.py)
RECENT = 20  # requests an officer follows, requests a resident remembers from the feed
GRANTEE_DRAWS = 20  # draws for an agency other than oneself (in a state of one agency: none)
GOLDEN = (5**0.5 - 1) / 2  # the step of the officers' type sequence (a low-discrepancy Weyl sequence)


class PlatformUser(FastHttpUser):
    abstract = True
    actor = ""

    def on_start(self) -> None:
        self.run = run_state(self.environment)
        self.plan: ActorPlan = self.run.plan.actors[self.actor]
        self.behavior = self.run.behavior
        self.number = next(self.run.user_numbers)
        seq = np.random.SeedSequence(self.run.plan.seed, spawn_key=(int(self.run.worker), self.number))
        self.rng = np.random.Generator(np.random.PCG64(seq))
        self.tokens = self.run.tokens
        self.pacer = Pacer(self.plan.wait, self.plan.profile, self.rng, time.monotonic())
        self.run.pacers.append(self.pacer)
        self.setup()

    def setup(self) -> None:
        """Pick this user's identity (a token) from the tokens file."""

    def wait_time(self) -> float:
        return self.pacer.next_wait(time.monotonic(), self.run.hour)

    def call(
        self,
        method: str,
        path: str,
        token: str | None = None,
        body: Any = None,
        *,
        name: str | None = None,
        idempotent: bool = False,
    ) -> Any:
        """One request, grouped under `name` (the route template; default the path). On 2xx: the decoded JSON
        body, or ``{"bytes": n}`` for other content (a package archive); else None, the failure recorded as
        ``HTTP <status>``."""
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        if idempotent:
            headers["Idempotency-Key"] = uuid.uuid4().hex  # unique across runs on a kept database, too
        data = None
        if body is not None:
            data = orjson.dumps(body)  # several times faster than json for ALPR batches: less generator CPU
            headers["Content-Type"] = "application/json"
        with self.client.request(method, path, name=name or path, headers=headers, data=data, catch_response=True) as resp:
            if resp.status_code and 200 <= resp.status_code < 300:
                resp.success()
                if "json" not in (resp.headers.get("content-type") or ""):
                    return {"bytes": len(resp.content or b"")}
                try:
                    return orjson.loads(resp.content or b"")  # as strict as json, several times less generator CPU
                except (ValueError, TypeError):
                    resp.failure("invalid JSON in a 2xx answer")
                    return None
            resp.failure(f"HTTP {resp.status_code}" if resp.status_code else f"connection: {resp.error}")
            return None


class AgencyUser(PlatformUser):
    """An officer: posts community requests, checks packages, searches plates and vehicles, reads alerts."""

    actor = "agency"

    def setup(self) -> None:
        agencies = self.tokens["agencies"]
        self.agency_id = self._pick_agency()
        me = agencies[self.agency_id]
        self.token, self.state = me["token"], me.get("state", "NC")
        self.agency_type = MODEL_TYPES[me.get("type", "local")]  # the model's name: the plan's mixes use it
        self.unit = me.get("name") if self.agency_type == "federal" else None  # a federal unit's own reasons
        # a state whose platform rule bars national lookup (California, 2025): its officers search statewide
        self.may_run_national_lookup = bool(me.get("may_run_national_lookup", True))
        self.proxy_lookups = bool(me.get("proxy_lookups", False))  # runs proxy lookups for federal units
        tasks = self.run.type_tasks(type(self), self.agency_type)
        if tasks is not None:  # this officer's type's own mix (Locust reads `self.tasks`: the instance's wins)
            self.tasks = tasks
        # A federal unit has no state (""), but the plates on its hotlists do: those of the agencies' states (the
        # service refuses a plate without a valid state, 422).
        self.plate_state = self.state or next((a["state"] for a in agencies.values() if a.get("state")), "NC")
        self.my_requests: list[int] = []
        self.next_post: tuple[str, dict[str, Any], int] | None = None  # (case number, home, its posts so far)
        self.granted: set[str] = set()
        self.cases = itertools.count()

    def _pick_agency(self) -> str:
        """This officer's agency: of a type drawn by the plan's type shares, then uniformly among the tokens of that
        type; without type shares (or tokens of the type), uniformly among all. The types follow a golden-ratio
        sequence over the process's officers from a seeded start, so that any first n users hold each type's
        share to within about one user (a few dozen users draw a type of 3% once, not 0 to 3 times)."""
        ids = list(self.tokens["agencies"])
        shares = self.plan.type_shares
        if shares:
            u = (self.run.type_offset + next(self.run.officer_numbers) * GOLDEN) % 1.0
            cum = np.cumsum(list(shares.values())) / sum(shares.values())
            kind = list(shares)[min(int(np.searchsorted(cum, u, side="right")), len(cum) - 1)]
            ids = self.run.agencies_by_type.get(kind) or ids
        return ids[int(self.rng.integers(len(ids)))]

    def case_number(self) -> str:
        return f"LT-{self.run.run_token}-{self.run.worker}-{self.number}-{next(self.cases)}"

    @task
    def post_request(self) -> None:
        """A case's first post, or its next one: as in the model, after each post of a case another follows with
        chance behavior.requests.second_post_share, up to policy.posts_per_case posts (same centre, new area and
        window); this officer's next post is that one."""
        if self.next_post is not None:
            case, home, posts = self.next_post
        else:
            residents, active = self.tokens["residents"], self.run.active_homes
            if active and self.rng.random() < NEAR_ACTIVE_SHARE:
                home = residents[active[int(self.rng.integers(len(active)))]]
            else:
                home = residents[list(residents)[int(self.rng.integers(len(residents)))]]
            case, posts = self.case_number(), 0
        body = payloads.request(self.rng, case, float(home["lat"]), float(home["lon"]), self.behavior)
        out = self.call("POST", "/v1/requests", self.token, body, idempotent=True)
        if out and "id" in out:
            self.my_requests = (self.my_requests + [out["id"]])[-RECENT:]
        posts += 1
        again = self.rng.random() < self.behavior.second_post_share and posts < self.behavior.posts_per_case
        self.next_post = (case, home, posts) if again else None

    def _own_request(self) -> int | None:
        return self.my_requests[int(self.rng.integers(len(self.my_requests)))] if self.my_requests else None

    @task
    def check_request(self) -> None:
        rid = self._own_request()
        if rid is not None:
            self.call("GET", f"/v1/requests/{rid}", self.token, name="/v1/requests/{id}")

    @task
    def check_packages(self) -> None:
        rid = self._own_request()
        if rid is None:
            return
        out = self.call("GET", f"/v1/requests/{rid}/packages", self.token, name="/v1/requests/{id}/packages")
        if out and out.get("items"):
            pid = out["items"][-1]["id"]
            self.call("GET", f"/v1/packages/{pid}", self.token, name="/v1/packages/{id}")

    def _search(self, by_plate: bool) -> None:
        proxy = by_plate and self.proxy_lookups and self.rng.random() < self.behavior.proxy_given_allowed(self.agency_type)
        body = payloads.search(self.rng, by_plate, self.behavior, self.agency_type, self.case_number(), self.unit,
                               self.may_run_national_lookup, proxy)
        self.call("POST", "/v1/searches", self.token, body)

    @task
    def search_plate(self) -> None:
        self._search(True)

    @task
    def search_vehicle(self) -> None:
        self._search(False)

    @task
    def read_alerts(self) -> None:
        self.call("GET", "/v1/alerts", self.token)

    @task
    def read_audit(self) -> None:
        self.call("GET", "/v1/audit", self.token)

    @task
    def upload_hotlist(self) -> None:
        body = payloads.hotlist(self.rng, f"load test {next(self.cases)}", self.plate_state, self.behavior)
        self.call("POST", "/v1/hotlists", self.token, body, idempotent=True)

    @task
    def change_sharing(self) -> None:
        """Grant another agency 1:1 access to this agency's reads, or revoke the grant if it made it: the other is of
        this agency's state with chance world.sharing.in_state_share, as the model's grants are, else of another
        state (a federal unit among them)."""
        other = self._grantee()
        if other is None:
            return
        if other in self.granted:
            self.granted.discard(other)
            self.call("DELETE", f"/v1/sharing/{other}", self.token, name="/v1/sharing/{agency_id}")
        elif self.call("PUT", f"/v1/sharing/{other}", self.token, name="/v1/sharing/{agency_id}") is not None:
            self.granted.add(other)

    def _grantee(self) -> str | None:
        """Another agency: of this one's state with chance in_state_share (or when no other state has one), else of
        another; None when there is no other agency (draws bounded by `GRANTEE_DRAWS`)."""
        agencies = self.tokens["agencies"]
        home = self.run.agencies_by_state.get(self.state, []) if self.state else []
        if not home or self.rng.random() >= self.behavior.grant_in_state_share:
            ids = list(agencies)
            for _ in range(GRANTEE_DRAWS):
                other = ids[int(self.rng.integers(len(ids)))]
                if agencies[other].get("state") != self.state:
                    return other
        for _ in range(GRANTEE_DRAWS):
            other = home[int(self.rng.integers(len(home)))] if home else None
            if other != self.agency_id:
                return other
        return None


class ResidentUser(PlatformUser):
    """A Ring owner: reads the feed of requests covering home, sometimes submits clips to one."""

    actor = "resident"

    def setup(self) -> None:
        residents = self.tokens["residents"]
        self.household = list(residents)[int(self.rng.integers(len(residents)))]
        self.token = residents[self.household]["token"]
        self.seen: list[tuple[int, str, str]] = []  # (request id, window start, window end) from the feed
        self.run.active_homes.append(self.household)

    def on_stop(self) -> None:
        if self.household in self.run.active_homes:
            self.run.active_homes.remove(self.household)

    @task
    def read_feed(self) -> None:
        out = self.call("GET", "/v1/feed", self.token)
        if out and out.get("items"):
            self.seen = [(item["id"], item["window_start"], item["window_end"]) for item in out["items"]][-RECENT:]

    @task
    def submit_clips(self) -> None:
        if not self.seen:
            self.read_feed()
            return
        rid, w0, w1 = self.seen[int(self.rng.integers(len(self.seen)))]
        clips = payloads.clip_count(self.rng, self.behavior, CLIPS_PER_SUBMISSION_MAX)
        body = payloads.submission(self.rng, self.household, self.run.plan.clip_bytes, (w0, w1), self.behavior, clips)
        self.call(
            "POST", f"/v1/requests/{rid}/submissions", self.token, body, name="/v1/requests/{id}/submissions", idempotent=True
        )


class CameraUser(PlatformUser):
    """An ALPR camera gateway: uploads a batch of plate reads at a fixed pace, whatever the answers (open loop)."""

    actor = "camera"

    def setup(self) -> None:
        cameras = self.tokens["cameras"]
        me = cameras[list(cameras)[int(self.rng.integers(len(cameras)))]]
        self.token = me["token"]
        # the owner's state: an agency's, or a private network's (no agency token), which the camera's entry carries
        owner = self.tokens["agencies"].get(str(me.get("agency")), {})
        self.state = me.get("state") or owner.get("state") or "NC"

    @task
    def post_reads(self) -> None:
        n = self.run.plan.batch_reads
        body = payloads.reads(self.rng, n, self.state, self.run.behavior.misread_share)
        out = self.call("POST", "/v1/alpr/reads", self.token, body)
        if out is not None and out.get("accepted") != n:
            self.environment.events.request.fire(
                request_type="CHECK",
                name="accepted == sent",
                response_time=0,
                response_length=0,
                exception=AssertionError(f"accepted {out.get('accepted')} of {n} reads"),
                context={},
            )


class PortalVisitor(PlatformUser):
    """A member of the public reading agencies' transparency pages."""

    actor = "portal"

    @task
    def view_transparency(self) -> None:
        agencies = list(self.tokens["agencies"])
        aid = agencies[int(self.rng.integers(len(agencies)))]
        self.call("GET", f"/v1/transparency/{aid}", None, name="/v1/transparency/{agency_id}")


USER_CLASSES = {"agency": AgencyUser, "resident": ResidentUser, "camera": CameraUser, "portal": PortalVisitor}


def apply_plan(environment: Any, plan: TrafficPlan, tokens_path: str, worker: int) -> RunState:
    """Install a plan for this run: a `RunState` on the environment, and on each class what Locust reads from
    classes (weight, fixed count, the weighted tasks of the plan's action mix). Keeps the hour, active homes
    and pacers of a state already there (workers install again when the test starts)."""
    state = getattr(environment, "fedsim", None)
    if state is None:
        state = environment.fedsim = RunState(plan, tokens_path, worker)
    else:
        if state.tokens_path != tokens_path:
            state.__dict__.pop("tokens", None)  # the cached tokens of another file
        state.plan, state.tokens_path, state.worker = plan, tokens_path, worker
        for derived in ("behavior", "agencies_by_type", "agencies_by_state", "type_offset"):
            state.__dict__.pop(derived, None)
        state.type_task_lists.clear()
    for actor, cls in USER_CLASSES.items():
        spec = plan.actors.get(actor)
        cls.weight = spec.weight if spec else 0
        cls.fixed_count = spec.fixed_count if spec else 0
        if spec is not None:
            cls.tasks = weighted_tasks(cls, spec.actions)
    return state
