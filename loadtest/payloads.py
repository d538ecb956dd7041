"""Request bodies the simulated users send, drawn from a numpy Generator (never global random state).

Plates come from a fixed pool so searches find reads that cameras sent; the pool and the colour, make and body
tokens are the service's (`loadtest.service.vehicles`, shared with its prefill). Times are ISO 8601 in UTC; areas in square
miles (Ring's 0.025-0.5 range); request windows 15 min to 12 h (Ring policy); clips carry `clip_bytes`
random bytes. Search reasons, scopes and look-back windows follow `scenarios/baseline.yaml`'s
behavior.searches (Flock's 1/7/14/30-day windows).
"""

from __future__ import annotations

import base64
import math
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np

from loadtest.service.vehicles import BODIES, COLORS, MAKES, PLATE_POOL, plate_pool

INCIDENTS = ["burglary", "theft", "vehicle_theft", "vandalism", "assault", "robbery", "hit_and_run", "missing_person"]
REASONS = [
    "stolen_vehicle",
    "theft",
    "burglary",
    "violent_crime",
    "fraud",
    "missing_person",
    "narcotics",
    "traffic",
    "investigation",
]
REASON_WEIGHTS = [0.25, 0.2, 0.1, 0.12, 0.05, 0.05, 0.08, 0.05, 0.08]
LOOKBACK_DAYS = [1, 7, 14, 30]
LOOKBACK_WEIGHTS = [0.3, 0.35, 0.15, 0.2]
SCOPES = ["local", "statewide", "national"]
SCOPE_WEIGHTS = [0.5, 0.3, 0.2]
METRES_PER_DEGREE = 111_320.0


def iso(t: datetime) -> str:
    return t.astimezone(UTC).isoformat().replace("+00:00", "Z")


def now() -> datetime:
    return datetime.now(UTC)


def _pick(rng: np.random.Generator, items: list[Any], weights: list[float] | None = None) -> Any:
    if weights is None:
        return items[int(rng.integers(len(items)))]
    p = np.asarray(weights, dtype=float)
    return items[int(rng.choice(len(items), p=p / p.sum()))]


def plate(rng: np.random.Generator) -> str:
    return plate_pool()[int(rng.integers(PLATE_POOL))]


def reads(rng: np.random.Generator, n: int, state: str) -> dict[str, Any]:
    """A batch of `n` reads, drawn in one go per field (the generator's hot path: keep Locust's CPU low)."""
    ts = iso(now())
    pool = plate_pool()
    plates = rng.integers(PLATE_POOL, size=n).tolist()
    conf = np.round(rng.uniform(0.6, 1.0, n), 3).tolist()
    colors, makes, bodies = (rng.integers(len(v), size=n).tolist() for v in (COLORS, MAKES, BODIES))
    return {
        "reads": [
            {"plate": pool[p], "state": state, "ts": ts, "confidence": c, "color": COLORS[a], "make": MAKES[b], "body": BODIES[d]}
            for p, c, a, b, d in zip(plates, conf, colors, makes, bodies, strict=True)
        ]
    }


def search(rng: np.random.Generator, by_plate: bool, case_number: str | None) -> dict[str, Any]:
    scope = _pick(rng, SCOPES, SCOPE_WEIGHTS) if by_plate else _pick(rng, SCOPES[:2], SCOPE_WEIGHTS[:2])
    days = _pick(rng, LOOKBACK_DAYS, LOOKBACK_WEIGHTS)
    body: dict[str, Any] = {
        "reason": _pick(rng, REASONS, REASON_WEIGHTS),
        "scope": scope,
        "since": iso(now() - timedelta(days=days) + timedelta(minutes=1)),
    }
    if by_plate:
        body["plate"] = plate(rng)
    else:
        body["vehicle"] = {"color": _pick(rng, COLORS), "make": _pick(rng, MAKES), "body": _pick(rng, BODIES)}
    if case_number:
        body["case_number"] = case_number
    return body


def jitter(rng: np.random.Generator, lat: float, lon: float, metres: float) -> tuple[float, float]:
    """A point within about `metres` of (lat, lon)."""
    d_lat = float(rng.uniform(-metres, metres)) / METRES_PER_DEGREE
    d_lon = float(rng.uniform(-metres, metres)) / (METRES_PER_DEGREE * max(math.cos(math.radians(lat)), 0.1))
    return round(lat + d_lat, 6), round(lon + d_lon, 6)


def request(rng: np.random.Generator, case_number: str, lat: float, lon: float) -> dict[str, Any]:
    """A community request near (lat, lon): log-uniform area and window, ending within the last day."""
    area = math.exp(rng.uniform(math.log(0.025), math.log(0.5)))
    window_s = math.exp(rng.uniform(math.log(15 * 60), math.log(12 * 3600)))
    end = now() - timedelta(seconds=float(rng.uniform(60, 86_400)))
    lat, lon = jitter(rng, lat, lon, 100.0)
    return {
        "case_number": case_number,
        "incident_type": _pick(rng, INCIDENTS),
        "location": {"lat": lat, "lon": lon},
        "area_sq_mi": round(area, 4),
        "window_start": iso(end - timedelta(seconds=window_s)),
        "window_end": iso(end),
        "description": "load test request",
    }


def submission(
    rng: np.random.Generator, household: str, clip_bytes: int, window: tuple[str, str], clips: int = 1
) -> dict[str, Any]:
    """Clips of 10-60 s (Ring clips are typically <= 1 min) inside the request's window (ISO 8601 strings)."""
    w0, w1 = datetime.fromisoformat(window[0]), datetime.fromisoformat(window[1])
    span = (w1 - w0).total_seconds()
    out = []
    for k in range(clips):
        length = min(float(rng.uniform(10, 60)), span)
        start = w0 + timedelta(seconds=float(rng.uniform(0, max(span - length, 0.0))))
        content = base64.b64encode(rng.bytes(clip_bytes)).decode("ascii")
        out.append(
            {
                "camera_id": f"ring-{household}-{k}",
                "start": iso(start),
                "end": iso(start + timedelta(seconds=length)),
                "content_b64": content,
            }
        )
    return {"clips": out}


def hotlist(rng: np.random.Generator, name: str, state: str, plates: int = 20) -> dict[str, Any]:
    return {
        "name": name,
        "plates": [{"plate": plate(rng), "state": state, "reason": _pick(rng, REASONS, REASON_WEIGHTS)} for _ in range(plates)],
    }
