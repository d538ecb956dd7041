"""Private networks: companies and HOAs that own Flock ALPR cameras and share their reads, but never search.

Flock's customers include ~1,000 private companies and >200 HOAs besides >5,000 police agencies (2023); a
national lookup touches ~6,700 networks (EFF, 2025), more than the ~4,950 agencies of the synthetic world, and
one search touched 83,345 cameras (404 Media). With ``world.private.enabled`` each business place
(``world.businesses``) and each HOA place (``world.hoas``) owns one private network: a row of `Agencies` of
type ``private`` (`sim.world.types.PRIVATE`) appended after the agencies, at its place, in its state.

What a private network does (assumptions with plausible ranges in docs/MODEL.md):
- its cameras: counts drawn with the agencies' from one lognormal and scaled to ``world.alpr.total``
  (`sim.world.alpr.camera_counts`), standing within ``SITE_JITTER_M`` of its place (`sim.world.alpr`) (site ``business``/``hoa``);
- its reads are open to national lookup with probability ``world.private.national_lookup_share`` (one
  uniform per network, stream ``world.private.national_lookup``: a larger share keeps the smaller's set);
- it grants the agency whose area holds its place 1:1 with probability ``world.private.area_grant_share``
  (stream ``world.private.grants``), and nobody else;
- it honours its state's sharing laws like an agency: its own ``compliance_draw`` (stream
  ``world.private.compliance``), compared with ``policy.state_law_compliance`` by the model.
It never searches, posts Ring requests or runs proxy lookups: the model's searchers are the rows before
the first private owner (`Agencies.n_searchers`).
"""

from __future__ import annotations

import numpy as np

from sim.config.world import World as WorldConfig
from sim.geo.states import STATE_CODES
from sim.rng import Streams
from sim.world.sharing import GRANT
from sim.world.types import PRIVATE, SITE_TYPES, Agencies, Places

PLACE_KINDS: tuple[str, ...] = ("business", "hoa")  # private owners' places, in row order
HOA_SHARE = 200 / 1200  # share of HOAs among private networks: >200 HOAs to ~1,000 companies (2023)
LABEL = {"business": "Business", "hoa": "HOA"}


def private_places(cfg: WorldConfig, businesses: Places, hoas: Places) -> list[tuple[str, Places]]:
    """The places that own a private network, in row order: businesses, then HOAs (none when disabled)."""
    if not cfg.private.enabled:
        return []
    return [(k, p) for k, p in zip(PLACE_KINDS, (businesses, hoas), strict=True) if len(p)]


def default_names(places: list[tuple[str, Places]]) -> list[str]:
    """One name per place in row order, numbered per kind and state: "NC Business 0001", "NC HOA 0001"..."""
    names: list[str] = []
    for kind, pl in places:
        seen: dict[int, int] = {}
        for st in np.asarray(pl.state).tolist():
            seen[st] = seen.get(st, 0) + 1
            names.append(f"{STATE_CODES[st]} {LABEL[kind]} {seen[st]:04d}")
    return names


def append_private(agencies: Agencies, places: list[tuple[str, Places]], cfg: WorldConfig,
                   streams: Streams, names: list[str] | None = None) -> tuple[Agencies, np.ndarray, np.ndarray]:
    """`agencies` with one private owner per place appended; and per private owner its site code (index into
    `SITE_TYPES`) and the agency whose area holds its place. Cameras are 0 here (`camera_counts` fills them).
    `names`: one per place in row order (default "<state> Business 0001", "<state> HOA 0001"...)."""
    names = default_names(places) if names is None else list(names)
    if len(names) != sum(len(pl) for _, pl in places):
        raise ValueError(f"append_private: {len(names)} names for {sum(len(pl) for _, pl in places)} places")
    site = [np.full(len(pl), SITE_TYPES.index(kind), dtype=np.int8) for kind, pl in places]
    area = [np.asarray(pl.agency, dtype=np.int32) for _, pl in places]
    xs, ys = [pl.x_m for _, pl in places], [pl.y_m for _, pl in places]
    lats, lons = [pl.lat for _, pl in places], [pl.lon for _, pl in places]
    states = [np.asarray(pl.state, dtype=np.int16) for _, pl in places]
    k = len(names)
    if not k:
        return agencies, np.zeros(0, np.int8), np.zeros(0, np.int32)
    lookup = streams.get("world.private.national_lookup").uniform(size=k) < cfg.private.national_lookup_share
    comply = streams.get("world.private.compliance").uniform(size=k)

    def cat(old: np.ndarray | None, new: np.ndarray) -> np.ndarray:
        return np.concatenate([np.asarray(old), new])

    out = Agencies(
        name=np.concatenate([agencies.name, np.array(names, dtype=object)]),
        kind=cat(agencies.kind, np.full(k, PRIVATE, dtype=np.int8)).astype(np.int8),
        state=cat(agencies.state, np.concatenate(states)).astype(np.int16),
        lat=cat(agencies.lat, np.concatenate(lats)),
        lon=cat(agencies.lon, np.concatenate(lons)),
        x_m=cat(agencies.x_m, np.concatenate(xs)),
        y_m=cat(agencies.y_m, np.concatenate(ys)),
        national_lookup=cat(agencies.national_lookup, lookup).astype(bool),
        compliance_draw=cat(agencies.compliance_draw, comply),
        cameras=cat(agencies.cameras, np.zeros(k, dtype=np.int32)).astype(np.int32),
        retention_days=cat(agencies.retention_days, np.zeros(k, dtype=np.int16)).astype(np.int16),
        defaulted=cat(agencies.defaulted, np.zeros(k, dtype=bool)).astype(bool),
        vehicles_30d=cat(agencies.vehicles_30d, np.full(k, np.nan)),
        hotlist_hits_30d=cat(agencies.hotlist_hits_30d, np.full(k, np.nan)),
        searches_30d=cat(agencies.searches_30d, np.full(k, np.nan)),
        own_searches_30d=cat(agencies.own_searches_30d, np.full(k, np.nan)),
        own_vehicles_per_camera_day=cat(agencies.own_vehicles_per_camera_day, np.full(k, np.nan)),
        unit=cat(agencies.unit, np.full(k, "", dtype=object)),
        ended=cat(agencies.ended, np.zeros(k, dtype=bool)).astype(bool),
    )
    return out, np.concatenate(site), np.concatenate(area)


def private_edges(agencies: Agencies, area: np.ndarray, cfg: WorldConfig,
                  streams: Streams) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(src, dst, how) of the private owners' 1:1 grants to the agencies of their areas (private owners are the
    last ``len(area)`` rows)."""
    k = len(area)
    first = len(agencies) - k
    grant = streams.get("world.private.grants").uniform(size=k) < cfg.private.area_grant_share
    src = (first + np.flatnonzero(grant)).astype(np.int32)
    return src, np.asarray(area, dtype=np.int32)[grant], np.full(len(src), GRANT, dtype=np.int8)
