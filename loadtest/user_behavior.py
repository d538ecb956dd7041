"""What a simulated user does inside one action: the scenario's ``behavior`` under the platform's rules.

A `UserBehavior` is read from a scenario (`user_behavior`) and travels in the traffic plan (``behavior`` of
traffic.json), so the Locust processes need no scenario. It holds what the model draws per search, request or
clip (sources in docs/MODEL.md): a search's case number, reason, scope and look-back (a preset window, or for a
description search with the model's probability a custom range beyond 30 days, sent as drawn whatever the
retention: the service finds min(look-back, retention) of each owner, the model's rule); a request's area and window;
clips per submission and their length. Shares are weights (not necessarily summing to 1); durations in seconds,
areas in square miles, look-backs in days (JSON keys: days as text).

Searches as the model draws them (`sim.model.alpr_searches`): the scope by the searching agency's type
(``scope_mix``), and a statewide or national search is Flock's Lookup tool, by full plate, so it is always a
lookup, while local and shared searches (the Search tool's reach: networks shared 1:1) draw their search type from
what is left of ``type_mix``. A type's share of plate searches is therefore ``max(L, c)`` for lookup share L and
statewide + national share c, a description search is local or shared, and the scope of a plate search and of a
description search follow from Bayes' rule (`search_scopes`). A federal unit named in ``behavior.searches.federal_units``
searches for its own reasons (mail theft for USPIS, firearms for ATF...), every other agency for the general mix.
A police agency free to proxy (no state law or firewall it complies with binds it; a platform state rule does not)
also runs proxy lookups for federal units (national lookups by plate, immigration-tagged: `search_split`): only
such agencies, so a type's proxy lookups are its agencies free to proxy (``proxy_allowed``: their share of the
type, from the seeded service's tokens file) x ``proxy_30d``, and an officer of one of them runs a plate search as a
proxy lookup with `proxy_given_allowed`, the type's proxy share of plate searches over that share.

The platform's rules decide what a search may carry: under ``policy.case_number_required`` every search carries a
case number; under ``policy.reason_mode: offense_type`` the reason is the offense type the model audits (a purpose
that is none goes as ``other``, `sim.config.behavior_alpr.audited_reason`). The rules are those of the service the
users load (the tokens file written when its database was seeded says which: `under`), whatever the scenario's.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

# Flock's Lookup tool's scopes: searches by full plate only. sim.config.behavior_alpr.LOOKUP_SCOPES, not imported:
# this module loads without sim (140 ms); tests/loadtest/test_search_scope.py checks the two agree
LOOKUP_SCOPES = ("statewide", "national")
# The share of an agency type's agencies free to proxy when a tokens file does not give it (or there is none): all, as
# in the model without a state law or firewall binding them (`UserBehavior.proxy_free_share`)
PROXY_FREE_DEFAULT = 1.0
FREE_TEXT = "free_text"
# The platform's rules a user's requests must follow (a tokens file's ``rules``: `loadtest.service.bootstrap.rules_of`)
RULES = ("reason_mode", "case_number_required", "request_area_cap_sq_mi", "posts_per_case", "retention_days_max",
         "routing")


@dataclass
class UserBehavior:
    """What a simulated user does inside one action, from a scenario's ``behavior`` section (names below)."""

    case_number_share: float  # what users do: behavior.searches.case_number_share; 1 under case_number_required
    search_reasons: dict[str, float]  # behavior.searches.reasons: why searches are run (hotlist entries carry these)
    # the same mix as the platform files a search's reason under policy.reason_mode (the model's audited reason:
    # under offense_type a reason that is no offense type is "other"): what a search's `reason` carries
    audited_reasons: dict[str, float]
    scope_mix: dict[str, dict[str, float]]  # behavior.searches.scope_mix, by agency type
    lookback_days: dict[str, float]  # behavior.searches.lookback_days: the preset windows (JSON keys: days as text)
    # behavior.searches.lookback_beyond_share, _days: a description search (the Search tool; plate searches are the
    # Lookup tool's, presets only) looks back this custom range instead with this probability, as the model's
    lookback_beyond_share: float
    lookback_beyond_days: int
    request_area_sq_mi: tuple[float, float]  # behavior.requests.area_sq_mi_min, _max (log-uniform)
    request_window_s: tuple[float, float]  # behavior.requests.window_hours_min, _max x 3600 (log-uniform)
    extra_clips_mean: float  # behavior.clips.extra_clips_mean: 1 + Poisson(this) clips per submission
    clip_length_s: tuple[float, float]  # behavior.clips.length_s_mean, length_s_max: min(Exp(mean), max)
    lookup_share: float  # behavior.searches.type_mix: the share of full-plate lookups (normalised)
    unit_reasons: dict[str, dict[str, float]]  # behavior.searches.federal_units: a named federal unit's reasons
    unit_audited_reasons: dict[str, dict[str, float]]  # the same, as the platform files them (policy.reason_mode)
    scenario_case_number_share: float  # behavior.searches.case_number_share, whatever the rules
    reason_mode: str  # the rules these users follow: policy.reason_mode ...
    case_number_required: bool  # ... and policy.case_number_required
    hotlist_hit_share: float  # behavior.alpr.hotlist_hit_share: the share of plate reads on a hotlist
    # behavior.alpr.misread_share: the share of reads below the service's confidence threshold for search results
    misread_share: float
    second_post_share: float  # behavior.requests.second_post_share: a case's next post follows with this chance
    grant_in_state_share: float  # world.sharing.in_state_share: the share of 1:1 grants to an agency of one's state
    request_area_cap_sq_mi: float  # policy.request_area_cap_sq_mi: a request's area is at most this (as the model's)
    posts_per_case: int  # policy.posts_per_case: a case's posts, at most
    # the longest ALPR retention of the platform and its agencies (days): no read is older. A search still looks back
    # as far as it drew (the service runs it and finds what each owner holds, as the model's searches do)
    retention_days_max: int
    searches_30d: dict[str, float]  # behavior.searches.mean_30d: an agency's own searches per 30 days, by type
    proxy_30d: float  # behavior.searches.proxy_mean_30d: a police agency's proxy lookups for federal units per 30 days
    proxy_reason: str  # sim.config.behavior_alpr.PROXY_REASON as the platform files it (policy.reason_mode)
    routing: str  # platform.routing: who may post community requests (`loadtest.plan.may_post`)
    # the share of each agency type's agencies free to proxy (the tokens file's proxy_lookups): `proxy_free_share`
    proxy_allowed: dict[str, float] = field(default_factory=dict)

    def proxy_free_share(self, agency_type: str) -> float:
        """The share of an agency type's agencies free to proxy (`proxy_allowed`; a type not given:
        `PROXY_FREE_DEFAULT`)."""
        return self.proxy_allowed.get(agency_type, PROXY_FREE_DEFAULT)

    def scopes_for(self, agency_type: str) -> dict[str, float]:
        """The scope mix of an agency type (local only for a type the scenario does not list, as the model)."""
        return self.scope_mix.get(agency_type) or {"local": 1.0}

    def plate_share(self, agency_type: str) -> float:
        """The share of an agency type's searches that are by full plate: max(lookup share, its statewide + national
        share), the Lookup tool's scopes."""
        return max(self.lookup_share, _lookup_scopes_share(self.scopes_for(agency_type)))

    def search_split(self, agency_type: str) -> tuple[float, float]:
        """(the share of an agency type's searches that are by plate, proxy lookups included; the share of its plate
        searches that are proxy lookups). A police agency's proxy lookups (for a federal unit: a national lookup by
        plate, immigration-tagged) come on top of its own searches, as in the model; a federal unit runs none."""
        own = self.searches_30d.get(agency_type, 0.0)
        proxy = self.proxy_30d * self.proxy_free_share(agency_type) if agency_type != "federal" else 0.0
        plate = own * self.plate_share(agency_type) + proxy
        if own + proxy <= 0 or plate <= 0:
            return self.plate_share(agency_type), 0.0
        return plate / (own + proxy), proxy / plate

    def proxy_given_allowed(self, agency_type: str) -> float:
        """The chance that a plate search of an officer of an agency free to proxy is a proxy lookup: the type's
        proxy share of plate searches over the share of its agencies free to proxy (the others run none), so that the
        type's proxy lookups come at ``proxy_allowed x proxy_30d`` per agency, as the model's."""
        allowed = self.proxy_free_share(agency_type)
        return min(1.0, self.search_split(agency_type)[1] / allowed) if allowed > 0 else 0.0

    def search_scopes(self, agency_type: str, by_plate: bool) -> dict[str, float]:
        """The scope mix of an agency type's plate searches (`by_plate`) or description searches (local or shared
        only: the Search tool's reach), so that over both, in the proportions of `plate_share`, the scopes are the
        type's ``scope_mix`` (as the model's)."""
        mix = self.scopes_for(agency_type)
        total = sum(mix.values())
        c = _lookup_scopes_share(mix)
        tool = {s: w / total for s, w in mix.items() if s not in LOOKUP_SCOPES and w > 0}
        if not by_plate:
            return tool or {"local": 1.0}  # no description search is drawn then (plate share 1)
        plate = max(self.lookup_share, c)
        lookups_left = (plate - c) / (1.0 - c) if c < 1.0 else 0.0  # lookup share of the local and shared searches
        out = {s: w * lookups_left / plate for s, w in tool.items() if lookups_left > 0}
        out |= {s: w / total / plate for s, w in mix.items() if s in LOOKUP_SCOPES and w > 0}
        return out

    def reasons_of(self, unit: str | None) -> dict[str, float]:
        """The audited reasons of a search by federal unit `unit` (its own, when the scenario names it), else the
        general mix."""
        return self.unit_audited_reasons.get(unit or "", self.audited_reasons)

    def rules(self) -> dict[str, Any]:
        """The platform's rules these users follow, keyed as a tokens file's ``rules`` (`RULES`)."""
        return {k: getattr(self, k) for k in RULES}

    def under(self, rules: dict[str, Any] | None) -> UserBehavior:
        """This behaviour under another platform's rules: a tokens file's ``rules`` (the service's, seeded with
        its own policy), keyed as `RULES`; a rule not given keeps this behaviour's."""
        from sim.config.behavior_alpr import PROXY_REASON, audited_reason  # only here: users need sim only to re-file

        r = self.rules() | dict(rules or {})
        mode, required = str(r["reason_mode"]), bool(r["case_number_required"])

        def audited(mix: dict[str, float]) -> dict[str, float]:
            out: dict[str, float] = {}
            for reason, share in mix.items():
                key = audited_reason(reason, mode)
                out[key] = out.get(key, 0.0) + share
            return out

        return replace(
            self,
            case_number_share=1.0 if required else self.scenario_case_number_share,
            audited_reasons=audited(self.search_reasons),
            unit_audited_reasons={u: audited(m) for u, m in self.unit_reasons.items()},
            reason_mode=mode,
            case_number_required=required,
            request_area_cap_sq_mi=float(r["request_area_cap_sq_mi"]),
            posts_per_case=int(r["posts_per_case"]),
            retention_days_max=int(r["retention_days_max"]),
            proxy_reason=audited_reason(PROXY_REASON, mode),
            routing=str(r["routing"]),
        )


