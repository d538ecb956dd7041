"""Plate reads, storage under retention, hotlist alerts and the ingest stage, drawn per owner-hour.

Reads. A camera's rate is the basis figure times two lognormal multipliers drawn once: its owner's, of log-sd
``behavior.alpr.agency_rate_sigma``, shared by all the owner's cameras (stream ``alpr.agency_rate``), and its own
about its owner's, of log-sd ``behavior.alpr.camera_rate_sigma`` (stream ``alpr.reads``); the pair is fitted to
the portals' spread of vehicles per camera-day by camera count (`sim.calibration.fit_rate_spread`). A camera's
multiplier has mean 1, so an owner's average over many cameras is its owner multiplier. With ``reads_basis: raw``
the figure ``reads_per_camera_day`` (about 8,300: Flock's "over 20 billion scans a month" over 80,000 cameras) is a
national *mean*, so the owner multiplier has mean 1 too; with ``unique`` the figure
``unique_vehicles_per_camera_day`` (526, the portals' median agency average) is a *median* over agencies, so the
owner multiplier has median 1. `agency_log_sd` is the spread the run gives: the log-sd (from p25-p75) of police
agencies' reads per camera-day, between agencies with cameras. An owner whose portal's vehicles per camera-day
the world carries (``world.flock.portal_reads``: `Agencies.own_vehicles_per_camera_day`, vehicles captured /
cameras / 30, the portal's own pair) takes, in place of its draw, the multiplier that gives its cameras that rate:
v / ``unique_vehicles_per_camera_day`` on both bases, so v vehicles on the unique basis and v x 8,300 / 526 = 15.8 v
captures on the raw one (every agency's cameras capture a vehicle it counts as often as the national mean's over the
portals' median agency: assumption; hotlist hits are then its v x ``hotlist_hit_share``, as its portal implies). Every
draw is made for every owner alike, so the others' rates are those of a run without the figures; by_agency's
``read_rate_source`` says which rule set each (`READ_RATE_SOURCES`). Every hour of every day, an owner agency's reads
are Poisson with mean (sum of its cameras' daily rates) x (the hour's share of ``hourly_profile``). A
sum of independent Poisson counts is Poisson, so this is exactly the per-camera-hour model aggregated to
the owner: nothing downstream needs a single camera's count. Nothing downstream needs one owner-hour's
count either, only the two margins (reads per owner-day, national reads per hour), and because the mean
factorises (owner rate x hour share) these are drawn exactly without the table: the owner-days are
Poisson with the owner's daily rate, and given their total N the 24 hourly totals are Multinomial(N,
profile), independent of how N splits between owners (each read picks its owner and its hour
independently). Same joint law as 5,000 x 24 owner-hour Poisson draws, at 5,000 + 1 draws a day.
See docs/alpr.md.

Storage. Per owner and day the counts go into a ring buffer of the longest retention; reads older than
the owner's retention (`effective_retention`) are gone. The buffer starts full with a drawn history
(stream ``alpr.reads.history``), i.e. at the steady state of a platform that has run for years, so
``storage.reads_held`` and search look-backs need no warm-up; history reads are not counted as reads.

Hotlist. A read matches a hotlist with probability ``hotlist_hit_share`` per vehicle detected (portals:
hits / vehicles detected, median 0.18%); on the raw basis that is scaled by unique/raw so that hits per
camera-day stay those of the portals (0.18% x 526 = 0.95). Hits are binomial on the owner-day's reads,
false hits binomial on hits (``false_hit_share``, San Leandro: 10-20%), stops binomial on true alerts
(``stop_share``, assumption). Alerts do not compete for any modelled resource, so they are counts per
owner-day, not SimPy events (2.3 million events a month for no interaction). Stream ``alpr.hotlist``.

Ingest. The national read rate per hour (reads/s) against ``platform.ingest.capacity_reads_per_s``
gives utilization per hour; reads that exceed capacity wait in a fluid backlog carried hour to hour.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.config.behavior_alpr import Alpr
from sim.rng import Streams
from sim.world.types import World

HOUR_S = 3600.0
IQR_Z = 1.349  # p75 - p25 of a standard normal: a lognormal's log-sd is ln(p75 / p25) / 1.349


def iqr_log_sd(x: np.ndarray, axis: int | None = None) -> np.ndarray | float:
    """A lognormal's log-sd read from the p25-p75 spread of `x` (positive values; along `axis`)."""
    p25, p75 = np.percentile(x, [25, 75], axis=axis)
    out = np.log(p75 / p25) / IQR_Z
    return float(out) if axis is None else out


