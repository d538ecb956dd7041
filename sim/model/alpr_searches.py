"""Agency searches of the ALPR federation, drawn a day at a time, vectorised.

Rates. Each agency searches as a Poisson process with a rate drawn once per run (each replication draws it again
on the same world: docs/running.md, "Which state figures are stable"): 0 for a share
``per_agency_zero_share`` of its type's agencies (stream ``searches.active``), else the median of its type
(``behavior.searches.per_agency_30d_median``) times a lognormal factor of its type's log-sd ``per_agency_sigma``
(stream ``searches.rates``): a zero-inflated lognormal fitted to the portals' quantiles of the period
(`sim.calibration.fit`). That rate is the agency's mean over a week: each day's is it times the day's weight of
``searches.weekly_profile`` (normalised to mean 1, so a week's searches are as many as without it; day 0 of the
run, warm-up included, is a Monday: `sim.model.context.weekday`), proxy lookups too. Times within the day follow
``searches.hourly_profile``; both profiles are the Eugene OR PD log's, local time
(`sim.calibration.fit_searches`); times are uniform within the hour (stream ``searches.arrivals.<type>``). A federal
unit named in ``behavior.searches.federal_units`` searches at that unit's own sourced rate (``per_30d``) with its
own reasons (mail theft for USPIS, firearms for ATF, immigration for CBP...); every rate is per agency or per
unit, so a world of one state gives its agencies the same figures as the national world.

Own rates: an agency whose published 30-day search count the world carries (`Agencies.own_searches_30d`, set by
``world.flock.portal_searches``) searches at that count / 30 a day, a 0 included, whatever its type or unit; its
draws are still made, so every other agency's rate is unchanged (`SearchGenerator.own_rate` says which). An agency
whose program had ended before the scenario's period (``world.flock.ended_before_period``) carries 0 on either side.
A federal
unit's row with such a count searches at it and keeps its unit's reasons. `SearchGenerator.rate_source` records
which of these rules set each rate as it sets it (by_agency's ``search_rate_source``: `rate_columns`).

Attributes, each from its own stream so a change in one leaves the others identical, and every agency type
(``<type>``: local_police, sheriff, state_police, federal) with streams of its own, so a change in one type's
rates leaves the other types' searches identical:
reason (``searches.reason.<type>``; the agency's mix: the general one includes ``immigration``); case number
(``searches.case.<type>``; with ``policy.case_number_required`` every search carries one); scope local / shared /
statewide / national by agency type (``searches.scope.<type>``, ``scope_mix``: audit logs); search type
(``searches.kind.<type>``, ``type_mix``) given the scope: Flock's Search tool reaches only networks shared with
the agency 1:1 and its Lookup tool runs the statewide and national lookups (haveibeenflocked.com, "search types";
a national lookup takes a full plate, Flock 2025), so a statewide or national search is always a ``lookup``, and a
local or shared one draws its type from the mix left once those lookups have taken their share, so the agency
type's overall mix is ``type_mix``: the lookup share of local and shared searches is (L - c) / (1 - c) for lookup
share L and statewide + national share c, clipped at 0; local and shared alike, an assumption (where c > L, as for
federal units' 0.8 national, the scope mix holds and the type mix gives: the type runs c lookups, none local or
shared). Look-back: one of Flock's preset windows 1, 7, 14 or 30 days (``searches.lookback.<type>``,
``lookback_days``), or, for a Search-tool search (any type but ``lookup``: Flock's Lookup tool offers only the
presets), with probability ``lookback_beyond_share`` a custom range of
``lookback_beyond_days`` (stream ``searches.lookback_beyond.<type>``: a share of 0 leaves every other draw as it
was). Proxy lookups are lookups: presets only. What a look-back finds of an owner is min(look-back, its retention)
days of reads (`sim.model.alpr_reach`).

Proxy lookups: local officers running plates for a federal unit (immigration-tagged). A heavy-tailed few
agencies run them: a share ``proxy_agency_share`` of non-federal agencies (`proxy_agents`, stream
``searches.proxy_agents``), each at a lognormal rate of median ``proxy_per_agency_30d_median`` per 30 days and
log-sd ``proxy_per_agency_sigma`` (``searches.proxy_rates``; all assumption, set to keep the earlier national 40
a day). The agents are drawn per state with stochastic rounding (in a state of n non-federal agencies, the
floor(share x n + v) with the smallest uniform draws, v uniform per state): every state's expected count is
share x n, as with a coin per agency, but a state-sized world cannot draw none when share x n >= 1 (a coin per
agency left North Carolina's ~200 agencies without one 2% of the time). An agency bound against it
(`PolicyEffects.proxy_refused`: it honours its state's law in a state of ``policy.state_laws``, or
``policy.federal_firewall``) runs none; a platform state rule does not stop it (the platform sees the officer's
own search), so in California the agencies that do not comply with SB 34 still may. A proxy search is a
national lookup, audited under the local agency (stream ``searches.proxy`` for its count, time, window and case
number). Every draw is made for every agent, whatever the policy, and the lookups of agencies that refuse are
dropped afterwards: a policy that stops one state's proxies leaves every other agency's proxy lookups
identical under common random numbers.

Platform rules (`PolicyEffects`): a national search by an agency whose state bars national lookup
(``policy.state_rules``) runs statewide (``downgraded``); moderation flags searches whose audited reason is
``blocked`` (they reach nothing) or ``warned``, by the searching agency's moderation (``policy.moderation`` or
an override's: ``PolicyEffects.moderation_rule``). Each search keeps its ``purpose`` (why it was run) apart
from its audited ``reason``. Under ``reason_mode: offense_type`` (Flock's mandatory drop-down, Jan 2026) the officer
must pick an offense type: a purpose that is none (`OFFENSE_TYPES`: "immigration", "investigation") is audited
under the drop-down's catch-all ``other`` (assumption: which offense an officer picks is not public; any
offense type hides the purpose alike). Moderation then sees an offense, not the purpose, so a search run for a
purpose it blocks (immigration) runs: `SearchGenerator.unseen` says which.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.config.behavior_alpr import OTHER_REASON, PROXY_REASON, SEARCH_SCOPES, SEARCH_TYPES, Searches, audited_reason
from sim.geo.states import STATE_CODES
from sim.model.context import weekday
from sim.model.policy_effects import PolicyEffects
from sim.rng import Streams
from sim.world.types import AGENCY_TYPES, FEDERAL, World

DAY_S = 86_400.0
HOUR_S = 3600.0
LOCAL, SHARED, STATEWIDE, NATIONAL = range(4)
LOOKUP = 0


@dataclass
class SearchBatch:
    """One day's searches, sorted by time; `t` in seconds since the start of the day."""

    searcher: np.ndarray  # int64 agency index (for a proxy: the local agency running it)
    t: np.ndarray
    scope: np.ndarray  # int8: index into SEARCH_SCOPES
    type: np.ndarray  # int8: index into SEARCH_TYPES (0 lookup: a full plate)
    window: np.ndarray  # int64 look-back days
    reason: np.ndarray  # int64 index into SearchGenerator.reasons: the reason audited (and moderated)
    purpose: np.ndarray  # int64 index into SearchGenerator.reasons: why the search was run (= reason under free text)
    case: np.ndarray  # bool: carries a case number
    proxy: np.ndarray  # bool: run on behalf of a federal unit
    downgraded: np.ndarray  # bool: national asked, run statewide (a state rule bars national lookup)
    blocked: np.ndarray  # bool: refused by moderation (audited, reaches nothing)
    warned: np.ndarray  # bool: run with a moderation warning

    def __len__(self) -> int:
        return len(self.t)


