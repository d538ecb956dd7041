"""What the scenario assumed, and where each number comes from.

A resolved scenario keeps values but loses the YAML comments that cite them, so the report keeps its own
short map from dotted parameter to source, taken from docs/sources.md (figure, date, original source).
Parameters not listed here are modelling assumptions (docs/MODEL.md gives the reasons). A parameter's entry
covers the keys below it (``world.agencies`` for ``world.agencies.sheriff``).

Links: `ADDRESSES` holds, per parameter, the web addresses its sources are given with in docs/sources.md
(the original sources' own addresses): only those, never one looked up elsewhere, and often a site rather
than the page (``help.publicsafety.ring.com``), so the link text is the address itself. A cited source with
no address there says so in the table (`source_cell`). The report shows the
parameters in `SHOWN`, in order, with the scenario's value and this source text (`assumptions`); a setting the
run's world source does not read (`sim.config.world.NOT_READ`: a real-geography world's agencies, camera counts and
sharing lists come from its data) is said to be not used, never shown as the run's value. Sources are those of the
national baseline's figures: a scenario that sets another value (a smaller world, a policy variant) departs
from them on purpose. Policy levers and modelling choices are labelled as such.
"""

from __future__ import annotations

from typing import Any

from reports import html as H
from sim.config.world import NOT_READ

ASSUMPTION = "Assumption (see docs/MODEL.md)"
POLICY_LEVER = "Policy lever: the scenario's choice"
CHOICES: dict[str, str] = {
    "world.states": "Scenario choice: which states are modelled",
    "world.source": "Scenario choice: a synthetic world, the 2024 portal graph (private_eyes) or real 2026 geography "
                    "(flock-2026: DeFlock/FlockHopper lists, MIT; OSM cameras, Data © OpenStreetMap contributors, ODbL)",
    "world.sharing.source": "Scenario choice: synthetic grants, or the real Flock portal graph (private_eyes, April 2024)",
    "behavior.alpr.reads_basis": "Modelling choice: raw scans (company claim) or unique vehicles (portal median)",
}

