"""Footage: residents' submissions with a SHA-256 per clip, and the packages agencies download.

Chain of custody: table `custody` records, per package, when it was built (by the packaging worker, with
the archive's SHA-256) and every download (by which agency). The archive itself carries the manifest and the
submission events, so it can be checked away from the service.

Quotas (`loadtest.service.limits`): a resident uploads at most `RESIDENT_BYTES_PER_DAY` bytes of clips per UTC
day (429 with Retry-After beyond), and a request collects at most `REQUEST_BYTES_MAX` bytes (409 beyond),
counted in `households.quota_*` and `requests.bytes` by single UPDATEs in the submission's transaction.
"""

from __future__ import annotations

import hashlib
from typing import Any

from loadtest.service.errors import ApiError, invalid, not_found
from loadtest.service.limits import REQUEST_BYTES_MAX, RESIDENT_BYTES_PER_DAY
from loadtest.service.models.common import iso
from loadtest.service.models.requests import SubmissionIn
from loadtest.service.storage import Tx

DAY_S = 86400


def charge_quotas(tx: Tx, request_id: int, household: int, nbytes: int, now: float) -> None:
    """Count `nbytes` against the resident's day and the request's total (row locks: concurrent uploads queue);
    429 or 409 beyond a quota, and the caller's transaction rolls the counts back."""
    day = int(now // DAY_S)
    used = tx.scalar(
        "UPDATE households SET quota_bytes = CASE WHEN quota_day = :d THEN quota_bytes + :b ELSE :b END, quota_day = :d "
        "WHERE id = :h RETURNING quota_bytes",
        {"d": day, "b": nbytes, "h": household},
    )
    if used is not None and int(used) > RESIDENT_BYTES_PER_DAY:
        wait = int((day + 1) * DAY_S - now) + 1
        raise ApiError(
            429, "quota_exceeded",
            f"a resident may upload at most {RESIDENT_BYTES_PER_DAY} bytes of clips per UTC day; this would make {used}",
            {"Retry-After": str(wait)},
        )  # fmt: skip
    total = tx.scalar("UPDATE requests SET bytes = bytes + :b WHERE id = :r RETURNING bytes", {"b": nbytes, "r": request_id})
    if total is not None and int(total) > REQUEST_BYTES_MAX:
        raise ApiError(
            409, "request_full", f"a request collects at most {REQUEST_BYTES_MAX} bytes of clips; this would make {total}"
        )


def add_submission(tx: Tx, request_id: int, household: int, body: SubmissionIn, window: tuple[float, float], now: float) -> int:
    contents = []
    for i, clip in enumerate(body.clips):
        start, end = float(clip.start), float(clip.end)  # type: ignore[arg-type]
        if end <= window[0] or start >= window[1]:
            raise invalid(f"clips.{i}.start", "the clip does not overlap the request's time window")
        contents.append(clip.content())
    total = sum(len(c) for c in contents)
    charge_quotas(tx, request_id, household, total, now)
    sub = tx.insert(
        "INSERT INTO submissions (request, household, created, clips, bytes, package) VALUES (:r, :h, :t, :n, :b, NULL) "
        "RETURNING id",
        {"r": request_id, "h": household, "t": now, "n": len(contents), "b": total},
    )
    tx.executemany(
        "INSERT INTO clips (submission, camera_id, t_start, t_end, sha256, size, content, created) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (sub, clip.camera_id, float(clip.start), float(clip.end), hashlib.sha256(data).hexdigest(), len(data), data, now)  # type: ignore[arg-type]
            for clip, data in zip(body.clips, contents, strict=True)
        ],
    )
    return sub


def owned_request(tx: Tx, request_id: int, agency: int) -> None:
    if tx.one("SELECT 1 FROM requests WHERE id = :i AND agency = :a", {"i": request_id, "a": agency}) is None:
        raise not_found("request")


def list_packages(tx: Tx, request_id: int, agency: int) -> list[dict[str, Any]]:
    owned_request(tx, request_id, agency)
    rows = tx.all(
        "SELECT id, request, created, clips, bytes, sha256 FROM packages WHERE request = :i ORDER BY id", {"i": request_id}
    )
    return [{"id": r[0], "request_id": r[1], "created": iso(r[2]), "clips": r[3], "bytes": r[4], "sha256": r[5]} for r in rows]


def take_package(tx: Tx, package_id: int, agency: int, now: float) -> tuple[int, str]:
    """The archive's size and SHA-256, for the requesting agency only; the download joins the chain of custody.
    The archive itself is read in chunks (`package_chunk`), never whole."""
    row = tx.one(
        "SELECT p.bytes, p.sha256 FROM packages p JOIN requests r ON r.id = p.request "
        "WHERE p.id = :i AND r.agency = :a AND p.content IS NOT NULL",
        {"i": package_id, "a": agency},
    )
    if row is None:
        raise not_found("package")
    tx.execute(
        "INSERT INTO custody (package, ts, event, actor, detail) VALUES (:p, :t, 'downloaded', :actor, :d)",
        {"p": package_id, "t": now, "actor": f"agency:{agency}", "d": row[1]},
    )
    return int(row[0]), row[1]


def package_chunk(tx: Tx, package_id: int, offset: int, size: int) -> bytes:
    """`size` bytes of a stored archive from byte `offset` (0-based); b"" past its end or once purged."""
    chunk = tx.scalar("SELECT substr(content, :o, :n) FROM packages WHERE id = :i", {"o": offset + 1, "n": size, "i": package_id})
    return b"" if chunk is None else bytes(chunk)
