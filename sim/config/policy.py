"""`policy:` the levers a legislature, a city council or the company could pull.

Retention in days; areas in square miles. ``state_laws`` lists states whose law forbids sharing ALPR
data with out-of-state or federal agencies (California SB 34, Illinois 2023), honoured by each owner
agency there with probability ``state_law_compliance``. ``overrides`` sets per-agency policy for chosen
states, types, agencies or sizes (`sim.config.policy_overrides`), applied in order after these levers.

The platform's own rules (Flock, 2025-26; docs/sources.md "Platform rules"), each a lever:
- ``federal_access``: ``open`` (federal units search like any agency, national lookup included: the
  CBP/HSI pilots before Aug 2025), ``paused`` (federal units reach only networks that share with them
  1:1: pilots paused Aug 2025), ``federal_category`` (paused, and federal users are a distinct "Federal"
  category in every audit: from Aug 2025). ``paused`` and ``federal_category`` give the same reach: the figures
  date both to Aug 2025 and say nothing of what the label changed, so only the audit label differs
  (``alpr.searches_federal_labelled``; a scenario warning says so; docs/MODEL.md).
- ``moderation``: reason categories whose searches are ``blocked`` (refused: the search is audited but
  reaches nothing) or ``warned`` (run, with a warning); Flock refuses "immigration" and "abortion" (by
  Nov 2025). Matched against the audited reason, so under ``reason_mode: offense_type`` a purpose that is
  not an offense type (``immigration``, ``investigation``) is recorded as the offense ``other`` and passes
  (counted as ``search.moderation.unseen_blocked``). Moderation applies to the searching agency's searches
  (proxy lookups included); an override's ``set: {moderation: ...}`` gives chosen agencies their own.
- ``reason_mode``: ``free_text`` (before 2026) or ``offense_type`` (a mandatory drop-down, Jan 2026).
- ``state_rules``: per-state platform rules, enforced for every agency there (no compliance draw):
  ``may_run_national_lookup: false`` (the state's agencies cannot run a national lookup: a national search runs
  statewide; ``national_lookup`` in older files, read as it with a warning: `sim.config.renamed`) and
  ``out_of_state_sharing: false`` (its owners refuse out-of-state and federal searchers; its agencies may still
  run proxy lookups for federal units, which only a law or a firewall stops).
  California: national lookup disabled Mar 2025, out-of-state sharing blocked Jun 2025.
- ``audit_redaction``: network audits show other agencies no officer names or plates (Dec 17, 2025).
Defaults are the baseline's period (late 2025, before moderation and redaction).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from sim.config.base import PositiveInt, Share, StrictModel, state_codes_validator
from sim.config.policy_overrides import Moderation, Override

REASON_MODES = ("free_text", "offense_type")
FEDERAL_ACCESS = ("open", "paused", "federal_category")


class StateRule(StrictModel):
    may_run_national_lookup: bool = True  # the state's agencies (searchers); not an owner's national_lookup opt-in
    out_of_state_sharing: bool = True


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
    federal_access: Literal["open", "paused", "federal_category"] = "paused"
    moderation: Moderation = Field(default_factory=Moderation)
    reason_mode: Literal["free_text", "offense_type"] = "free_text"
    state_rules: dict[str, StateRule] = Field(
        default_factory=lambda: {"CA": StateRule(may_run_national_lookup=False, out_of_state_sharing=False)})
    audit_redaction: bool = False

    @field_validator("state_laws")
    @classmethod
    def _states(cls, v: list[str]) -> list[str]:
        return state_codes_validator(v)

    @field_validator("state_rules")
    @classmethod
    def _rule_states(cls, v: dict[str, StateRule]) -> dict[str, StateRule]:
        state_codes_validator(list(v))
        return v