# Where an owner's read rate comes from (by_agency's ``read_rate_source``): its portal's own vehicles per camera-day
# (``world.flock.portal_reads``), the basis figure x an owner multiplier drawn for it, or none (it owns no cameras)
READ_RATE_SOURCES = ("portal", "drawn", "none")


def camera_multipliers(cfg: Alpr, n_cameras: int, rng: np.random.Generator) -> np.ndarray:
    """Per-camera rate multipliers about the owner's: mean 1 (an owner's average over many cameras is its own)."""
    sigma = cfg.camera_rate_sigma
    return rng.lognormal(-sigma * sigma / 2.0, sigma, n_cameras)


def owner_multipliers(cfg: Alpr, n_owners: int, rng: np.random.Generator) -> np.ndarray:
    """Per-owner rate multipliers, shared by its cameras: mean 1 on the raw basis (a national mean), median 1 on
    the unique basis (the portals' median agency)."""
    sigma = cfg.agency_rate_sigma
    mu = -sigma * sigma / 2.0 if cfg.reads_basis == "raw" else 0.0
    return rng.lognormal(mu, sigma, n_owners)


def agency_log_sd(reads: np.ndarray, cameras: np.ndarray, days: int, police: np.ndarray) -> float:
    """The log-sd (from p25-p75) of reads per camera-day between the `police` rows with cameras (reads per owner over
    `days` days); NaN with fewer than 4 such agencies or a p25 of 0."""
    cameras = np.asarray(cameras, dtype=float)
    keep = police & (cameras > 0)
    if keep.sum() < 4 or days <= 0:
        return float("nan")
    rate = np.asarray(reads, dtype=float)[keep] / (cameras[keep] * days)
    with np.errstate(divide="ignore", invalid="ignore"):  # a p25 of 0 gives inf (or 0/0): not measured
        log_sd = float(iqr_log_sd(rate))
    return log_sd if np.isfinite(log_sd) else float("nan")


def owner_hour_margins(rng: np.random.Generator, owner_rate: np.ndarray, profile: np.ndarray
                       ) -> tuple[np.ndarray, np.ndarray]:
    """One day's reads per owner and national reads per hour (floats), as the margins of an owner-hour table.

    The table's cells would be independent Poisson(``owner_rate[o] * profile[h]``). Its row sums are drawn
    as Poisson(``owner_rate``) and, given their total N, its column sums as Multinomial(N, ``profile``): the
    same joint law (means, variances, ``cov(row o, column h) = owner_rate[o] * profile[h]``) with one draw per
    owner instead of 24. `profile` sums to 1.
    """
    reads = rng.poisson(owner_rate)
    hourly = rng.multinomial(int(reads.sum()), profile).astype(float)
    return reads, hourly


@dataclass
class DayReads:
    reads: np.ndarray  # per owner, this day
    hourly: np.ndarray  # 24 national totals
    misreads: int
    hits: int
    hits_by_owner: np.ndarray  # per owner, this day (hotlist alerts)
    false_alerts: int
    stops: int
    held: float  # reads held at the end of the day, all owners
    held_by_owner: np.ndarray  # per owner, reads held at the end of the day (sums to `held`)
    ingest_util: np.ndarray  # 24 hourly utilizations
    backlog_peak: float  # largest ingest backlog this day (reads)


