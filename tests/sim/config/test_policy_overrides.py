"""The config's type names (the config package does not import the world's): they must stay equal to
`sim.world.types`, so an override's ``where.type``, a scope mix and a request rate name the rows the model has."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from sim.config import base
from sim.config.policy_overrides import Where
from sim.world.types import AGENCY_TYPES, OWNER_TYPES


def test_type_names_are_the_worlds() -> None:
    assert base.AGENCY_TYPES == AGENCY_TYPES and base.OWNER_TYPES == OWNER_TYPES


def test_where_type_takes_private_owners_and_names_what_is_allowed() -> None:
    assert Where(type="private").type == ["private"]
    with pytest.raises(ValidationError, match="unknown owner type.*'privat'.*private"):
        Where(type="privat")
