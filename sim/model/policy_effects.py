"""Where ``policy:`` takes effect: one scenario's policy applied to a built world, as per-entity arrays.

The world (`sim.world`) holds only what is drawn once, whatever the policy: each agency's own ALPR retention
where the data knows it (0 where not), one uniform draw per agency for state-law compliance, national-lookup
opt-in, the households' chosen Ring retention. This module turns those and ``scenario.policy`` into what the
model uses, so every policy rule lives here and a policy sweep reuses one world:

- ALPR retention per agency (days, >= 1): the agency's own setting, else ``alpr_retention_days``; a policy
  shorter than Flock's 30-day default is read as a legal limit and caps every agency (the 365-day portals
  included).
- Compliance: an owner honours state sharing laws (and a federal firewall) when its draw is below
  ``state_law_compliance`` (nested sets as the share grows: common random numbers).
- Refusals per owner, of SEARCHERS (what the platform checks when another agency searches the owner's reads):
  ``refuses_out_of_state`` (a compliant owner in a state of ``state_laws`` refuses out-of-state and federal
  searchers: CA SB 34, Illinois 2023) and ``refuses_federal`` (that, or any compliant owner under
  ``federal_firewall``).
- Proxy refusal per agency, ``proxy_refused``: runs no proxy lookups for federal units (an in-state officer
  running a plate under their own account; the platform sees an ordinary search). Only what binds the officer
  closes it: a compliant agency under a state law or ``federal_firewall``. A platform state rule does not (see
  below), so ``refuses_federal`` (searchers) and ``proxy_refused`` (proxying) differ there.
- National lookup: an owner's reads are open to every searcher nationally when it opted in and
  ``national_lookup`` is on; ``sharing_scope`` (``any``, ``in_state``, ``none``) limits sharing edges.
- Overrides (``policy.overrides``, `sim.config.policy_overrides`): each per-agency field starts as an array
  filled from the national lever (a state of ``state_laws`` sets ``state_law`` for its agencies: a state law is
  a state-level override) and each override, in order, writes its ``set`` values into the rows its ``where``
  selects (`sim.model.policy_select`). Every rule above then reads those arrays, so a per-agency policy costs
  nothing per event. Per owner: ``sharing_scope`` (code into `SHARING_SCOPES`), ``statewide_sharing`` (its
  statewide edges kept), ``federal_grants`` (its 1:1 grants to federal units kept), national-lookup opt-in,
  retention, state law, compliance share, federal firewall and moderation.
- Ring: each household's retention capped by ``ring_retention_days_max`` (days; 0 without a paid plan).
- Platform rules (`sim.config.policy`): ``state_rules`` add platform-enforced refusals (an owner in a state
  with ``out_of_state_sharing: false`` refuses out-of-state and federal searchers, whatever its compliance
  draw; it may still run proxy lookups, which the platform cannot tell from its own searches: California's
  71 documented SB 34 violations of 2023, docs/sources.md "State laws") and bar the state's searchers from
  national lookup (``no_national_lookup`` per agency);
  ``federal_access`` other than ``open`` closes lookups to federal units (``federal_lookup`` False: they
  reach only 1:1 grants); the reason mode and audit redaction pass through.
- Moderation per searching agency: ``moderation_rule`` (int per agency) indexes ``moderation_rules``, rule 0
  ``policy.moderation`` and one more per override that sets ``moderation``; a rule is (blocked, warned) reasons.
- Scalar levers passed through by name: ``case_number_required``, ``search_reason_required``,
  ``request_area_cap_sq_mi``, ``posts_per_case``.

`policy_effects(world, policy)` builds a `PolicyEffects`; `sim.model.simulation.simulate` makes one per run
and hands it to every component (``SimContext.effects``); `sim.model.access.AccessTable` reads its refusals.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.config.policy import Policy as PolicyConfig
from sim.geo.states import STATE_CODES
from sim.model.policy_select import select
from sim.world.types import FEDERAL, World

FLOCK_DEFAULT_RETENTION_DAYS = 30  # flocksafety.com privacy page; 339 of 365 portals (private_eyes)
SHARING_SCOPES: tuple[str, ...] = ("any", "in_state", "none")
ANY, IN_STATE, NONE = range(3)


@dataclass(frozen=True)
class PolicyEffects:
    """A policy applied to one world: arrays per agency (owners and searchers alike) and per household."""

    alpr_retention_days: np.ndarray  # int64 per agency, >= 1
    law_compliant: np.ndarray  # bool per agency: honours state laws and a federal firewall (federal units: False)
    refuses_out_of_state: np.ndarray  # bool per owner: refuses out-of-state and federal searchers
    refuses_federal: np.ndarray  # bool per owner: refuses federal searchers (includes refuses_out_of_state)
    proxy_refused: np.ndarray  # bool per agency: runs no proxy lookups (compliant under a state law or firewall)
    national_lookup: np.ndarray  # bool per owner: reads open nationally (opted in and the lever on)
    national_lookup_on: bool  # policy.national_lookup
    sharing_scope: np.ndarray  # int8 per owner: index into SHARING_SCOPES (whom its reads are shared with)
    statewide_sharing: np.ndarray  # bool per owner: its statewide sharing edges kept
    federal_grants: np.ndarray  # bool per owner: its 1:1 grants to federal units kept
    state_law: np.ndarray  # bool per owner: under a state law refusing out-of-state and federal searchers
    ring_retention_days: np.ndarray  # int16 per household: retention under the cap; 0 without a paid plan
    ring_retention_cap_days: int | None
    case_number_required: bool
    search_reason_required: bool
    request_area_cap_sq_mi: float
    posts_per_case: int
    no_national_lookup: np.ndarray  # bool per agency: its state's rule bars it from national lookup
    federal_lookup: bool  # federal units may use (national) lookups: policy.federal_access == "open"
    federal_category: bool  # federal users are a distinct, labelled category in audits
    moderation_rule: np.ndarray  # int64 per agency: index into moderation_rules (its searches' moderation)
    moderation_rules: tuple[tuple[frozenset[str], frozenset[str]], ...]  # (blocked, warned) reasons per rule
    reason_mode: str  # "free_text" or "offense_type"
    audit_redaction: bool
    override_agencies: tuple[int, ...] = ()  # agencies each policy.overrides entry selected, in order

    @property
    def federal_admitted(self) -> np.ndarray:
        """bool per owner: its rules admit federal searchers (no refusal, and sharing scope ``any``)."""
        return ~self.refuses_federal & (self.sharing_scope == SHARING_SCOPES.index("any"))


def alpr_retention(own_days: np.ndarray, policy_days: int | np.ndarray) -> np.ndarray:
    """Retention in days per agency (int64, >= 1): own setting (0 = unknown -> `policy_days`), capped by a
    policy shorter than Flock's default. `policy_days` is one number or one per agency (overrides)."""
    own = np.asarray(own_days, dtype=np.int64)
    pol = np.broadcast_to(np.asarray(policy_days, dtype=np.int64), own.shape)
    days = np.maximum(np.where(own > 0, own, pol), 1)
    return np.where(pol < FLOCK_DEFAULT_RETENTION_DAYS, np.minimum(days, pol), days)


