"""Sharing grants and the public transparency page.

A grant is a row owner -> grantee in `grants` (1:1 ``grant``; the bootstrap also copies the world's
``statewide`` edges). Searches evaluate the rules per request, so a revoked grant stops results at once.
The transparency page shows what Flock's portals show: cameras, retention, vehicles detected, hotlist hits
and searches over the last 30 days, and the organisations with access: those holding a grant, and every agency
whose searches reached this agency's data in the last 30 days (national lookup reaches without a grant).
`searches_30d` counts the agency's plate and vehicle searches (not the audit records of its hotlist hits). The
load-test harness's probe searches (its probe token's, audited with ``probe`` true) are left out of both the count
and the organisations: the page shows agencies' own searches only.
"""

from __future__ import annotations

from typing import Any

from loadtest.service.errors import invalid, not_found
from loadtest.service.storage import Tx

DAY_S = 86400
PORTAL_DAYS = 30


def agency_exists(tx: Tx, agency: int) -> bool:
    return tx.one("SELECT 1 FROM agencies WHERE id = :i", {"i": agency}) is not None


def grant(tx: Tx, owner: int, grantee: int, now: float) -> dict[str, Any]:
    if grantee == owner:
        raise invalid("agency_id", "an agency always sees its own reads; grant another agency")
    if not agency_exists(tx, grantee):
        raise not_found("agency")
    tx.execute(
        "INSERT INTO grants (owner, grantee, how, created) VALUES (:o, :g, 'grant', :t) ON CONFLICT (owner, grantee) DO NOTHING",
        {"o": owner, "g": grantee, "t": now},
    )
    how = tx.scalar("SELECT how FROM grants WHERE owner = :o AND grantee = :g", {"o": owner, "g": grantee})
    return {"owner_id": owner, "grantee_id": grantee, "how": how}


def revoke(tx: Tx, owner: int, grantee: int) -> None:
    n = tx.execute("DELETE FROM grants WHERE owner = :o AND grantee = :g", {"o": owner, "g": grantee}).rowcount
    if n == 0:
        raise not_found("grant")


def grants_of(tx: Tx, owner: int) -> list[dict[str, Any]]:
    rows = tx.all("SELECT grantee, how FROM grants WHERE owner = :o ORDER BY grantee", {"o": owner})
    return [{"owner_id": owner, "grantee_id": r[0], "how": r[1]} for r in rows]


def transparency(tx: Tx, agency: int, now: float) -> dict[str, Any]:
    row = tx.one("SELECT name, kind, state, retention_days, national_lookup FROM agencies WHERE id = :i", {"i": agency})
    if row is None:
        raise not_found("agency")
    since = now - PORTAL_DAYS * DAY_S
    p = {"a": agency, "since": since, "day": int(since // DAY_S)}
    orgs = tx.all(  # granted access, and anyone whose searches reached this agency's data (national lookup too)
        "SELECT a.id, a.name FROM agencies a WHERE a.id IN ("
        "SELECT g.grantee FROM grants g WHERE g.owner = :a UNION "
        "SELECT s.agency FROM search_networks n JOIN searches s ON s.id = n.search "
        "WHERE n.owner = :a AND s.ts >= :since AND s.agency <> :a AND s.probe = 0) ORDER BY a.name, a.id",
        p,
    )
    return {
        "agency_id": agency, "name": row[0], "type": row[1], "state": row[2], "retention_days": int(row[3]),
        "national_lookup": bool(row[4]),
        "cameras": int(tx.scalar("SELECT count(*) FROM cameras WHERE agency = :a", p)),
        "vehicles_detected_30d": int(tx.scalar(
            "SELECT coalesce(sum(n), 0) FROM read_counts WHERE agency = :a AND day >= :day", p)),
        "hotlist_hits_30d": int(tx.scalar("SELECT count(*) FROM alerts WHERE camera_agency = :a AND ts >= :since", p)),
        "searches_30d": int(tx.scalar(
            "SELECT count(*) FROM searches WHERE agency = :a AND ts >= :since AND kind <> 'hotlist' AND probe = 0", p)),
        "organizations_with_access": [{"id": r[0], "name": r[1]} for r in orgs],
    }  # fmt: skip
