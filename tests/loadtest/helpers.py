"""Bodies the service tests send: a valid request, clips, a read batch; times relative to now."""

from __future__ import annotations

import base64
import time
from datetime import UTC, datetime
from typing import Any

from tests.loadtest.worlds import CENTRE


def iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).isoformat()


def request_body(case: str = "24-001234", **changes: Any) -> dict[str, Any]:
    now = time.time()
    body = {
        "case_number": case,
        "incident_type": "burglary",
        "location": {"lat": CENTRE[0], "lon": CENTRE[1]},
        "area_sq_mi": 0.25,
        "window_start": iso(now - 3 * 3600),
        "window_end": iso(now - 3600),
        "description": "Break-in on Oak St; looking for footage of a white van.",
    }
    body.update(changes)
    return body


def clip(content: bytes = b"\x00fake mp4 bytes\xff", offset_s: float = 2 * 3600) -> dict[str, Any]:
    start = time.time() - offset_s
    return {
        "camera_id": "front-door",
        "start": iso(start),
        "end": iso(start + 30),
        "content_b64": base64.b64encode(content).decode(),
    }


def read(plate: str = "ABC1234", ts: float | None = None, confidence: float = 0.9, **changes: Any) -> dict[str, Any]:
    r = {"plate": plate, "state": "NC", "ts": iso(ts if ts is not None else time.time() - 60), "confidence": confidence,
         "color": "white", "make": "Ford", "body": "van"}  # fmt: skip
    r.update(changes)
    return r
