"""Agency searches of the ALPR federation, drawn a day at a time, vectorised.

Rates. Each agency searches as a Poisson process with a rate drawn once: 0 for a share
``per_agency_zero_share`` of agencies (stream ``searches.active``), else the median of its type
(``behavior.searches.per_agency_30d_median``) times a lognormal factor of log-sd ``per_agency_sigma``
(stream ``searches.rates``): a zero-inflated lognormal fitted to the portals' quantiles of the period
(`sim.calibration.fit`). Times within the day follow ``searches.hourly_profile`` (assumption), uniform
within the hour (stream ``searches.arrivals``).

Attributes, each from its own stream so a change in one leaves the others identical:
reason (``searches.reason``; the offense mix includes ``immigration``); case number (``searches.case``;
with ``policy.case_number_required`` every search carries one); scope local / shared / statewide /
national by agency type (``searches.scope``, ``scope_mix``: audit logs); search type (``searches.kind``,
``type_mix``): a national lookup takes a full plate (Flock, 2025), so it is always a ``lookup``, and the
other scopes draw their type from the mix left once national lookups have taken their share of lookups,
so the overall mix is ``type_mix`` (the lookup share of non-national searches is (L - n) / (1 - n) for
lookup share L and national share n, clipped at 0); look-back 1, 7, 14 or 30 days (``searches.lookback``).

Proxy lookups: local officers running plates for a federal unit (immigration-tagged), at
``federal_proxy_per_day`` nationally, spread evenly over non-federal agencies (stream
``searches.proxy``). An agency that refuses federal searchers (`PolicyEffects.refuses_federal`: it honours
its state's law in a state of ``policy.state_laws``, or ``policy.federal_firewall`` holds) runs none, so those
rules cut proxies too.
A proxy search is a national lookup, audited under the local agency.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.config.behavior_alpr import SEARCH_SCOPES, SEARCH_TYPES, Searches
from sim.model.policy_effects import PolicyEffects
from sim.rng import Streams
from sim.world.types import AGENCY_TYPES, FEDERAL, World

DAY_S = 86_400.0
HOUR_S = 3600.0
LOCAL, SHARED, STATEWIDE, NATIONAL = range(4)
SCOPES = SEARCH_SCOPES
TYPES = SEARCH_TYPES
LOOKUP = 0
PROXY_REASON = "immigration"


@dataclass
class SearchBatch:
    """One day's searches, sorted by time; `t` in seconds since the start of the day."""

    searcher: np.ndarray  # int64 agency index (for a proxy: the local agency running it)
    t: np.ndarray
    scope: np.ndarray  # int8: index into SCOPES
    type: np.ndarray  # int8: index into TYPES (0 lookup: a full plate)
    window: np.ndarray  # int64 look-back days
    reason: np.ndarray  # int64 index into SearchGenerator.reasons
    case: np.ndarray  # bool: carries a case number
    proxy: np.ndarray  # bool: run on behalf of a federal unit

    def __len__(self) -> int:
        return len(self.t)


def _cumulative(weights: dict, keys: list) -> np.ndarray:
    w = np.array([float(weights.get(k, 0.0)) for k in keys])
    return np.cumsum(w / w.sum())


def _pick(cum: np.ndarray, u: np.ndarray) -> np.ndarray:
    return np.minimum(np.searchsorted(cum, u, side="right"), len(cum) - 1)


