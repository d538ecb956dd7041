"""When a search audit log's searches were run: hour of day and day of week in the agency's local time.

The Eugene OR PD log stamps each search in UTC (its README; `sim.calibration.audit_logs` says how the data
confirm it). The model runs one national clock whose hours are local hours (docs/MODEL.md, "Simplifications"),
so the log's times are turned into Eugene's time zone, `EUGENE_TZ` (America/Los_Angeles: UTC-7 in summer time,
UTC-8 from 2025-11-02), with the standard library's `zoneinfo` (its data from the system or from the `tzdata`
package, which pandas installs).

`hour_counts(log)` counts searches per local hour (0..23), `weekday_counts(log)` per local weekday (0 Monday ..
6 Sunday); `block_shares(weights)` sums 24 hourly weights into the six four-hour blocks of
`sim.model.alpr_search_stats.HOUR_BLOCKS` (00-04, 04-08, ..., 20-24 local), the calibration rows' unit.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import numpy as np

from sim.calibration.audit_logs import AuditLog
from sim.model.alpr_search_stats import HOUR_BLOCKS

EUGENE_TZ = "America/Los_Angeles"


def _local(log: AuditLog, tz: str) -> list[datetime]:
    zone = ZoneInfo(tz)
    return [datetime.fromtimestamp(float(s), tz=UTC).astimezone(zone) for s in log.utc_s]


def hour_counts(log: AuditLog, tz: str = EUGENE_TZ) -> np.ndarray:
    """Searches per local hour of day, hour 0..23 (int64, length 24)."""
    return np.bincount([t.hour for t in _local(log, tz)], minlength=24).astype(np.int64)


def weekday_counts(log: AuditLog, tz: str = EUGENE_TZ) -> np.ndarray:
    """Searches per local day of week, 0 Monday .. 6 Sunday (int64, length 7)."""
    return np.bincount([t.weekday() for t in _local(log, tz)], minlength=7).astype(np.int64)


def block_shares(weights: np.ndarray | list[float]) -> dict[str, float]:
    """Shares of 24 hourly weights falling in each block of `HOUR_BLOCKS` (`BLOCK_HOURS` hours each) (they sum to 1)."""
    w = np.asarray(weights, dtype=float)
    if w.shape != (24,) or w.sum() <= 0:
        raise ValueError(f"need 24 hourly weights with a positive sum, got {w.shape[0] if w.ndim else 0} values")
    per_block = w.reshape(len(HOUR_BLOCKS), -1).sum(axis=1) / w.sum()
    return {name: float(v) for name, v in zip(HOUR_BLOCKS, per_block.tolist(), strict=True)}
