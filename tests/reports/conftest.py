"""Fixtures: small fixed results folders (a run, a sweep, a load test) written once per module."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.reports.tables import write_loadtest, write_run, write_sweep


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_run(tmp_path_factory.mktemp("run") / "baseline", name="baseline")


@pytest.fixture(scope="module")
def sweep_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_sweep(tmp_path_factory.mktemp("sweep") / "retention-sweep")


@pytest.fixture(scope="module")
def loadtest_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_loadtest(tmp_path_factory.mktemp("loadtest") / "lt")
