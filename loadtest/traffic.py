"""Traffic from a scenario: the platform's request rates per actor and action, scaled for a load test.

Rates are per second for the whole platform the scenario describes, then multiplied by `scale`
(`--scale 0.01` is 1% of it). From the scenario (`sim.config`):

- requests posted = sum over agency types of agencies x behavior.incidents.per_agency_per_day x
  request_share x (1 + requests.second_post_share) / 86,400; federal units post none under
  `platform.routing: axon` (they are not eligible for Community Requests, Consumer Reports 2025), and
  nobody posts under `routing: none`;
- submissions = requests x 14.5 households notified per request (Fort Lauderdale PD e-mails, Gizmodo 2019)
  x 3.5% submitting per notified household (Fort Lauderdale 2018), scaled by behavior.optin.base_rate
  relative to the baseline's 0.07 (which the scenario calibrates to that 3.5%);
- plate reads = world.alpr.total x reads per camera-day (raw or unique basis) / 86,400;
- searches = agencies x mean per-agency 30-day count (`Searches.mean_30d`: the zero-inflated lognormal) / 30 days,
  plus proxy lookups (non-federal agencies x `Searches.proxy_mean_30d`); split plate / vehicle by the lookup share of type_mix;
- alerts read = reads x hotlist_hit_share (assumption: each hit's alert is read once).

Assumptions (no source; docs/loadtest.md): every notified household opens the feed once; the requesting
agency checks packages once per submission and a request's status once; each agency uploads a hotlist,
reads its audit and has its transparency page viewed once a day, and changes a sharing grant once a month.

The plan gives each actor class a fixed number of users (`MAX_USERS`, and no more than there are tokens),
Poisson arrivals per user (cameras: batches at a fixed pace, open loop) and the class's 24-hour profile
(ALPR traffic for cameras, incidents for agencies and residents) played over a compressed day.
"""

from __future__ import annotations

import math

from loadtest.plan import BATCH_READS, ActorPlan, TrafficPlan, Wait, user_behavior
from sim.config import Scenario
from sim.config.policy import Policy

DAY_S = 86_400.0
NOTIFIED_PER_REQUEST = 14.5  # Fort Lauderdale PD: 22 requests -> 319 e-mails (Gizmodo, 2019)
SUBMIT_PER_NOTIFIED = 0.035  # Fort Lauderdale response rate (2018)
BASELINE_OPTIN = 0.07  # scenarios/baseline.yaml behavior.optin.base_rate, calibrated to the 3.5% above
MAX_USERS = {"camera": 64, "agency": 32, "resident": 32, "portal": 8}  # assumption: enough to pace, few to run
PER_USER_RPS = 2.0  # assumption: one simulated user paces at most about 2 requests/s
READS_PER_BATCH_MAX = 5000  # the service's limit per POST (loadtest/service/limits.py)


def agency_counts(s: Scenario) -> dict[str, int]:
    a = s.world.agencies
    return {"local_police": a.local_police, "sheriff": a.sheriff, "state_police": a.state_police, "federal": len(a.federal_units)}


def platform_rates(s: Scenario) -> dict[str, float]:
    """Platform-wide rates (per second) by action, before scaling."""
    counts = agency_counts(s)
    b = s.behavior
    posting = {t: n for t, n in counts.items() if not (t == "federal" and s.platform.routing == "axon")}
    if s.platform.routing == "none":
        posting = {}
    incidents = sum(n * b.incidents.per_agency_per_day.get(t, 0.0) for t, n in posting.items()) / DAY_S
    requests = incidents * b.incidents.request_share * (1.0 + b.requests.second_post_share)
    submissions = requests * NOTIFIED_PER_REQUEST * SUBMIT_PER_NOTIFIED * (b.optin.base_rate / BASELINE_OPTIN)
    per_day = b.alpr.reads_per_camera_day if b.alpr.reads_basis == "raw" else b.alpr.unique_vehicles_per_camera_day
    reads = s.world.alpr.total * per_day / DAY_S
    searches = sum(n * b.searches.mean_30d(t) for t, n in counts.items() if t != "federal")
    units = b.searches.federal_units
    searches += sum(units[u].per_30d if u in units else b.searches.mean_30d("federal") for u in s.world.agencies.federal_units)
    local = sum(n for t, n in counts.items() if t != "federal")
    searches = (searches + local * b.searches.proxy_mean_30d()) / (30 * DAY_S)
    agencies = sum(counts.values())
    return {
        "post_request": requests,
        "check_request": requests,
        "submit_clips": submissions,
        "read_feed": requests * NOTIFIED_PER_REQUEST,
        "check_packages": submissions,
        "reads": reads,
        "search_plate": searches * b.searches.lookup_share,
        "search_vehicle": searches * (1.0 - b.searches.lookup_share),
        "read_alerts": reads * b.alpr.hotlist_hit_share,
        "upload_hotlist": agencies / DAY_S,
        "read_audit": agencies / DAY_S,
        "view_transparency": agencies / DAY_S,
        "change_sharing": agencies / (30 * DAY_S),
    }


