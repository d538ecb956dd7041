"""Agency type and state read from portal names."""

from __future__ import annotations

import pytest

from sim.world.agency_names import parse_kind, parse_state
from sim.world.types import FEDERAL, LOCAL, SHERIFF, STATE_POLICE


@pytest.mark.parametrize(
    ("name", "state"),
    [
        ("Sylvania OH PD", "OH"),
        ("Tooele City PD UT", "UT"),
        ("Mahoning Valley Law Enforcement TF (OH)", "OH"),
        ("Ohio State Highway Patrol", "OH"),
        ("West Virginia State Police", "WV"),
        ("Crestview Fl PD", "FL"),
        ("Moniteau Co MO SO", "MO"),
        ("Summit Metro Parks PD", None),
        ("Flock Safety - Admins", None),
    ],
)
def test_parse_state(name: str, state: str | None) -> None:
    assert parse_state(name) == state


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Sylvania OH PD", LOCAL),
        ("Ashland County OH SO", SHERIFF),
        ("Yuba County Sheriffs Office", SHERIFF),
        ("Ohio State Highway Patrol", STATE_POLICE),
        ("Georgia Bureau of Investigation", STATE_POLICE),
        ("Texas Department of Public Safety", STATE_POLICE),
        ("Augusta KS DPS", LOCAL),
        ("AZ - Department of Public Safety", STATE_POLICE),
        # a college's own public-safety department, whatever state code the lists put first (2024: state police)
        ("SC - College of Charleston Department of Public Safety", LOCAL),
        ("Penn State University Police and Public Safety PA", LOCAL),
        ("Aldine ISD PD TX", LOCAL),
        ("US Postal Inspection Service", FEDERAL),
        ("ATF Louisville KY", FEDERAL),
        ("FBI", FEDERAL),
        ("United States Border Control - Grand Forks Sector MN", FEDERAL),
        ("Office of the Police Chief", LOCAL),
    ],
)
def test_parse_kind(name: str, kind: int) -> None:
    assert parse_kind(name) == kind
