"""Shared fixtures: repository paths and the shipped scenarios."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"


@pytest.fixture
def scenarios_dir() -> Path:
    return SCENARIOS

# The platform before its 2025 rules (federal pilots open, no California platform rule), for tests of the rules that
# still bind then (state laws, the firewall, federal lookups); the shipped scenarios follow late 2025 (paused, CA).
PRE_2025_RULES = {"policy.federal_access": "open",
                  "policy.state_rules": {"CA": {"national_lookup": True, "out_of_state_sharing": True}}}