def _cumulative(weights: dict, keys: list) -> np.ndarray:
    w = np.array([float(weights.get(k, 0.0)) for k in keys])
    return np.cumsum(w / w.sum())


class Bins:
    """``np.searchsorted(bounds, u, side="right")`` (how many sorted `bounds` are <= u), fast for uniform draws u in
    [0, 1), by table: u x GRID (a power of two, so exact) names its cell of [0, 1); a cell no bound falls strictly
    inside has one answer for all its u, precomputed; the few draws in the other cells (at most one cell per
    bound) get the binary search. The same integers as the binary search for every draw, ~4x faster than
    it on a national day's ~51,000 draws (a binary search per draw mispredicts a branch at every step)."""

    GRID = 4096

    def __init__(self, bounds: np.ndarray) -> None:
        self.bounds = np.asarray(bounds, dtype=float)
        edges = np.arange(self.GRID + 1) / self.GRID
        table = np.searchsorted(self.bounds, edges[:-1], side="right")  # bounds <= the cell's start
        exact = table == np.searchsorted(self.bounds, edges[1:], side="left")  # no bound inside the cell
        # two more cells, never exact: GRID for values >= 1, and the last (index -1) for those below 0
        self.table = np.concatenate([table, np.zeros(2, dtype=table.dtype)])
        self.exact = np.concatenate([exact, [False, False]])

    def count(self, u: np.ndarray) -> np.ndarray:
        cell = np.clip((u * self.GRID).astype(np.intp), -1, self.GRID)  # anything outside [0, 1): binary search
        out = self.table[cell]
        near = np.flatnonzero(~self.exact[cell])
        if len(near):
            out[near] = np.searchsorted(self.bounds, u[near], side="right")
        return out