class Reads:
    """Daily read draws per owner, the retention ring buffer, hotlist alerts and ingest load."""

    def __init__(self, world: World, cfg: Alpr, retention_days: np.ndarray, capacity_reads_per_s: float,
                 streams: Streams) -> None:
        """`retention_days`: per agency (int64, >= 1), `PolicyEffects.alpr_retention_days`."""
        n = len(world.agencies)
        self.rng = streams.get("alpr.reads")
        self.hot_rng = streams.get("alpr.hotlist")
        self.mis_rng = streams.get("alpr.misreads")
        per_day = cfg.reads_per_camera_day if cfg.reads_basis == "raw" else cfg.unique_vehicles_per_camera_day
        self.owner_mult = owner_multipliers(cfg, n, streams.get("alpr.agency_rate"))
        # an owner's own published rate (world.flock.portal_reads), drawn over: the draw above is made for every owner
        own = np.asarray(world.agencies.own_vehicles_per_camera_day, dtype=float)
        self.own_rate = np.isfinite(own)
        self.owner_mult[self.own_rate] = own[self.own_rate] / cfg.unique_vehicles_per_camera_day
        cam_owner = np.asarray(world.cameras.owner, dtype=np.int64)
        # a camera's whole multiplier: its owner's times its own (the exposure model's traffic weight too)
        self.camera_mult = self.owner_mult[cam_owner] * camera_multipliers(cfg, len(world.cameras), self.rng)
        self.camera_rate = per_day * self.camera_mult  # expected reads per camera-day
        self.owner_rate = np.bincount(cam_owner, weights=self.camera_rate, minlength=n).astype(float)
        profile = np.asarray(cfg.hourly_profile, dtype=float)
        self.profile = profile / profile.sum()
        self.hit_p = cfg.hotlist_hit_share
        if cfg.reads_basis == "raw":
            self.hit_p *= cfg.unique_vehicles_per_camera_day / cfg.reads_per_camera_day
        self.cfg = cfg
        self.retention = np.asarray(retention_days, dtype=np.int64)
        self.length = int(self.retention.max()) if n else 1
        # buffer[(day) % length] holds the reads of that day; the history fills ages 1..length
        hist = streams.get("alpr.reads.history").poisson(self.owner_rate, size=(self.length, n)).astype(float)
        self.buffer = hist[::-1].copy()  # slot length-1 = yesterday when day 0 lands in slot 0
        self.keeps_all = bool((self.retention >= self.length).all())  # every owner holds every day of the buffer
        self.day = 0
        self.capacity = capacity_reads_per_s
        self.backlog = 0.0

    def rate_columns(self, cameras: np.ndarray) -> dict[str, np.ndarray]:
        """by_agency's ``read_rate_source`` (`READ_RATE_SOURCES`) per owner, `cameras` the cameras each owns."""
        source = np.where(self.own_rate, "portal", "drawn").astype(object)
        source[np.asarray(cameras) == 0] = "none"
        return {"read_rate_source": source}

    def window(self, ages: int) -> np.ndarray:
        """Per-owner reads of the days aged 0..ages-1 (0 = the current day), ignoring retention."""
        idx = (self.day - 1 - np.arange(ages)) % self.length
        return self.buffer[idx]

    def held(self) -> np.ndarray:
        """Reads each owner holds now: its last `retention` days."""
        if self.keeps_all:
            # A speed trick (~1 ms of a national day): when every owner keeps the whole buffer (one retention, as
            # in the baseline) no day is masked and the days need no reordering. Reads are whole numbers, held
            # exactly in float64 (sums far below 2**53), so a sum over the days in any order is the same number.
            return self.buffer.sum(axis=0)
        ages = np.arange(self.length)[:, None]
        slots = (self.day - 1 - np.arange(self.length)) % self.length
        return np.where(ages < self.retention[None, :], self.buffer[slots], 0.0).sum(axis=0)

    def draw_day(self) -> DayReads:
        reads, hourly = owner_hour_margins(self.rng, self.owner_rate, self.profile)
        self.buffer[self.day % self.length] = reads
        self.day += 1
        misreads = int(self.mis_rng.binomial(reads, self.cfg.misread_share).sum())
        hits = self.hot_rng.binomial(reads, self.hit_p)
        false = self.hot_rng.binomial(hits, self.cfg.false_hit_share)
        stops = self.hot_rng.binomial(hits - false, self.cfg.stop_share)
        held = self.held()
        util = hourly / HOUR_S / self.capacity
        peak = 0.0
        for arrived in hourly.tolist():
            self.backlog = max(0.0, self.backlog + arrived - self.capacity * HOUR_S)
            peak = max(peak, self.backlog)
        return DayReads(
            reads=reads,
            hourly=hourly,
            misreads=misreads,
            hits=int(hits.sum()),
            hits_by_owner=hits,
            false_alerts=int(false.sum()),
            stops=int(stops.sum()),
            held=float(held.sum()),
            held_by_owner=held,
            ingest_util=util,
            backlog_peak=peak,
        )
