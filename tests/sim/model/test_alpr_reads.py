"""Plate reads: Poisson counts, camera multipliers, retention and storage, hotlist scaling, ingest."""

from __future__ import annotations

import numpy as np

from sim.config import load_scenario, with_overrides
from sim.config.behavior_alpr import Alpr
from sim.model.alpr_reads import Reads, agency_log_sd, camera_multipliers, owner_hour_margins, owner_multipliers
from sim.model.policy_effects import policy_effects
from sim.rng import Streams
from sim.world.build import build_world_cached
from tests.conftest import SCENARIOS


def make(values: dict | None = None, capacity: float = 25_000.0, seed: int = 1) -> tuple[Reads, object]:
    sc = with_overrides(load_scenario(SCENARIOS / "small.yaml"), values or {}, "test")
    world = build_world_cached(sc)
    retention = policy_effects(world, sc.policy).alpr_retention_days
    return Reads(world, sc.behavior.alpr, retention, capacity, Streams(np.random.SeedSequence(seed))), world


def test_owner_and_hour_margins_have_the_owner_hour_tables_law() -> None:
    """Row sums Poisson, column sums Poisson, cov(row o, column h) = rate_o x share_h: the table's law."""
    rate, profile = np.array([3.0, 5.0]), np.array([0.2, 0.3, 0.5])
    rng = np.random.default_rng(7)
    draws = np.array([np.concatenate(owner_hour_margins(rng, rate, profile)) for _ in range(40_000)])
    table = rng.poisson(rate[:, None] * profile[None, :], size=(40_000, 2, 3))  # the law drawn cell by cell
    direct = np.concatenate([table.sum(axis=2), table.sum(axis=1)], axis=1)
    expected = np.cov(direct, rowvar=False)  # its exact value: diag(rate, 8 x profile), rate_o x profile_h off
    cov = np.cov(draws, rowvar=False)
    assert np.allclose(draws.mean(axis=0), np.concatenate([rate, 8 * profile]), atol=0.05)
    assert np.allclose(cov, expected, atol=0.12)
    assert np.allclose(cov[:2, 2:], np.outer(rate, profile), atol=0.1)  # hours depend on the owners' draws
    assert np.allclose(cov[2:, 2:] - np.diag(np.diag(cov[2:, 2:])), 0, atol=0.1)  # hours independent


def test_day_reads_add_up_and_follow_the_rates() -> None:
    reads, _ = make()
    days = [reads.draw_day() for _ in range(60)]
    x = np.array([d.reads for d in days])
    owner = int(np.argmin(np.where(reads.owner_rate > 0, reads.owner_rate, np.inf)))
    assert 0.6 < x[:, owner].var(ddof=1) / x[:, owner].mean() < 1.4  # Poisson: variance close to the mean
    assert np.isclose(x.sum() / (60 * reads.owner_rate.sum()), 1.0, atol=0.005)
    assert all(np.isclose(d.hourly.sum(), d.reads.sum()) for d in days)
    shares = np.array([d.hourly for d in days]).sum(axis=0) / x.sum()
    assert np.allclose(shares, reads.profile, atol=0.002)


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


def test_ingest_backlog_when_over_capacity() -> None:
    reads, _ = make(capacity=100.0)
    day = reads.draw_day()
    assert day.ingest_util.max() > 1 and day.backlog_peak > 0
    ok, _ = make()
    assert ok.draw_day().backlog_peak == 0


def test_held_when_every_owner_keeps_the_buffer_is_the_masked_sum() -> None:
    """`held`'s path for one retention (a speed trick: a plain sum over the buffer's days) gives the masked sum's
    bytes, day after day as the buffer turns over."""
    reads, world = make({"policy.alpr_retention_days": 30})
    assert reads.keeps_all
    for _ in range(45):
        reads.draw_day()
        fast = reads.held()
        reads.keeps_all = False  # the general path: each owner's last `retention` days, masked
        assert fast.tobytes() == reads.held().tobytes()
        reads.keeps_all = True
    sc = load_scenario(SCENARIOS / "small.yaml")
    mixed = np.where(np.arange(len(world.agencies)) % 2 == 0, 7, 30)
    assert not Reads(world, sc.behavior.alpr, mixed, 25_000.0, Streams(np.random.SeedSequence(1))).keeps_all


