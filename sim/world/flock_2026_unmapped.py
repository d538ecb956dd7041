"""Unmapped private networks of the real-geography world: companies and HOAs that OpenStreetMap does not name.

OSM names a private operator for 2,031 of its 61,768 ALPR cameras (`sim.world.flock_2026_operators`), which make
641 private networks (`sim.world.flock_2026_private`); 47,607 carry no operator, or one the data cannot place
(unknown text, or the vendor "Flock Safety" where the customer is not known). The lookup figures (EFF: a national
lookup touches ~6,700 networks; Eugene's median national lookup 85,185 cameras) ask for more networks than the
2026 lists' agencies and the OSM-named companies give, so ``world.flock.unmapped_private`` more private networks
are added, a count fitted by `sim.calibration.fit_private` (docs/MODEL.md), not read from any list.

Where and how large (assumptions, docs/MODEL.md):
- each stands at an OSM camera whose operator the data do not name (class ``unknown`` or ``vendor``), drawn
  uniformly without replacement from those of the 50 states and DC (stream ``world.flock.unmapped_private``):
  private cameras are where mappers found cameras they could not attribute. The draw is national; a world of some
  states (``world.states``) keeps the draws that fall in it, so it gets its share. Its area agency is the nearest
  police agency of that camera's state within ``world.flock.nearest_radius_m`` (a draw with none is dropped);
- its camera count is drawn with replacement from the sizes of the world's OSM-named private networks (the
  shipped data's only figure on a private network's size; none in the world: no unmapped networks, said in the
  notes); its cameras are new ones (not OSM-mapped: the map is a sample of the fleet) within ``SITE_JITTER_M``
  of the drawn camera, and count towards ``world.alpr.total`` before the fill;
- it is an HOA with the 2023 share (`HOA_SHARE`: >200 HOAs to ~1,000 companies), else a business; its key,
  "Unmapped business 0001" or "Unmapped HOA 0001", names it as an operator key names an OSM-named network.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.world.alpr import SITE_JITTER_M
from sim.world.geo import points_in_discs
from sim.world.private_networks import HOA_SHARE


@dataclass(frozen=True)
class UnmappedNetworks:
    """Per network its area agency, its key and its camera count; per camera its position (grouped by network)."""

    area: np.ndarray  # int64, police agency of the network's area
    keys: np.ndarray  # object, "Unmapped business 0001" / "Unmapped HOA 0001"
    sizes: np.ndarray  # int64, cameras per network
    x_m: np.ndarray  # per camera, network by network
    y_m: np.ndarray
    drawn: int  # sites drawn nationally
    dropped: int  # drawn sites outside the world or without a police agency within the radius


def network_sizes(keys: np.ndarray, owner: np.ndarray) -> np.ndarray:
    """Cameras per OSM-named private network: per distinct (operator key, area agency) of the cameras given."""
    pairs = np.array([f"{k}\0{o}" for k, o in zip(keys.tolist(), owner.tolist(), strict=True)], dtype=object)
    return np.unique(pairs, return_counts=True)[1].astype(np.int64) if len(pairs) else np.zeros(0, np.int64)


def unmapped_networks(count: int, candidates: np.ndarray, area_of: np.ndarray, cx: np.ndarray, cy: np.ndarray,
                      sizes: np.ndarray, rng: np.random.Generator) -> UnmappedNetworks:
    """`count` networks drawn at the OSM cameras `candidates` (indices into `cx`, `cy`, `area_of`); `area_of` per
    OSM camera its area agency in the world (-1: none, or outside the world); `sizes`: the pool of camera counts."""
    drawn = min(count, len(candidates))
    if not drawn or not len(sizes):
        empty = np.zeros(0, np.int64)
        return UnmappedNetworks(empty, np.zeros(0, object), empty, np.zeros(0), np.zeros(0), 0, 0)
    site = candidates[rng.choice(len(candidates), size=drawn, replace=False)]  # in random order
    n_cams = sizes[rng.integers(0, len(sizes), size=drawn)]
    hoa = np.arange(drawn) >= drawn - int(round(drawn * HOA_SHARE))  # the last ones: the order is random
    keep = area_of[site] >= 0
    site, n_cams, hoa = site[keep], n_cams[keep], hoa[keep]
    number = np.where(hoa, np.cumsum(hoa), np.cumsum(~hoa))
    keys = np.array([f"Unmapped {'HOA' if h else 'business'} {j:04d}" for h, j in
                     zip(hoa.tolist(), number.tolist(), strict=True)], dtype=object)
    x, y = points_in_discs(np.repeat(cx[site], n_cams), np.repeat(cy[site], n_cams), SITE_JITTER_M, rng)
    return UnmappedNetworks(area_of[site].astype(np.int64), keys, n_cams, x, y, drawn, drawn - len(site))
