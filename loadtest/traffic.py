"""Traffic from a scenario: the platform's request rates per actor and action, scaled for a load test.

Rates are per second for the whole platform the scenario describes, then multiplied by `scale`
(`--scale 0.01` is 1% of it). From the scenario (`sim.config`):

- requests posted = sum over agency types of agencies x behavior.incidents.per_agency_per_day x
  request_share x posts per case (1 + s + ... + s^(c-1) for s = requests.second_post_share and c =
  policy.posts_per_case: each post followed by another with chance s, at most c) / 86,400; federal units post none under
  `platform.routing: axon` (they are not eligible for Community Requests, Consumer Reports 2025), and
  nobody posts under `routing: none` (`loadtest.plan.may_post`; posts the seeded service's routing refuses are
  left out of the plan with a note);
- submissions = requests x 14.5 households notified per request (Fort Lauderdale PD e-mails, Gizmodo 2019)
  x 3.5% submitting per notified household (Fort Lauderdale 2018), scaled by behavior.optin.base_rate
  relative to the baseline's 0.07 (which the scenario calibrates to that 3.5%);
- plate reads = world.alpr.total x reads per camera-day (raw or unique basis) / 86,400;
- searches = agencies x mean per-agency 30-day count (`Searches.mean_30d`: the zero-inflated lognormal) / 30 days,
  plus proxy lookups (the agencies free to proxy x `Searches.proxy_mean_30d`: a type's agencies x the share of them
  whose token allows proxying, `PolicyEffects.proxy_refused` as the seeded service's tokens file says; all without
  a tokens file), federal units at their own rates; each
  type's split plate / description as the model's (`UserBehavior.search_split`: of its own searches max(lookup
  share of type_mix, the type's statewide + national share), since those are Flock's Lookup tool, by full plate,
  and its proxy lookups, by plate too);
- alerts read = reads x hotlist_hit_share (assumption: each hit's alert is read once, by agencies alike).

Every officer's action is planned per agency type (`agency_rates`): the plan's agency users are of each type in
proportion to the type's share of the class's rate, each with its type's own mix (a federal unit posts no
request on Axon's route and searches at its units' rates), so that each type's actions come at the model's rates.

Assumptions (no source; docs/loadtest.md): every notified household opens the feed once; the requesting
agency checks packages once per submission and a request's status once; each agency uploads a hotlist,
reads its audit and has its transparency page viewed once a day, and changes a sharing grant once a month.

The plan gives each actor class a fixed number of users (`MAX_USERS`, and no more than there are tokens),
Poisson arrivals per user (cameras: batches at a fixed pace, open loop) and the class's 24-hour profile played over
a compressed day: ALPR traffic for cameras, incidents for residents, and for officers their actions' profiles
weighted by the actions' rates (`action_profile`: alerts follow the reads, searches ``searches.hourly_profile``).

The compressed day is an average day of the week unless `weekday` names one (``--weekday``, `WEEKDAYS`): searches
then come at that day's weight of ``searches.weekly_profile`` and requests (incidents) at that of
``incidents.weekly_profile``, each relative to its profile's mean, as the model's day of week does (`day_factors`;
at the baseline Wednesday's searches are 1.48 times an average day's, the week's busiest). Reads, alerts,
hotlists, audits, sharing changes and portal views keep no weekly profile in the model and stay as they are.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any

from loadtest.plan import BATCH_READS, REQUEST_ACTIONS, ActorPlan, TrafficPlan, Wait, may_post, user_behavior
from loadtest.service.agency_types import MODEL_TYPES
from sim.config import Scenario
from sim.config.base import WEEKDAYS  # the weekly profiles' order (day 0 of a run: Monday)
from sim.config.policy import Policy

DAY_S = 86_400.0
NOTIFIED_PER_REQUEST = 14.5  # Fort Lauderdale PD: 22 requests -> 319 e-mails (Gizmodo, 2019)
SUBMIT_PER_NOTIFIED = 0.035  # Fort Lauderdale response rate (2018)
BASELINE_OPTIN = 0.07  # scenarios/baseline.yaml behavior.optin.base_rate, calibrated to the 3.5% above
MAX_USERS = {"camera": 64, "agency": 32, "resident": 32, "portal": 8}  # assumption: enough to pace, few to run
PER_USER_RPS = 2.0  # assumption: one simulated user paces at most about 2 requests/s
READS_PER_BATCH_MAX = 5000  # the service's limit per POST (loadtest/service/limits.py)


def day_factors(s: Scenario, weekday: str | None) -> tuple[float, float]:
    """(incidents, searches) on `weekday` relative to an average day: each weekly profile's weight that day over
    its mean, as the model normalises them; (1, 1) for no day."""
    if weekday is None:
        return 1.0, 1.0
    if weekday not in WEEKDAYS:
        raise ValueError(f"weekday {weekday!r}: use one of {', '.join(WEEKDAYS)}")
    d = WEEKDAYS.index(weekday)

    def on_day(profile: list[float]) -> float:
        return profile[d] / (sum(profile) / len(profile))

    return on_day(s.behavior.incidents.weekly_profile), on_day(s.behavior.searches.weekly_profile)


def proxy_shares(agencies: dict[str, Any]) -> dict[str, float]:
    """The share of each agency type's agencies (model names) free to proxy, from a tokens file's ``agencies``
    (``proxy_lookups``: `PolicyEffects.proxy_refused` of the seeded world, as the model decides who proxies)."""
    counts: dict[str, list[int]] = {}
    for a in agencies.values():
        c = counts.setdefault(MODEL_TYPES[a.get("type", "local")], [0, 0])
        c[0] += bool(a.get("proxy_lookups", False))
        c[1] += 1
    return {t: k / n for t, (k, n) in counts.items()}


def agency_counts(s: Scenario) -> dict[str, int]:
    a = s.world.agencies
    return {"local_police": a.local_police, "sheriff": a.sheriff, "state_police": a.state_police, "federal": len(a.federal_units)}


AGENCY_ACTIONS = ("post_request", "check_request", "check_packages", "search_plate", "search_vehicle", "read_alerts",
                  "upload_hotlist", "read_audit", "change_sharing")


def agency_rates(
    s: Scenario, weekday: str | None = None, proxy_allowed: dict[str, float] | None = None
) -> dict[str, dict[str, float]]:
    """Platform-wide rates (per second, before scaling) of the officers' actions, by agency type (model names), on
    an average day or on `weekday` (`day_factors`); a type's proxy lookups only for its share `proxy_allowed` of
    agencies free to proxy (`proxy_shares`; a type not given: all).
    A type's searches split by plate and by description as the model's searches of that type do
    (`UserBehavior.search_split`: a national lookup is by full plate, a proxy lookup too); alerts are read by
    agencies alike."""
    counts = agency_counts(s)
    b = s.behavior
    behavior = replace(user_behavior(s), proxy_allowed=dict(proxy_allowed or {}))
    split = behavior.search_split
    units = b.searches.federal_units
    reads = platform_reads(s)
    agencies = sum(counts.values())
    on_incidents, on_searches = day_factors(s, weekday)
    out: dict[str, dict[str, float]] = {}
    for t, n in counts.items():
        posts = may_post(t, s.platform.routing)
        incidents = n * b.incidents.per_agency_per_day.get(t, 0.0) * on_incidents / DAY_S if posts else 0.0
        requests = incidents * b.incidents.request_share * posts_per_case(s)
        if t == "federal":
            per_30d = sum(units[u].per_30d if u in units else b.searches.mean_30d(t) for u in s.world.agencies.federal_units)
        else:  # with the proxy lookups its agencies run for federal units
            per_30d = n * (b.searches.mean_30d(t) + behavior.proxy_free_share(t) * b.searches.proxy_mean_30d())
        searches = per_30d * on_searches / (30 * DAY_S)
        out[t] = {
            "post_request": requests,
            "check_request": requests,
            "check_packages": submissions(s, requests),
            "search_plate": searches * split(t)[0],
            "search_vehicle": searches * (1.0 - split(t)[0]),
            "read_alerts": reads * b.alpr.hotlist_hit_share * n / agencies,
            "upload_hotlist": n / DAY_S,
            "read_audit": n / DAY_S,
            "change_sharing": n / (30 * DAY_S) if t != "federal" else 0.0,  # a federal unit grants nobody
        }
    return out


def posts_per_case(s: Scenario) -> float:
    """Expected posts per case, as the model draws them: after each post another with chance
    behavior.requests.second_post_share, at most policy.posts_per_case in all (1 + s + ... + s^(c-1))."""
    share = s.behavior.requests.second_post_share
    return sum(share**k for k in range(s.policy.posts_per_case))


def submissions(s: Scenario, requests: float) -> float:
    """Submissions per second to `requests` requests per second."""
    return requests * NOTIFIED_PER_REQUEST * SUBMIT_PER_NOTIFIED * (s.behavior.optin.base_rate / BASELINE_OPTIN)


def platform_reads(s: Scenario) -> float:
    a = s.behavior.alpr
    return s.world.alpr.total * (a.reads_per_camera_day if a.reads_basis == "raw" else a.unique_vehicles_per_camera_day) / DAY_S


def platform_rates(
    s: Scenario, weekday: str | None = None, proxy_allowed: dict[str, float] | None = None
) -> dict[str, float]:
    """Platform-wide rates (per second) by action, before scaling, on an average day or on `weekday`."""
    by_type = agency_rates(s, weekday, proxy_allowed)
    rates = {a: sum(r[a] for r in by_type.values()) for a in AGENCY_ACTIONS}
    requests = rates["post_request"]
    return rates | {
        "submit_clips": submissions(s, requests),
        "read_feed": requests * NOTIFIED_PER_REQUEST,
        "reads": platform_reads(s),
        "view_transparency": sum(agency_counts(s).values()) / DAY_S,
    }


def action_profile(s: Scenario, action: str) -> list[float]:
    """The 24-hour profile an officer's action follows in the model: searches ``searches.hourly_profile``, alerts
    the reads' (``alpr.hourly_profile``: a hit comes with a read); the rest the incidents' (requests follow
    incidents; hotlists, audits and sharing changes: an officer's working day, assumption)."""
    b = s.behavior
    if action in ("search_plate", "search_vehicle"):
        return b.searches.hourly_profile
    if action == "read_alerts":
        return b.alpr.hourly_profile
    return b.incidents.hourly_profile


def blend(profiles: dict[str, list[float]], rates: dict[str, float]) -> list[float]:
    """One class's 24-hour profile (mean 1) from its actions' profiles (each taken relative to its mean), weighted by
    the actions' rates: the class's rate at each hour is then the sum of its actions' rates at that hour (its users
    pace one rate for all their actions; the mix of actions stays the day's)."""
    total = sum(rates.values())
    out = [0.0] * 24 if total > 0 else [1.0] * 24  # no actions: flat (the class then takes no part)
    for action, rate in rates.items():
        if rate <= 0:
            continue
        p = profiles[action]
        mean = sum(p) / len(p)
        for h in range(24):
            out[h] += rate / total * p[h] / mean
    return out


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
    s: Scenario,
    scale: float,
    run_time_s: float,
    tokens: dict[str, int] | None = None,
    platform: Policy | None = None,
    routing: str | None = None,
    weekday: str | None = None,
    proxy_allowed: dict[str, float] | None = None,
) -> TrafficPlan:
    """The scenario's traffic at `scale`, with one compressed day (an average one, or `weekday`'s) over
    `run_time_s` seconds; its users follow
    `platform`'s rules (the policy the service was seeded with; default the scenario's: `user_behavior`) and
    `routing` (the seeded world's platform.routing; default the scenario's); proxy lookups for the share
    `proxy_allowed` of each type's agencies free to proxy (`proxy_shares` of the tokens file; default all)."""
    tokens = tokens or {}
    rates = {k: v * scale for k, v in platform_rates(s, weekday, proxy_allowed).items()}
    by_type = {t: {a: v * scale for a, v in r.items()} for t, r in agency_rates(s, weekday, proxy_allowed).items()}
    notes = []
    if weekday is not None:
        on_incidents, on_searches = day_factors(s, weekday)
        notes.append(f"a {weekday}: searches x {on_searches:.3g} and requests x {on_incidents:.3g} an average day's "
                     "(behavior.searches.weekly_profile, behavior.incidents.weekly_profile)")
    seeded = routing or s.platform.routing
    refused = {t: r["post_request"] for t, r in by_type.items() if r["post_request"] > 0 and not may_post(t, seeded)}
    if refused:  # the scenario's routing takes posts the seeded service's does not: left out, and said
        kept = 1.0 - sum(refused.values()) / rates["post_request"]
        notes.append(f"requests of {', '.join(sorted(refused))} ({sum(refused.values()):.3g}/s) are not sent: the service "
                     f"was seeded with platform.routing {seeded}, which takes none from them")
        for t in refused:
            for a in REQUEST_ACTIONS:
                by_type[t][a] = 0.0
        for a in (*REQUEST_ACTIONS, "submit_clips", "read_feed"):
            rates[a] *= kept
    groups = {
        "agency": list(AGENCY_ACTIONS),
        "resident": ["read_feed", "submit_clips"],
        "portal": ["view_transparency"],
    }
    b = s.behavior
    profiles = {
        "agency": blend({a: action_profile(s, a) for a in AGENCY_ACTIONS}, {a: rates[a] for a in AGENCY_ACTIONS}),
        "resident": b.incidents.hourly_profile,
        "portal": None,
        "camera": b.alpr.hourly_profile,
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
    if "agency" in actors:  # officers of each type at the type's share of the class's rate, with its own mix
        totals = {t: sum(r.values()) for t, r in by_type.items() if sum(r.values()) > 0}
        actors["agency"].types = {t: {a: v for a, v in by_type[t].items() if v > 0} for t in totals}
        actors["agency"].type_shares = {t: v / sum(totals.values()) for t, v in totals.items()}
    batch = BATCH_READS
    if rates["reads"] > 0:
        users, batch, interval = camera_pacing(rates["reads"], tokens.get("camera"))
        actors["camera"] = ActorPlan(Wait("pacing", interval), {"post_reads": 1.0}, fixed_count=users, profile=profiles["camera"])
    offered = {k: v for k, v in rates.items() if k != "reads"} | {"post_reads": rates["reads"] / batch, "reads": rates["reads"]}
    notes += [
        f"{action}: {rate * run_time_s:.3g} expected in the run; raise --scale or --run-time to exercise it"
        for action, rate in sorted(offered.items())
        if 0 < rate * run_time_s < 1
    ]
    behavior = replace(user_behavior(s, platform), proxy_allowed=dict(proxy_allowed or {}))
    return TrafficPlan(
        "scenario", actors, behavior, batch_reads=batch, day_s=run_time_s, seed=s.run.seed,
        offered_per_s=offered, notes=notes,
    )