SOURCES: dict[str, str] = {
    "world.agencies": ">5,000 police agencies on Flock (press around the Ring partnership, 2025); split by type is an "
                      "assumption",
    "world.agencies.federal_units": "USPIS, FBI, ATF in agencies' sharing lists (N&O 2024; Flock lists 2026); ICE-HSI, "
                                    "Secret Service, NCIS had access; CBP reached >80,000 cameras (Sen. Wyden letter "
                                    "via 404 Media, 2025)",
    "world.neighborhoods": "~6,000 communities on Flock (press, 2025)",
    "world.households.count": "Assumption: a share of Ring Neighbors' 10 million monthly active users (Consumer "
                              "Reports; NBC, 2020)",
    "world.households.retention_days": "Ring default 30 days, 1-180 selectable, older plans 60 days (support.ring.com)",
    "world.alpr.total": ">80,000 Flock cameras in 49 states (404 Media; UWCHR, Aug-Oct 2025)",
    "world.alpr.per_agency_median": "Median 12 cameras per agency (p25 6, p75 27, p90 46): Flock transparency portals, "
                                    "April 2024 (private_eyes data)",
    "world.sharing.out_degree_median": "Median ~128 organisations with access per agency (p25 60, p75 204, max 3,870): "
                                       "Flock portals, April 2024 (private_eyes data)",
    "world.sharing.national_lookup_share": "~75% of agencies opted into national lookup (ACLU, 2025)",
    "behavior.incidents.request_share": "With 0.5 incidents a day, ~16 footage requests per agency-year (FT / Ring "
                                        "data, 2020: >22,335 requests)",
    "behavior.requests.area_sq_mi_max": "Request area 0.025 to 0.5 sq mi (Ring Request-for-Assistance policy)",
    "behavior.requests.window_hours_max": "Request window 15 min to 12 h (Ring Request-for-Assistance policy)",
    "behavior.optin.base_rate": "Set so that ~3.5% of notified households respond (Fort Lauderdale PD e-mails, 2018, "
                                "via Gizmodo)",
    "behavior.clips.length_s_max": "Clips typically up to 1 minute (Ring policy)",
    "behavior.alpr.reads_per_camera_day": "\"Over 20 billion\" scans a month (Flock claim, 2025) over 80,000 cameras: "
                                          "~8,300 per camera-day",
    "behavior.alpr.unique_vehicles_per_camera_day": "Median 526 vehicles per camera-day (Flock portals, April 2024)",
    "behavior.alpr.hotlist_hit_share": "Median 0.18% of vehicles detected hit a hotlist (Flock portals, April 2024)",
    "behavior.alpr.false_hit_share": "False hits 5% (vendor claim) to 35%, typically 10-20% (San Leandro city document)",
    "behavior.searches.per_agency_30d_median": "Zero-inflated lognormal fitted to searches per agency per 30 days "
                                               "(p25 36, median 137, p75 273, p90 617): Flock portals, April 2024; "
                                               "state police and unnamed federal units: assumptions; 2026 "
                                               "(flock-2026.yaml): p25 12, median 62, p75 214, p90 522, 906 portals "
                                               "of April 2026 (DeFlock/FlockHopper)",
    # fitted with the median, not assumed: the brief called them "Assumption" beside a 2026 comparison
    "behavior.searches.per_agency_sigma": "Local police and sheriffs: fitted with the median to the portals' "
                                          "quantiles, April 2024 (private_eyes data) and, in flock-2026.yaml, the "
                                          "906 portals of April 2026 (DeFlock/FlockHopper); state police and "
                                          "unnamed federal units: assumption",
    "behavior.searches.per_agency_zero_share": "Local police and sheriffs: portals reporting no search in 30 days: "
                                               "2.3% ran none (April 2024, private_eyes data); 17% ran none of 906 "
                                               "(April 2026, DeFlock/FlockHopper; flock-2026.yaml); state police and unnamed "
                                               "federal units: assumption",
    "behavior.searches.scope_mix": "Local police: Eugene OR PD audit log 2025 (70% local, 29% statewide, 1% national); "
                                   "sheriffs: Okaloosa County FL SO log 2025; state police, federal: assumptions",
    "behavior.searches.reasons": "Police searches: the Eugene OR PD audit log's free-text reasons, 2025 (stolen vehicle "
                                 "20%, property crime 22%, person crime 22%, investigation 33%, missing person 3%); "
                                 "its property-crime split and 2% immigration: assumptions",
    "behavior.searches.hourly_profile": "Eugene OR PD audit log 2025, searches by Pacific hour (trough 03:00-06:00, "
                                        "peak 11:00-15:00); other agency types: assumption",
    "behavior.searches.weekly_profile": "Eugene OR PD audit log 2025, searches by Pacific date (Wed 21.1% of a week's, "
                                        "Sun 8.0%); other agency types: assumption",
    "behavior.searches.lookback_days": "Look-back windows 1, 7, 14 or 30 days (haveibeenflocked.com; Flock e-mail to "
                                       "Conway PD); weights are an assumption",
    "behavior.searches.lookback_beyond_share": "Okaloosa County FL SO audit log 2025: 463 of 7,273 searches (6.4%) "
                                               "looked back beyond its 30-day retention; custom ranges are a Search-tool "
                                               "feature (haveibeenflocked.com); other agency types: assumption",
    "behavior.searches.proxy_agency_share": "Assumption: a few agencies run lookups for federal units, about 40 a day "
                                            "nationally, well below ICE's >30,000 Vigilant queries a month (ACLU of "
                                            "Northern California, 2018)",
    "behavior.searches.federal_units": "FBI 700 and US Postal Inspection 2,800 lookups per 30 days: Conway AR records "
                                       "(2026) and The Colony TX network logs; other units' rates: assumptions",
    # the 2025-26 platform rules: sourced rules of a period, not free levers ("Policy lever: the scenario's choice")
    "policy.federal_access": "Federal pilots (CBP, HSI) paused and a distinct \"Federal\" user category added, Aug "
                             "2025 (Illinois Secretary of State; Flock statements)",
    "policy.state_rules": "California: national lookup disabled (Mar 2025) and out-of-state sharing blocked (Jun 2025) "
                          "by Flock (Flock e-mail to Palo Alto, Feb 2026)",
    "policy.moderation": "Search moderation allows, warns or blocks by reason; \"immigration\" and \"abortion\" "
                         "refused by Nov 2025 (Okaloosa County FL SO audit log's moderation column: allow 172, block "
                         "12, warn 2; press); warned reasons are not published",
    "policy.reason_mode": "Reason a mandatory offense-type drop-down from Jan 2026, free text before (Flock blog, May "
                          "2026; The Colony TX logs)",
    "policy.audit_redaction": "Network audits stop showing officer names, plates and vehicle details to other "
                              "agencies, 17 Dec 2025 (Flock e-mails to Conway PD)",
    "platform.routing": "Community Requests routed through Axon since mid-2025 (Consumer Reports)",
    "policy.alpr_retention_days": "Flock default 30 days; 339 of 365 portals keep 30 days (Flock privacy page; "
                                  "portals, April 2024)",
    "policy.state_laws": "California SB 34 and Illinois (2023) forbid sharing with out-of-state or federal agencies "
                         "(CA AG bulletin 2023-DLE-06)",
    "policy.state_law_compliance": "Assumption; 71 California violations documented in 2023 (press)",
    "policy.national_lookup": "National lookup: full plate only, opted-in agencies only (Flock e-mail to Conway PD, 2025)",
    "policy.search_reason_required": "Every search needs a reason, audit kept indefinitely (transparency.flocksafety.com)",
    "policy.request_area_cap_sq_mi": "Request area at most 0.5 sq mi (Ring Request-for-Assistance policy)",
    "policy.posts_per_case": "At most 2 posts per investigation (Ring Request-for-Assistance policy)",
}