def per_agency_fields(world: World, policy: PolicyConfig) -> tuple[dict[str, np.ndarray], tuple[int, ...]]:
    """Each per-agency policy field as an array: the national lever, then ``policy.overrides`` in order; and the
    number of agencies each override selected."""
    a = world.agencies
    n = len(a)
    law_states = np.array([STATE_CODES.index(s) for s in policy.state_laws], dtype=np.int16)
    fields: dict[str, np.ndarray] = {
        "sharing_scope": np.full(n, SHARING_SCOPES.index(policy.sharing_scope), dtype=np.int8),
        "national_lookup": np.asarray(a.national_lookup, dtype=bool).copy(),
        "statewide_sharing": np.ones(n, dtype=bool),
        "federal_grants": np.ones(n, dtype=bool),
        "alpr_retention_days": np.full(n, policy.alpr_retention_days, dtype=np.int64),
        "state_law": np.isin(a.state, law_states),
        "state_law_compliance": np.full(n, policy.state_law_compliance, dtype=np.float64),
        "federal_firewall": np.full(n, bool(policy.federal_firewall), dtype=bool),
        "moderation": np.zeros(n, dtype=np.int64),  # rule index: 0 policy.moderation, i + 1 override i's (if set)
    }
    counts = []
    for i, override in enumerate(policy.overrides):
        rows = select(world, override.where, i)
        counts.append(int(rows.sum()))
        for key, value in override.set.given().items():
            fields[key][rows] = (SHARING_SCOPES.index(value) if key == "sharing_scope" else i + 1 if key == "moderation"
                                 else value)
    return fields, tuple(counts)


