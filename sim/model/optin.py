"""Residents and a community request: who can share, who decides to share, when, and what they send.

A request notifies every household with a camera inside its area (anonymously: nothing about a notified
household reaches the agency unless it shares). A notified household is *eligible* when it has a paid plan
and its retention (``PolicyEffects.ring_retention_days``: its choice capped by ``policy.ring_retention_days_max``)
still covers the requested window at post time: ``retention_s >= post_s - window_start_s``. Each eligible household shares
with probability ``expit(z)``,

    z = logit(base_rate) + distance_per_km * d_km + agency_type[type] + fatigue_per_request * n30 + trust[nbhd]

where ``d_km`` is its distance from the request centre, ``n30`` the requests it was notified of in the
previous 30 days (kept in a ring buffer of the last `FATIGUE_SLOTS` notification times per household, so
``n30`` saturates at 8, far above the ~1 request a household sees per year at baseline) and ``trust`` one
Normal(0, ``trust_sd``) draw per neighbourhood per run (stream ``residents.trust``). It decides after an
exponential delay of mean ``delay_hours_mean`` hours (``residents.delay``) and sends 1 + Poisson(
``extra_clips_mean``) clips, each min(Exp(``length_s_mean``), ``length_s_max``) seconds long at
``bytes_per_second`` (``footage.clips``).

Decisions, delays and clips are drawn for *every* eligible household, whatever it decides, so that with the
same seed a higher opt-in never removes a submission or changes its clips (common random numbers). All of
it is vectorised over the households of many requests at once (`Residents.decide_many`: a day's requests, as
if decided one at a time in post order); no household is a SimPy process. Parameters:
`sim.config.behavior_requests.OptIn` and `Clips`; sources and assumptions in docs/MODEL.md.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.config.behavior_requests import Clips, OptIn
from sim.model.context import DAY_S
from sim.rng import Streams
from sim.world.types import AGENCY_TYPES, Households

FATIGUE_WINDOW_S = 30 * DAY_S
FATIGUE_SLOTS = 8


def logit(p: float) -> float:
    """log(p / (1 - p)), with 0 -> -inf and 1 -> +inf."""
    with np.errstate(divide="ignore"):
        return float(np.log(p) - np.log1p(-p))


def expit(z: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * z))


@dataclass
class Decisions:
    """What the notified households of one request do; arrays run over the eligible households."""

    notified: int
    eligible: np.ndarray  # household indices
    shares: np.ndarray  # bool: decides to share
    delay_s: np.ndarray  # seconds from the post to the submission
    clips: np.ndarray  # int: clips sent if it shares
    nbytes: np.ndarray  # bytes sent if it shares


class Residents:
    """The households' side of community requests: eligibility, fatigue memory and opt-in draws."""

    def __init__(self, households: Households, n_neighborhoods: int, optin: OptIn, clips: Clips,
                 retention_days: np.ndarray, streams: Streams) -> None:
        self.hh = households
        self.optin = optin
        self.clips = clips
        self.trust = streams.get("residents.trust").normal(0.0, optin.trust_sd, size=n_neighborhoods)
        self.type_effect = np.array([optin.agency_type.get(t, 0.0) for t in AGENCY_TYPES])
        self.base_logit = logit(optin.base_rate)
        days = np.asarray(retention_days, dtype=float)  # per household, under the policy's cap
        self.retention_s = np.where(households.paid, days * DAY_S, -1.0)
        # Notification times + FATIGUE_WINDOW_S (float32 seconds); 0 = never, so np.zeros costs nothing up front.
        self._recent = np.zeros((len(households), FATIGUE_SLOTS), dtype=np.float32)
        self._decide = streams.get("residents.optin")
        self._delay = streams.get("residents.delay")
        self._clips = streams.get("footage.clips")

    def notify(self, idx: np.ndarray, now: float | np.ndarray) -> np.ndarray:
        """Record notifications of households `idx` at `now` (one time, or one per entry); return how many each had
        in the prior 30 days. Entries count in order: a household listed again sees its earlier entries (one
        request's households are distinct, and see the state before it)."""
        now = np.broadcast_to(np.asarray(now, dtype=float), np.shape(idx))
        n30 = np.zeros(len(idx), dtype=np.int64)
        # In rounds: round r takes each household's (r + 1)-th entry, so that within a round the households are
        # distinct (independent rows, one vectorised pass) and a household's entries run in their order.
        for sel in _rounds(idx):
            h = idx[sel]
            rows = self._recent[h]
            n30[sel] = (rows > now[sel, None].astype(np.float32)).sum(axis=1)
            self._recent[h, rows.argmin(axis=1)] = (now[sel] + FATIGUE_WINDOW_S).astype(np.float32)
        return n30

    def decide(self, notified: np.ndarray, x_m: float, y_m: float, agency_type: int, now: float,
               window_start_s: float) -> Decisions:
        """Notify households `notified` of a request centred at (x_m, y_m) posted at `now`; draw what they do."""
        ok = self.eligible(notified, now, window_start_s)
        return self.decide_prepared(notified, ok, self.fixed_logit(notified[ok], x_m, y_m, agency_type), now)

    def eligible(self, notified: np.ndarray, post_s: np.ndarray | float, window_start_s: np.ndarray | float
                 ) -> np.ndarray:
        """bool per notified household: a paid plan whose retention still covers the window at post time."""
        return self.retention_s[notified] >= post_s - window_start_s

    def fixed_logit(self, households: np.ndarray, x_m: np.ndarray | float, y_m: np.ndarray | float,
                    agency_type: np.ndarray | int) -> np.ndarray:
        """The terms of z fixed before anyone is notified: base rate, distance, agency type, neighbourhood trust
        (arrays broadcast: one request, or one entry per household of many requests)."""
        d_km = np.hypot(self.hh.x_m[households] - x_m, self.hh.y_m[households] - y_m) / 1000.0
        z = self.base_logit + self.optin.distance_per_km * d_km + self.type_effect[agency_type]
        return z + self.trust[self.hh.neighborhood[households]]

    def decide_prepared(self, notified: np.ndarray, ok: np.ndarray, fixed_logit: np.ndarray, now: float) -> Decisions:
        """`decide`, given `eligible(notified, ...)` and `fixed_logit` of the eligible ones, computed ahead: one
        request's `decide_many`."""
        return self.decide_many(notified, np.array([0, len(notified)]), ok, fixed_logit, np.array([now])).post(0)

    def decide_many(self, notified: np.ndarray, offsets: np.ndarray, ok: np.ndarray, fixed_logit: np.ndarray,
                    now: np.ndarray) -> ManyDecisions:
        """`decide_prepared` for requests 0, 1, ... in that order, as if called once per request: request p
        notified ``notified[offsets[p]:offsets[p + 1]]`` at ``now[p]``, `ok` and the eligible entries' `fixed_logit`
        beside them. The same numbers, because fatigue is recorded in order (`notify`) and numpy draws an array
        value by value: one draw of m1 + m2 values is the draw of m1 then the draw of m2 (for the decision and
        delay streams; clips, whose stream alternates two draws per request, are drawn per request).

        Why (a speed trick): a request notifies ~10 households, so drawing per request cost ~25 numpy calls of a
        few values each, ~40-65 us a request; a national day's ~200 requests at once cost about a tenth of it."""
        posts = len(now)
        per_post = np.diff(offsets)
        n30 = self.notify(notified, np.repeat(np.asarray(now, dtype=float), per_post))
        eligible = notified[ok]
        m = len(eligible)
        z = fixed_logit + self.optin.fatigue_per_request * n30[ok]
        shares = self._decide.uniform(size=m) < expit(z)
        delay_s = self._delay.exponential(self.optin.delay_hours_mean * 3600.0, size=m)
        starts = np.zeros(posts + 1, dtype=np.int64)  # request p's eligible households: entries starts[p]:starts[p + 1]
        np.cumsum(np.bincount(np.repeat(np.arange(posts), per_post)[ok], minlength=posts), out=starts[1:])
        clips, nbytes = self._draw_clips(np.diff(starts))
        return ManyDecisions(per_post, starts, eligible, shares, delay_s, clips, nbytes)

    def _draw_clips(self, per_post: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Clips and bytes of each eligible household of requests with `per_post` of them, drawn request by request
        (1 + Poisson clips of its households, then their lengths; a request with none draws nothing)."""
        c = self.clips
        counts, lengths = [], []
        for m in per_post[per_post > 0].tolist():
            n = 1 + self._clips.poisson(c.extra_clips_mean, size=m)
            counts.append(n)
            lengths.append(self._clips.exponential(c.length_s_mean, size=int(n.sum())))
        if not counts:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        n = np.concatenate(counts)
        length = np.minimum(np.concatenate(lengths), c.length_s_max)
        first = n.cumsum() - n  # first clip of each household
        return n, np.add.reduceat(length, first) * c.bytes_per_second


@dataclass
class ManyDecisions:
    """`Residents.decide_many`: what the notified households of several requests do, request p's eligible ones at
    entries ``starts[p]:starts[p + 1]`` of the arrays."""

    notified: np.ndarray  # per request: households notified
    starts: np.ndarray
    eligible: np.ndarray
    shares: np.ndarray
    delay_s: np.ndarray
    clips: np.ndarray
    nbytes: np.ndarray

    def post(self, p: int) -> Decisions:
        """Request p's `Decisions` (views of these arrays)."""
        lo, hi = int(self.starts[p]), int(self.starts[p + 1])
        return Decisions(int(self.notified[p]), self.eligible[lo:hi], self.shares[lo:hi], self.delay_s[lo:hi],
                         self.clips[lo:hi], self.nbytes[lo:hi])


def _rounds(idx: np.ndarray) -> list[np.ndarray]:
    """Positions of `idx` by occurrence: the first entry of each value, then the second, ... (each ascending)."""
    if len(idx) < 2:
        return [np.arange(len(idx))]
    order = np.argsort(idx, kind="stable")
    v = idx[order]
    start = np.flatnonzero(np.r_[True, v[1:] != v[:-1]])
    rank = np.empty(len(idx), dtype=np.int64)
    rank[order] = np.arange(len(idx)) - np.repeat(start, np.diff(np.r_[start, len(idx)]))
    if not rank.any():
        return [np.arange(len(idx))]
    return [np.flatnonzero(rank == r) for r in range(int(rank.max()) + 1)]
