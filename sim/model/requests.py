"""Community footage requests: agencies post, residents choose to share, the platform packages and delivers.

A component (`sim.model.component.Component`) wired into `sim.model.simulation.simulate`. Once a
simulated day, one process draws the day's incidents and posts for every agency at once
(`sim.model.requests_incidents`) and, for all of them in one pass, what a post's area fixes in advance: the
households inside it, which of them are eligible at the post time, and the terms of their opt-in logit that
do not change (`_Areas`); each post is then one SimPy timeout. At post time:

Refusals are counted once per case, at its first post (its further posts are never attempted):

1. Routing (``platform.routing``): on ``axon`` federal units may not post (``requests.refused_routing``);
   on ``flock`` they may; on ``none`` there are no community requests at all (incidents are still drawn
   and counted, every request, footage and queue metric is zero).
2. Case number: where ``policy.case_number_required``, a post without one is refused (``requests.refused``).
3. The platform notifies the households with a camera inside the circular area (`sim.world.spatial`
   grid index); `sim.model.optin.Residents` draws, vectorised over those households, who is eligible, who
   shares and after what delay, and what they send. These draws are made for all of a day's posts at the
   day's start (`RequestsModel._decide_until`), in the order the posts' events come, which gives the numbers
   drawing at each post would give; the post's event uses them. Only the submissions that come before the request
   expires (``requests.expiry_days`` after the post) are scheduled, one event each (held in a
   `sim.model.due_queue.DueQueue` until next, which keeps SimPy's heap short); later ones are dropped and
   counted (``optin.expired_submissions``).
4. A submission enters the platform (`sim.model.requests_delivery.DeliveryLine`): packaging workers, then
   the egress link, to Axon Evidence (``axon``) or Flock (``flock``).

Metrics (declared in `sim.model.requests_metrics`; docs/metrics.md) are counted into daily series by the day of the
event they describe, nothing during warm-up: posts and their opt-in decisions by post day (a cohort),
submissions by arrival day, deliveries by delivery day. Time is in seconds.
"""

from __future__ import annotations

import weakref
from collections.abc import Generator
from dataclasses import dataclass, field
from functools import partial
from time import perf_counter
from typing import TYPE_CHECKING

import numpy as np
import simpy

from sim.model.component import Component
from sim.model.due_queue import DueQueue
from sim.model.optin import ManyDecisions, Residents
from sim.model.requests_delivery import DeliveryLine
from sim.model.requests_incidents import IncidentSource, Posts
from sim.model.requests_metrics import DAILY_COUNTS, METRICS
from sim.world.spatial import GridIndex, household_index, households_in_areas
from sim.world.types import FEDERAL, World

if TYPE_CHECKING:
    from sim.model.context import SimContext

from sim.model.context import DAY_S

_INDEXES: list[tuple[weakref.ref[World], GridIndex]] = []  # the last two worlds' household indexes


def _household_index(world: World) -> GridIndex:
    """The world's household grid index, reused across the replications of one world in this process."""
    for ref, index in _INDEXES:
        if ref() is world:
            return index
    index = household_index(world)
    _INDEXES[:] = [(weakref.ref(world), index), *_INDEXES[:1]]
    return index


def _chain_clock(start: float, times: list[float]) -> np.ndarray:
    """The clock at each post of a chain started at `start`: SimPy's time of a timeout of ``t - now`` from now."""
    nows, now = [], start
    for t in times:
        now = now + (t - now)
        nows.append(now)
    return np.array(nows)


def _ratio(num: float, den: float) -> float:
    return num / den if den > 0 else 0.0


# The daily counts every recorded post adds to, in the order `_post` adds them.
_POST_COUNTS = ("requests.posted", "requests.repeat_posts", "requests.households_in_area",
                "requests.households_notified", "requests.households_eligible", "requests.with_submission",
                "optin.submitting_households", "optin.expired_submissions")


