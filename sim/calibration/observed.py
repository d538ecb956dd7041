"""The real figures a scenario of a period is compared with, computed from the shipped data or quoted.

`observed(period)` returns ``{key: Figure}`` for ``period`` 2024, 2025 or 2026:

- searches per agency per 30 days, p25/median/p75/p90 and mean, of the period's portals
  (`sim.calibration.portals`): 2024 for 2024 and for 2025 (no portal snapshot of 2025 exists; the 2024
  one is the last before the baseline's period), 2026 for 2026; with the zero-inflated lognormal fitted
  to them (`sim.calibration.fit`), which the scenarios of the period use; and the medians of the period's
  sheriffs' and local police's portals (``searches_30d_median.<type>``); where the two types' medians differ
  beyond sampling noise (`TYPES_DIFFER`: the 2024 portals, not the 2026 ones; `sim.calibration.shipped_by_type`)
  the period's scenarios give each type its median of one fit with a common log-sd and zero share
  (`searches_fit_by_type`), else both the pooled fit's;
- vehicles detected per camera-day, each portal's average over its cameras: its log-sd between agencies (from
  p25-p75; `sim.calibration.fit_rate_spread`), 2024 for 2024 and 2025, 2026 for 2026;
- scope shares and cameras per search of one city police department's own searches (Eugene OR PD,
  2025-06 to 2025-12, `sim.calibration.audit_logs`), for every period (the only such log shipped); its
  reason categories' shares among searches with a reason the rules map (`sim.calibration.fit_searches`:
  stolen vehicle, property crime, person crime, investigation, missing person) and its searches' shares
  by four-hour block of the local day and by day of week of the local date (`sim.calibration.log_timing`);
- one county sheriff's own searches (Okaloosa County FL SO, 2025-11-01 to 2025-12-08): searches per
  30 days, the median networks per search (1) and the share of searches reaching more than 1, >= 100,
  >= 1,000 and >= 5,000 networks, and the share that looked back beyond its 30-day retention (463 of 7,273)
  (docs/sources.md, computed by the project's owner from the MuckRock release; the log itself is not shipped);
- for 2026, the portals' partners (``connectionCount``: agencies each shares with or receives from), p25/median/
  p75/p90: 39 / 104 / 336 / 1,136 (docs/sources.md: median 104, p90 1,136);
- share of agencies granting each federal organisation 1:1: 2024 from the N&O lists (of the 224 agencies
  that list their sharing); 2025 and 2026 from the 2026 lists (connections / 906 portals: an upper bound
  for the share of portals, as a connection may also be a portal the organisation shares with).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from sim.calibration.audit_logs import read_audit_log
from sim.calibration.fit import LognormalFit, TypeFit, fit_by_type, fit_lognormal
from sim.calibration.log_reasons import class_counts, log_categories
from sim.calibration.log_timing import block_shares, hour_counts, weekday_counts
from sim.calibration.portals import (
    federal_connections_2026,
    federal_grants_2024,
    portal_connections_2026,
    portal_searches,
    portal_searches_by_type,
    portals_2026,
    vehicles_per_camera_day,
)
from sim.model.context import WEEKDAYS

PERIODS = ("2024", "2025", "2026")
EUGENE = "Eugene OR PD search audit log, 2025-06-18 to 2025-12-02 (data/audit_logs/eugene_or, CC0)"
OKALOOSA = ("Okaloosa County FL SO audit log, 2025-11-01 to 2025-12-08 (MuckRock; HistoryJunkie/OkaloosaALPR_AUDIT;"
            " docs/sources.md)")
PORTALS = {"2024": "Flock portals 2024-04 (data/private_eyes, N&O)",
           "2026": "Flock portals 2026-04 (data/flock_2026, DeFlock)"}
# Okaloosa County SO: 7,273 searches in 38 days; share of searches by networks searched (docs/sources.md).
OKALOOSA_SEARCHES = 7273
OKALOOSA_DAYS = 38
OKALOOSA_NETWORKS = {"over_1": 0.468, "ge_100": 0.44, "ge_1000": 0.216, "ge_5000": 0.073}
OKALOOSA_NETWORKS_MEDIAN = 1.0  # networks searched per search, median
OKALOOSA_LOOKBACK_OVER_30 = 463  # searches that looked back further than the 30-day retention
# Federal organisations of the 2026 lists, by the name the nodes file gives them.
FEDERAL_2026 = {"USPIS": "[Federal] US Postal Inspection Service",
                "FBI": "[Federal] Federal Bureau of Investigation (FBI)"}


# Whether the period's sheriffs' and local police's portals differ in searches per 30 days beyond sampling noise
# (the bootstrap 95% interval of the difference of their fitted log medians excludes 0; `python -m
# sim.calibration.shipped_figures`, tests/sim/test_calibration_shipped_by_type.py): 2024, +0.62 [+0.06, +1.22]
# (29 sheriffs, median 211, against 279 local police, 130); 2026, +0.29 [-0.26, +0.62] (111 against 776).
TYPES_DIFFER = {"2024": True, "2026": False}


@dataclass(frozen=True)
class Figure:
    value: float
    source: str


def portal_period(period: str) -> str:
    """The portal snapshot that stands for a period (2025 has none: the 2024 one)."""
    if period not in PERIODS:
        raise ValueError(f"period must be one of {list(PERIODS)}, got {period!r}")
    return "2026" if period == "2026" else "2024"


@lru_cache(maxsize=2)
def searches_fit(period: str) -> LognormalFit:
    """The zero-inflated lognormal of searches per agency per 30 days for a period's portals."""
    return fit_lognormal(portal_searches(portal_period(period)))