def _users(actor: str, rate: float, tokens: int | None) -> int:
    cap = MAX_USERS[actor] if tokens is None else max(1, min(MAX_USERS[actor], tokens))
    return max(1, min(cap, math.ceil(rate / PER_USER_RPS)))


def camera_pacing(reads_per_s: float, tokens: int | None) -> tuple[int, int, float]:
    """(users, reads per batch, seconds between batches) so users x batch / interval = reads_per_s."""
    cap = MAX_USERS["camera"] if tokens is None else max(1, min(MAX_USERS["camera"], tokens))
    users = max(1, min(cap, math.ceil(reads_per_s / BATCH_READS)))
    per_user = reads_per_s / users
    batch = min(READS_PER_BATCH_MAX, max(1, round(per_user)))
    return users, batch, batch / per_user


def scenario_plan(
    s: Scenario, scale: float, run_time_s: float, tokens: dict[str, int] | None = None, platform: Policy | None = None
) -> TrafficPlan:
    """The scenario's traffic at `scale`, with one compressed day over `run_time_s` seconds; its users follow
    `platform`'s rules (the policy the service was seeded with; default the scenario's: `user_behavior`)."""
    tokens = tokens or {}
    rates = {k: v * scale for k, v in platform_rates(s).items()}
    groups = {
        "agency": [
            "post_request",
            "check_request",
            "check_packages",
            "search_plate",
            "search_vehicle",
            "read_alerts",
            "upload_hotlist",
            "read_audit",
            "change_sharing",
        ],
        "resident": ["read_feed", "submit_clips"],
        "portal": ["view_transparency"],
    }
    profiles = {
        "agency": s.behavior.incidents.hourly_profile,
        "resident": s.behavior.incidents.hourly_profile,
        "portal": None,
        "camera": s.behavior.alpr.hourly_profile,
    }
    actors: dict[str, ActorPlan] = {}
    for actor, actions in groups.items():
        total = sum(rates[a] for a in actions)
        if total <= 0:
            continue
        users = _users(actor, total, tokens.get(actor))
        actors[actor] = ActorPlan(
            Wait("poisson", total / users),
            {a: rates[a] for a in actions if rates[a] > 0},
            fixed_count=users,
            profile=profiles[actor],
        )
    batch = BATCH_READS
    if rates["reads"] > 0:
        users, batch, interval = camera_pacing(rates["reads"], tokens.get("camera"))
        actors["camera"] = ActorPlan(Wait("pacing", interval), {"post_reads": 1.0}, fixed_count=users, profile=profiles["camera"])
    offered = {k: v for k, v in rates.items() if k != "reads"} | {"post_reads": rates["reads"] / batch, "reads": rates["reads"]}
    notes = [
        f"{action}: {rate * run_time_s:.3g} expected in the run; raise --scale or --run-time to exercise it"
        for action, rate in sorted(offered.items())
        if 0 < rate * run_time_s < 1
    ]
    return TrafficPlan(
        "scenario", actors, user_behavior(s, platform), batch_reads=batch, day_s=run_time_s, seed=s.run.seed,
        offered_per_s=offered, notes=notes,
    )
