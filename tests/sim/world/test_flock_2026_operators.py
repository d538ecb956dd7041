"""Classifying OSM camera operators: private companies and HOAs, public bodies, the vendor, unknowns."""

from __future__ import annotations

import pytest

from sim.world.flock_2026_operators import CLASSES, COMPANIES, classify, owner_kind


@pytest.mark.parametrize("operator, cls, key", [
    ("Lowe's", "private", "Lowe's"), ("Lowes", "private", "Lowe's"), ("Lowe's Home Improvement", "private", "Lowe's"),
    ("[Lowes]", "private", "Lowe's"), ("The Home Depot", "private", "The Home Depot"),
    ("Home Deopt", "private", "The Home Depot"), ("walmart", "private", "Walmart"), ("CVS", "private", "CVS"),
    ("Southfield Town Center", "private", "Southfield Town Center"),  # listed: "Town" alone would read public
    ("Interlocken Owners' Association, Inc.", "private", "Interlocken Owners' Association, Inc."),
    ("Bridge Valley HOA", "private", "Bridge Valley HOA"), ("Kading Properties, LLC", "private", "Kading Properties, LLC"),
    ("Palms Casino Resort", "private", "Palms Casino Resort"), ("(NETHOA/Owner)", "private", "(NETHOA/Owner)"),
])
def test_companies_and_hoas_are_private_under_one_key(operator: str, cls: str, key: str) -> None:
    assert classify(operator) == (cls, key)


@pytest.mark.parametrize("operator", [
    "San Diego Police Department", "California Highway Patrol (CHP)", "NYC Department of Transportation",
    "New Hampshire Bureau of Turnpikes", "Port Authority of New York and New Jersey", "Tufts University",
    "Chelan County SO", "ZionsvillePD", "City of Beverly Hills", "Police Officers Association of Anytown",
    "Golden Gate Bridge Highway and Transportation District", "Quapaw Nation", "WSDOT",
])
def test_public_bodies_are_public_even_with_a_private_word(operator: str) -> None:
    assert classify(operator) == ("public", "")


@pytest.mark.parametrize("operator", ["Flock Safety", "[Flock Safety]", "Flock", "Rekor", "Vigilant Solutions"])
def test_the_vendor_is_not_private(operator: str) -> None:
    assert classify(operator) == ("vendor", "")


@pytest.mark.parametrize("operator", ["", "Unknown", "Eagan", "Rock Security", "PHILLIP ALLEN WIEMANN"])
def test_anything_else_is_unknown(operator: str) -> None:
    assert classify(operator) == ("unknown", "")


def test_every_listed_spelling_is_private_and_kinds_follow_the_name() -> None:
    for name, spellings in COMPANIES.items():
        assert {classify(s) for s in spellings} == {("private", name)}
    assert owner_kind("Tuscany Homeowners Association") == owner_kind("Redbud HOA") == "hoa"
    assert owner_kind("Lowe's") == owner_kind("Palms Casino Resort") == "business"
    assert set(CLASSES) == {"private", "public", "vendor", "unknown"}