@dataclass
class _Areas:
    """A day's posts and what their areas fix before post time, CSR over the posts: the households in post i's
    area are ``households[offsets[i]:offsets[i + 1]]``; `eligible` and `fixed_logit` run beside them (the
    logit only where eligible is true matters)."""

    posts: Posts
    times: list[float]  # post times before the horizon, the chain's schedule
    offsets: np.ndarray
    households: np.ndarray
    eligible: np.ndarray
    fixed_logit: np.ndarray
    refused: np.ndarray  # bool per post: refused (routing or case number), so nobody is notified
    # What decides ahead (`RequestsModel._decide_until`) needs: the clock at each post's event (the chain schedules
    # post i + 1 from post i's time, `_next_post`), how many posts are decided, and each one's decisions.
    nows: np.ndarray = field(default_factory=lambda: np.zeros(0))
    decided: int = 0
    decisions: list[tuple[_Decided, int] | None] = field(default_factory=list)


@dataclass
class _Decided:
    """A batch of posts decided at once (`RequestsModel._decide_until`), as each post's event reads it: per post
    p (in decision order) households notified and eligible, those sharing before the request expires (timely)
    and at all, and its timely households' submissions at entries ``sub[p]:sub[p + 1]`` of the last three."""

    notified: list[int]
    eligible: list[int]
    timely: list[int]
    shares: list[int]
    sub: list[int]
    delay_s: list[float]
    clips: list[int]
    nbytes: list[float]