class SearchGenerator:
    def __init__(self, world: World, cfg: Searches, effects: PolicyEffects, streams: Streams) -> None:
        a = world.agencies
        n = len(a)
        self.kind = np.asarray(a.kind, dtype=np.int64)
        median = np.array([cfg.per_agency_30d_median.get(t, 0.0) for t in AGENCY_TYPES])
        factor = streams.get("searches.rates").lognormal(0.0, cfg.per_agency_sigma, n)
        active = streams.get("searches.active").uniform(size=n) >= cfg.per_agency_zero_share
        self.rate_per_day = median[self.kind] * factor * active / 30.0
        local = self.kind != FEDERAL
        self.proxy_eligible = local & ~effects.proxy_refused
        self.proxy_rate = np.where(self.proxy_eligible, cfg.federal_proxy_per_day / max(int(local.sum()), 1), 0.0)
        self.reasons = list(cfg.reasons) + ([PROXY_REASON] if PROXY_REASON not in cfg.reasons else [])
        self.reason_cum = _cumulative(cfg.reasons, self.reasons)
        self.proxy_reason = self.reasons.index(PROXY_REASON)
        self.scope_cum = np.stack([_cumulative(cfg.scope_mix.get(t, {"local": 1.0}), list(SCOPES)) for t in AGENCY_TYPES])
        self.scope_bounds = list(self.scope_cum[:, :-1].T.copy())  # per bound: its value for each agency type
        self.type_cum = np.stack([self._type_cum(cfg.type_mix, 1.0 - self.scope_cum[k, NATIONAL - 1])
                                  for k in range(len(AGENCY_TYPES))])  # non-national searches, per agency type
        self.windows = sorted(cfg.lookback_days)
        self.window_days = np.asarray(self.windows)
        self.window_cum = _cumulative(cfg.lookback_days, self.windows)
        hourly = np.asarray(cfg.hourly_profile, dtype=float)
        self.hour_cum = np.cumsum(hourly / hourly.sum())
        self.case_share = 1.0 if effects.case_number_required else cfg.case_number_share
        self.rng = {k: streams.get(f"searches.{k}") for k in
                    ("arrivals", "reason", "case", "scope", "kind", "lookback", "proxy")}

    @staticmethod
    def _type_cum(mix: dict[str, float], national: float) -> np.ndarray:
        """Cumulative type shares of the non-national searches of a type whose national share is `national`."""
        w = np.array([float(mix.get(t, 0.0)) for t in TYPES])
        w = w / w.sum()
        if national < 1.0:
            w[LOOKUP] = max(w[LOOKUP] - national, 0.0) / (1.0 - national)
            rest = w[1:] / w[1:].sum() if w[1:].sum() > 0 else np.zeros(len(w) - 1)
            w[1:] = rest * (1.0 - w[LOOKUP])
        return np.cumsum(w / w.sum())

    def _times(self, rng: np.random.Generator, k: int) -> np.ndarray:
        hour = _pick(self.hour_cum, rng.uniform(size=k))
        return (hour + rng.uniform(size=k)) * HOUR_S

    def day(self) -> SearchBatch:
        r = self.rng
        counts = r["arrivals"].poisson(self.rate_per_day)
        searcher = np.repeat(np.arange(len(counts)), counts)
        k = len(searcher)
        t = self._times(r["arrivals"], k)
        reason = _pick(self.reason_cum, r["reason"].uniform(size=k))
        case = r["case"].uniform(size=k) < self.case_share
        kind, u = self.kind[searcher], r["scope"].uniform(size=k)
        scope = np.zeros(k, dtype=np.int8)
        for bound in self.scope_bounds:  # the scope is the number of its type's cumulative shares u passes
            scope += u >= bound[kind]
        u_type = r["kind"].uniform(size=k)
        stype = np.zeros(k, dtype=np.int8)
        for j in range(len(TYPES) - 1):  # as for the scope: the type is the number of cumulative shares u passes
            stype += u_type >= self.type_cum[kind, j]
        stype[scope == NATIONAL] = LOOKUP
        window = self.window_days[_pick(self.window_cum, r["lookback"].uniform(size=k))]
        p = r["proxy"]
        p_counts = p.poisson(self.proxy_rate)
        p_searcher = np.repeat(np.arange(len(p_counts)), p_counts)
        kp = len(p_searcher)
        p_t = self._times(p, kp)
        p_window = self.window_days[_pick(self.window_cum, p.uniform(size=kp))]
        p_case = p.uniform(size=kp) < self.case_share
        batch = SearchBatch(
            searcher=np.concatenate([searcher, p_searcher]),
            t=np.concatenate([t, p_t]),
            scope=np.concatenate([scope, np.full(kp, NATIONAL, dtype=np.int8)]),
            type=np.concatenate([stype, np.full(kp, LOOKUP, dtype=np.int8)]),
            window=np.concatenate([window, p_window]),
            reason=np.concatenate([reason, np.full(kp, self.proxy_reason)]),
            case=np.concatenate([case, p_case]),
            proxy=np.concatenate([np.zeros(k, dtype=bool), np.ones(kp, dtype=bool)]),
        )
        # numpy's default sort (SIMD, 6x faster here than the stable one): the times are continuous draws, so
        # ties have probability ~1e-7 a day and the order is the time order either way.
        order = np.argsort(batch.t)
        return SearchBatch(**{f: getattr(batch, f)[order] for f in batch.__dataclass_fields__})
