"""Incidents and the community-request posts they lead to, drawn one simulated day at a time.

Incidents arise per agency as a Poisson process of ``behavior.incidents.per_agency_per_day[type]`` per day
on average over a week, modulated by ``weekly_profile`` (normalised to mean 1; day 0 of the run is a
Monday: `sim.model.context.weekday`) and ``hourly_profile`` (normalised to sum 1; one clock for the whole country, time zones are
ignored). A day's incidents are drawn for all agencies at once (one Poisson count per agency; a share
``request_share`` become cases, binomially; each case gets an hour from the hourly profile and a uniform
time within it): only posts become SimPy events.

A case has a case number with probability ``requests.case_number_share``. Its first post comes an
exponential ``lag_hours_mean`` after the incident; each further post (at most ``policy.posts_per_case`` in
all) follows with probability ``second_post_share``, an exponential lag after the previous one. Every post
draws its own area (log-uniform in ``area_sq_mi_min..max``, then capped at
``policy.request_area_cap_sq_mi``) and time window (log-uniform in ``window_hours_min..max`` hours,
centred on the incident); all posts of a case share its centre, placed as the world was calibrated
(`sim.world.request_areas.request_areas`: near a random neighbourhood of the agency, or of its state; a
federal unit's case lies in the area of a non-federal agency drawn uniformly; assumption). Streams:
``requests.incidents`` (counts and times), ``requests.shape`` (case number, posts, areas, windows, centre).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.config.behavior_requests import Incidents, Requests
from sim.model.context import DAY_S, weekday
from sim.model.policy_effects import PolicyEffects
from sim.rng import Streams
from sim.world.request_areas import RequestAreas
from sim.world.types import AGENCY_TYPES, FEDERAL, World, is_police

HOUR_S = 3_600.0


@dataclass
class Posts:
    """One row per post of one day's cases, sorted by post time (seconds)."""

    agency: np.ndarray
    kind: np.ndarray  # agency type index
    has_case_number: np.ndarray  # bool
    ordinal: np.ndarray  # 0 for a case's first post, 1 for its second, ...
    incident_s: np.ndarray
    post_s: np.ndarray
    x_m: np.ndarray
    y_m: np.ndarray
    area_sq_mi: np.ndarray
    window_start_s: np.ndarray

    def __len__(self) -> int:
        return len(self.post_s)


def _log_uniform(rng: np.random.Generator, lo: float, hi: float, n: int) -> np.ndarray:
    return np.exp(rng.uniform(np.log(lo), np.log(hi), size=n))


class IncidentSource:
    """Draws each day's incidents per agency and expands the resulting cases into posts."""

    def __init__(self, incidents: Incidents, requests: Requests, effects: PolicyEffects, world: World,
                 streams: Streams) -> None:
        self.cfg = incidents
        self.req = requests
        self.effects = effects
        ag = world.agencies
        self.kind = ag.kind[:ag.n_searchers].astype(np.int64)  # agencies only: private owners post no requests
        self.rate = np.array([incidents.per_agency_per_day.get(t, 0.0) for t in AGENCY_TYPES])[self.kind]
        weekly = np.asarray(incidents.weekly_profile, dtype=float)
        self.weekly = weekly / weekly.mean()
        hourly = np.asarray(incidents.hourly_profile, dtype=float)
        self.hourly = hourly / hourly.sum()
        self.rng = streams.get("requests.incidents")
        self.shape = streams.get("requests.shape")
        self.world = world
        self.areas = RequestAreas(world)  # the world's neighborhoods sorted once, not every day
        self.locals = np.flatnonzero(is_police(ag.kind))

    def day(self, day: int) -> tuple[np.ndarray, Posts]:
        """Incidents per agency on simulated day `day` and the posts of the cases they open."""
        lam = self.rate * self.weekly[weekday(day)]
        incidents = self.rng.poisson(lam)
        cases = self.rng.binomial(incidents, self.cfg.request_share)
        agency = np.repeat(np.arange(len(cases)), cases)
        n = len(agency)
        hour = self.rng.choice(24, size=n, p=self.hourly)
        incident_s = day * DAY_S + (hour + self.rng.uniform(size=n)) * HOUR_S
        return incidents, self._posts(agency, incident_s)

    def _posts_per_case(self, n: int) -> np.ndarray:
        """1 + further posts: each with probability second_post_share, capped at policy.posts_per_case."""
        u = self.shape.uniform(size=n)
        s = self.req.second_post_share
        cap = self.effects.posts_per_case - 1
        if s <= 0.0:
            extra = np.zeros(n, np.int64)
        elif s >= 1.0:
            extra = np.full(n, cap, np.int64)
        else:
            extra = np.minimum(np.floor(np.log1p(-u) / np.log(s)), cap).astype(np.int64)
        return 1 + extra

    def _posts(self, agency: np.ndarray, incident_s: np.ndarray) -> Posts:
        r, g = self.req, self.shape
        n = len(agency)
        has_case = g.uniform(size=n) < r.case_number_share
        where = agency.copy()
        federal = self.kind[agency] == FEDERAL
        where[federal] = self.locals[g.integers(0, len(self.locals), size=int(federal.sum()))]
        cx, cy, _area = self.areas.draw(where, g, r.area_sq_mi_min, r.area_sq_mi_max)
        k = self._posts_per_case(n)
        case = np.repeat(np.arange(n), k)
        m = len(case)
        first = np.repeat(np.cumsum(k) - k, k)
        ordinal = np.arange(m) - first
        lag = g.exponential(r.lag_hours_mean * HOUR_S, size=m) if r.lag_hours_mean > 0 else np.zeros(m)
        cum = np.cumsum(lag)
        post_s = incident_s[case] + cum - (cum - lag)[first]  # sum of the case's lags up to this post
        area = np.minimum(_log_uniform(g, r.area_sq_mi_min, r.area_sq_mi_max, m), self.effects.request_area_cap_sq_mi)
        window_h = _log_uniform(g, r.window_hours_min, r.window_hours_max, m)
        order = np.argsort(post_s, kind="stable")
        return Posts(
            agency=agency[case][order],
            kind=self.kind[agency][case][order],
            has_case_number=has_case[case][order],
            ordinal=ordinal[order],
            incident_s=incident_s[case][order],
            post_s=post_s[order],
            x_m=cx[case][order],
            y_m=cy[case][order],
            area_sq_mi=area[order],
            window_start_s=(incident_s[case] - window_h * HOUR_S / 2.0)[order],
        )