RING_POLICY = "help.publicsafety.ring.com"
ADDRESSES: dict[str, tuple[str, ...]] = {
    "world.source": ("github.com/FoggedLens/deflockhopper_maps",),
    "world.households.retention_days": ("support.ring.com",),
    "behavior.requests.area_sq_mi_max": (RING_POLICY,),
    "behavior.requests.window_hours_max": (RING_POLICY,),
    "behavior.optin.base_rate": ("gizmodo.com.au",),
    "behavior.clips.length_s_max": (RING_POLICY,),
    "behavior.searches.scope_mix": ("github.com/HistoryJunkie/OkaloosaALPR_AUDIT",),
    "behavior.searches.lookback_days": ("haveibeenflocked.com",),
    "behavior.searches.lookback_beyond_share": ("github.com/HistoryJunkie/OkaloosaALPR_AUDIT", "haveibeenflocked.com"),
    "behavior.searches.federal_units": ("arkansas-surveillance.org", "github.com/TCPD-Flock/Analysis"),
    "behavior.searches.per_agency_30d_median": ("github.com/FoggedLens/deflockhopper_maps",),
    "behavior.searches.per_agency_sigma": ("github.com/FoggedLens/deflockhopper_maps",),
    "behavior.searches.per_agency_zero_share": ("github.com/FoggedLens/deflockhopper_maps",),
    "policy.moderation": ("github.com/HistoryJunkie/OkaloosaALPR_AUDIT",),
    "policy.reason_mode": ("github.com/TCPD-Flock/Analysis",),
    "policy.alpr_retention_days": ("flocksafety.com",),
    "policy.search_reason_required": ("transparency.flocksafety.com",),
    "policy.request_area_cap_sq_mi": (RING_POLICY,),
    "policy.posts_per_case": (RING_POLICY,),
}
NO_ADDRESS = "no web address given in docs/sources.md"

SHOWN = [
    "world.states",
    "world.source",
    "world.agencies",
    "world.agencies.federal_units",
    "world.households.count",
    "world.alpr.total",
    "world.alpr.per_agency_median",
    "world.sharing.source",
    "world.sharing.out_degree_median",
    "world.sharing.national_lookup_share",
    "behavior.incidents.request_share",
    "behavior.optin.base_rate",
    "behavior.alpr.reads_basis",
    "behavior.alpr.reads_per_camera_day",
    "behavior.alpr.hotlist_hit_share",
    "behavior.alpr.false_hit_share",
    "behavior.searches.per_agency_30d_median",
    "behavior.searches.scope_mix",
    "behavior.searches.proxy_agency_share",
    "policy.federal_access",
    "policy.state_rules",
    "policy.moderation",
    "policy.reason_mode",
    "policy.audit_redaction",
    "platform.routing",
    "policy.alpr_retention_days",
    "policy.sharing_scope",
    "policy.national_lookup",
    "policy.state_laws",
    "policy.state_law_compliance",
    "policy.federal_firewall",
    "policy.case_number_required",
    "run.days",
    "run.replications",
    "run.seed",
]
RUN_CONTROL = "Run control (not a model input)"