def _pick(bins: Bins, u: np.ndarray) -> np.ndarray:
    """Index of the category of cumulative shares `bins.bounds` that uniform draws `u` fall in."""
    return np.minimum(bins.count(u), len(bins.bounds) - 1)


def proxy_agents(state: np.ndarray, local: np.ndarray, share: float, rng: np.random.Generator) -> np.ndarray:
    """bool per agency: runs proxy lookups. In each state, the floor(share x n_s + v_s) of its n_s `local` agencies
    with the smallest uniform draws (v_s uniform: stochastic rounding, so the expected count is share x n_s).
    The draws are one uniform per agency and one per state code (`STATE_CODES`), so a state's agents depend only on
    its own agencies' draws, and a larger share keeps the agents of a smaller one."""
    n = len(state)
    u = rng.uniform(size=n)
    v = rng.uniform(size=len(STATE_CODES))
    group = np.where(local, state, -1).astype(np.int64)
    order = np.lexsort((u, group))  # by state, then by draw
    g = group[order]
    rank = np.arange(n) - np.searchsorted(g, g, side="left")  # position within its state
    per_state = np.bincount(group[local], minlength=len(STATE_CODES))
    quota = np.floor(share * per_state + v).astype(np.int64)
    agent = np.zeros(n, dtype=bool)
    agent[order] = (g >= 0) & (rank < quota[np.maximum(g, 0)])
    return agent


# Where an agency's search rate comes from (by_agency's ``search_rate_source``): its own published portal count
# (``world.flock.portal_searches``), its federal unit's sourced rate, a draw for its type, none (a private network
# never searches), or ended (a source says its program had ended before the scenario's period:
# ``world.flock.ended_before_period``; it runs no searches)
RATE_SOURCES = ("portal", "unit", "drawn", "none", "ended")


