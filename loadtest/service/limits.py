"""Input limits and per-token rate limits.

Sources (docs/sources.md): request area 0.025-0.5 sq mi, window 15 min-12 h and at most 2 posts
per case are Ring's Request for Assistance policy; results only at >= 75% read confidence (City of Orange PD);
preset look-back windows up to 30 days (the default window) and national lookup by full plate only (Flock, 2025);
clips typically <= 1 min.
Everything else here is an assumption sized for a load test on one machine and says so.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict

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
SEARCH_WINDOW_DEFAULT_DAYS = 30  # a search without `since` looks back Flock's longest preset window (1, 7, 14, 30 days)
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
    "auth_failure": (10.0, 20.0),  # per client address: requests without a valid token (401s)
}


MAX_BUCKETS = 100_000
# Footage quotas (assumptions): what one resident may upload per UTC day, and what one request may collect.
RESIDENT_BYTES_PER_DAY = 64 << 20
REQUEST_BYTES_MAX = 256 << 20


class RateLimiter:
    """Token buckets keyed by (kind, subject): `allow()` is False when the bucket is empty (-> 429).

    At most `max_buckets` buckets are kept; beyond, the least recently used one is dropped (it starts full
    again if that subject comes back), so a flood of new addresses cannot reset everyone's buckets."""

    def __init__(
        self, scale: float = 1.0, limits: dict[str, tuple[float, float]] | None = None, max_buckets: int = MAX_BUCKETS
    ) -> None:
        self.scale, self.max_buckets = scale, max_buckets
        self.limits = limits or RATE_LIMITS
        self._buckets: OrderedDict[tuple[str, str], tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def exhausted(self, kind: str, subject: str, now: float | None = None) -> float:
        """Seconds until `subject`'s bucket has a token again (0: it has one); nothing is consumed."""
        if self.scale <= 0:
            return 0.0
        rate, burst = self.limits[kind]
        rate, burst = rate * self.scale, max(1.0, burst * self.scale)
        now = time.monotonic() if now is None else now
        with self._lock:
            held = self._buckets.get((kind, subject))
        if held is None:
            return 0.0
        tokens = min(burst, held[0] + (now - held[1]) * rate)
        return 0.0 if tokens >= 1.0 else (1.0 - tokens) / rate

    def allow(self, kind: str, subject: str, now: float | None = None) -> tuple[bool, float]:
        """(allowed, seconds until a token is available)."""
        if self.scale <= 0:
            return True, 0.0
        rate, burst = self.limits[kind]
        rate, burst = rate * self.scale, max(1.0, burst * self.scale)
        now = time.monotonic() if now is None else now
        key = (kind, subject)
        with self._lock:
            if key in self._buckets:
                self._buckets.move_to_end(key)
            elif len(self._buckets) >= self.max_buckets:
                self._buckets.popitem(last=False)  # bounded memory: the least recently used bucket goes
            tokens, last = self._buckets.get(key, (burst, now))
            tokens = min(burst, tokens + (now - last) * rate)
            if tokens >= 1.0:
                self._buckets[key] = (tokens - 1.0, now)
                return True, 0.0
            self._buckets[key] = (tokens, now)
            return False, (1.0 - tokens) / rate
