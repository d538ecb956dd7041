"""Exposure: who can see a given car's movements, for a sample of tracked vehicles.

``behavior.exposure.tracked_vehicles`` vehicles get a home at a random household (else a neighborhood,
else an agency seat; stream ``exposure.vehicles``). The cameras a vehicle can pass are those within
``trip_radius_m`` of home (`sim.world.spatial.camera_index`). Each day it passes Poisson(trips_per_day x
cameras_per_trip) cameras, each picked among its nearby cameras in proportion to the camera's traffic
(the read-rate multiplier), all vectorised over vehicles (stream ``exposure.trips``).

At the end of the run, per vehicle: days observed (recorded days with at least one read), distinct cameras, the
reads of it still held and the days of movement history they cover, and the owners *holding* a read of it (read on
a day within the owner's retention of the end of the run). Agencies able to query its reads = police agencies (not
federal units, not private owners, which never search) whose national-scope reach (`sim.model.alpr_reach`, from
`sim.model.access.AccessTable`) includes at least one holder, counted exactly with bitsets (one bit per searcher
for each owner, OR-ed over a vehicle's holders, then a popcount). Federal units likewise, over their direct and
national-lookup reach (proxy lookups by local officers are counted in the flows table, not here). Vehicles move
only in simulated days (warm-up included): history before the run is not drawn, so a run shorter than the retention
understates the history held.
"""

from __future__ import annotations

import numpy as np

from sim.config.behavior_alpr import Exposure
from sim.model.alpr_reach import Reach
from sim.rng import Streams
from sim.world.spatial import camera_index
from sim.world.types import FEDERAL, World, is_police


