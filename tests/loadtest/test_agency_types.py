"""The service's agency-type names are tied to the model's: its model-side keys are imported from `sim`, not
copied, so a type the model adds, drops or renames changes (or breaks) the mapping instead of leaving a stale copy."""

from __future__ import annotations

import importlib

import pytest

import sim.config.base as base
from loadtest.service import agency_types
from sim.world import types as world_types


def test_every_model_owner_type_has_one_service_name() -> None:
    assert tuple(agency_types.TYPE_NAMES) == base.OWNER_TYPES == world_types.OWNER_TYPES
    assert len(set(agency_types.TYPE_NAMES.values())) == len(base.OWNER_TYPES)
    assert {agency_types.MODEL_TYPES[agency_types.TYPE_NAMES[t]] for t in base.OWNER_TYPES} == set(base.OWNER_TYPES)
    # the names the service's SQL and routes test for literally
    assert agency_types.TYPE_NAMES["federal"] == "federal" and agency_types.TYPE_NAMES["private"] == "private"


def test_the_model_types_are_read_from_sim_not_copied(monkeypatch: pytest.MonkeyPatch) -> None:
    try:
        renamed = ("municipal_police", *base.OWNER_TYPES[1:])
        monkeypatch.setattr(base, "OWNER_TYPES", renamed)
        assert tuple(importlib.reload(agency_types).TYPE_NAMES) == renamed
        monkeypatch.setattr(base, "OWNER_TYPES", (*base.OWNER_TYPES, "tribal_police"))
        with pytest.raises(ValueError):  # a model type without a service name is an error at import
            importlib.reload(agency_types)
    finally:
        monkeypatch.undo()
        importlib.reload(agency_types)
