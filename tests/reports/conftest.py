"""Fixtures: small fixed results folders (a run, a sweep, a load test) written once per module; every figure a
test left open closed after it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import matplotlib.pyplot as plt
import pytest

from tests.reports.tables import write_loadtest, write_run, write_sweep


@pytest.fixture(autouse=True)
def close_figures() -> Iterator[None]:
    """Chart functions return their figure open for the caller to save (`reports.style.save` closes it); a test
    that reads a chart without saving it leaves the figure to this (14 tests did: 22 figures, over pyplot's
    20-figure RuntimeWarning)."""
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_run(tmp_path_factory.mktemp("run") / "baseline", name="baseline")


@pytest.fixture(scope="module")
def sweep_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_sweep(tmp_path_factory.mktemp("sweep") / "retention-sweep")


@pytest.fixture(scope="module")
def loadtest_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_loadtest(tmp_path_factory.mktemp("loadtest") / "lt")


@pytest.fixture(scope="module")
def focus_pair(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Two real runs of a two-state world (NC, CA), 2 replications from one root seed: a baseline and one where
    North Carolina bans federal access (state law, firewall, no federal grants) by a state-level override."""
    from sim import run
    from sim.config import load_scenario, with_overrides
    from tests.conftest import SCENARIOS

    root = tmp_path_factory.mktemp("focus")
    base = with_overrides(load_scenario(SCENARIOS / "small.yaml"),
                          {"world.states": ["NC", "CA"], "run.replications": 2, "name": "base"}, "test")
    ban = with_overrides(base, {"name": "ban", "policy.overrides": [
        {"where": {"state": "NC"}, "set": {"state_law": True, "federal_firewall": True, "federal_grants": False}}]},
        "test")
    for sc in (base, ban):
        run(sc, output_dir=root / sc.name, executor="inprocess", quiet=True)
    return root / "base", root / "ban"