def _lookup_scopes_share(mix: dict[str, float]) -> float:
    """The share of a scope mix run by the Lookup tool (statewide and national: `LOOKUP_SCOPES`)."""
    total = sum(mix.values())
    return sum(mix.get(s, 0.0) for s in LOOKUP_SCOPES) / total if total > 0 else 0.0


def user_behavior(scenario: Any = None, platform: Any = None) -> UserBehavior:
    """`UserBehavior` from a `sim.config.Scenario` (its behavior, policy and platform routing, as the model reads
    them); None: the scenario format's defaults. `platform` (a `sim.config.policy.Policy`, default the scenario's):
    the policy the service was seeded with, whose rules the users' requests must follow (case numbers, reason mode);
    the tokens file's rules, applied when the users start, say the service's exactly (`UserBehavior.under`)."""
    from loadtest.service.bootstrap import rules_of  # only here, as sim: the Locust processes read plans
    from sim.config.base import AGENCY_TYPES

    if scenario is None:
        from sim.config.behavior import Behavior
        from sim.config.platform import Platform
        from sim.config.policy import Policy
        from sim.config.world import Sharing

        behavior, policy, sharing, routing = Behavior(), Policy(), Sharing(), Platform().routing
    else:
        behavior, policy, sharing = scenario.behavior, scenario.policy, scenario.world.sharing
        routing = scenario.platform.routing
    policy = platform if platform is not None else policy
    s, r, c = behavior.searches, behavior.requests, behavior.clips
    raw = UserBehavior(
        case_number_share=s.case_number_share,
        search_reasons=dict(s.reasons),
        audited_reasons={},  # filed by `under`, below
        scope_mix={t: dict(m) for t, m in s.scope_mix.items()},
        lookback_days={str(d): w for d, w in s.lookback_days.items()},
        lookback_beyond_share=s.lookback_beyond_share,
        lookback_beyond_days=s.lookback_beyond_days,
        request_area_sq_mi=(r.area_sq_mi_min, r.area_sq_mi_max),
        request_window_s=(r.window_hours_min * 3600.0, r.window_hours_max * 3600.0),
        extra_clips_mean=c.extra_clips_mean,
        clip_length_s=(c.length_s_mean, c.length_s_max),
        lookup_share=s.lookup_share,
        unit_reasons={u: dict(f.reasons) for u, f in s.federal_units.items()},
        unit_audited_reasons={},
        scenario_case_number_share=s.case_number_share,
        reason_mode=FREE_TEXT,
        case_number_required=False,
        hotlist_hit_share=behavior.alpr.hotlist_hit_share,
        misread_share=behavior.alpr.misread_share,
        second_post_share=r.second_post_share,
        grant_in_state_share=sharing.in_state_share,
        request_area_cap_sq_mi=policy.request_area_cap_sq_mi,
        posts_per_case=policy.posts_per_case,
        retention_days_max=policy.alpr_retention_days,
        searches_30d={a: s.mean_30d(a) for a in AGENCY_TYPES},
        proxy_30d=s.proxy_mean_30d(),
        proxy_reason="",  # filed by `under`, below
        routing=routing,
    )
    # the platform's retention stands for the agencies' longest here (no world); the tokens file's rules say it exactly
    return raw.under(rules_of(policy, policy.alpr_retention_days, routing))
