"""The runner with the full model on scenarios/small.yaml (shortened): identical bytes and common random numbers."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from sim import load_scenario, run
from sim.model.alpr_reads import agency_log_sd
from sim.world.build import build_world_cached
from tests.conftest import SCENARIOS
from tests.sim.runner.conftest import differing_files
from tests.sim.runner.test_api import result_files

SHORT = ["run.days=2", "run.replications=2"]


def test_small_scenario_same_bytes_in_process_and_on_two_workers(tmp_path: Path) -> None:
    sc = load_scenario(SCENARIOS / "small.yaml", SHORT)
    a = run(sc, output_dir=tmp_path / "a", executor="inprocess", quiet=True)
    b = run(sc, output_dir=tmp_path / "b", executor="process", workers=2, quiet=True)
    names = result_files(a.output_dir)
    # world.json too: computed in line for in-process runs, on a thread beside the worker processes otherwise
    assert {"metrics.csv", "metrics.parquet", "flows.csv", "flows.parquet", "summary.json", "world.json"} <= set(names)
    assert differing_files(a.output_dir, b.output_dir, names) == []
    summ = a.summary()
    assert summ["replications"] == 2 and summ["failed"] == 0
    assert {"requests.posted", "optin.rate", "alpr.reads"} <= set(summ["metrics"])
    assert summ["metrics"]["alpr.reads"]["mean"] > 0 and len(a.flows) > 0
    # replications differ (own streams) but share the world (built once per design point from the root seed)
    reads = a.metrics.query("metric == 'alpr.reads' and day.isna()", engine="python").value
    assert reads.nunique() == 2


def test_a_single_run_runs_in_this_process_with_the_bytes_of_a_pool(tmp_path: Path) -> None:
    """One replication: no pool by default (world.json then comes from a forked child); the same bytes."""
    sc = load_scenario(SCENARIOS / "small.yaml", ["run.days=2", "run.replications=1"])
    a = run(sc, output_dir=tmp_path / "a", quiet=True)
    b = run(sc, output_dir=tmp_path / "b", executor="process", workers=1, quiet=True)
    assert a.manifest["batch"]["executor"]["kind"] == "inprocess"
    assert b.manifest["batch"]["executor"]["kind"] == "process"
    names = result_files(a.output_dir)
    assert {"metrics.csv", "by_agency.parquet", "summary.json", "world.json"} <= set(names)
    assert differing_files(a.output_dir, b.output_dir, names) == []
    two = run(sc, overrides=["run.replications=2"], output_dir=tmp_path / "c", quiet=True)
    assert two.manifest["batch"]["executor"]["kind"] == "process"  # more than one run: the pool


def test_firewall_policy_leaves_request_and_read_streams_identical(tmp_path: Path) -> None:
    sc = load_scenario(SCENARIOS / "small.yaml", SHORT)
    proxies = ["behavior.searches.proxy_agency_share=0.3"]  # enough agencies run proxy lookups in one state
    off = run(sc, overrides=proxies, output_dir=tmp_path / "off", executor="inprocess", quiet=True).metrics
    on = run(sc, overrides=[*proxies, "policy.federal_firewall=true"], output_dir=tmp_path / "on",
             executor="inprocess", quiet=True).metrics
    untouched = ("requests.", "optin.", "footage.", "packaging.")

    def pick(frame: pd.DataFrame) -> pd.DataFrame:
        keep = frame.metric.str.startswith(untouched) | (frame.metric == "alpr.reads")
        return frame[keep].reset_index(drop=True)

    assert len(pick(off)) > 0
    pd.testing.assert_frame_equal(pick(off), pick(on))
    searches = ["alpr.searches_federal_own", "alpr.searches_federal_proxy", "search.jobs"]
    total = lambda f: f[f.metric.isin(searches) & f.day.isna()].value.sum()  # noqa: E731
    assert total(on) != total(off)


def test_owner_read_rates_are_the_same_on_one_and_two_workers(tmp_path: Path) -> None:
    """Each replication draws its owners' read-rate multipliers once (stream alpr.agency_rate): 1 and 2 workers give
    the same bytes, the replications their own spread, and by_agency's reads spread between agencies as the metric
    says."""
    sc = load_scenario(SCENARIOS / "small.yaml", ["run.days=1", "run.replications=2"])
    one = run(sc, output_dir=tmp_path / "one", executor="process", workers=1, quiet=True)
    two = run(sc, output_dir=tmp_path / "two", executor="process", workers=2, quiet=True)
    names = result_files(one.output_dir)
    assert {"summary.json", "by_agency.parquet", "metrics.parquet"} <= set(names)
    assert differing_files(one.output_dir, two.output_dir, names) == []
    spread = one.metrics.query("metric == 'alpr.reads_per_camera_day_log_sd' and day.isna()", engine="python")
    assert spread.value.nunique() == 2 and spread.value.between(0.4, 1.1).all()
    by_agency = pd.read_parquet(one.output_dir / "by_agency.parquet")
    world = build_world_cached(sc)
    portal_types = np.asarray(world.agencies.kind) < 2  # local police and sheriffs
    for rep, value in zip(spread.replication, spread.value, strict=True):
        rows = by_agency[by_agency.replication == rep].sort_values("agency")
        reads = rows["alpr.reads"].to_numpy()
        assert agency_log_sd(reads, np.asarray(world.agencies.cameras), 1, portal_types) == value
