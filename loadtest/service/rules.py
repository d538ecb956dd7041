"""The platform rules the database was seeded with (a copy of the scenario's `policy:`), cached per process.

One row in table `policy`, written by the bootstrap, read by the routes. The levers the model resolves per agency
(federal firewall, sharing scope, state laws and rules, overrides) are not here but in each agency's columns
(`sim.model.policy_effects` at bootstrap), which the access SQL reads.
`ServiceRules` is the service's own copy, not the scenario's `sim.config.policy.Policy` it was made from; it is
reloaded at most every `RULES_CACHE_S` seconds.

Moderation (table `moderation`: per agency, the reason categories its searches are blocked or warned for) is
held per process (`ModerationByAgency`), as the hotlisted plates are (`queries.alpr.hot_plates`): with a version,
and read again when the database's version moves. Its version is the world's
(``meta.world_version``, which every bootstrap advances, the only writer of `moderation`), read with the rules,
so a search costs no moderation query and a new bootstrap is seen within `RULES_CACHE_S`.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass

from loadtest.service.context import Context
from loadtest.service.storage import Database, Tx

RULES_CACHE_S = 5.0
ModerationByAgency = Mapping[int, Mapping[str, str]]  # agency -> {reason category: "blocked" | "warned"}; absent: none


@dataclass(frozen=True)
class ServiceRules:
    """What the routes read of the policy row. National lookup (0/1/2) and the platform's retention are read by
    SQL where they apply (`queries.access`, the agencies' own retention); the latter bounds `max_retention_days`."""

    footage_retention_days: int
    posts_per_case: int
    area_cap_sq_mi: float
    case_number_required: bool  # searches must carry a case number (the scenario's policy.case_number_required)
    reason_mode: str  # policy.reason_mode: "free_text", or "offense_type" (a search's reason is one of OFFENSE_TYPES)
    max_retention_days: int  # the longest retention of any agency: no read is older (a search may ask for more)
    world_version: str  # meta.world_version: which bootstrap wrote the world tables ("" before any)
    routing: str  # platform.routing: "axon" (no federal posts), "flock" (any agency posts) or "none" (no requests)
    min_retention_days: int = 0  # the shortest retention of any agency: every owner holds reads this recent


def load_rules(db: Database) -> ServiceRules:
    """The policy row, the longest agency retention and the world version, read in one snapshot."""
    with db.read() as tx:
        row = tx.one(
            "SELECT alpr_retention_days, footage_retention_days, posts_per_case, area_cap_sq_mi, "
            "case_number_required, reason_mode, routing FROM policy WHERE id = 1"
        )
        longest, shortest = tx.one("SELECT max(retention_days), min(retention_days) FROM agencies") or (None, None)
        version = world_version(tx)
    assert row is not None, "the policy row is created with the schema"
    return ServiceRules(
        int(row[1]),
        int(row[2]),
        float(row[3]),
        bool(row[4]),
        str(row[5]),
        max(int(row[0]), int(longest or 0)),
        version,
        str(row[6]),
        int(shortest) if shortest is not None else int(row[0]),
    )


def world_version(tx: Tx) -> str:
    """``meta.world_version``: which bootstrap wrote the world tables ("" before any)."""
    return str(tx.scalar("SELECT value FROM meta WHERE key = 'world_version'") or "")


def load_moderation(db: Database) -> ModerationByAgency:
    """The moderation table: agency -> {reason category: action}."""
    with db.read() as tx:
        rows = tx.all("SELECT agency, reason, action FROM moderation")
    out: dict[int, dict[str, str]] = {}
    for agency, reason, action in rows:
        out.setdefault(int(agency), {})[str(reason)] = str(action)
    return out


async def moderation_of(ctx: Context, rules: ServiceRules) -> ModerationByAgency:
    """This process's moderation map, read again (on a worker thread) when `rules` name another world version.
    Held under the rules' version: versions only move forward, so what is read is that world or a newer one, and
    a bootstrap between the two reads costs one more read when the rules catch up (held under the version read
    with the table, it would not match the rules' and be read again on every search until they did)."""
    cached = ctx.cache.get("moderation")
    if cached is None or cached[0] != rules.world_version:
        cached = (rules.world_version, await ctx.run(load_moderation, ctx.db))
        ctx.cache["moderation"] = cached
    return cached[1]


async def rules_of(ctx: Context) -> ServiceRules:
    """The cached rules without leaving the event loop; reloaded on a worker thread when stale."""
    cached = ctx.cache.get("rules")
    if cached is not None and cached[1] >= time.monotonic():
        return cached[0]
    return await ctx.run(current_rules, ctx)


def current_rules(ctx: Context) -> ServiceRules:
    cached = ctx.cache.get("rules")
    now = time.monotonic()
    if cached is None or cached[1] < now:
        cached = (load_rules(ctx.db), now + RULES_CACHE_S)
        ctx.cache["rules"] = cached
    return cached[0]
