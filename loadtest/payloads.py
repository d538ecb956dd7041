"""Request bodies the simulated users send, drawn from a numpy Generator (never global random state).

Plates come from a fixed pool so searches find reads that cameras sent; the pool and the colour, make and
body tokens are the service's (`loadtest.service.vehicles`, shared with its prefill). Times are ISO 8601 in
UTC; areas in square miles; durations in seconds; clips carry `clip_bytes` random bytes. Everything a scenario
says about these bodies comes from the plan's `UserBehavior` (the scenario's ``behavior`` section): a search's
case-number share, reason (as the platform files it under its ``policy.reason_mode``; a federal unit's own), scope
(by the searching agency's type and whether it is by plate, as in the model) and look-back; a request's
area and window (log-uniform); clips per submission (1 + Poisson) and their length (min(Exp(mean), max), as in
the model).
"""

from __future__ import annotations

import base64
import math
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np

from loadtest.plan import UserBehavior
from loadtest.service.vehicles import BODIES, COLORS, MAKES, PLATE_POOL, confidences, plate_pool

INCIDENTS = ["burglary", "theft", "vehicle_theft", "vandalism", "assault", "robbery", "hit_and_run", "missing_person"]
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


def _draw(rng: np.random.Generator, mix: dict[str, float]) -> str:
    """One key of a weighted mix."""
    return _pick(rng, list(mix), list(mix.values()))


def _log_uniform(rng: np.random.Generator, low_high: tuple[float, float]) -> float:
    low, high = low_high
    return math.exp(rng.uniform(math.log(low), math.log(high))) if high > low else low



def plate(rng: np.random.Generator) -> str:
    return plate_pool()[int(rng.integers(PLATE_POOL))]


def reads(rng: np.random.Generator, n: int, state: str, misread_share: float) -> dict[str, Any]:
    """A batch of `n` reads, drawn in one go per field (the generator's hot path: keep Locust's CPU low);
    `misread_share` of them below the service's confidence threshold for results (`confidences`)."""
    ts = iso(now())
    pool = plate_pool()
    plates = rng.integers(PLATE_POOL, size=n).tolist()
    conf = confidences(rng, n, misread_share)
    colors, makes, bodies = (rng.integers(len(v), size=n).tolist() for v in (COLORS, MAKES, BODIES))
    return {
        "reads": [
            {"plate": pool[p], "state": state, "ts": ts, "confidence": c, "color": COLORS[a], "make": MAKES[b], "body": BODIES[d]}
            for p, c, a, b, d in zip(plates, conf, colors, makes, bodies, strict=True)
        ]
    }


def search(
    rng: np.random.Generator,
    by_plate: bool,
    behavior: UserBehavior,
    agency_type: str,
    case_number: str,
    unit: str | None = None,
    may_run_national_lookup: bool = True,
    proxy: bool = False,
) -> dict[str, Any]:
    """A search by an agency of `agency_type` (federal unit `unit`: its own reasons), by plate or by description;
    its scope drawn from the type's mix for that kind of search (`UserBehavior.search_scopes`: a statewide or national
    lookup is by full plate, a description search local or shared), statewide for a national one of an agency
    barred from national lookup (`may_run_national_lookup` false: its state's platform rule, as the model's
    searches are downgraded). It carries `case_number` with the behaviour's case-number share. A `proxy` lookup
    (run for a federal unit) is a national lookup by plate for the proxy reason, as the model's. Its look-back is
    a preset window or, for a description search (the Search tool), with probability ``lookback_beyond_share`` the custom range
    ``lookback_beyond_days``, sent as drawn however long the retention: a 30-day look-back under a 7-day retention
    asks for 30 days and finds 7, as the model's."""
    scope = "national" if proxy else _draw(rng, behavior.search_scopes(agency_type, by_plate))
    if scope == "national" and not may_run_national_lookup:
        scope = "statewide"
    days = int(_draw(rng, behavior.lookback_days))
    if not by_plate and rng.random() < behavior.lookback_beyond_share:  # a Search-tool custom range beyond the presets
        days = behavior.lookback_beyond_days  # sent as drawn: the service finds what each owner holds, as the model
    body: dict[str, Any] = {
        "reason": behavior.proxy_reason if proxy else _draw(rng, behavior.reasons_of(unit)),
        "scope": scope,
        "since": iso(now() - timedelta(days=days) + timedelta(minutes=1)),
    }
    if by_plate:
        body["plate"] = plate(rng)
    else:
        body["vehicle"] = {"color": _pick(rng, COLORS), "make": _pick(rng, MAKES), "body": _pick(rng, BODIES)}
    if rng.random() < behavior.case_number_share:
        body["case_number"] = case_number
    return body


