"""Seed the service's database from a scenario's world, and mint the bearer tokens the load tests use.

What is copied: the platform-wide policy (`policy:` of the scenario: national lookup and whom it admits,
retentions, posts per case, area cap, case numbers required, reason mode), every agency with type, state, location and its
own policy as `sim.model.policy_effects` resolves it from the national levers, state laws, platform state rules
and ``policy.overrides`` (reads open to lookups, retention, sharing scope, statewide sharing and federal grants
kept, refusals of out-of-state and federal searchers, barred from national lookup, the reasons its searches are
blocked or warned for), every private network (kind ``private``: a company's or HOA's network, which owns
cameras and shares its reads under the same per-owner policy but gets no agency token, so it never searches
or posts requests, as in the model), every sharing edge (1:1 and
statewide; an agency's policy decides at search time which of its edges count), and households and
ALPR cameras, each capped at `limit` (evenly spaced over the world's arrays, so a national scenario can seed a
load-test-sized subset). Bootstrapping replaces the world tables and all tokens; event tables (requests,
reads, searches...) are left as they are, so use a fresh database for a fresh run.

Tokens file: ``{"admin": T, "rules": {"reason_mode", "case_number_required", "request_area_cap_sq_mi",
"posts_per_case", "retention_days_max", "routing"}, "agencies": {ID: {"token", "type", "state", "name",
"may_run_national_lookup", "proxy_lookups"}}, "residents": {ID: {"token", "lat", "lon"}},
"cameras": {ID: {"token", "agency", "state"}}}``
with ids as strings (JSON keys), and ``"probe": {"token", "agency"}``: the load-test harness's token for its
timing searches, run as that agency and audited with ``probe`` true, which transparency pages leave out.
``rules``: what the service refuses a search for, so that a load generator holding the tokens sends what it takes;
an agency's ``may_run_national_lookup``: false where its state's platform rule bars national lookup (its national
searches run statewide; not the transparency page's ``national_lookup``, which says whether its own network is open
to lookups); its ``proxy_lookups``: a police agency not bound by a state law or firewall it complies with
(`PolicyEffects.proxy_refused`; a platform state rule does not bind it), which may run proxy lookups for federal
units; a camera's ``state``: its owner's, a private
network's included (which has no token).
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from loadtest.service.agency_types import TYPE_NAMES
from loadtest.service.auth import digest, new_token
from loadtest.service.storage import Database
from sim.config import Scenario
from sim.config.policy import Policy as ScenarioPolicy
from sim.geo.states import STATE_CODES
from sim.model.policy_effects import SHARING_SCOPES, policy_effects
from sim.world.types import OWNER_TYPES, PRIVATE, World, is_police

FOOTAGE_RETENTION_DEFAULT_DAYS = 180  # Ring's longest selectable retention (support.ring.com)
DEFAULT_LIMIT = 10_000
WORLD_TABLES = ("agencies", "grants", "households", "cameras", "tokens", "moderation")


def sample(n: int, limit: int | None) -> np.ndarray:
    """Indices 0..n-1, or `limit` of them evenly spaced."""
    if limit is None or limit >= n:
        return np.arange(n)
    return np.unique(np.linspace(0, n - 1, limit).round().astype(np.int64))


def _state(code_index: int) -> str:
    return STATE_CODES[code_index] if code_index >= 0 else ""


def moderation_rows(rule: np.ndarray, rules: tuple[tuple[frozenset[str], frozenset[str]], ...]) -> list[tuple[int, str, str]]:
    """(agency, reason, "blocked" | "warned") for each agency's moderation rule (a reason both blocked and warned
    is blocked, as the model's search is refused before it could be warned)."""
    out = []
    for i, r in enumerate(rule.tolist()):
        blocked, warned = rules[r]
        out += [(i, reason, "blocked") for reason in sorted(blocked)]
        out += [(i, reason, "warned") for reason in sorted(warned - blocked)]
    return out


def rules_of(policy: ScenarioPolicy, retention_days_max: int, routing: str) -> dict[str, Any]:
    """The tokens file's ``rules``: what the service refuses a request for under `policy` (a search's reason and case
    number; a request's area and a case's posts), so that a load generator holding the tokens sends what it takes;
    `retention_days_max`, the longest retention of the platform and its agencies as `loadtest.service.rules` reads
    it (no read is older; a search looking back further runs and finds what each owner holds); and `routing`,
    ``platform.routing``: who may post community requests)."""
    return {"reason_mode": policy.reason_mode, "case_number_required": bool(policy.case_number_required),
            "request_area_cap_sq_mi": float(policy.request_area_cap_sq_mi), "posts_per_case": int(policy.posts_per_case),
            "retention_days_max": int(retention_days_max), "routing": routing}


