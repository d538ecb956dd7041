"""`sim.calibration.fit_placement`: the arterial radius per agency type fitted to where the 2026 OSM cameras named
after local police and sheriffs stand.

- The defaults (and scenarios/baseline.yaml) are the median fit; the fit is the plain disc's r / sqrt(q) when every
  camera is arterial, and refuses a figure no radius gives.
- The mixture the fit assumes (arterial share, places' disc) is what a built world draws.
- State police's cameras cluster far from their agency's point; the assumption lies within the cluster's disc fits.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from sim.calibration.fit_placement import (
    arterial_share,
    cluster_distances_2026,
    distance_cdf,
    fits,
    fitted_radii,
    operator_distances,
    radius_for_mean,
    radius_for_quantile,
)
from sim.config import load_scenario
from sim.config.world import PLACEMENT_RADIUS_M_DEFAULT
from sim.config.world import World as WorldConfig
from sim.world import build_world
from sim.world.types import SITE_TYPES, is_police
from tests.conftest import SCENARIOS


def test_defaults_and_the_baseline_are_the_median_fit() -> None:
    fitted = fitted_radii()
    baseline = load_scenario(SCENARIOS / "baseline.yaml").world.alpr.placement_radius_m
    for t, r in fitted.items():
        assert PLACEMENT_RADIUS_M_DEFAULT[t] == r == baseline[t], t
    assert fitted["sheriff"] > 4 * fitted["local_police"]  # one radius for every type cannot give both


def test_the_data_s_medians_and_plausible_ranges() -> None:
    """MODEL.md's figures: medians 3.7 and 16.6 km; the fits to the mean and p90 bound the range from above."""
    cfg = WorldConfig()
    a, place_km = arterial_share(cfg), cfg.places_radius_m / 1000
    local, sheriff = (fits(operator_distances()[t], a, place_km) for t in ("local_police", "sheriff"))
    assert np.median(operator_distances()["local_police"]) == pytest.approx(3.7, abs=0.05)
    assert np.median(operator_distances()["sheriff"]) == pytest.approx(16.6, abs=0.05)
    assert local["median"] < local["mean"] < local["p90"]
    assert sheriff["median"] < sheriff["mean"] < sheriff["p90"]
    assert local["p90"] < sheriff["median"]  # the ranges do not overlap


def test_all_arterial_is_the_plain_disc() -> None:
    assert radius_for_quantile(0.5, 3.0, 1.0, 8.0) == pytest.approx(3.0 / math.sqrt(0.5), abs=1e-3)
    assert radius_for_quantile(0.9, 9.0, 1.0, 8.0) == pytest.approx(9.0 / math.sqrt(0.9), abs=1e-3)
    assert radius_for_mean(4.0, 1.0, 8.0) == pytest.approx(6.0)
    r = radius_for_quantile(0.5, 16.6, 0.772, 8.0)
    assert distance_cdf(16.6, r, 0.772, 8.0) == pytest.approx(0.5, abs=1e-4)


def test_a_median_no_radius_gives_is_refused() -> None:
    """Half the cameras at places within 8 km: no arterial disc puts the median at 20 km."""
    with pytest.raises(ValueError, match="no arterial radius"):
        radius_for_quantile(0.5, 20.0, 0.5, 8.0)


def test_a_built_world_draws_the_mixture_the_fit_assumes() -> None:
    """The arterial share and each type's median distance of a built world are those of the fit's distribution."""
    sc = load_scenario(SCENARIOS / "small.yaml")
    world = build_world(sc)
    c, a = world.cameras, world.agencies
    police = is_police(a.kind[c.owner])
    share = (c.site[police] == SITE_TYPES.index("arterial")).mean()
    assert share == pytest.approx(arterial_share(sc.world), abs=0.03)
    km = np.hypot(c.x_m - a.x_m[c.owner], c.y_m - a.y_m[c.owner]) / 1000
    place_km = sc.world.places_radius_m / 1000
    for k, t in ((0, "local_police"), (1, "sheriff")):
        d = km[police & (a.kind[c.owner] == k)]
        r_km = sc.world.alpr.placement_radius_m[t] / 1000
        assert distance_cdf(float(np.median(d)), r_km, float(share), place_km) == pytest.approx(0.5, abs=0.05), t


def test_state_police_cameras_cluster_within_the_assumed_disc() -> None:
    """570 named cameras, one cluster per agency: its median- and p90-disc fits bracket the 8 km assumption."""
    d = cluster_distances_2026()
    assert len(d) == len(operator_distances()["state_police"]) > 500
    assert np.median(operator_distances()["state_police"]) > 100  # far from the agency's point
    by_median, by_p90 = np.percentile(d, 50) / math.sqrt(0.5), np.percentile(d, 90) / math.sqrt(0.9)
    assert by_median < PLACEMENT_RADIUS_M_DEFAULT["state_police"] / 1000 < by_p90


def test_the_real_geography_world_takes_the_plain_disc_fit() -> None:
    """flock-2026-real places only added cameras, all arterial: its radii are the median fit with a = 1."""
    sc = load_scenario(SCENARIOS / "flock-2026-real.yaml")
    assert arterial_share(sc.world) == 1.0
    fitted = fitted_radii(sc.world)
    for t, r in fitted.items():
        assert sc.world.alpr.placement_radius_m[t] == r, t
        assert r == pytest.approx(np.median(operator_distances()[t]) * 1000 / math.sqrt(0.5), abs=50.0)
