"""`policy.overrides`: per-agency policy for chosen states, agency types, agencies or sizes.

A list of ``{where: {...}, set: {...}}`` applied in order after the national ``policy:`` levers, so a later
override wins where two select the same agency (`sim.model.policy_effects` applies them as array masks).

``where`` (every given key must hold; an empty ``where`` selects every owner agency):
- ``state``: a two-letter code or a list of them;
- ``type``: an owner type (``local_police``, ``sheriff``, ``state_police``, ``federal``, ``private``: the
  companies' and HOAs' networks, `sim.world.private_networks`) or a list; other selectors pick private
  owners too (a state law binds every owner of the state);
- ``agency``: agency names (exact match; checked against the built world, with "did you mean") or agency
  indices (whole numbers, the row in ``by_agency``), one or a list;
- ``cameras_min`` / ``cameras_max``: the agency's ALPR cameras, inclusive bounds.

``set`` holds per-agency policy fields (each optional; the national lever is the default):
- ``sharing_scope``: ``any``, ``in_state`` or ``none`` (whom the agency's reads are shared with);
- ``national_lookup``: the agency's reads are open to national lookup (its opt-in; needs the platform's
  ``policy.national_lookup`` on);
- ``statewide_sharing``: false drops the agency's statewide sharing (its ``statewide`` edges);
- ``federal_grants``: false drops its 1:1 grants to federal units (direct federal access);
- ``alpr_retention_days``: its ALPR retention as ``policy.alpr_retention_days`` would set it;
- ``state_law``: the agency is under a state law refusing out-of-state and federal searchers (what
  ``policy.state_laws`` sets for a whole state: a state law is a state-level override);
- ``state_law_compliance``: the chance it honours such a law (its compliance draw is compared with it);
- ``federal_firewall``: it refuses federal searchers (when compliant);
- ``moderation``: ``{blocked: [...], warned: [...]}``, the moderation of the agency's own searches (and the
  proxy lookups it runs), replacing ``policy.moderation`` for it (a list left out is empty).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator

from sim.config.base import (
    OWNER_TYPES,
    NonNegInt,
    PositiveInt,
    Share,
    StrictModel,
    known_names,
    state_codes_validator,
)


def _as_list(v: object) -> object:
    return [v] if isinstance(v, str | int) and not isinstance(v, bool) else v


class Moderation(StrictModel):
    """Search moderation by audited reason (`sim.config.policy`): reasons refused and reasons warned about."""

    blocked: list[str] = Field(default_factory=list)
    warned: list[str] = Field(default_factory=list)


class Where(StrictModel):
    state: list[str] | None = None
    type: list[str] | None = None
    agency: list[str | int] | None = None
    cameras_min: NonNegInt | None = None
    cameras_max: NonNegInt | None = None

    @field_validator("state", "type", "agency", mode="before")
    @classmethod
    def _one_or_list(cls, v: object) -> object:
        return _as_list(v)

    @field_validator("state")
    @classmethod
    def _states(cls, v: list[str] | None) -> list[str] | None:
        return None if v is None else state_codes_validator(v)

    @field_validator("type")
    @classmethod
    def _types(cls, v: list[str] | None) -> list[str] | None:
        known_names(v or [], OWNER_TYPES, "owner types")
        return v

    @model_validator(mode="after")
    def _range(self) -> Where:
        if self.cameras_min is not None and self.cameras_max is not None and self.cameras_min > self.cameras_max:
            raise ValueError(f"cameras_min {self.cameras_min} is above cameras_max {self.cameras_max}")
        return self


class PolicySet(StrictModel):
    sharing_scope: Literal["any", "in_state", "none"] | None = None
    national_lookup: bool | None = None
    statewide_sharing: bool | None = None
    federal_grants: bool | None = None
    alpr_retention_days: PositiveInt | None = Field(None, le=3650)
    state_law: bool | None = None
    state_law_compliance: Share | None = None
    federal_firewall: bool | None = None
    moderation: Moderation | None = None

    @model_validator(mode="after")
    def _not_empty(self) -> PolicySet:
        if not self.model_fields_set:
            raise ValueError(f"set at least one field; valid: {', '.join(PolicySet.model_fields)}")
        return self

    def given(self) -> dict[str, object]:
        """The fields this override sets (explicitly given, in declaration order)."""
        return {k: getattr(self, k) for k in PolicySet.model_fields if k in self.model_fields_set}


class Override(StrictModel):
    where: Where = Field(default_factory=Where)
    set: PolicySet
