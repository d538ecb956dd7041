"""Fit the searches' reasons and hour of day to the Eugene OR PD audit log: ``python -m sim.calibration.fit_searches``.

Reasons (`behavior.searches.reasons`, shares of searches). Each free-text reason is classed by
`sim.calibration.log_reasons`; test searches and reasons no rule maps (no purpose stated, such as "daytime search
for best result") are left out, and the rest (the log's "informative" searches) give each class its share:
the assumption is that the searches left out were run for the same mix. Two steps are assumptions, not the log:

- the log's "property crime" (`PROPERTY_CRIME`) is split between ``theft``, ``burglary`` and ``fraud`` as
  `PROPERTY_SPLIT` (4 : 2 : 1, the ratio of the model's earlier assumed shares 0.2 : 0.1 : 0.05; plausible
  ranges of the pool: theft 0.4-0.8, burglary 0.1-0.4, fraud 0.05-0.3). The few searches the log names as
  theft, burglary or fraud (8, 3, 2: a ratio near 4 : 2 : 1) keep their own class;
- ``immigration`` keeps `IMMIGRATION_SHARE` (0.02 of all searches, plausible 0-0.05): the log shows none, but
  Oregon bars its police from immigration enforcement (ORS 181A.820), so one Oregon city cannot stand for the
  country, and the 2026 scenario's moderation blocks that reason. The log's classes share the other 0.98.

Reasons the log never names get 0 (``narcotics``: none of 3,985 informative searches names drugs). Shares are
rounded to 3 decimals.

Hour of day (`behavior.searches.hourly_profile`, 24 relative weights, mean 1): every search of the log (tests
included: they load the platform too) by its local hour (`sim.calibration.log_timing`), as share x 24, rounded
to 3 decimals.

Day of week (`behavior.searches.weekly_profile`, 7 relative weights Monday first, mean 1): every search by its
local date's day of week (`sim.calibration.log_timing`), as share x 7, rounded to 3 decimals. The log's span
(2025-06-17 to 12-02) holds 24 of each day of week and 25 Tuesdays, but its searches are not spread evenly over
it (79% fall in July-September, ~18 weeks' worth by effective count, sum^2 / sum of squares of the weekly
counts), so the shares are taken as they are, not per calendar day: the extra Tuesday, 2025-12-02, holds 3
searches. Only the log's full weeks (06-23 to 11-30, 4,098 searches) move no share by more than 0.8 points.
"""

from __future__ import annotations

import sys
from collections import Counter
from dataclasses import dataclass

import numpy as np

from sim.calibration.audit_logs import AuditLog, read_audit_log
from sim.calibration.log_reasons import (
    PROPERTY_CRIME,
    TEST,
    UNMAPPED,
    class_counts,
    informative_shares,
    unmapped_texts,
)
from sim.calibration.log_timing import hour_counts, weekday_counts
from sim.model.context import WEEKDAYS

PROPERTY_SPLIT = {"theft": 4 / 7, "burglary": 2 / 7, "fraud": 1 / 7}  # assumption (module docstring)
IMMIGRATION_SHARE = 0.02  # assumption (module docstring)
# The model's reasons in the order of `behavior.searches.reasons` (the order the reason draw uses).
MODEL_REASONS = ("stolen_vehicle", "theft", "burglary", "violent_crime", "fraud", "missing_person", "narcotics",
                 "traffic", "investigation", "immigration")


@dataclass(frozen=True)
class SearchFit:
    """The fitted defaults and what they were fitted from."""

    reasons: dict[str, float]  # behavior.searches.reasons
    hourly: list[float]  # behavior.searches.hourly_profile
    weekly: list[float]  # behavior.searches.weekly_profile
    classes: Counter[str]  # searches per class of the log (log_reasons.classify)
    informative: int  # searches neither tests nor unmapped
    weekdays: np.ndarray  # searches per local day of week, Monday first


def fit_reasons(classes: Counter[str]) -> dict[str, float]:
    """`behavior.searches.reasons` from a log's class counts (module docstring), rounded to 3 decimals."""
    shares = informative_shares(classes)
    unknown = set(shares) - set(MODEL_REASONS) - {PROPERTY_CRIME}
    if unknown:
        raise ValueError(f"classes {sorted(unknown)} are no model reason")
    pool = shares.get(PROPERTY_CRIME, 0.0)
    rest = 1.0 - IMMIGRATION_SHARE
    out = {}
    for r in MODEL_REASONS:
        share = shares.get(r, 0.0) + pool * PROPERTY_SPLIT.get(r, 0.0)
        out[r] = round(IMMIGRATION_SHARE if r == "immigration" else share * rest, 3)
    return out


def fit_hourly(hours: np.ndarray) -> list[float]:
    """24 relative weights (mean 1) from searches per local hour, rounded to 3 decimals."""
    h = np.asarray(hours, dtype=float)
    if h.shape != (24,) or h.sum() <= 0:
        raise ValueError("need searches per hour for 24 hours with a positive total")
    return [round(v, 3) for v in (h / h.sum() * 24).tolist()]


def fit_weekly(weekdays: np.ndarray) -> list[float]:
    """7 relative weights (mean 1), Monday first, from searches per local day of week, rounded to 3 decimals."""
    d = np.asarray(weekdays, dtype=float)
    if d.shape != (7,) or d.sum() <= 0:
        raise ValueError("need searches per day of week for 7 days with a positive total")
    return [round(v, 3) for v in (d / d.sum() * 7).tolist()]


def fit_searches(log: AuditLog) -> SearchFit:
    """Reasons, hourly and weekly profiles from one agency's log (module docstring)."""
    classes = class_counts(log.reason)
    informative = sum(v for k, v in classes.items() if k not in (TEST, UNMAPPED))
    weekdays = weekday_counts(log)
    return SearchFit(fit_reasons(classes), fit_hourly(hour_counts(log)), fit_weekly(weekdays), classes, informative,
                     weekdays)


def main() -> None:
    """``python -m sim.calibration.fit_searches [LOG.csv]``: print the classes and the fit."""
    log = read_audit_log(sys.argv[1]) if len(sys.argv) > 1 else read_audit_log()
    fit = fit_searches(log)
    print(f"{len(log):,} searches; informative {fit.informative:,} (tests {fit.classes[TEST]}, unmapped "
          f"{fit.classes[UNMAPPED]})")
    for name, n in fit.classes.most_common():
        print(f"  {name:16s} {n:6,d}")
    print("unmapped reasons, most frequent: " + ", ".join(f"{t or '(empty)'!r} {n}"
                                                        for t, n in unmapped_texts(log.reason).most_common(8)))
    print("behavior.searches.reasons: {" + ", ".join(f"{k}: {v:g}" for k, v in fit.reasons.items()) + "}")
    print("behavior.searches.hourly_profile: [" + ", ".join(f"{v:g}" for v in fit.hourly) + "]")
    print("behavior.searches.weekly_profile: [" + ", ".join(f"{v:g}" for v in fit.weekly) + "]")
    share = fit.weekdays / max(fit.weekdays.sum(), 1)
    print("searches by day of week: " + ", ".join(f"{d.title()} {n:,} ({s:.1%})" for d, n, s in
                                                  zip(WEEKDAYS, fit.weekdays.tolist(), share.tolist(), strict=True)))


if __name__ == "__main__":
    main()
