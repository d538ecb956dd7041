"""Whole-run statistics of the ALPR searches that real audit logs and portals can be compared with.

`SearchStats` keeps, per recorded search, the searcher's type, scope and the networks and cameras its
scope reached (a few bytes each: ~1.5 million searches in a national 30-day run), and per agency its own
searches (proxy lookups excluded). `totals(per_agency, days)` gives:

- ``alpr.searches_per_agency_30d_{p25,median,p75,p90,mean}``: over police agencies (not federal units, not
  private owners, which never search), own searches scaled to 30 days (the portals' figures);
- ``alpr.searches_per_agency_30d_by_type.<type>.{p25,median,p75,p90,mean}``: the same over the agencies of one
  type (local police, sheriffs, state police; the portals of 2024 and 2026 by type, `sim.calibration.portals`);
- ``search.scope_share.<type>.<scope>``: share of a searcher type's own searches run in each scope
  (the Eugene OR PD log for ``local_police``);
- ``search.networks_share.<type>.<threshold>``: share of a type's own searches reaching more than one
  network (``over_1``) or at least 100, 1,000, 5,000 (``ge_100`` ...; the Okaloosa County SO log);
- ``search.purpose_share.<type>.<purpose>``: share of a type's own searches by purpose, why each was run (the
  audited reason under free text; under the offense-type drop-down the audit may say ``other``), named as the
  constructor is given them (the Eugene log's free-text reasons for ``local_police``);
- ``search.hour_share.<type>.<block>``: share of a type's own searches run in each four-hour block of the day
  (`HOUR_BLOCKS`; the Eugene log's local hours for ``local_police``);
- ``search.weekday_share.<type>.<day>``: share of an average week's own searches of a type run on each day of
  week (`WEEKDAYS`, ``mon`` .. ``sun``): each day's searches over the recorded days that fell on it, normalised
  to sum 1, so a 30-day run's five Mondays weigh as one (the Eugene log's local dates for ``local_police``);
  0 for a day of week the run did not record;
- ``search.lookback_share.<type>.over_30``: share of a type's own searches whose look-back reaches beyond Flock's
  30-day preset (a custom range; the Okaloosa County SO log: 463 of 7,273);
- ``search.cameras_median.<type>.<scope>``: median cameras reached by a type's own searches in a scope,
  ``all`` for every non-federal searcher (the Eugene log's national lookups);
- ``search.cameras_median_statewide.<state>``: median cameras reached by the statewide lookups of one state's
  local police (a statewide lookup's reach is its state's: the Eugene log's are Oregon's, so its row reads
  ``OR``), for every state with such searches.
Types are the agency types (`sim.world.types.AGENCY_TYPES`); scopes `sim.config.behavior_alpr.SEARCH_SCOPES`.
"""

from __future__ import annotations

import math

import numpy as np

from sim.config.behavior_alpr import LOOKBACK_PRESETS, SEARCH_SCOPES
from sim.geo.states import STATE_CODES
from sim.model.context import WEEKDAYS
from sim.world.types import AGENCY_TYPES, FEDERAL, LOCAL, SHERIFF, STATE_POLICE, is_police

NAN = math.nan

STATEWIDE = SEARCH_SCOPES.index("statewide")

THRESHOLDS = {"over_1": 2, "ge_100": 100, "ge_1000": 1000, "ge_5000": 5000}
# Four-hour blocks of the (local) hour of day a search is run, in order: hour h falls in block h // 4.
HOUR_BLOCKS = ("h00_04", "h04_08", "h08_12", "h12_16", "h16_20", "h20_24")
BLOCK_HOURS = 24 // len(HOUR_BLOCKS)
QUANTILES = {"p25": 25, "median": 50, "p75": 75, "p90": 90}
POLICE_TYPES = (LOCAL, SHERIFF, STATE_POLICE)  # the searchers of `alpr.searches_per_agency_30d_by_type`