def owner_searcher_bits(reach: Reach, searchers: np.ndarray) -> np.ndarray:
    """uint8 [owner, packed searcher bits]: bit s of row a set when searcher s (in `searchers`) reaches a."""
    ns = reach.n_s
    keep = np.zeros(ns, dtype=bool)
    keep[searchers] = True
    out = np.zeros((reach.n, (ns + 7) // 8), dtype=np.uint8)
    for g in np.unique(reach.row_group[keep]).tolist():
        out[reach.pool[g]] |= np.packbits(keep & (reach.row_group == g))
    s, a = reach.searcher_owner_pairs()
    sel = keep[s]
    np.bitwise_or.at(out, (a[sel], s[sel] >> 3), (128 >> (s[sel] & 7)).astype(np.uint8))
    return out


def searcher_rows(reach: Reach, searchers: np.ndarray) -> np.ndarray:
    """bool [searcher of `searchers`, owner]: national-scope reach."""
    rows = reach.pool[reach.group[searchers]].copy()
    s, a = reach.searcher_owner_pairs()
    pos = np.full(reach.n, -1)
    pos[searchers] = np.arange(len(searchers))
    sel = pos[s] >= 0
    rows[pos[s[sel]], a[sel]] = True
    return rows


def _distinct(keys: np.ndarray) -> np.ndarray:
    """Sorted distinct values (np.unique by sorting; faster than its hash path on a million int64)."""
    keys = np.sort(keys)
    return keys[np.r_[True, keys[1:] != keys[:-1]]] if len(keys) else keys


class ExposureModel:
    def __init__(self, world: World, cfg: Exposure, reach: Reach, camera_weight: np.ndarray,
                 retention: np.ndarray, streams: Streams) -> None:
        self.cfg = cfg
        self.retention = retention
        self.cam_owner = np.asarray(world.cameras.owner, dtype=np.int64)
        rng = streams.get("exposure.vehicles")
        v = cfg.tracked_vehicles
        homes = next((p for p in (world.households, world.neighborhoods) if len(p)), world.agencies)
        pick = rng.integers(0, len(homes), size=v) if len(homes) else np.zeros(0, dtype=np.int64)
        self.home_x, self.home_y = hx, hy = np.asarray(homes.x_m)[pick], np.asarray(homes.y_m)[pick]
        index = camera_index(world, cell_m=cfg.trip_radius_m) if len(world.cameras) else None
        if index is not None:  # cameras within the trip radius of each home: self.near[start[i]:start[i + 1]]
            self.start, self.near = index.within_many(hx, hy, cfg.trip_radius_m)
        else:
            self.start, self.near = np.zeros(v + 1, dtype=np.int64), np.zeros(0, dtype=np.int64)
        self.n_near = np.diff(self.start)
        w = camera_weight[self.near] if len(self.near) else np.zeros(0)
        self.cum_w = np.concatenate([[0.0], np.cumsum(w)])
        self.rng = streams.get("exposure.trips")
        self.passes_mean = cfg.trips_per_day * cfg.cameras_per_trip
        self.v = v
        kind = np.asarray(world.agencies.kind)
        self.bits = owner_searcher_bits(reach, np.flatnonzero(is_police(kind)))
        self.fed_rows = searcher_rows(reach, np.flatnonzero(kind == FEDERAL)) if (kind == FEDERAL).any() else None
        self.obs: list[tuple[np.ndarray, np.ndarray, int]] = []

    def day(self, day: int) -> None:
        """Draw the day's camera passes (day index relative to the recorded start; negative in warm-up)."""
        if not len(self.near):
            return
        k = self.rng.poisson(self.passes_mean, size=self.v) * (self.n_near > 0)
        veh = np.repeat(np.arange(self.v), k)
        lo, hi = self.cum_w[self.start[veh]], self.cum_w[self.start[veh + 1]]
        u = lo + self.rng.uniform(size=len(veh)) * (hi - lo)
        pos = np.clip(np.searchsorted(self.cum_w, u, side="right") - 1, self.start[veh], self.start[veh + 1] - 1)
        self.obs.append((veh, self.near[pos], day))

    def results(self, days: int) -> dict[str, float]:
        """Whole-run exposure metrics at the end of recorded day `days - 1` (means over tracked vehicles)."""
        names = ("vehicle_days_observed_share", "observed_share", "distinct_cameras_mean", "history_days_mean",
                 "reads_held_mean", "agencies_per_vehicle_mean", "agencies_per_vehicle_p90",
                 "federal_units_per_vehicle_mean")
        out = {"exposure.vehicles": float(self.v)} | {f"exposure.{k}": 0.0 for k in names}
        if not self.obs or not self.v:
            return out
        veh = np.concatenate([o[0] for o in self.obs])
        cam = np.concatenate([o[1] for o in self.obs])
        day = np.concatenate([np.full(len(o[0]), o[2]) for o in self.obs])
        first_day = int(day.min())
        rec = (day >= 0) & (day < days)
        seen = np.zeros((self.v, days - first_day), dtype=bool)
        seen[veh[rec], day[rec] - first_day] = True
        days_seen = seen.sum(axis=1)
        vc = _distinct(veh[rec] * len(self.cam_owner) + cam[rec])
        cams_seen = np.bincount(vc // len(self.cam_owner), minlength=self.v)
        owner = self.cam_owner[cam]
        held = day >= days - self.retention[owner]
        history = np.zeros_like(seen)
        history[veh[held], day[held] - first_day] = True
        n_owner = len(self.retention)
        pairs = _distinct(veh[held] * n_owner + owner[held])
        pv, po = pairs // n_owner, pairs % n_owner
        agencies = np.zeros(self.v)
        federal = np.zeros(self.v)
        if len(pairs):
            first = np.flatnonzero(np.r_[True, pv[1:] != pv[:-1]])
            merged = np.bitwise_or.reduceat(self.bits[po], first, axis=0)
            agencies[pv[first]] = np.bitwise_count(merged).sum(axis=1)
            if self.fed_rows is not None:
                fed_any = np.logical_or.reduceat(self.fed_rows[:, po].T, first, axis=0)
                federal[pv[first]] = fed_any.sum(axis=1)
        return out | {
            "exposure.vehicle_days_observed_share": float(days_seen.sum() / (self.v * days)),
            "exposure.observed_share": float((days_seen > 0).mean()),
            "exposure.distinct_cameras_mean": float(cams_seen.mean()),
            "exposure.history_days_mean": float(history.sum() / self.v),
            "exposure.reads_held_mean": float(held.sum() / self.v),
            "exposure.agencies_per_vehicle_mean": float(agencies.mean()),
            "exposure.agencies_per_vehicle_p90": float(np.percentile(agencies, 90)),
            "exposure.federal_units_per_vehicle_mean": float(federal.mean()),
        }
