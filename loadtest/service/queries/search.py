"""Audited searches: the audit record, the networks it may see and the results commit in one transaction.

The search row is written first, then `search_networks` (the owners the sharing rules open to this searcher,
scope and moment), and the results are read through that very list: no audit, no result. Results only at
>= 75% confidence (Orange PD). Windows: default the last 30 days (Flock's longest preset); any other window the
searcher asks for runs, as on the platform, whose Search tool takes custom ranges: Okaloosa County SO ran 463 of
its 7,273 searches looking back beyond its 30-day retention (docs/sources.md). A search finds, of each owner, only what
it still holds: reads within min(look-back, the owner's retention), the model's rule (`sim.model.alpr_reach`),
whether or not the retention purge has run yet. The audit keeps the window as asked. A 422 only for a window that
cannot be: ``until`` in the future, or not after ``since``.

Reasons follow the platform's ``policy.reason_mode``, as the model's searches do (`sim.model.alpr_searches`):
under ``free_text`` the reason is the officer's text; under ``offense_type`` (Flock's mandatory drop-down, Jan
2026) it must be one of the model's offense types (`sim.config.behavior_alpr.OFFENSE_TYPES`; a search run for
another purpose, immigration say, is filed under ``other``), anything else is a 422 naming ``reason``, the value
and the offense types. The audit row stores the reason as given.

Moderation: the searching agency's own rule (``policy.moderation``, or the ``moderation`` of the last override that
selects it, stored by the bootstrap in `moderation` and held per process: `loadtest.service.rules`) is matched
against the reason. Under ``offense_type`` a category matches the offense type it names, exactly (as the model's
audited reason). Under ``free_text`` a reason category (written as the model writes them, ``stolen_vehicle``)
matches when it stands as whole words in the reason, casefolded, with spaces, hyphens and slashes read as ``_``
("Immigration case 12" matches ``immigration``; assumption: Flock matches the free-text reason against its
blocked terms). A ``blocked`` search is audited and reaches nothing (no networks, no results), as the model's; a
``warned`` one runs, and both say so in the answer and the audit.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import orjson

from loadtest.service.errors import invalid
from loadtest.service.limits import CLOCK_SKEW_S, CONFIDENCE_MIN_RESULT, SEARCH_RESULTS_MAX, SEARCH_WINDOW_DEFAULT_DAYS
from loadtest.service.models.alpr import SearchIn
from loadtest.service.models.common import iso
from loadtest.service.queries.access import record_networks
from loadtest.service.rules import ModerationByAgency, ServiceRules
from loadtest.service.storage import Tx
from sim.config.behavior_alpr import OFFENSE_TYPES, audited_reason

DAY_S = 86400.0
KINDS = ("plate", "vehicle")  # what the service can search by: a full plate, or a vehicle description


def kind_of(body: SearchIn) -> str:
    """"plate" (a full-plate lookup, the model's ``lookup``) or "vehicle" (a description: colour, make, body)."""
    return "plate" if body.plate is not None else "vehicle"


def op_name(body: SearchIn) -> str:
    """The write's operation name, by kind (``search_plate``, ``search_vehicle``): the writer times each kind apart,
    so that the load test can calibrate the model's base search time from plate lookups alone."""
    return f"search_{kind_of(body)}"


def window(body: SearchIn, now: float) -> tuple[float, float]:
    """The window a search asks for (seconds): `since` (default `until` - 30 days) to `until` (default now). A
    `since` before every owner's retention is no error (the search finds what the owners hold: `held_since`)."""
    until = float(body.until) if body.until is not None else now  # type: ignore[arg-type]
    since = float(body.since) if body.since is not None else until - SEARCH_WINDOW_DEFAULT_DAYS * DAY_S  # type: ignore[arg-type]
    if until > now + CLOCK_SKEW_S:
        raise invalid("until", "must not be in the future")
    if until <= since:
        raise invalid("until", "must be after since")
    return since, until


def held_since(since: float, rules: ServiceRules, now: float) -> tuple[float, bool]:
    """(the oldest moment any owner may still hold a read of the window, whether owners' own retentions cut the window
    further): no owner holds reads older than the longest retention, so the query need not look before it; only
    when that moment lies before the shortest retention are each owner's reads kept to its own retention (by SQL):
    where every owner keeps reads alike (the usual 30 days) a 90-day look-back costs what a 30-day one does."""
    held = max(since, now - rules.max_retention_days * DAY_S)
    return held, held < now - rules.min_retention_days * DAY_S


def reason_key(reason: str) -> str:
    """A reason as the model writes reason categories: casefolded, runs of spaces, hyphens and slashes as '_'."""
    return re.sub(r"[\s\-/]+", "_", reason.strip().casefold())


def check_reason(reason: str, rules: ServiceRules) -> None:
    """Under ``policy.reason_mode: offense_type`` a 422 for a reason that is no offense type."""
    if audited_reason(reason, rules.reason_mode) != reason:  # the model's rule: filed under "other"
        raise invalid("reason", f"{reason!r} is not an offense type: under this platform's policy (policy.reason_mode "
                                f"offense_type) a search's reason is one of {', '.join(sorted(OFFENSE_TYPES))}", reason)


def moderated(categories: Mapping[str, str] | None, reason: str, reason_mode: str) -> str | None:
    """"blocked", "warned" or None: what an agency's moderation (`categories`: reason category -> action) says of
    a search for `reason`."""
    if not categories:
        return None
    if reason_mode == "offense_type":  # an offense type from the drop-down: the category it names, exactly
        return categories.get(reason)
    key = f"_{reason_key(reason)}_"
    hits = {action for category, action in categories.items() if f"_{category}_" in key}
    return "blocked" if "blocked" in hits else "warned" if hits else None


def run(
    tx: Tx, agency: int, body: SearchIn, rules: ServiceRules, moderation_by_agency: ModerationByAgency, now: float,
    probe: bool = False,
) -> dict[str, Any]:
    """`agency`'s search at `now` (seconds): checked against the rules (422 otherwise), moderated, audited and,
    unless blocked, run over the networks its scope reaches (see module doc); the answer's body. A `probe` (the
    load-test harness's timing search, by its probe token) is audited marked as one."""
    if rules.case_number_required and body.case_number is None:
        raise invalid("case_number", "required under this platform's policy (policy.case_number_required)")
    check_reason(body.reason, rules)
    since, until = window(body, now)
    held, per_owner = held_since(since, rules, now)
    moderation = moderated(moderation_by_agency.get(agency), body.reason, rules.reason_mode)
    ts = "r.ts"
    kind = kind_of(body)
    if body.plate is not None:
        query, where, params = {"plate": body.plate}, "r.plate = :plate", {"plate": body.plate}
        # A plate has a handful of reads: the plate index finds them and the window filters them. `+ 0` keeps the
        # time range off the index: PostgreSQL, with statistics from a smaller table (a table growing under a load
        # test, before autoanalyze catches up), ANDed the plate index with the time index over the whole window,
        # reading every read of the last 30 days for each search (200,000 index entries and 21 ms for 6 results
        # instead of 0.2 ms; a cost that grows with the table). SQLite's plan (the plate index) is unchanged.
        ts = "(r.ts + 0)"
    else:
        assert body.vehicle is not None
        attrs = {k: v for k, v in body.vehicle.model_dump().items() if v is not None}
        query, params = attrs, attrs
        where = " AND ".join(f"r.{k} = :{k}" for k in ("make", "color", "body") if k in attrs)
    sid = tx.insert(
        "INSERT INTO searches (agency, ts, reason, case_number, scope, kind, query, since, until, networks, results, "
        "moderation, probe) VALUES (:a, :t, :reason, :case, :scope, :kind, :q, :since, :until, 0, 0, :m, :p) RETURNING id",
        {"a": agency, "t": now, "reason": body.reason, "case": body.case_number, "scope": body.scope, "kind": kind,
         "q": orjson.dumps(query).decode(), "since": since, "until": until, "m": moderation, "p": int(probe)},
    )  # fmt: skip
    if moderation == "blocked":  # audited, reaches nothing
        return {"results": [], "networks_touched": 0, "audit_id": sid, "truncated": False, "moderation": moderation}
    networks = record_networks(tx, sid, agency, body.scope)
    # min(look-back, the owner's retention): a read the purge has not reached yet is still past its owner's retention
    # (the condition only when the window starts before the shortest retention: otherwise every owner holds it all)
    kept = f" AND {ts} >= :now - (SELECT a.retention_days FROM agencies a WHERE a.id = r.agency) * 86400.0" if per_owner else ""
    rows = tx.all(
        "SELECT r.id, r.plate, r.state, r.ts, r.confidence, r.color, r.make, r.body, r.camera, r.agency, c.lat, c.lon "
        f"FROM reads r JOIN cameras c ON c.id = r.camera WHERE {where} AND {ts} >= :since AND {ts} <= :until{kept} "
        "AND r.confidence >= :conf AND r.agency IN (SELECT owner FROM search_networks WHERE search = :sid) "
        "ORDER BY r.ts DESC, r.id DESC LIMIT :n",
        {**params, "since": held, "until": until, "now": now, "conf": CONFIDENCE_MIN_RESULT, "sid": sid,
         "n": SEARCH_RESULTS_MAX + 1},
    )
    truncated = len(rows) > SEARCH_RESULTS_MAX
    rows = rows[:SEARCH_RESULTS_MAX]
    tx.execute("UPDATE searches SET networks = :n, results = :r WHERE id = :i", {"n": networks, "r": len(rows), "i": sid})
    results = [
        {"read_id": r[0], "plate": r[1], "state": r[2], "ts": iso(r[3]), "confidence": r[4], "color": r[5], "make": r[6],
         "body": r[7], "camera_id": r[8], "agency_id": r[9], "location": {"lat": r[10], "lon": r[11]}}
        for r in rows
    ]  # fmt: skip
    out = {"results": results, "networks_touched": networks, "audit_id": sid, "truncated": truncated}
    return out if moderation is None else {**out, "moderation": moderation}


def audit(tx: Tx, agency: int, cursor: int, limit: int) -> tuple[list[dict[str, Any]], int | None]:
    """Searches whose networks included `agency`'s data, and `agency`'s own searches (an agency without cameras
    has no networks but sees what it searched), oldest first."""
    rows = tx.all(
        "SELECT s.id, s.ts, s.agency, a.name, s.reason, s.case_number, s.scope, s.kind, s.networks, s.results, s.moderation, "
        "s.probe FROM (SELECT search AS id FROM search_networks WHERE owner = :o AND search > :c "
        "      UNION SELECT id FROM searches WHERE agency = :o AND id > :c ORDER BY id LIMIT :n) k "
        "JOIN searches s ON s.id = k.id JOIN agencies a ON a.id = s.agency ORDER BY s.id",
        {"o": agency, "c": cursor, "n": limit},
    )
    items = [
        {"id": r[0], "ts": iso(r[1]), "agency_id": r[2], "agency_name": r[3], "reason": r[4], "case_number": r[5],
         "scope": r[6], "kind": r[7], "networks_touched": r[8], "results": r[9], "moderation": r[10], "probe": bool(r[11])}
        for r in rows
    ]  # fmt: skip
    return items, (rows[-1][0] if len(rows) == limit else None)