def jitter(rng: np.random.Generator, lat: float, lon: float, metres: float) -> tuple[float, float]:
    """A point within about `metres` of (lat, lon)."""
    d_lat = float(rng.uniform(-metres, metres)) / METRES_PER_DEGREE
    d_lon = float(rng.uniform(-metres, metres)) / (METRES_PER_DEGREE * max(math.cos(math.radians(lat)), 0.1))
    return round(lat + d_lat, 6), round(lon + d_lon, 6)


def request(rng: np.random.Generator, case_number: str, lat: float, lon: float, behavior: UserBehavior) -> dict[str, Any]:
    """A community request near (lat, lon): log-uniform area (at most policy.request_area_cap_sq_mi) and window,
    ending within the last day."""
    area = _log_uniform(rng, behavior.request_area_sq_mi)  # capped below, by the platform's rule, as the model's
    window_s = _log_uniform(rng, behavior.request_window_s)
    end = now() - timedelta(seconds=float(rng.uniform(60, 86_400)))
    lat, lon = jitter(rng, lat, lon, 100.0)
    return {
        "case_number": case_number,
        "incident_type": _pick(rng, INCIDENTS),
        "location": {"lat": lat, "lon": lon},
        "area_sq_mi": min(round(area, 4), behavior.request_area_cap_sq_mi),
        "window_start": iso(end - timedelta(seconds=window_s)),
        "window_end": iso(end),
        "description": "load test request",
    }


def clip_count(rng: np.random.Generator, behavior: UserBehavior, most: int) -> int:
    """Clips in one submission: 1 + Poisson(extra_clips_mean), at most `most` (the service's limit)."""
    return min(1 + int(rng.poisson(behavior.extra_clips_mean)), most)


def submission(
    rng: np.random.Generator, household: str, clip_bytes: int, window: tuple[str, str], behavior: UserBehavior, clips: int = 1
) -> dict[str, Any]:
    """`clips` clips of min(Exp(mean), max) seconds (the behaviour's clip length) inside the request's window
    (ISO 8601 strings)."""
    w0, w1 = datetime.fromisoformat(window[0]), datetime.fromisoformat(window[1])
    span = (w1 - w0).total_seconds()
    mean_s, max_s = behavior.clip_length_s
    out = []
    for k in range(clips):
        length = max(min(float(rng.exponential(mean_s)), max_s, span), 1.0)
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


HOTLIST_PLATES = 20  # plates per uploaded hotlist (assumption)


def hot_plates(behavior: UserBehavior) -> int:
    """How many plates of the pool hotlists hold: the first hotlist_hit_share x `PLATE_POOL` (at least 1). Cameras
    read the pool's plates alike, so a share hotlist_hit_share of reads is of a hotlisted plate, as in the model,
    however many hotlists a run uploads (drawn from the whole pool, the share grew by 0.1% per hotlist)."""
    return max(1, round(behavior.hotlist_hit_share * PLATE_POOL))


def hotlist(
    rng: np.random.Generator, name: str, state: str, behavior: UserBehavior, plates: int = HOTLIST_PLATES
) -> dict[str, Any]:
    """A hotlist of up to `plates` distinct plates of the pool's hot ones (`hot_plates`), each with a reason drawn
    from the search reasons."""
    pool, hot = plate_pool(), hot_plates(behavior)
    chosen = rng.choice(hot, size=min(plates, hot), replace=False).tolist()
    return {
        "name": name,
        "plates": [{"plate": pool[i], "state": state, "reason": _draw(rng, behavior.search_reasons)} for i in chosen],
    }