def _per_30d(prefix: str, per30: np.ndarray) -> dict[str, float]:
    """Quantiles and mean of searches per agency per 30 days under ``prefix``; no agencies (a world without state
    police): not measured, NaN, never "a median of 0 searches"."""
    if not len(per30):
        return {f"{prefix}{name}": NAN for name in (*QUANTILES, "mean")}
    out = {f"{prefix}{name}": float(np.percentile(per30, q)) for name, q in QUANTILES.items()}
    out[f"{prefix}mean"] = float(per30.mean())
    return out

class SearchStats:
    def __init__(self, reasons: list[str]) -> None:
        """`reasons`: the names of the purpose codes `add` is given (``search.purpose_share``'s members)."""
        self.reasons = list(reasons)
        self.parts: dict[str, list[np.ndarray]] = {k: [] for k in ("kind", "scope", "networks", "cameras", "state",
                                                                   "hour", "reason")}
        self.by_weekday = np.zeros((len(AGENCY_TYPES), len(WEEKDAYS)), dtype=np.int64)  # own searches, type x day
        self.days_by_weekday = np.zeros(len(WEEKDAYS), dtype=np.int64)  # recorded days on each day of week
        self.over_30 = np.zeros(len(AGENCY_TYPES), dtype=np.int64)  # own searches looking back beyond 30 days, by type

    def count_day(self, weekday: int) -> None:
        """One recorded day, on day of week `weekday` (0 Monday), whether or not it had searches."""
        self.days_by_weekday[weekday] += 1

    def add(self, kind: np.ndarray, scope: np.ndarray, networks: np.ndarray, cameras: np.ndarray,
            proxy: np.ndarray, hour: np.ndarray, reason: np.ndarray, state: np.ndarray | None = None,
            weekday: int = 0, window: np.ndarray | None = None) -> None:
        """One day's searches (`hour`: 0..23 of the day each was run; `reason`: its purpose, an index into the
        constructor's reasons; `state`: each searcher's state code, -1 federal; none: -1; `weekday`: the day's day
        of week, 0 Monday, the day itself counted by `count_day`; `window`: look-back days, none: all within 30);
        proxy lookups are left out (they are not the searcher's own searches)."""
        own = ~proxy
        self.by_weekday[:, weekday] += np.bincount(np.asarray(kind)[own].astype(np.int64), minlength=len(AGENCY_TYPES))
        if window is not None:
            beyond = own & (np.asarray(window) > LOOKBACK_PRESETS[-1])
            self.over_30 += np.bincount(np.asarray(kind)[beyond].astype(np.int64), minlength=len(AGENCY_TYPES))
        state = np.full(len(own), -1) if state is None else state
        for key, val, dtype in (("kind", kind, np.int8), ("scope", scope, np.int8), ("networks", networks, np.float32),
                                ("cameras", cameras, np.float32), ("state", state, np.int16), ("hour", hour, np.int8),
                                ("reason", reason, np.int16)):
            self.parts[key].append(np.asarray(val)[own].astype(dtype))

    def _shares(self, kind: np.ndarray, code: np.ndarray, names: list[str] | tuple[str, ...], family: str
                ) -> dict[str, float]:
        """``<family>.<type>.<name>``: share of each type's own searches with each `code` (an index into `names`)."""
        n_t, n_c = len(AGENCY_TYPES), len(names)
        counts = np.bincount(kind.astype(np.int64) * n_c + code, minlength=n_t * n_c).reshape(n_t, n_c)
        per_type = counts.sum(axis=1)
        return {f"{family}.{tname}.{name}": float(counts[t, i]) / per_type[t] if per_type[t] else 0.0
                for t, tname in enumerate(AGENCY_TYPES) for i, name in enumerate(names)}

    def _weekday_shares(self) -> dict[str, float]:
        """``search.weekday_share.<type>.<day>``: each day of week's searches per recorded day of it, as shares."""
        days = self.days_by_weekday
        per_day = np.divide(self.by_weekday, days, out=np.zeros(self.by_weekday.shape), where=days > 0)
        week = per_day.sum(axis=1)
        return {f"search.weekday_share.{tname}.{d}": float(per_day[t, i] / week[t]) if week[t] else 0.0
                for t, tname in enumerate(AGENCY_TYPES) for i, d in enumerate(WEEKDAYS)}

    def totals(self, agency_kind: np.ndarray, per_agency: np.ndarray, days: int) -> dict[str, float]:
        out: dict[str, float] = {}
        per30 = per_agency * 30.0 / max(days, 1)
        out.update(_per_30d("alpr.searches_per_agency_30d_", per30[is_police(agency_kind)]))
        for t in POLICE_TYPES:
            out.update(_per_30d(f"alpr.searches_per_agency_30d_by_type.{AGENCY_TYPES[t]}.", per30[agency_kind == t]))
        cat = {k: (np.concatenate(v) if v else np.zeros(0, dtype=np.int64)) for k, v in self.parts.items()}
        out.update(self._shares(cat["kind"], cat["reason"].astype(np.int64), self.reasons, "search.purpose_share"))
        out.update(self._shares(cat["kind"], cat["hour"].astype(np.int64) // BLOCK_HOURS, HOUR_BLOCKS,
                                "search.hour_share"))
        out.update(self._weekday_shares())
        own = self.by_weekday.sum(axis=1)
        for t, tname in enumerate(AGENCY_TYPES):
            out[f"search.lookback_share.{tname}.over_30"] = float(self.over_30[t] / own[t]) if own[t] else 0.0
        n_scopes = len(SEARCH_SCOPES)
        # One stable sort by (type, scope) makes every group a contiguous block, instead of a boolean mask over
        # the run's ~1.5 million searches per group: a block holds the same values as the mask selected (so
        # the same medians and counts), and int8 codes sort by radix in one pass.
        code = (cat["kind"].astype(np.int16) * n_scopes + cat["scope"]).astype(np.int8)
        order = np.argsort(code, kind="stable")
        networks, cameras = cat["networks"][order], cat["cameras"][order]
        edge = np.searchsorted(code[order], np.arange(len(AGENCY_TYPES) * n_scopes + 1)).tolist()

        def block(t: int, i: int) -> np.ndarray:
            return cameras[edge[t * n_scopes + i]:edge[t * n_scopes + i + 1]]

        for t, tname in enumerate(AGENCY_TYPES):
            lo, hi = edge[t * n_scopes], edge[(t + 1) * n_scopes]
            n = hi - lo
            for i, sname in enumerate(SEARCH_SCOPES):
                x = block(t, i)
                out[f"search.scope_share.{tname}.{sname}"] = float(len(x)) / n if n else 0.0
                out[f"search.cameras_median.{tname}.{sname}"] = float(np.median(x)) if len(x) else 0.0
            for key, k in THRESHOLDS.items():
                out[f"search.networks_share.{tname}.{key}"] = float((networks[lo:hi] >= k).sum()) / n if n else 0.0
        for i, sname in enumerate(SEARCH_SCOPES):
            x = np.concatenate([block(t, i) for t in range(len(AGENCY_TYPES)) if t != FEDERAL])
            out[f"search.cameras_median.all.{sname}"] = float(np.median(x)) if len(x) else 0.0
        lo, hi = edge[LOCAL * n_scopes + STATEWIDE], edge[LOCAL * n_scopes + STATEWIDE + 1]
        state = cat["state"][order][lo:hi]
        by_state = np.argsort(state, kind="stable")
        st, cam = state[by_state], cameras[lo:hi][by_state]
        for code in np.unique(st[st >= 0]).tolist():
            a, b = np.searchsorted(st, [code, code + 1])
            out[f"search.cameras_median_statewide.{STATE_CODES[code]}"] = float(np.median(cam[a:b]))
        return out