def moderation_rules(policy: PolicyConfig, rule: np.ndarray) -> tuple[np.ndarray, tuple]:
    """The rules agencies use, renumbered densely: (rule per agency, ((blocked, warned) per rule))."""
    given = [policy.moderation] + [o.set.moderation for o in policy.overrides]
    used, per_agency = np.unique(np.concatenate([[0], rule]), return_inverse=True)
    rules = tuple((frozenset(given[u].blocked), frozenset(given[u].warned)) for u in used.tolist())
    return per_agency[1:].astype(np.int64), rules


def policy_effects(world: World, policy: PolicyConfig) -> PolicyEffects:
    """Apply `policy` (a scenario's ``policy:`` section) to `world`."""
    a = world.agencies
    f, counts = per_agency_fields(world, policy)
    owner = np.asarray(a.kind) != FEDERAL
    compliant = owner & (np.asarray(a.compliance_draw) < f["state_law_compliance"])
    closed = [STATE_CODES.index(s) for s, r in policy.state_rules.items() if not r.out_of_state_sharing]
    no_lookup = [STATE_CODES.index(s) for s, r in policy.state_rules.items() if not r.may_run_national_lookup]
    # a law or a firewall binds the agencies that comply with it: their officers neither share nor proxy
    bound = compliant & (f["state_law"] | f["federal_firewall"])
    # a platform state rule binds every owner of the state, whatever its compliance draw, but only as an owner
    # searched by others: it cannot see an in-state officer's lookup run for a federal unit
    out_of_state = (compliant & f["state_law"]) | (owner & np.isin(a.state, closed))
    federal = out_of_state | bound
    rule, rules = moderation_rules(policy, f["moderation"])
    h = world.households
    ring = np.asarray(h.retention_days, dtype=np.int16)
    if policy.ring_retention_days_max is not None:
        ring = np.minimum(ring, policy.ring_retention_days_max).astype(np.int16)
    return PolicyEffects(
        alpr_retention_days=alpr_retention(a.retention_days, f["alpr_retention_days"]),
        law_compliant=compliant,
        refuses_out_of_state=out_of_state,
        refuses_federal=federal,
        proxy_refused=bound,
        national_lookup=owner & f["national_lookup"] & bool(policy.national_lookup),
        national_lookup_on=bool(policy.national_lookup),
        sharing_scope=f["sharing_scope"],
        statewide_sharing=f["statewide_sharing"],
        federal_grants=f["federal_grants"],
        state_law=owner & f["state_law"],
        ring_retention_days=ring,
        ring_retention_cap_days=policy.ring_retention_days_max,
        case_number_required=policy.case_number_required,
        search_reason_required=policy.search_reason_required,
        request_area_cap_sq_mi=policy.request_area_cap_sq_mi,
        posts_per_case=policy.posts_per_case,
        override_agencies=counts,
        no_national_lookup=owner & np.isin(a.state, no_lookup),
        federal_lookup=policy.federal_access == "open",
        federal_category=policy.federal_access == "federal_category",
        moderation_rule=rule,
        moderation_rules=rules,
        reason_mode=policy.reason_mode,
        audit_redaction=policy.audit_redaction,
    )
