"""Real Flock search audit logs: the Eugene (OR) PD log shipped in data/audit_logs/eugene_or (CC0).

The log lists 4,294 searches run by Eugene PD officers, 2025-06-18 to 2025-12-02 (Flock transparency
portal, archived by EyesOffEugene; credit and licence in the folder's README and LICENSE-CC0). Columns:
``id`` (search), ``userId`` (officer), ``searchDate`` (UTC, ``YYYY-MM-DD HH:MM:SS[.fff]``),
``cameraCount`` (cameras the search covered), ``reason`` (free text).

The log's own README gives ``searchDate`` in UTC, and the data agree: read as UTC and turned into Pacific
time, the searches' trough falls at 03:00-06:00 and their peak at 11:00-15:00 local time (read as local
times, the trough would sit at 09:00-12:00, mid-morning); `sim.calibration.log_timing` works in local time.

`read_audit_log(path)` parses such a file into arrays and counts what it skipped (rows with the wrong
number of fields, an unreadable date or a camera count that is not a whole number >= 0); a missing file
or column raises `AuditLogError` naming it. `scope_of(cameras)` classes each search by the cameras it
covered: the log carries no scope column, but its camera counts fall in three clusters far apart (the
agency's own ~95-135 cameras, a statewide lookup of ~2,500, a national lookup of ~87,000), so the
thresholds `LOCAL_MAX_CAMERAS` (500) and `NATIONAL_MIN_CAMERAS` (20,000) sit in the empty gaps between
them. Searches that covered 0 cameras (1.8% of the log) count as local. Units: cameras, days.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

EUGENE = Path(__file__).resolve().parents[2] / "data" / "audit_logs" / "eugene_or" / "EPDSearchAuditLogs.csv"
COLUMNS = ("id", "userId", "searchDate", "cameraCount", "reason")
LOCAL_MAX_CAMERAS = 500
NATIONAL_MIN_CAMERAS = 20_000
LOG_SCOPES = ("local", "statewide", "national")


class AuditLogError(ValueError):
    """An audit log that cannot be read (missing file or column)."""


@dataclass
class AuditLog:
    """One agency's searches as arrays, in file order, and what the reader skipped."""

    time_days: np.ndarray  # float64 days since the first search
    utc_s: np.ndarray  # float64 seconds since 1970-01-01 00:00 UTC (``searchDate`` read as UTC)
    user: np.ndarray  # int64 officer index (0..officers-1, in order of first appearance)
    cameras: np.ndarray  # int64 cameras covered
    reason: list[str]
    skipped: dict[str, int] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.cameras)

    @property
    def span_days(self) -> float:
        return float(self.time_days.max() - self.time_days.min()) if len(self) else 0.0

    @property
    def officers(self) -> int:
        return int(self.user.max()) + 1 if len(self) else 0

    def per_30_days(self) -> float:
        """Searches per 30 days over the log's span (first to last search)."""
        return 30.0 * len(self) / self.span_days if self.span_days > 0 else float("nan")

    def scope_shares(self) -> dict[str, float]:
        """Share of searches in each `LOG_SCOPES` class (see `scope_of`)."""
        counts = np.bincount(scope_of(self.cameras), minlength=len(LOG_SCOPES))
        return {s: float(c) / max(len(self), 1) for s, c in zip(LOG_SCOPES, counts.tolist(), strict=True)}

    def cameras_quantile(self, q: float, scope: str | None = None) -> float:
        """Quantile `q` (0..1) of cameras per search, over all searches or those of one scope class."""
        x = self.cameras if scope is None else self.cameras[scope_of(self.cameras) == LOG_SCOPES.index(scope)]
        return float(np.quantile(x, q)) if len(x) else float("nan")


def scope_of(cameras: np.ndarray) -> np.ndarray:
    """0 local, 1 statewide, 2 national, by the camera-count thresholds of the module docstring."""
    c = np.asarray(cameras)
    return (c >= LOCAL_MAX_CAMERAS).astype(np.int64) + (c >= NATIONAL_MIN_CAMERAS)


def _time(text: str) -> datetime | None:
    for fmt in ("%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%d %H:%M:%S"):
        try:
            return datetime.strptime(text.strip(), fmt)
        except ValueError:
            continue
    return None


def read_audit_log(path: str | Path = EUGENE) -> AuditLog:
    """Parse an audit log of the Eugene layout (see the module docstring)."""
    path = Path(path)
    if not path.is_file():
        raise AuditLogError(f"{path}: audit log not found")
    skipped = {"fields": 0, "date": 0, "cameras": 0}
    times: list[datetime] = []
    users: dict[str, int] = {}
    user: list[int] = []
    cams: list[int] = []
    reasons: list[str] = []
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        header = next(reader, None) or []
        missing = [c for c in COLUMNS if c not in header]
        if missing:
            raise AuditLogError(f"{path}: missing column(s) {missing}; expected {list(COLUMNS)}")
        col = {c: header.index(c) for c in COLUMNS}
        for row in reader:
            if len(row) != len(header):
                skipped["fields"] += 1
                continue
            t = _time(row[col["searchDate"]])
            if t is None:
                skipped["date"] += 1
                continue
            text = row[col["cameraCount"]].strip()
            if not text.isdigit():
                skipped["cameras"] += 1
                continue
            times.append(t)
            user.append(users.setdefault(row[col["userId"]], len(users)))
            cams.append(int(text))
            reasons.append(row[col["reason"]])
    utc_s = np.array([t.replace(tzinfo=UTC).timestamp() for t in times], dtype=float)
    days = (utc_s - utc_s.min()) / 86_400.0 if len(utc_s) else np.zeros(0)
    return AuditLog(time_days=days, utc_s=utc_s, user=np.asarray(user, dtype=np.int64), cameras=np.asarray(cams, dtype=np.int64),
                    reason=reasons, skipped={k: v for k, v in skipped.items() if v})
