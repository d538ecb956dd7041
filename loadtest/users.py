"""The platform's users as Locust users: an officer, a resident, a camera gateway, a portal visitor.

Each user class reads as a story: its actions are methods, the traffic plan's `actions` weigh them,
and `wait_time` paces them as the plan says (think times, a fixed pace, Poisson arrivals or a constant
throughput), multiplied by the class's hourly profile while a compressed scenario day plays (`CLOCK` is
set by the shape through a Locust message). Every request is named by its route template so Locust groups
it (``GET /v1/requests/{id}/packages``); a non-2xx answer is a failure named ``HTTP <status>``.

Tokens come from the file `fedsim serve --bootstrap` writes; randomness from a per-user numpy Generator
seeded by (plan seed, worker, user number). Nothing here imports the service: it is a separate process.
"""

from __future__ import annotations

import bisect
import itertools
import json
import time
import uuid
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import orjson
from locust import FastHttpUser, task

from loadtest import payloads
from loadtest.pacing import Pacer
from loadtest.plan import ActorPlan, TrafficPlan, closed_plan

CLOCK = {"hour": 0}  # hour of the compressed scenario day, broadcast by the shape
STATE: dict[str, Any] = {"plan": closed_plan(), "tokens_path": "", "worker": 0}
# Assumption: half the requests are posted where this process's simulated residents live, so that feeds and
# submissions (and packaging) are exercised; the other half near any seeded household.
NEAR_ACTIVE_SHARE = 0.5
ACTIVE_HOMES: list[str] = []
PACERS: list[Pacer] = []  # every user's pacer in this process, for the backlog count at the end
_user_numbers = itertools.count()
RUN_TOKEN = uuid.uuid4().hex[:8]  # case numbers stay unique when several runs share a database


@cache
def load_tokens(path: str) -> dict[str, Any]:
    if not path:
        raise RuntimeError("no tokens file: pass --tokens FILE or set FEDSIM_TOKENS (written by fedsim serve --bootstrap)")
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    for key in ("agencies", "residents", "cameras"):
        if not data.get(key):
            raise RuntimeError(f"tokens file {path} has no {key}")
    return data


class PlatformUser(FastHttpUser):
    abstract = True
    actor = ""

    def on_start(self) -> None:
        plan: TrafficPlan = STATE["plan"]
        self.plan: ActorPlan = plan.actors[self.actor]
        self.number = next(_user_numbers)
        seq = np.random.SeedSequence(plan.seed, spawn_key=(int(STATE["worker"]), self.number))
        self.rng = np.random.Generator(np.random.PCG64(seq))
        self.tokens = load_tokens(STATE["tokens_path"])
        names = list(self.plan.actions)
        weights = np.asarray([self.plan.actions[n] for n in names], dtype=float)
        self._names = names
        self._cum = (np.cumsum(weights) / weights.sum()).tolist()  # bisected: Generator.choice(p=) costs ~30 us
        self.pacer = Pacer(self.plan.wait, self.plan.profile, self.rng, time.monotonic())
        PACERS.append(self.pacer)
        self.setup()

    def setup(self) -> None:
        """Pick this user's identity (a token) from the tokens file."""

    def wait_time(self) -> float:
        return self.pacer.next_wait(time.monotonic(), CLOCK["hour"])

    @task
    def act(self) -> None:
        i = min(bisect.bisect_right(self._cum, float(self.rng.random())), len(self._names) - 1)
        getattr(self, self._names[i])()

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
        self.agency_id = list(agencies)[int(self.rng.integers(len(agencies)))]
        me = agencies[self.agency_id]
        self.token, self.state = me["token"], me.get("state", "NC")
        self.my_requests: list[int] = []
        self.granted: set[str] = set()
        self.cases = itertools.count()

    def case_number(self) -> str:
        return f"LT-{RUN_TOKEN}-{STATE['worker']}-{self.number}-{next(self.cases)}"

    def post_request(self) -> None:
        residents = self.tokens["residents"]
        if ACTIVE_HOMES and self.rng.random() < NEAR_ACTIVE_SHARE:
            home = residents[ACTIVE_HOMES[int(self.rng.integers(len(ACTIVE_HOMES)))]]
        else:
            home = residents[list(residents)[int(self.rng.integers(len(residents)))]]
        body = payloads.request(self.rng, self.case_number(), float(home["lat"]), float(home["lon"]))
        out = self.call("POST", "/v1/requests", self.token, body, idempotent=True)
        if out and "id" in out:
            self.my_requests = (self.my_requests + [out["id"]])[-20:]

    def _own_request(self) -> int | None:
        return self.my_requests[int(self.rng.integers(len(self.my_requests)))] if self.my_requests else None

    def check_request(self) -> None:
        rid = self._own_request()
        if rid is not None:
            self.call("GET", f"/v1/requests/{rid}", self.token, name="/v1/requests/{id}")

    def check_packages(self) -> None:
        rid = self._own_request()
        if rid is None:
            return
        out = self.call("GET", f"/v1/requests/{rid}/packages", self.token, name="/v1/requests/{id}/packages")
        if out and out.get("items"):
            pid = out["items"][-1]["id"]
            self.call("GET", f"/v1/packages/{pid}", self.token, name="/v1/packages/{id}")

    def _search(self, by_plate: bool) -> None:
        case = self.case_number() if self.rng.random() < 0.6 else None  # behavior.searches.case_number_share
        self.call("POST", "/v1/searches", self.token, payloads.search(self.rng, by_plate, case))

    def search_plate(self) -> None:
        self._search(True)

    def search_vehicle(self) -> None:
        self._search(False)

    def read_alerts(self) -> None:
        self.call("GET", "/v1/alerts", self.token)

    def read_audit(self) -> None:
        self.call("GET", "/v1/audit", self.token)

    def upload_hotlist(self) -> None:
        body = payloads.hotlist(self.rng, f"load test {next(self.cases)}", self.state)
        self.call("POST", "/v1/hotlists", self.token, body, idempotent=True)

    def change_sharing(self) -> None:
        others = [a for a in self.tokens["agencies"] if a != self.agency_id]
        if not others:
            return
        other = others[int(self.rng.integers(len(others)))]
        if other in self.granted:
            self.granted.discard(other)
            self.call("DELETE", f"/v1/sharing/{other}", self.token, name="/v1/sharing/{agency_id}")
        elif self.call("PUT", f"/v1/sharing/{other}", self.token, name="/v1/sharing/{agency_id}") is not None:
            self.granted.add(other)


