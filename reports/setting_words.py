"""A scenario setting in plain words for a brief's prose, its config key kept for those who reproduce the run.

Policymakers read the briefs: "policy.audit_redaction: yes instead of no" is a config key, not a sentence. The
prose names a setting by `WORDS` (or, for a key not listed, its path's last parts as words: ``30d`` as
"30-day", underscores as spaces); `setting_html` keeps the exact key in the element's ``title`` (shown on hover),
and the method section's table of what the scenario assumed lists every key with its value and source
(`reports.sources`). The terminal, the docs and the CSVs keep the keys.
"""

from __future__ import annotations

from reports import html as H

WORDS: dict[str, str] = {
    "policy.alpr_retention_days": "days plate reads are kept",
    "policy.audit_redaction": "network audits hide officer names and plates",
    "policy.federal_access": "federal access",
    "policy.moderation.blocked": "search purposes moderation blocks",
    "policy.moderation.warned": "search purposes moderation warns about",
    "policy.reason_mode": "how a search's reason is entered",
    "policy.sharing_scope": "how far agencies share",
    "policy.national_lookup": "national lookup allowed",
    "policy.state_laws": "state laws",
    "policy.state_law_compliance": "share of agencies following their state's law",
    "policy.federal_firewall": "federal firewall",
    "policy.case_number_required": "a case number required per search",
    "policy.state_rules": "per-state platform rules",
    "policy.overrides": "rules for chosen agencies",
    "behavior.searches.per_agency_30d_median": "median searches per agency per 30 days",
    "behavior.searches.per_agency_sigma": "spread of searches per agency",
    "behavior.searches.per_agency_zero_share": "share of agencies that run no searches",
    "behavior.searches.federal_units": "federal units' search rates",
    "behavior.searches.proxy_agency_share": "share of agencies running lookups for federal units",
    "behavior.searches.proxy_per_agency_30d_median": "median proxy lookups per agency per 30 days",
    "behavior.searches.proxy_per_agency_sigma": "spread of proxy lookups per agency",
    "behavior.searches.scope_mix": "how far searches reach",
    "world.flock.portal_searches": "agencies search at their own published portal counts",
}
TYPES = {"local_police": "local police", "sheriff": "sheriffs", "state_police": "state police",
         "federal_units": "federal units"}
_BY_LENGTH = sorted(WORDS, key=len, reverse=True)  # the longest key a setting starts with names it


def setting_words(dotted: str) -> str:
    """`dotted` (a config key, e.g. ``behavior.searches.per_agency_30d_median.local_police``) in plain words."""
    for key in _BY_LENGTH:
        if dotted == key or dotted.startswith(key + "."):
            rest = dotted[len(key) + 1:]
            return WORDS[key] + (f" ({TYPES.get(rest, rest.replace('_', ' '))})" if rest else "")
    parts = dotted.split(".")[1:] or [dotted]
    return " ".join(p.replace("30d", "30-day").replace("_", " ") for p in parts[-2:])


def setting_html(dotted: str) -> H.Safe:
    """`setting_words` as HTML, the exact key in its ``title``."""
    return H.Safe(f'<span title="{H.esc(dotted)}">{H.esc(setting_words(dotted))}</span>')