def test_owner_multipliers_mean_or_median_one_and_cameras_mean_one_on_both_bases() -> None:
    """The owner's multiplier has mean 1 on the raw basis (8,300 is a national mean) and median 1 on the unique basis
    (526 is the portals' median agency); a camera's own multiplier about its owner's has mean 1 on both."""
    rng = np.random.default_rng(0)
    cfg = {"agency_rate_sigma": 0.59, "camera_rate_sigma": 0.98}
    raw = owner_multipliers(Alpr(reads_basis="raw", **cfg), 400_000, rng)
    unique = owner_multipliers(Alpr(reads_basis="unique", **cfg), 400_000, rng)
    assert abs(raw.mean() - 1) < 0.01 and abs(np.median(unique) - 1) < 0.01
    assert abs(np.log(raw).std() - 0.59) < 0.01
    for basis in ("raw", "unique"):
        cam = camera_multipliers(Alpr(reads_basis=basis, **cfg), 400_000, rng)
        assert abs(cam.mean() - 1) < 0.02 and abs(np.log(cam).std() - 0.98) < 0.01


def test_an_owners_cameras_share_its_multiplier_from_its_own_stream() -> None:
    """camera_mult = the owner's multiplier x the camera's own; the owner's comes from stream alpr.agency_rate, so the
    cameras' own draws (stream alpr.reads) are those of a run without the owner factor, draw for draw."""
    with_owner, world = make({"behavior.alpr.agency_rate_sigma": 0.59})
    without, _ = make({"behavior.alpr.agency_rate_sigma": 0.0})
    owner = np.asarray(world.cameras.owner)
    assert np.array_equal(without.owner_mult, np.ones(len(world.agencies)))
    assert np.allclose(with_owner.camera_mult / without.camera_mult, with_owner.owner_mult[owner], rtol=1e-12)
    expected = with_owner.cfg.reads_per_camera_day * np.bincount(owner, weights=with_owner.camera_mult,
                                                                 minlength=len(world.agencies))
    assert np.allclose(with_owner.owner_rate, expected)
    assert len(np.unique(with_owner.owner_mult)) == len(world.agencies)  # one draw per owner


def test_no_owner_factor_reproduces_the_camera_only_rates_exactly() -> None:
    """agency_rate_sigma 0 gives the rates of the model before the owner factor, bit for bit (raw basis)."""
    reads, world = make({"behavior.alpr.agency_rate_sigma": 0.0, "behavior.alpr.camera_rate_sigma": 0.5})
    rng = Streams(np.random.SeedSequence(1)).get("alpr.reads")
    old = 8300.0 * rng.lognormal(-0.125, 0.5, len(world.cameras))
    assert np.array_equal(reads.camera_rate, old)


def test_agency_log_sd_reads_the_spread_between_agencies_with_cameras() -> None:
    rng = np.random.default_rng(3)
    n = 20_000
    cameras = rng.integers(0, 30, n)
    days = 30
    rate = np.exp(0.7 * rng.standard_normal(n)) * 500.0
    reads = rate * cameras * days
    police = np.ones(n, dtype=bool)
    police[:5000] = False
    reads[:5000] *= np.exp(3 * rng.standard_normal(5000))  # rows left out must not count
    assert abs(agency_log_sd(reads, cameras, days, police) - 0.7) < 0.03
    assert np.isnan(agency_log_sd(reads, np.zeros(n), days, police))  # no agency with cameras


def test_the_owner_factor_spreads_agencies_as_the_portals_do() -> None:
    """Before the owner factor, agencies' average rates spread by ~0.2 on the small world (log-sd; portals 0.74)."""
    spreads = {}
    for sigma in (0.0, 0.59):
        reads, world = make({"behavior.alpr.agency_rate_sigma": sigma})
        police = np.asarray(world.agencies.kind) < 2  # local police and sheriffs
        spreads[sigma] = agency_log_sd(reads.owner_rate, np.asarray(world.agencies.cameras), 1, police)
    assert spreads[0.0] < 0.45 < spreads[0.59] < 1.0, spreads
