"""Input limits and per-token rate limits.

Sources (../shared/reference/figures.md): request area 0.025-0.5 sq mi, window 15 min-12 h and at most 2 posts
per case are Ring's Request for Assistance policy; results only at >= 75% read confidence (City of Orange PD);
lookup windows up to 30 days and national lookup by full plate only (Flock, 2025); clips typically <= 1 min.
Everything else here is an assumption sized for a load test on one machine and says so.
"""

from __future__ import annotations

import threading
import time

# Community requests (Ring policy, high confidence).
AREA_MIN_SQ_MI = 0.025
AREA_MAX_SQ_MI = 0.5
WINDOW_MIN_S = 15 * 60
WINDOW_MAX_S = 12 * 3600
REQUEST_OPEN_DAYS = 14  # assumption: how long a request stays open in the feed
CASE_NUMBER_MAX = 64  # assumption
DESCRIPTION_MAX = 2000  # assumption
# Clips (assumptions; Ring clips are typically <= 1 min).
CLIPS_PER_SUBMISSION_MAX = 10
CLIP_BYTES_MAX = 1 << 20
CLIP_SECONDS_MAX = 300
# ALPR.
READS_PER_BATCH_MAX = 5000  # assumption: one POST carries at most 5,000 reads
CONFIDENCE_MIN_RESULT = 0.75  # Orange PD: results only at >= 75% confidence
CLOCK_SKEW_S = 300  # assumption: reads may be stamped up to 5 min in the future
HOTLIST_PLATES_MAX = 10_000  # assumption: plates in one POST /v1/hotlists
HOTLIST_ENTRIES_PER_AGENCY_MAX = 20_000  # assumption: distinct (plate, state) entries across an agency's hotlists
SEARCH_WINDOW_MAX_DAYS = 30  # Flock lookup windows: 1, 7, 14 or 30 days
SEARCH_RESULTS_MAX = 1000  # assumption: results per search response
REASON_MAX = 200  # assumption
# Pages and bodies (assumptions).
PAGE_SIZE_DEFAULT = 50
PAGE_SIZE_MAX = 500
BODY_MAX_DEFAULT = 64 * 1024
BODY_MAX_READS = 4 * 1024 * 1024
BODY_MAX_SUBMISSION = 16 * 1024 * 1024
IDEMPOTENCY_KEY_MAX = 128
IDEMPOTENCY_TTL_S = 24 * 3600  # assumption (as common payment APIs do)

# Per-token rate limits: (requests per second, burst). Assumptions, generous enough that a load test sharing one
# token between many simulated users is not throttled; `Settings.rate_scale` scales them, 0 turns them off.
RATE_LIMITS: dict[str, tuple[float, float]] = {
    "agency": (200.0, 400.0),
    "resident": (20.0, 40.0),
    "camera": (50.0, 100.0),
    "admin": (50.0, 100.0),
    "public": (500.0, 1000.0),  # per client address, for the transparency pages
}


MAX_BUCKETS = 100_000


class RateLimiter:
    """Token buckets keyed by (kind, subject): `allow()` is False when the bucket is empty (-> 429)."""

    def __init__(self, scale: float = 1.0, limits: dict[str, tuple[float, float]] | None = None) -> None:
        self.scale = scale
        self.limits = limits or RATE_LIMITS
        self._buckets: dict[tuple[str, str], tuple[float, float]] = {}
        self._lock = threading.Lock()

    def allow(self, kind: str, subject: str, now: float | None = None) -> tuple[bool, float]:
        """(allowed, seconds until a token is available)."""
        if self.scale <= 0:
            return True, 0.0
        rate, burst = self.limits[kind]
        rate, burst = rate * self.scale, max(1.0, burst * self.scale)
        now = time.monotonic() if now is None else now
        key = (kind, subject)
        with self._lock:
            if len(self._buckets) >= MAX_BUCKETS and key not in self._buckets:
                self._buckets.clear()  # bounded memory under many client addresses: every bucket starts full again
            tokens, last = self._buckets.get(key, (burst, now))
            tokens = min(burst, tokens + (now - last) * rate)
            if tokens >= 1.0:
                self._buckets[key] = (tokens - 1.0, now)
                return True, 0.0
            self._buckets[key] = (tokens, now)
            return False, (1.0 - tokens) / rate
