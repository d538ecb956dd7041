"""Community requests: create within Ring's limits, show to the owner, list to residents whose home is inside.

At most `posts_per_case` requests per agency and case number, counted by the database in `case_posts` under a
case-insensitive key of the normalised number (`case_key`), so concurrent posts and look-alike spellings
(" 24-1", "24-1" in full-width digits, "ab-1" and "AB-1") count as one case on both backends.
A request's area is a disc of `area_sq_mi` around its location; a household sees the request when its distance
to the centre is at most the disc's radius. Distances: haversine on a 6,371 km sphere (metres).
"""

from __future__ import annotations

import math
import time
from typing import Any

from loadtest.service.errors import ApiError, invalid, not_found
from loadtest.service.limits import AREA_MAX_SQ_MI, REQUEST_OPEN_DAYS
from loadtest.service.models.common import iso
from loadtest.service.models.requests import RequestIn
from loadtest.service.rules import ServiceRules
from loadtest.service.storage import Tx

M_PER_MILE = 1609.344
EARTH_RADIUS_M = 6_371_000.0
M_PER_DEG_LAT = math.pi * EARTH_RADIUS_M / 180.0
FOOTAGE_WINDOW_DAYS_MAX = 180  # Ring's longest selectable retention: no footage older than this exists


def radius_m(area_sq_mi: float) -> float:
    return math.sqrt(area_sq_mi / math.pi) * M_PER_MILE


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def case_key(case_number: str) -> str:
    """What makes two case numbers the same case: the stored (NFKC, trimmed) number, case-folded."""
    return case_number.casefold()


def create(tx: Tx, agency: int, body: RequestIn, rules: ServiceRules, now: float) -> int:
    if body.area_sq_mi > rules.area_cap_sq_mi:
        raise invalid("area_sq_mi", f"at most {rules.area_cap_sq_mi} sq mi under this policy, got {body.area_sq_mi}")
    start, end = float(body.window_start), float(body.window_end)  # type: ignore[arg-type]
    if end > now + 300:
        raise invalid("window_end", "the window must not end in the future")
    if start < now - FOOTAGE_WINDOW_DAYS_MAX * 86400:
        raise invalid("window_start", f"footage older than {FOOTAGE_WINDOW_DAYS_MAX} days does not exist")
    posts = tx.scalar(  # the database counts: an upsert locks the (agency, case) row, so concurrent posts queue
        "INSERT INTO case_posts (agency, case_key, posts) VALUES (:a, :k, 1) "
        "ON CONFLICT (agency, case_key) DO UPDATE SET posts = case_posts.posts + 1 RETURNING posts",
        {"a": agency, "k": case_key(body.case_number)},
    )
    if posts > rules.posts_per_case:  # the caller's transaction (or savepoint) rolls the count back
        raise ApiError(
            409, "case_limit",
            f"case_number {body.case_number!r} already has {posts - 1} requests (at most {rules.posts_per_case})",
        )  # fmt: skip
    return tx.insert(
        "INSERT INTO requests (agency, case_number, incident_type, lat, lon, area_sq_mi, radius_m, window_start, "
        "window_end, description, status, created, open_until) VALUES (:agency, :case, :type, :lat, :lon, :area, "
        ":r, :ws, :we, :d, 'open', :now, :until) RETURNING id",
        {
            "agency": agency, "case": body.case_number, "type": body.incident_type, "lat": body.location.lat,
            "lon": body.location.lon, "area": body.area_sq_mi, "r": radius_m(body.area_sq_mi), "ws": start, "we": end,
            "d": body.description, "now": now, "until": now + REQUEST_OPEN_DAYS * 86400,
        },
    )  # fmt: skip


def _status(status: str, open_until: float, now: float) -> str:
    return "open" if status == "open" and open_until > now else "closed"


def show(tx: Tx, request_id: int, agency: int) -> dict[str, Any]:
    row = tx.one(
        "SELECT id, case_number, incident_type, lat, lon, area_sq_mi, window_start, window_end, description, status, "
        "created, open_until FROM requests WHERE id = :i AND agency = :a",
        {"i": request_id, "a": agency},
    )
    if row is None:
        raise not_found("request")
    subs = tx.one(
        "SELECT count(*), coalesce(sum(clips), 0), coalesce(sum(bytes), 0), "
        "coalesce(sum(CASE WHEN package IS NULL THEN 1 ELSE 0 END), 0) FROM submissions WHERE request = :i",
        {"i": request_id},
    )
    packages = tx.scalar("SELECT count(*) FROM packages WHERE request = :i", {"i": request_id})
    assert subs is not None
    return {
        "id": row[0], "case_number": row[1], "incident_type": row[2], "location": {"lat": row[3], "lon": row[4]},
        "area_sq_mi": row[5], "window_start": iso(row[6]), "window_end": iso(row[7]), "description": row[8],
        "status": _status(row[9], row[11], time.time()), "created": iso(row[10]), "open_until": iso(row[11]),
        "counts": {"submissions": int(subs[0]), "clips": int(subs[1]), "bytes": int(subs[2]), "packages": int(packages),
                   "pending_submissions": int(subs[3])},
    }  # fmt: skip


def covering(tx: Tx, lat: float, lon: float, now: float, cursor: int, limit: int) -> tuple[list[dict[str, Any]], int | None]:
    """Open requests whose disc covers (lat, lon), by id after `cursor`; nothing about the viewer is stored."""
    dlat = radius_m(AREA_MAX_SQ_MI) / M_PER_DEG_LAT
    dlon = dlat / max(0.01, math.cos(math.radians(lat)))
    rows = tx.all(
        "SELECT r.id, r.agency, a.name, r.incident_type, r.lat, r.lon, r.area_sq_mi, r.radius_m, r.window_start, "
        "r.window_end, r.description, r.open_until FROM requests r JOIN agencies a ON a.id = r.agency "
        "WHERE r.lat BETWEEN :la0 AND :la1 AND r.lon BETWEEN :lo0 AND :lo1 AND r.open_until > :now "
        "AND r.status = 'open' AND r.id > :cursor ORDER BY r.id LIMIT :n",
        {"la0": lat - dlat, "la1": lat + dlat, "lo0": lon - dlon, "lo1": lon + dlon, "now": now, "cursor": cursor, "n": limit},
    )
    items = [
        {
            "id": r[0],
            "agency_id": r[1],
            "agency_name": r[2],
            "incident_type": r[3],
            "location": {"lat": r[4], "lon": r[5]},
            "area_sq_mi": r[6],
            "window_start": iso(r[8]),
            "window_end": iso(r[9]),
            "description": r[10],
            "open_until": iso(r[11]),
        }  # fmt: skip
        for r in rows
        if distance_m(lat, lon, r[4], r[5]) <= r[7]
    ]
    return items, (rows[-1][0] if len(rows) == limit else None)


def open_request_covering(tx: Tx, request_id: int, lat: float, lon: float, now: float) -> tuple[float, float]:
    """The (window_start, window_end) of an open request covering this home, else 404 (as if absent)."""
    row = tx.one(
        "SELECT lat, lon, radius_m, window_start, window_end, status, open_until FROM requests WHERE id = :i",
        {"i": request_id},
    )
    if row is None or _status(row[5], row[6], now) != "open" or distance_m(lat, lon, row[0], row[1]) > row[2]:
        raise not_found("request")
    return float(row[3]), float(row[4])
