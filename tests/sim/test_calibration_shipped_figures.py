"""The figures `sim.calibration.shipped_figures` computes from the shipped data, against the defaults they ground.

- `world.sharing.statewide_share`: the default is within one agency of the share of the 2024 listing agencies that
  share with >= 95% of their state's listed agencies, and the >= 90% reading (MODEL.md's upper bound) is above it.
- `world.flock.nearest_radius_m`: 95% of local police's operator-named OSM cameras stand within it of their agency.
- `world.alpr.placement_radius_m`: fitted per type from the same distances (tests/sim/test_calibration_fit_placement.py).
- `world.agencies` split: both lists put more sheriffs than the assumed split (stated in MODEL.md, not refitted).
- `world.alpr.federal_cameras`: no federal organisation has a portal and no Flock camera in OSM belongs to a modelled
  federal unit.
"""

from __future__ import annotations

import numpy as np

from sim.calibration.shipped_figures import (
    federal_cameras_2026,
    operator_camera_distances_2026,
    sheriff_share_2024,
    sheriff_share_2026,
    statewide_sharers_2024,
)
from sim.config import load_scenario
from sim.config.world import World
from tests.conftest import ROOT

BASELINE = ROOT / "scenarios" / "baseline.yaml"


def test_statewide_share_reproduces_the_2024_lists_within_one_agency() -> None:
    hits, sources = statewide_sharers_2024(0.95)
    assert sources == 223  # the 224 listing agencies, one without a state in its name
    measured = hits / sources
    for default in (World().sharing.statewide_share, load_scenario(BASELINE).world.sharing.statewide_share):
        assert abs(default - measured) <= 1 / sources, (default, hits, sources)
    wider, _ = statewide_sharers_2024(0.90)
    assert wider > hits  # the threshold is a reading: a looser one gives more sharers (MODEL.md's range)


def test_no_modelled_federal_unit_owns_a_flock_camera() -> None:
    ops, federal_portals = federal_cameras_2026()
    assert federal_portals == 0
    assert ops  # the operator pattern finds the federal bodies OSM names (CBP, Border Patrol, the Postal Service)
    modelled = ("postal inspection", "federal bureau", "alcohol, tobacco", "homeland", "customs", "border",
                "secret service", "naval")
    flock = [(op, n) for (op, brand), n in ops.items() if "flock" in brand.lower() and any(m in op.lower() for m in modelled)]
    assert not flock
    assert World().alpr.federal_cameras == 0


def test_nearest_radius_is_where_local_police_own_cameras_end() -> None:
    km = operator_camera_distances_2026()
    police, sheriffs = km["local_police"], km["sheriff"]
    assert len(police) > 5000 and len(sheriffs) > 500
    radius_km = load_scenario(ROOT / "scenarios" / "flock-2026-real.yaml").world.flock.nearest_radius_m / 1000
    assert abs(np.percentile(police, 95) - radius_km) < 0.5  # 95% of a local police agency's named cameras
    assert np.percentile(police, 90) < radius_km < np.percentile(sheriffs, 90)  # MODEL.md's plausible range


def test_sharing_lists_put_more_sheriffs_than_the_assumed_split() -> None:
    """MODEL.md's world.agencies row: both lists give 18-20% sheriffs, the default 16.3% (a stated gap, not refitted)."""
    shares = [so / both for so, both in (sheriff_share_2024(), sheriff_share_2026())]
    counts = World().agencies
    default = counts.sheriff / (counts.sheriff + counts.local_police)
    assert all(default < s < default + 0.05 for s in shares), (default, shares)
    assert abs(shares[0] - shares[1]) < 0.02  # two snapshots, two typing rules, one answer within 2 points
