"""Plate reads: Poisson counts, camera multipliers, retention and storage, hotlist scaling, ingest."""

from __future__ import annotations

import numpy as np

from sim.config import load_scenario, with_overrides
from sim.config.behavior_alpr import Alpr
from sim.model.alpr_reads import Reads, camera_multipliers, effective_retention
from sim.model.rng import Streams
from sim.world.build import build_world_cached
from tests.conftest import SCENARIOS


def make(values: dict | None = None, capacity: float = 25_000.0, seed: int = 1) -> tuple[Reads, object]:
    sc = with_overrides(load_scenario(SCENARIOS / "small.yaml"), values or {}, "test")
    world = build_world_cached(sc)
    return Reads(world, sc.behavior.alpr, sc.policy, capacity, Streams(np.random.SeedSequence(seed))), world


def test_owner_hour_counts_are_poisson_mean_equals_variance() -> None:
    reads, _ = make()
    days = np.array([reads.rng.poisson(reads.lam) for _ in range(60)])  # (day, owner, hour) with the model's rates
    owner = int(np.argmin(reads.owner_rate[reads.owner_rate > 0]))
    x = days[:, owner, :]
    dispersion = x.var(axis=0, ddof=1) / x.mean(axis=0)
    assert 0.7 < np.median(dispersion) < 1.3
    day = reads.draw_day()
    assert np.isclose(day.reads.sum() / reads.owner_rate.sum(), 1.0, atol=0.01)
    assert np.isclose(day.hourly.sum(), day.reads.sum())


def test_camera_multipliers_mean_or_median_one() -> None:
    rng = np.random.default_rng(0)
    raw = camera_multipliers(Alpr(reads_basis="raw"), 200_000, rng)
    unique = camera_multipliers(Alpr(reads_basis="unique"), 200_000, rng)
    assert abs(raw.mean() - 1) < 0.01 and abs(np.median(unique) - 1) < 0.01


def test_hotlist_hits_per_camera_day_match_the_portals() -> None:
    reads, world = make()
    hits = sum(reads.draw_day().hits for _ in range(5)) / (5 * len(world.cameras))
    assert abs(hits - 0.0018 * 526) < 0.1  # portals: 0.18% of ~526 vehicles per camera-day


def test_storage_holds_exactly_the_retention_window() -> None:
    reads, _ = make({"policy.alpr_retention_days": 5})
    assert reads.length == 5
    days = [reads.draw_day() for _ in range(7)]
    held = sum(d.reads for d in days[-5:]).sum()
    assert np.isclose(days[-1].held, held)
    long_, _ = make({"policy.alpr_retention_days": 30})
    assert long_.draw_day().held > 4 * days[-1].held  # starts at steady state: ~30 days held from day 0


def test_policy_below_default_caps_real_retention() -> None:
    _, world = make()
    sc = with_overrides(load_scenario(SCENARIOS / "small.yaml"), {"policy.alpr_retention_days": 7}, "test")
    world.agencies.retention_days[:3] = 365
    try:
        assert effective_retention(world, sc.policy).max() == 7
        sc30 = load_scenario(SCENARIOS / "small.yaml")
        assert effective_retention(world, sc30.policy).max() == 365
    finally:
        world.agencies.retention_days[:3] = 30


def test_ingest_backlog_when_over_capacity() -> None:
    reads, _ = make(capacity=100.0)
    day = reads.draw_day()
    assert day.ingest_util.max() > 1 and day.backlog_peak > 0
    ok, _ = make()
    assert ok.draw_day().backlog_peak == 0