class ResidentUser(PlatformUser):
    """A Ring owner: reads the feed of requests covering home, sometimes submits clips to one."""

    actor = "resident"

    def setup(self) -> None:
        residents = self.tokens["residents"]
        self.household = list(residents)[int(self.rng.integers(len(residents)))]
        self.token = residents[self.household]["token"]
        self.seen: list[tuple[int, str, str]] = []  # (request id, window start, window end) from the feed
        ACTIVE_HOMES.append(self.household)

    def on_stop(self) -> None:
        if self.household in ACTIVE_HOMES:
            ACTIVE_HOMES.remove(self.household)

    def read_feed(self) -> None:
        out = self.call("GET", "/v1/feed", self.token)
        if out and out.get("items"):
            self.seen = [(item["id"], item["window_start"], item["window_end"]) for item in out["items"]][-20:]

    def submit_clips(self) -> None:
        if not self.seen:
            self.read_feed()
            return
        rid, w0, w1 = self.seen[int(self.rng.integers(len(self.seen)))]
        clips = 1 + int(self.rng.poisson(1.0))  # behavior.clips.extra_clips_mean
        body = payloads.submission(self.rng, self.household, STATE["plan"].clip_bytes, (w0, w1), min(clips, 10))
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
        owner = self.tokens["agencies"].get(str(me.get("agency")), {})
        self.state = owner.get("state", "NC")

    def post_reads(self) -> None:
        n = STATE["plan"].batch_reads
        out = self.call("POST", "/v1/alpr/reads", self.token, payloads.reads(self.rng, n, self.state))
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

    def view_transparency(self) -> None:
        agencies = list(self.tokens["agencies"])
        aid = agencies[int(self.rng.integers(len(agencies)))]
        self.call("GET", f"/v1/transparency/{aid}", None, name="/v1/transparency/{agency_id}")


USER_CLASSES = {"agency": AgencyUser, "resident": ResidentUser, "camera": CameraUser, "portal": PortalVisitor}


def apply_plan(plan: TrafficPlan, tokens_path: str, worker: int) -> None:
    """Install a plan in this process: class weights and fixed counts, and the users' pacing and mix."""
    STATE.update(plan=plan, tokens_path=tokens_path, worker=worker)
    for actor, cls in USER_CLASSES.items():
        spec = plan.actors.get(actor)
        cls.weight = spec.weight if spec else 0
        cls.fixed_count = spec.fixed_count if spec else 0
