"""`policy:` the levers a legislature, a city council or the company could pull.

Retention in days; areas in square miles. ``state_laws`` lists states whose law forbids sharing ALPR
data with out-of-state or federal agencies (California SB 34, Illinois 2023), honoured by each owner
agency there with probability ``state_law_compliance``. ``overrides`` sets per-agency policy for chosen
states, types, agencies or sizes (`sim.config.policy_overrides`), applied in order after these levers.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from sim.config.base import PositiveInt, Share, StrictModel, state_codes_validator
from sim.config.policy_overrides import Override


class Policy(StrictModel):
    alpr_retention_days: PositiveInt = Field(30, le=3650)
    ring_retention_days_max: PositiveInt | None = Field(None, le=180)
    sharing_scope: Literal["any", "in_state", "none"] = "any"
    national_lookup: bool = True
    state_laws: list[str] = Field(default_factory=lambda: ["CA", "IL"])
    state_law_compliance: Share = 0.9
    federal_firewall: bool = False
    case_number_required: bool = True
    search_reason_required: bool = True
    request_area_cap_sq_mi: float = Field(0.5, ge=0.025, le=0.5)
    posts_per_case: PositiveInt = Field(2, le=10)
    overrides: list[Override] = Field(default_factory=list)

    @field_validator("state_laws")
    @classmethod
    def _states(cls, v: list[str]) -> list[str]:
        return state_codes_validator(v)