def seed(
    db: Database, world: World, policy: ScenarioPolicy, limit: int | None = DEFAULT_LIMIT, routing: str = "axon"
) -> dict[str, Any]:
    """Write the world into `db` and give the tokens (only their SHA-256 digests are stored). `routing`: the
    scenario's ``platform.routing`` (``axon``: federal units may not post community requests; ``flock``: they
    may; ``none``: nobody posts), as the model refuses posts."""
    a = world.agencies
    # The scenario's policy resolved per agency exactly as the model resolves it (national levers, state laws and
    # platform state rules, then policy.overrides in order): the service's SQL rules read these columns.
    fx = policy_effects(world, policy)
    scopes = [SHARING_SCOPES[int(c)] for c in fx.sharing_scope]
    agencies = [
        (i, str(a.name[i]), TYPE_NAMES[OWNER_TYPES[int(a.kind[i])]], _state(int(a.state[i])), float(a.lat[i]), float(a.lon[i]),
         int(fx.national_lookup[i]), int(fx.alpr_retention_days[i]), scopes[i], int(fx.statewide_sharing[i]),
         int(fx.federal_grants[i]), int(fx.refuses_out_of_state[i]), int(fx.refuses_federal[i]),
         int(fx.no_national_lookup[i]))
        for i in range(len(a))
    ]  # fmt: skip
    moderation = moderation_rows(fx.moderation_rule, fx.moderation_rules)
    proxies = is_police(a.kind) & ~fx.proxy_refused  # may run proxy lookups for federal units, as in the model
    grants = [(int(u), int(v), str(e.get("how", "grant")), 0.0) for u, nbrs in world.sharing.adj.items() for v, e in nbrs.items()]
    hh = world.households
    homes = [(int(i), int(hh.agency[i]), float(hh.lat[i]), float(hh.lon[i])) for i in sample(len(hh), limit)]
    cams = world.cameras
    cameras = [(int(i), int(cams.owner[i]), float(cams.lat[i]), float(cams.lon[i])) for i in sample(len(cams), limit)]

    longest = max(int(policy.alpr_retention_days), int(fx.alpr_retention_days.max(initial=0)))
    tokens: dict[str, Any] = {"admin": new_token(), "rules": rules_of(policy, longest, routing), "agencies": {},
                              "residents": {}, "cameras": {}}
    rows = [(digest(tokens["admin"]), "admin", 0)]
    prober = next((ag[0] for ag in agencies if int(a.kind[ag[0]]) != PRIVATE), None)
    if prober is not None:  # the harness's timing searches: as this agency, audited as probes (no transparency count)
        tokens["probe"] = {"token": new_token(), "agency": prober}
        rows.append((digest(tokens["probe"]["token"]), "probe", prober))
    for ag in agencies:
        if int(a.kind[ag[0]]) == PRIVATE:  # an owner, not an actor: no token (private networks never search)
            continue
        t = new_token()
        tokens["agencies"][str(ag[0])] = {"token": t, "type": ag[2], "state": ag[3], "name": ag[1],
                                          "may_run_national_lookup": not ag[13], "proxy_lookups": bool(proxies[ag[0]])}
        rows.append((digest(t), "agency", ag[0]))
    for h in homes:
        t = new_token()
        tokens["residents"][str(h[0])] = {"token": t, "lat": h[2], "lon": h[3]}
        rows.append((digest(t), "resident", h[0]))
    for c in cameras:
        t = new_token()
        tokens["cameras"][str(c[0])] = {"token": t, "agency": c[1], "state": agencies[c[1]][3]}
        rows.append((digest(t), "camera", c[0]))

    with db.timed("bootstrap"), db.write() as tx:
        for table in WORLD_TABLES:
            tx.execute(f"DELETE FROM {table}")
        tx.execute(
            "UPDATE policy SET national_lookup = :nl, alpr_retention_days = :ar, footage_retention_days = :fr, "
            "posts_per_case = :pc, area_cap_sq_mi = :cap, case_number_required = :cr, reason_mode = :rm, "
            "routing = :ro WHERE id = 1",
            {
                # national_lookup 2: on, but closed to federal units (policy.federal_access other than "open")
                "ar": policy.alpr_retention_days,
                "nl": 0 if not policy.national_lookup else 1 if policy.federal_access == "open" else 2,
                "fr": policy.ring_retention_days_max or FOOTAGE_RETENTION_DEFAULT_DAYS, "pc": policy.posts_per_case,
                "cap": policy.request_area_cap_sq_mi,
                "cr": int(policy.case_number_required), "rm": policy.reason_mode, "ro": routing,
            },
        )  # fmt: skip
        # a new world version: each worker process reads the moderation table again (loadtest.service.rules)
        tx.execute(
            "INSERT INTO meta (key, value) VALUES ('world_version', '1') "
            "ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(meta.value AS INTEGER) + 1 AS TEXT)"
        )
        cols = ["id", "name", "kind", "state", "lat", "lon", "national_lookup", "retention_days", "sharing_scope",
                "statewide_sharing", "federal_grants", "refuses_out_of_state", "refuses_federal", "no_national_lookup"]
        tx.bulk_insert("agencies", cols, agencies)
        tx.bulk_insert("grants", ["owner", "grantee", "how", "created"], grants)
        tx.bulk_insert("moderation", ["agency", "reason", "action"], moderation)
        tx.bulk_insert("households", ["id", "agency", "lat", "lon"], homes)
        tx.bulk_insert("cameras", ["id", "agency", "lat", "lon"], cameras)
        tx.bulk_insert("tokens", ["hash", "kind", "subject"], rows)
    return tokens


def seed_scenario(db: Database, scenario: Scenario, limit: int | None = DEFAULT_LIMIT) -> dict[str, Any]:
    from sim.world import build_world

    return seed(db, build_world(scenario), scenario.policy, limit, scenario.platform.routing)


def write_tokens(tokens: dict[str, Any], path: str | Path) -> None:
    """Write the tokens file readable by its owner only (mode 0600), also over an existing file of another mode:
    the file is written beside it under a temporary name created 0600, then renamed over it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)  # mkstemp creates the file 0600
    try:
        with os.fdopen(fd, "w") as f:
            json.dump(tokens, f)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
