"""Shared fixtures: repository paths and the shipped scenarios."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from sim.forking import other_threads

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"


@pytest.fixture
def scenarios_dir() -> Path:
    return SCENARIOS

# The platform before its 2025 rules (federal pilots open, no California platform rule), for tests of the rules that
# still bind then (state laws, the firewall, federal lookups); the shipped scenarios follow late 2025 (paused, CA).
PRE_2025_RULES = {"policy.federal_access": "open",
                  "policy.state_rules": {"CA": {"may_run_national_lookup": True, "out_of_state_sharing": True}}}


# Tests of the simulation and the reports must not leave a thread alive (the load tests run servers on threads).
THREAD_CHECKED = (ROOT / "tests" / "sim", ROOT / "tests" / "reports")


@pytest.fixture(autouse=True)
def no_thread_left_behind(request: pytest.FixtureRequest) -> Iterator[None]:
    """A run, sweep, executor or report leaves no thread alive: one left would make every later fork in the
    process unsafe (`sim.forking.fork_is_safe`), so charts drawn afterwards fall back to one process."""
    if not any(Path(request.path).is_relative_to(d) for d in THREAD_CHECKED):
        yield
        return
    before = set(other_threads())
    yield
    assert sorted(set(other_threads()) - before) == []