def _entry(dotted: str, table: dict[str, Any]) -> str | None:
    """The key of `table` that covers `dotted`: itself or its nearest parent."""
    parts = dotted.split(".")
    for n in range(len(parts), 1, -1):
        if ".".join(parts[:n]) in table:
            return ".".join(parts[:n])
    return None


def source_of(dotted: str) -> str:
    if dotted.startswith("run."):
        return RUN_CONTROL
    for table in (SOURCES, CHOICES):
        key = _entry(dotted, table)
        if key is not None:
            return table[key]
    return POLICY_LEVER if dotted.startswith("policy.") else ASSUMPTION


def url(address: str) -> str:
    """An address as docs/sources.md gives it (``support.ring.com``) as a link target."""
    return address if "://" in address else f"https://{address}"


def source_cell(dotted: str) -> str:
    """The source text with a link to each address it is given with (`H.Safe`); a cited source without one
    says so; assumptions, policy levers and run control as plain text."""
    text = H.esc(source_of(dotted))
    key = _entry(dotted, ADDRESSES)
    if key is not None:
        return H.Safe(text + " (" + ", ".join(H.link(a, url(a)) for a in ADDRESSES[key]) + ")")
    if not dotted.startswith("run.") and _entry(dotted, SOURCES) is not None:
        return H.Safe(f'{text} <span class="meta">({NO_ADDRESS})</span>')
    return source_of(dotted)


def show(value: Any, dotted: str = "", *, nested: bool = False) -> str:
    """A parameter value in a table cell: mappings as ``k: v`` pairs (a mapping inside another in braces, keys left
    unset left out), lists comma-separated, whole floats without ``.0`` (``8,300``, not ``8300.0``).

    ``policy.overrides`` read as Python (``{'where': {'state': ['NC'], 'type': None, ...``) and ``scope_mix`` ran
    its types together (``local_police: local: 0.699; shared: 0.0; ...; sheriff: local: 0.532``)."""
    if isinstance(value, dict):
        pairs = [f"{k}: {show(v, nested=True)}" for k, v in value.items() if v is not None]
        return "{" + ", ".join(pairs) + "}" if nested else "; ".join(pairs)
    if isinstance(value, list):
        return ", ".join(show(v, nested=True) for v in value) if value else "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        return str(value) if dotted.endswith("seed") else f"{value:,}"
    return str(value)


def assumptions(res: Any) -> list[list[str]]:
    """Rows of parameter, value in the run, source (`SHOWN` order) of a results folder (`reports.tables.Results`).
    A setting its world source does not read (`NOT_READ`) is said to be not used there: a real-geography brief
    listed "world.agencies: local_police: 4,100; sheriff: 800" as the run's values for 6,360 listed agencies."""
    source = res.param("world.source")
    not_read = set(NOT_READ.get(source, ()))
    unused = f"not used in this world (world.source {source} takes {{}} from its data)"
    rows = []
    for dotted in SHOWN:
        value = res.param(dotted)
        if value is None:
            continue
        if dotted == "run.replications" and res.replications and res.replications != value:
            # `fedsim run --replications N` runs N and leaves the scenario's setting in resolved_scenario.yaml: a
            # 2-replication flock-2026 brief read "run.replications 3" beside caveats saying "Only 2 replications"
            # (or some failed: failures.csv)
            rows.append([dotted, f"{res.replications:,} ran (the scenario's run.replications: {show(value)})",
                         source_cell(dotted)])
            continue
        if dotted in not_read:
            rows.append([dotted, unused.format("it"), source_cell(dotted)])
            continue
        skipped = sorted(k for k in value if f"{dotted}.{k}" in not_read) if isinstance(value, dict) else []
        if skipped:
            kept = show({k: v for k, v in value.items() if k not in skipped}, dotted)
            text = "; ".join([*([kept] if kept else []), f"{', '.join(skipped)} {unused.format('them')}"])
            rows.append([dotted, text, source_cell(dotted)])
        else:
            rows.append([dotted, show(value, dotted), source_cell(dotted)])
    return rows
