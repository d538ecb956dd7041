"""The packaging worker: packs a request's new submissions into a zip with a manifest and a chain of custody.

One package per pass per request: build the archive outside the write lock, reading one clip at a time into a
zip spooled to a temporary file (memory holds one clip, not every clip plus the archive), then in one
transaction store it, mark exactly those submissions as packaged and log the custody event. If another
worker process packaged any of them meanwhile, the transaction rolls back and the next pass starts over.
Archive layout: ``clips/<submission>-<clip>.bin``, ``manifest.json`` (request, clips with SHA-256 and size),
``custody.json`` (submission events and the packaging event).
"""

from __future__ import annotations

import hashlib
import json
import tempfile
import time
import zipfile
from collections.abc import Callable
from functools import partial

from loadtest.service.models.common import iso
from loadtest.service.storage import Database

FIXED_ZIP_TIME = (2020, 1, 1, 0, 0, 0)  # archive timestamps fixed so the same clips give the same bytes
MAX_SUBMISSIONS_PER_PACKAGE = 200  # assumption: bounds the memory of one pass, with...
MAX_PACKAGE_BYTES = 64 << 20  # ...at most 64 MiB of clips (a single larger submission still goes alone)
SPOOL_BYTES = 8 << 20  # an archive larger than this is built in a temporary file, not in memory


class _Raced(Exception):
    pass


def build_archive(request: dict, clips: list[tuple], events: list[dict], content: Callable[[int], bytes]) -> bytes:
    """The zip of `clips` (metadata rows; `content(clip_id)` reads one clip's bytes), manifest and custody."""
    manifest = {"request": request, "clips": []}
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as spool:
        with zipfile.ZipFile(spool, "w", zipfile.ZIP_STORED) as zf:
            for clip_id, sub, camera, t0, t1, sha, size in clips:
                name = f"clips/{sub}-{clip_id}.bin"
                zf.writestr(zipfile.ZipInfo(name, FIXED_ZIP_TIME), content(clip_id))
                manifest["clips"].append(
                    {"file": name, "submission": sub, "camera_id": camera, "start": iso(t0), "end": iso(t1), "sha256": sha,
                     "size": size}
                )  # fmt: skip
            zf.writestr(zipfile.ZipInfo("manifest.json", FIXED_ZIP_TIME), json.dumps(manifest, indent=1, sort_keys=True))
            zf.writestr(zipfile.ZipInfo("custody.json", FIXED_ZIP_TIME), json.dumps(events, indent=1, sort_keys=True))
        spool.seek(0)
        return spool.read()  # the one copy in memory: the database stores the archive as one value


def clip_content(db: Database, clip_id: int) -> bytes:
    with db.read() as tx:
        return bytes(tx.scalar("SELECT content FROM clips WHERE id = :i", {"i": clip_id}) or b"")


def package_once(db: Database) -> int | None:
    """Build one package for the oldest request with pending submissions; its id, or None if nothing waits."""
    with db.read() as tx:
        row = tx.one("SELECT request FROM submissions WHERE package IS NULL ORDER BY id LIMIT 1")
        if row is None:
            return None
        request_id = int(row[0])
        req = tx.one("SELECT id, agency, case_number, incident_type FROM requests WHERE id = :i", {"i": request_id})
        pending = tx.all(
            "SELECT id, created, bytes FROM submissions WHERE request = :r AND package IS NULL ORDER BY id LIMIT :n",
            {"r": request_id, "n": MAX_SUBMISSIONS_PER_PACKAGE},
        )
        subs, total = [], 0
        for sub in pending:
            if subs and total + int(sub[2]) > MAX_PACKAGE_BYTES:
                break
            subs.append(sub)
            total += int(sub[2])
        ids = [int(s[0]) for s in subs]
        clips = tx.all(
            "SELECT id, submission, camera_id, t_start, t_end, sha256, size FROM clips "
            f"WHERE submission IN ({', '.join(str(i) for i in ids)}) ORDER BY id"
        )
    assert req is not None
    now = time.time()
    events = [{"ts": iso(s[1]), "event": "submitted", "submission": int(s[0]), "actor": "resident"} for s in subs]
    events.append({"ts": iso(now), "event": "packaged", "actor": "packaging-worker", "clips": len(clips)})
    request = {"id": req[0], "agency_id": req[1], "case_number": req[2], "incident_type": req[3]}
    archive = build_archive(request, clips, events, partial(clip_content, db))
    sha = hashlib.sha256(archive).hexdigest()
    try:
        with db.timed("package_store"), db.write() as tx:
            pid = tx.insert(
                "INSERT INTO packages (request, created, clips, bytes, sha256, content) VALUES (:r, :t, :n, :b, :s, :c) "
                "RETURNING id",
                {"r": request_id, "t": now, "n": len(clips), "b": len(archive), "s": sha, "c": archive},
            )
            marked = tx.execute(
                f"UPDATE submissions SET package = :p WHERE id IN ({', '.join(str(i) for i in ids)}) AND package IS NULL",
                {"p": pid},
            ).rowcount
            if marked != len(ids):
                raise _Raced
            tx.execute(
                "INSERT INTO custody (package, ts, event, actor, detail) VALUES (:p, :t, 'packaged', 'packaging-worker', :d)",
                {"p": pid, "t": now, "d": sha},
            )
    except _Raced:
        return None
    return pid


def package_pending(db: Database, max_packages: int = 100) -> int:
    """Build packages until nothing waits (at most `max_packages` per call); how many were built."""
    built = 0
    while built < max_packages and package_once(db) is not None:
        built += 1
    return built
