"""Footage: residents' submissions with a SHA-256 per clip, and the packages agencies download.

Chain of custody: table `custody` records, per package, when it was built (by the packaging worker, with
the archive's SHA-256) and every download (by which agency). The archive itself carries the manifest and the
submission events, so it can be checked away from the service.
"""

from __future__ import annotations

import hashlib
from typing import Any

from loadtest.service.errors import invalid, not_found
from loadtest.service.models.common import iso
from loadtest.service.models.requests import SubmissionIn
from loadtest.service.storage import Tx


def add_submission(tx: Tx, request_id: int, household: int, body: SubmissionIn, window: tuple[float, float], now: float) -> int:
    contents = []
    for i, clip in enumerate(body.clips):
        start, end = float(clip.start), float(clip.end)  # type: ignore[arg-type]
        if end <= window[0] or start >= window[1]:
            raise invalid(f"clips.{i}.start", "the clip does not overlap the request's time window")
        contents.append(clip.content())
    total = sum(len(c) for c in contents)
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


def take_package(tx: Tx, package_id: int, agency: int, now: float) -> tuple[bytes, str]:
    """The archive and its SHA-256, for the requesting agency only; the download joins the chain of custody."""
    row = tx.one(
        "SELECT p.content, p.sha256 FROM packages p JOIN requests r ON r.id = p.request WHERE p.id = :i AND r.agency = :a",
        {"i": package_id, "a": agency},
    )
    if row is None or row[0] is None:
        raise not_found("package")
    tx.execute(
        "INSERT INTO custody (package, ts, event, actor, detail) VALUES (:p, :t, 'downloaded', :actor, :d)",
        {"p": package_id, "t": now, "actor": f"agency:{agency}", "d": row[1]},
    )
    return bytes(row[0]), row[1]