class SearchGenerator:
    def __init__(self, world: World, cfg: Searches, effects: PolicyEffects, streams: Streams) -> None:
        a = world.agencies
        n = a.n_searchers  # the searchers: every row before the private owners (they never search)
        self.kind = np.asarray(a.kind[:n], dtype=np.int64)
        median = np.array([cfg.per_agency_30d_median.get(t, 0.0) for t in AGENCY_TYPES])
        sigma = np.array([cfg.per_agency_sigma[t] for t in AGENCY_TYPES])
        zero = np.array([cfg.per_agency_zero_share[t] for t in AGENCY_TYPES])
        # one normal and one uniform per agency whatever its type's values: a change in one type's spread or zero
        # share leaves the other types' rates identical (common random numbers)
        factor = streams.get("searches.rates").lognormal(0.0, sigma[self.kind], n)
        active = streams.get("searches.active").uniform(size=n) >= zero[self.kind]
        self.rate_per_day = median[self.kind] * factor * active / 30.0
        self.rate_source = np.full(n, "drawn", dtype=object)  # which rule set each rate (`RATE_SOURCES`)
        # by the configured unit a row is (Agencies.unit), not its display name: real data names units as it lists them
        units = {i: cfg.federal_units[str(u)] for i, u in enumerate(a.unit[:n])
                 if self.kind[i] == FEDERAL and u in cfg.federal_units}
        for i, unit in units.items():  # a federal unit with its own sourced rate (a unit, not a draw)
            self.rate_per_day[i] = unit.per_30d / 30.0
            self.rate_source[i] = "unit"
        # an agency's own published figure (world.flock.portal_searches), drawn over: every draw above is made for
        # every agency alike, so the other agencies' rates are those of a run without the figures
        own = np.asarray(a.own_searches_30d[:n], dtype=float)
        self.own_rate = ~np.isnan(own)
        self.rate_per_day[self.own_rate] = own[self.own_rate] / 30.0
        self.rate_source[self.own_rate] = "portal"  # a unit's row keeps its unit's reason mix (`reason_mix`)
        self.rate_source[np.asarray(a.ended[:n], dtype=bool)] = "ended"  # own rate 0 (`sim.world.flock_2026_zeros`)
        local = self.kind != FEDERAL
        self.proxy_eligible = local & ~effects.proxy_refused[:n]
        agent = proxy_agents(np.asarray(a.state[:n]), local, cfg.proxy_agency_share, streams.get("searches.proxy_agents"))
        proxy_factor = streams.get("searches.proxy_rates").lognormal(0.0, cfg.proxy_per_agency_sigma, n)
        # every agent's rate, drawn from whatever the policy (day() drops the lookups of agencies that refuse)
        self.proxy_rate_drawn = np.where(agent, cfg.proxy_per_agency_30d_median * proxy_factor / 30.0, 0.0)
        # Reasons: one mix per agency (the general one, or its federal unit's own), all over one list of reasons.
        mixes = [cfg.reasons] + [u.reasons for u in units.values()]
        self.reasons = list(dict.fromkeys([r for m in mixes for r in m] + [PROXY_REASON, OTHER_REASON]))
        self.reason_cum = np.stack([_cumulative(m, self.reasons) for m in mixes])
        self.reason_bins = [Bins(row[:-1]) for row in self.reason_cum]  # a reason passes all but the last share
        self.reason_mix = np.zeros(n, dtype=np.int64)
        self.reason_mix[list(units)] = np.arange(1, len(units) + 1)
        self.proxy_reason = self.reasons.index(PROXY_REASON)
        # Audited reason: under an offense-type drop-down, a reason that is no offense is recorded as "other".
        self.audited = np.array([self.reasons.index(audited_reason(r, effects.reason_mode)) for r in self.reasons])
        # moderation per searching agency: its rule's row of (rules x reasons) tables
        self.blocked = np.stack([np.isin(self.reasons, list(b)) for b, _ in effects.moderation_rules])
        self.warned = np.stack([np.isin(self.reasons, list(w)) for _, w in effects.moderation_rules])
        self.moderation = np.asarray(effects.moderation_rule[:n], dtype=np.int64)
        self.no_national = np.asarray(effects.no_national_lookup[:n], dtype=bool)
        self.scope_cum = np.stack([_cumulative(cfg.scope_mix.get(t, {"local": 1.0}), list(SEARCH_SCOPES)) for t in AGENCY_TYPES])
        type_cum = np.stack([self._type_cum(cfg.type_mix, 1.0 - self.scope_cum[k, SHARED])
                             for k in range(len(AGENCY_TYPES))])  # local and shared searches, per agency type
        # Per agency type: a scope (a search type) is the number of its cumulative shares, all but the last, u passes.
        self.scope_bins = [Bins(row[:-1]) for row in self.scope_cum]
        self.type_bins = [Bins(row[:-1]) for row in type_cum]
        self.beyond_share = cfg.lookback_beyond_share
        self.beyond_days = cfg.lookback_beyond_days
        # every window a search may take: the presets, and the custom range when some searches take it
        self.windows = sorted(set(cfg.lookback_days) | ({cfg.lookback_beyond_days} if self.beyond_share > 0 else set()))
        self.window_days = np.asarray(self.windows)
        self.window_cum = _cumulative(cfg.lookback_days, self.windows)  # the presets' weights (0 for the custom one)
        self.window_bins = Bins(self.window_cum)
        hourly = np.asarray(cfg.hourly_profile, dtype=float)
        self.hour_cum = np.cumsum(hourly / hourly.sum())
        self.hour_bins = Bins(self.hour_cum)
        weekly = np.asarray(cfg.weekly_profile, dtype=float)
        self.weekly = weekly / weekly.mean()  # a day's rate over the week's mean rate, Monday first
        self.case_share = 1.0 if effects.case_number_required else cfg.case_number_share
        # Each agency type draws its searches from its own streams (``searches.<attribute>.<type>``), so a change in
        # one type's rates leaves every other type's searches identical (common random numbers): Poisson counts
        # use a varying number of draws, and one stream for all types let the state police's rate move the
        # federal units' counts.
        self.members = [np.flatnonzero(self.kind == t) for t in range(len(AGENCY_TYPES))]
        self.type_mixes = [np.unique(self.reason_mix[rows]) for rows in self.members]  # reason mixes per type
        self.rng_by_type = [{k: streams.get(f"searches.{k}.{name}") for k in
                             ("arrivals", "reason", "case", "scope", "kind", "lookback", "lookback_beyond")}
                            for name in AGENCY_TYPES]
        self.proxy_rng = streams.get("searches.proxy")

    def rate_columns(self, n_owners: int) -> dict[str, np.ndarray]:
        """by_agency's ``search_rate_30d`` (the rate each agency searched at, per 30 days, before the weekly profile)
        and ``search_rate_source`` (which rule set it, `RATE_SOURCES`), over all `n_owners` rows: the owners past
        the searchers (private networks) never search, rate 0 and source ``none``."""
        n = len(self.rate_per_day)
        rate = np.zeros(n_owners)
        rate[:n] = self.rate_per_day * 30.0
        source = np.full(n_owners, "none", dtype=object)
        source[:n] = self.rate_source
        return {"search_rate_30d": rate, "search_rate_source": source}

    def unseen(self, batch: SearchBatch) -> tuple[np.ndarray, np.ndarray]:
        """bool per search: run for a purpose moderation blocks (resp. warns about) that its audited reason hides
        from moderation (an offense type picked from the drop-down); all False under free text."""
        rule = self.moderation[batch.searcher]
        return self.blocked[rule, batch.purpose] & ~batch.blocked, self.warned[rule, batch.purpose] & ~batch.warned

    @staticmethod
    def _type_cum(mix: dict[str, float], lookups: float) -> np.ndarray:
        """Cumulative type shares of the local and shared searches (the Search tool's reach) of an agency type whose
        statewide and national searches, lookups all, are a share `lookups` of its searches: the lookup share left,
        (L - lookups) / (1 - lookups) clipped at 0, and the other types in the mix's proportions."""
        w = np.array([float(mix.get(t, 0.0)) for t in SEARCH_TYPES])
        w = w / w.sum()
        if lookups < 1.0:
            w[LOOKUP] = max(w[LOOKUP] - lookups, 0.0) / (1.0 - lookups)
            rest = w[1:] / w[1:].sum() if w[1:].sum() > 0 else np.zeros(len(w) - 1)
            w[1:] = rest * (1.0 - w[LOOKUP])
        return np.cumsum(w / w.sum())

    def _times(self, rng: np.random.Generator, k: int) -> np.ndarray:
        hour = _pick(self.hour_bins, rng.uniform(size=k))
        return (hour + rng.uniform(size=k)) * HOUR_S

    def _proxies(self, p: np.random.Generator, w: float) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """The day's proxy lookups (runner, time, window, case number) on a day of weekly weight `w`: drawn for
        every agent, then those of agencies that refuse federal searchers dropped, so the stream is used alike under
        every policy."""
        counts = p.poisson(self.proxy_rate_drawn * w)
        searcher = np.repeat(np.arange(len(counts)), counts)
        k = len(searcher)
        t = self._times(p, k)
        window = self.window_days[_pick(self.window_bins, p.uniform(size=k))]
        case = p.uniform(size=k) < self.case_share
        run = self.proxy_eligible[searcher]
        if run.all():
            return searcher, t, window, case
        return searcher[run], t[run], window[run], case[run]

    def _reasons(self, u: np.ndarray, mix: np.ndarray, mixes: np.ndarray | None = None) -> np.ndarray:
        """Each search's reason: the number of its mix's cumulative shares (all but the last) its uniform `u`
        passes. One count per mix over that mix's searches (a sorted row's count of values <= u is searchsorted's
        right position, the same integer; `Bins`), instead of a pass per reason over all of them. `mixes`: sorted
        distinct mixes that include every one in `mix` (a mix no search took selects none), else found here. Why
        given: the day's searches of a type take its members' mixes (`type_mixes`, found once), and np.unique
        sorted a day's ~51,000 searchers' mixes again every day."""
        mixes = np.unique(mix) if mixes is None else mixes
        if len(mixes) == 1:  # local police, sheriffs, state police: the general mix only
            return self.reason_bins[int(mixes[0])].count(u).astype(np.int64)
        reason = np.empty(len(u), dtype=np.int64)
        for m in mixes.tolist():  # federal units: one mix per named unit
            rows = mix == m
            reason[rows] = self.reason_bins[m].count(u[rows])
        return reason

    def _own_searches(self, t: int, w: float) -> tuple[np.ndarray, ...]:
        """One agency type's own searches of a day of weekly weight `w`, from that type's own streams: (searcher,
        time, reason, case, scope, search type, window)."""
        r = self.rng_by_type[t]
        rows = self.members[t]
        counts = r["arrivals"].poisson(self.rate_per_day[rows] * w)
        searcher = np.repeat(rows, counts)
        k = len(searcher)
        times = self._times(r["arrivals"], k)
        u_reason = r["reason"].uniform(size=k)
        reason = self._reasons(u_reason, self.reason_mix[searcher], self.type_mixes[t])
        case = r["case"].uniform(size=k) < self.case_share
        scope = self.scope_bins[t].count(r["scope"].uniform(size=k)).astype(np.int8)
        stype = self.type_bins[t].count(r["kind"].uniform(size=k)).astype(np.int8)
        stype[scope >= STATEWIDE] = LOOKUP  # the Lookup tool's scopes (a later downgrade keeps it a lookup)
        window = self.window_days[_pick(self.window_bins, r["lookback"].uniform(size=k))]
        if self.beyond_share > 0:  # a Search-tool search's custom range beyond the presets
            window[(stype != LOOKUP) & (r["lookback_beyond"].uniform(size=k) < self.beyond_share)] = self.beyond_days
        return searcher, times, reason, case, scope, stype, window

    def day(self, day: int) -> SearchBatch:
        """The searches of simulated day `day` (0 the first day of warm-up, or of the run without one: its day of
        week weights every rate, `weekly`)."""
        w = float(self.weekly[weekday(day)])
        parts = [self._own_searches(t, w) for t in range(len(AGENCY_TYPES))]
        searcher, t, reason, case, scope, stype, window = (np.concatenate(x) for x in zip(*parts, strict=True))
        k = len(searcher)
        p_searcher, p_t, p_window, p_case = self._proxies(self.proxy_rng, w)
        kp = len(p_searcher)
        all_t = np.concatenate([t, p_t])
        # numpy's default sort (SIMD, 6x faster here than the stable one): the times are continuous draws, so
        # ties have probability ~1e-7 a day and the order is the time order either way.
        order = np.argsort(all_t)
        # The drawn fields are put in time order first and the derived ones (downgraded, audited reason,
        # moderation) computed on them: element by element the same values, without reordering those too.
        all_searcher = np.concatenate([searcher, p_searcher])[order]
        all_scope = np.concatenate([scope, np.full(kp, NATIONAL, dtype=np.int8)])[order]
        downgraded = (all_scope == NATIONAL) & self.no_national[all_searcher]
        all_scope[downgraded] = STATEWIDE  # a state rule bars national lookup: the search runs statewide
        purpose = np.concatenate([reason, np.full(kp, self.proxy_reason)])[order]
        all_reason = self.audited[purpose]
        rule = self.moderation[all_searcher]
        return SearchBatch(
            searcher=all_searcher,
            t=all_t[order],
            scope=all_scope,
            type=np.concatenate([stype, np.full(kp, LOOKUP, dtype=np.int8)])[order],
            window=np.concatenate([window, p_window])[order],
            reason=all_reason,
            purpose=purpose,
            case=np.concatenate([case, p_case])[order],
            proxy=np.concatenate([np.zeros(k, dtype=bool), np.ones(kp, dtype=bool)])[order],
            downgraded=downgraded,
            blocked=self.blocked[rule, all_reason],
            warned=self.warned[rule, all_reason],
        )