@lru_cache(maxsize=2)
def searches_fit_by_type(period: str) -> TypeFit:
    """One median per type (sheriffs, local police), a common log-sd and zero share, for a period's portals."""
    return fit_by_type(portal_searches_by_type(portal_period(period)))


def period_rates(period: str) -> dict[str, tuple[float, float, float]]:
    """(median, log-sd, zero share) the period's scenarios give local police and sheriffs: one median per type of
    `searches_fit_by_type` where the period's types differ (`TYPES_DIFFER`), else the pooled `searches_fit`."""
    if TYPES_DIFFER[portal_period(period)]:
        f = searches_fit_by_type(period)
        return {t: (m, f.sigma, f.zero_share) for t, m in f.median.items()}
    g = searches_fit(period)
    return dict.fromkeys(("local_police", "sheriff"), (g.median, g.sigma, g.zero_share))


@lru_cache(maxsize=3)
def observed(period: str) -> dict[str, Figure]:
    snap = portal_period(period)
    src = PORTALS[snap]
    x = portal_searches(snap)
    import numpy as np  # noqa: PLC0415 - kept local: the module is imported by the CLI before numpy is needed

    out = {f"searches_30d_{name}": Figure(float(np.quantile(x, q)), src)
           for name, q in (("p25", 0.25), ("median", 0.5), ("p75", 0.75), ("p90", 0.9))}
    out["searches_30d_mean"] = Figure(float(x.mean()), src)
    out["searches_30d_zero_share"] = Figure(float((x <= 0).mean()), src)
    from sim.model.alpr_reads import iqr_log_sd  # noqa: PLC0415 - numpy at import, as above

    out["vehicles_per_camera_day_log_sd"] = Figure(float(iqr_log_sd(vehicles_per_camera_day(snap)[0])), src)
    for t, xt in portal_searches_by_type(snap).items():
        out[f"searches_30d_median.{t}"] = Figure(float(np.median(xt)), f"{src}: {len(xt)} {t.replace('_', ' ')} portals")
    log = read_audit_log()
    for scope, share in log.scope_shares().items():
        out[f"eugene_scope_{scope}"] = Figure(share, EUGENE)
    out["eugene_searches_30d"] = Figure(log.per_30_days(), EUGENE)
    out["eugene_cameras_statewide_median"] = Figure(log.cameras_quantile(0.5, "statewide"), EUGENE)
    out["eugene_cameras_national_median"] = Figure(log.cameras_quantile(0.5, "national"), EUGENE)
    for category, share in log_categories(class_counts(log.reason)).items():
        out[f"eugene_reason_{category}"] = Figure(share, EUGENE)
    for block, share in block_shares(hour_counts(log)).items():
        out[f"eugene_hours_{block}"] = Figure(share, EUGENE)
    weekdays = weekday_counts(log)
    for day, n in zip(WEEKDAYS, weekdays.tolist(), strict=True):
        out[f"eugene_weekday_{day}"] = Figure(n / weekdays.sum(), EUGENE)
    out["okaloosa_searches_30d"] = Figure(OKALOOSA_SEARCHES * 30.0 / OKALOOSA_DAYS, OKALOOSA)
    for key, share in OKALOOSA_NETWORKS.items():
        out[f"okaloosa_networks_{key}"] = Figure(share, OKALOOSA)
    out["okaloosa_networks_median"] = Figure(OKALOOSA_NETWORKS_MEDIAN, OKALOOSA)
    out["okaloosa_lookback_over_30"] = Figure(OKALOOSA_LOOKBACK_OVER_30 / OKALOOSA_SEARCHES, OKALOOSA)
    if period == "2026":  # the portals' partners (connectionCount), in place of the 2024 portals' out-degree
        partners = portal_connections_2026()
        for name, q in (("p25", 0.25), ("median", 0.5), ("p75", 0.75), ("p90", 0.9)):
            out[f"partners_{name}"] = Figure(float(np.quantile(partners, q)), src)
    if period == "2024":
        sources, grants = federal_grants_2024()
        for unit, n in grants.items():
            out[f"federal_grant_share_{unit}"] = Figure(n / sources, f"N&O 2024 lists: {n} of {sources} agencies")
    else:
        conn, portals = federal_connections_2026(), portals_2026()
        for unit, name in FEDERAL_2026.items():
            n = conn.get(name, 0)
            out[f"federal_grant_share_{unit}"] = Figure(n / portals, f"2026 lists: {n} connections / {portals} portals")
    return out
