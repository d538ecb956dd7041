"""Fixtures for runner tests: the small scenario shortened to a few days, and the toy component."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.config import Scenario, load_scenario
from tests.conftest import SCENARIOS


@pytest.fixture(scope="session")
def small_scenario() -> Scenario:
    return load_scenario(SCENARIOS / "small.yaml", ["run.days=3", "run.replications=2"])


def write_scenario(folder: Path, text: str) -> Path:
    path = folder / "scenario.yaml"
    path.write_text(f"extends: {SCENARIOS / 'small.yaml'}\n" + text)
    return path


def differing_files(a: Path, b: Path, names: list[str]) -> list[str]:
    """Names of the files that differ (or are missing) between two result folders."""
    return [n for n in names if not (a / n).is_file() or not (b / n).is_file() or (a / n).read_bytes() != (b / n).read_bytes()]