class RequestsModel(Component):
    """Agencies' community requests and residents' responses, on the run's SimPy clock."""

    metrics = METRICS

    def __init__(self, ctx: SimContext) -> None:
        super().__init__(ctx)
        sc = ctx.scenario
        b = sc.behavior
        self.route = ctx.platform.routing
        self.effects = ctx.effects
        self.expiry_s = b.requests.expiry_days * DAY_S
        world = ctx.world
        self.n_agencies = world.agencies.n_searchers  # agencies post; private owners never do (rows after them)
        self.source = IncidentSource(b.incidents, b.requests, ctx.effects, world, ctx.streams)
        self.residents = Residents(world.households, len(world.neighborhoods), b.optin, b.clips,
                                   ctx.effects.ring_retention_days, ctx.streams)
        self.index = _household_index(world) if self.route != "none" else None
        self.line = DeliveryLine(ctx.env, ctx.platform, ctx.streams.get("platform.packaging"), ctx.warmup_s)
        self.due = DueQueue(ctx.env)  # submissions pending, off SimPy's heap until next (one event each)
        self._chains: list[_Areas] = []  # days whose posts are not all decided yet, oldest first
        self.latencies: list[float] = []
        self.posted_by = np.zeros(len(world.agencies))  # recorded posts and clips per agency (by_agency's rows)
        self.clips_by = np.zeros(len(world.agencies))

    def start(self) -> None:
        m = self.ctx.metrics
        for name in DAILY_COUNTS:
            m.count(name, 0, 0.0)
        # Each post adds to eight daily counts: `_post` adds to these series directly (the same additions, in
        # the same order, as `Metrics.count`; the day range checked once per post), which saves a method call and
        # two dict lookups per count (eight per post, ~6,200 posts in a national month).
        self._daily = [m.daily[name] for name in _POST_COUNTS] if m.days > 0 else None
        self._delivered_bytes = f"footage.delivered_bytes_{self.route}"  # built once, not per delivery
        self.ctx.env.process(self._days())

    def _days(self) -> Generator[simpy.Event, None, None]:
        env, ctx = self.ctx.env, self.ctx
        day = 0
        while env.now < ctx.horizon_s:
            with ctx.bulk():
                incidents, posts = self.source.day(day)
                areas = self._areas(posts) if self.route != "none" else None
                if areas is not None and areas.times:
                    areas.nows = _chain_clock(env.now, areas.times)
                    areas.decisions = [None] * len(areas.times)
                    self._chains.append(areas)
                # every post before the next day's start: no post of a later day can come between them
                self._decide_until(env.now + DAY_S, inclusive=False)
            ctx.metrics.count("incidents.reported", ctx.day_of(env.now), float(incidents.sum()))
            if areas is not None and areas.times:
                self._next_post(areas, 0)  # chained: each post's event schedules the next, so one is pending
            day += 1
            yield env.timeout(DAY_S)

    def _areas(self, posts: Posts) -> _Areas:
        """The day's posts before the horizon (sorted by time) and their areas, for all posts in one pass."""
        n = int(np.count_nonzero(posts.post_s < self.ctx.horizon_s))
        offsets, hh = households_in_areas(self.index, posts.x_m[:n], posts.y_m[:n], posts.area_sq_mi[:n])
        post = np.repeat(np.arange(n), np.diff(offsets))
        ok = self.residents.eligible(hh, posts.post_s[post], posts.window_start_s[post])
        fixed = self.residents.fixed_logit(hh, posts.x_m[post], posts.y_m[post], posts.kind[post])
        refused = (posts.kind[:n] == FEDERAL) if self.route == "axon" else np.zeros(n, dtype=bool)
        if self.effects.case_number_required:
            refused |= ~posts.has_case_number[:n]
        return _Areas(posts, posts.post_s[:n].tolist(), offsets, hh, ok, fixed, refused)

    def _decide_until(self, limit: float, inclusive: bool) -> None:
        """Decide every pending post of every chain whose time is before `limit` (or at it, `inclusive`), all at
        once (`Residents.decide_many`) in the order their events come: by time, a chain's posts in its order, an
        older chain's first at equal times. A speed trick (see `decide_many`): the same decisions as deciding each
        post at its event, since nothing else notifies households or draws from the residents' streams."""
        parts = []  # (chain, first, last) of the posts to decide
        for areas in self._chains:
            end = int(np.searchsorted(areas.nows, limit, side="right" if inclusive else "left"))
            if end > areas.decided:
                parts.append((areas, areas.decided, end))
        if not parts:
            return
        now = np.concatenate([a.nows[lo:hi] for a, lo, hi in parts])
        refused = np.concatenate([a.refused[lo:hi] for a, lo, hi in parts])
        order = np.argsort(now, kind="stable")  # stable: chain order, then post order, at equal times
        order = order[~refused[order]]
        which = [(a, i) for a, lo, hi in parts for i in range(lo, hi)]
        # the households of the posts to decide, in decision order (CSR), gathered from their chains
        off = np.concatenate([a.offsets[lo:hi] - a.offsets[lo] for a, lo, hi in parts])
        size = np.concatenate([np.diff(a.offsets[lo:hi + 1]) for a, lo, hi in parts])
        base = np.cumsum([0] + [int(a.offsets[hi] - a.offsets[lo]) for a, lo, hi in parts])
        chain_of = np.repeat(np.arange(len(parts)), [hi - lo for _, lo, hi in parts])
        first = (base[chain_of] + off)[order]
        n = size[order]
        offsets = np.zeros(len(order) + 1, dtype=np.int64)
        np.cumsum(n, out=offsets[1:])
        entry = np.repeat(first - offsets[:-1], n) + np.arange(int(offsets[-1]))
        hh = np.concatenate([a.households[a.offsets[lo]:a.offsets[hi]] for a, lo, hi in parts])[entry]
        ok = np.concatenate([a.eligible[a.offsets[lo]:a.offsets[hi]] for a, lo, hi in parts])[entry]
        fixed = np.concatenate([a.fixed_logit[a.offsets[lo]:a.offsets[hi]] for a, lo, hi in parts])[entry]
        decided = self._for_events(self.residents.decide_many(hh, offsets, ok, fixed[ok], now[order]))
        for p, j in enumerate(order.tolist()):
            areas, i = which[j]
            areas.decisions[i] = (decided, p)
        for areas, _, hi in parts:
            areas.decided = hi
        self._chains = [a for a in self._chains if a.decided < len(a.nows)]

    def _for_events(self, many: ManyDecisions) -> _Decided:
        """What each post's event reads of a batch's decisions, counted per post here in a few array passes
        (a speed trick: per post, slicing the batch and counting its bools cost ~8 us of numpy calls on ~5
        values; the same integers and floats)."""
        at = many.starts
        timely = many.shares & (many.delay_s <= self.expiry_s)

        def per_post(flags: np.ndarray) -> np.ndarray:  # true entries per post
            c = np.zeros(len(flags) + 1, dtype=np.int64)
            np.cumsum(flags, out=c[1:])
            return c[at[1:]] - c[at[:-1]]

        n_timely = per_post(timely)
        sub = np.zeros(len(at), dtype=np.int64)
        np.cumsum(n_timely, out=sub[1:])
        idx = np.flatnonzero(timely)  # each post's timely households in its order
        return _Decided(many.notified.tolist(), np.diff(at).tolist(), n_timely.tolist(),
                        per_post(many.shares).tolist(), sub.tolist(), many.delay_s[idx].tolist(),
                        many.clips[idx].tolist(), many.nbytes[idx].tolist())

    def _next_post(self, areas: _Areas, i: int) -> None:
        env = self.ctx.env
        env.timeout(areas.times[i] - env.now).callbacks.append(partial(self._post_then_next, areas, i))

    def _post_then_next(self, areas: _Areas, i: int, _event: object) -> None:
        self._post(areas, i)
        if i + 1 < len(areas.times):
            self._next_post(areas, i + 1)

    def _post(self, areas: _Areas, i: int) -> None:
        ctx = self.ctx
        posts = areas.posts
        now = ctx.env.now
        day = ctx.day_of(now)
        kind = int(posts.kind[i])
        refusal = None
        if self.route == "axon" and kind == FEDERAL:
            refusal = "requests.refused_routing"
        elif self.effects.case_number_required and not posts.has_case_number[i]:
            refusal = "requests.refused"
        if refusal is not None:
            if posts.ordinal[i] == 0:  # a refused case's further posts are never attempted
                ctx.metrics.count(refusal, day)
            return
        lo, hi = int(areas.offsets[i]), int(areas.offsets[i + 1])
        in_area = areas.households[lo:hi]
        if areas.decided <= i:  # at a day's start, before that day's decisions (`_days`): bulk time, timed inline
            started = perf_counter()
            self._decide_until(now, inclusive=True)
            ctx.bulk_s += perf_counter() - started
        if now != areas.nows[i]:
            raise RuntimeError(f"post {i} decided for t = {areas.nows[i]} s, posted at {now} s")
        dec, p = areas.decisions[i]  # type: ignore[misc]
        n_timely = dec.timely[p]
        agency = int(posts.agency[i])
        if ctx.recording(now):
            self.posted_by[agency] += 1
        if 0 <= day < ctx.metrics.days:  # `Metrics.count` for the eight `_POST_COUNTS`, inlined (see `start`)
            posted, repeat, in_area_n, notified, eligible, with_sub, submitting, expired = self._daily
            posted[day] += 1.0
            repeat[day] += float(posts.ordinal[i] > 0)
            in_area_n[day] += len(in_area)
            notified[day] += dec.notified[p]
            eligible[day] += dec.eligible[p]
            with_sub[day] += float(n_timely > 0)
            submitting[day] += n_timely
            expired[day] += dec.shares[p] - n_timely
        for j in range(dec.sub[p], dec.sub[p + 1]):
            self.due.add(now + dec.delay_s[j], partial(self._submit, dec.clips[j], dec.nbytes[j], agency))

    def _submit(self, clips: int, nbytes: float, agency: int) -> None:
        m, day = self.ctx.metrics, self.ctx.day_of(self.ctx.env.now)
        if self.ctx.recording(self.ctx.env.now):
            self.clips_by[agency] += clips
        m.count("footage.submissions", day)
        m.count("footage.clips", day, clips)
        m.count("footage.bytes", day, nbytes)
        self.line.submit(nbytes, partial(self._delivered, clips, nbytes))

    def _delivered(self, clips: int, nbytes: float, latency_s: float) -> None:
        ctx = self.ctx
        day = ctx.day_of(ctx.env.now)
        ctx.metrics.count("footage.delivered_packages", day)
        ctx.metrics.count("footage.delivered_clips", day, clips)
        ctx.metrics.count(self._delivered_bytes, day, nbytes)
        if ctx.recording(ctx.env.now):
            self.latencies.append(latency_s)

    def finish(self) -> None:
        ctx = self.ctx
        m = ctx.metrics
        for name, value in self.line.stats(ctx.horizon_s).items():
            m.total(name, value)
        posted, notified = m.get_total("requests.posted"), m.get_total("requests.households_notified")
        submitting = m.get_total("optin.submitting_households")
        m.total("optin.rate", _ratio(submitting, notified))
        m.total("optin.rate_eligible", _ratio(submitting, m.get_total("requests.households_eligible")))
        m.total("requests.notified_per_request", _ratio(notified, posted))
        m.total("requests.per_agency_year", _ratio(posted * 365.0, self.n_agencies * m.days))
        lat = np.asarray(self.latencies) if self.latencies else np.zeros(1)
        m.total("footage.delivery_latency_mean_s", float(lat.mean()))
        m.total("footage.delivery_latency_p95_s", float(np.percentile(lat, 95)))
        ctx.by_agency.update({"requests.posted": self.posted_by, "footage.clips": self.clips_by})
