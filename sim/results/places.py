"""Results where people live: the ``by_agency`` and ``by_state`` tables of every run (schemas, columns, builders).

``by_agency`` (wide, one row per agency or private network and replication): scenario, design_point,
replication, agency (the row in the world, what ``policy.overrides`` ``agency:`` indices mean), name, state
(two-letter code; "" for a federal unit), type (`sim.world.types.OWNER_TYPES`: ``private`` for a company's or
HOA's network, which owns cameras and never searches), search_rate_source (where its search rate comes from,
`sim.model.alpr_searches.RATE_SOURCES`: ``portal``, its own published 30-day count, ``world.flock.portal_searches``;
``unit``, its federal unit's sourced rate; ``drawn``, drawn for its type from ``behavior.searches``; ``none``, it
never searches or the run has no ALPR searches; ``ended``, its program had ended before the scenario's period,
``world.flock.ended_before_period``: 0), search_rate_30d (that rate, searches per 30 days before the weekly
profile; its own searches in the run are a Poisson draw around it), read_rate_source (where its cameras' read rate
comes from, `sim.model.alpr_reads.READ_RATE_SOURCES`: ``portal``, its portal's own vehicles per camera-day,
``world.flock.portal_reads``; ``drawn``, the basis figure x an owner multiplier drawn for it; ``none``, it owns no
cameras or the run has no ALPR; missing in a folder written before it), then one float64 column per `AGENCY_COLUMNS`
entry (whole-run values).

``audit_by_agency`` (long, tidy): scenario, design_point, replication, agency, searcher, reason, searches:
per owner agency, searcher channel (``local_police_sheriff``: local police and sheriffs; ``state_police``;
``federal_own``: federal units' own searches; ``federal_proxy``: local officers' lookups for a federal
unit) and audited reason (``unspecified`` for all when ``policy.search_reason_required`` is false), the
searches whose scope covered the agency's cameras: what its audit log would list, split. Non-zero rows only,
sorted by agency, channel (in that order) and reason (in the scenario's order); over searcher and reason they
sum to the agency's ``audit.records_received``. Reasons are the scenario's own (``behavior.searches.reasons``
and the federal units'), so they are rows here: ``by_agency`` keeps one fixed schema for every scenario.

``by_state`` (long, tidy): scenario, design_point, replication, state, metric, value. Per state, each count column
of ``by_agency`` summed over the state's agencies (federal units under the pseudo-state `FEDERAL_STATE`), plus
``agencies`` (agencies only), ``private_networks``, the share of its searches its busiest agency ran (`BUSIEST`, where its
agencies ran any) and the federal-reach channels (`STATE_EXTRA`:
``federal.owners_*``, network owners, agencies and private networks alike; ``federal.agencies_*`` in folders
written before the rename, which `sim.results.read.read_by_state` reads under the new names). A by_state metric
that shares its name with a national metric (``alpr.reads``, ``alpr.searches``, ``requests.posted``...) sums over
the states, FED included, to that national metric of the same replication (tested).

Columns are declared as `sim.model.metrics.Metric` (series ``count``: summed over agencies in by_state;
``value``: per agency only) so docs/metrics.md lists them from here (`sim.results.metrics_doc`, group
``places``). Rows are sorted by agency, and by (state, metric): files are byte-identical for the same seed.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import pyarrow as pa

from sim.geo.states import FEDERAL_STATE, STATE_CODES
from sim.model.metrics import Metric

ID_COLUMNS: tuple[str, ...] = ("scenario", "design_point", "replication", "agency", "name", "state", "type")
# how the agency searched and read (not metrics)
RATE_COLUMNS: tuple[str, ...] = ("search_rate_source", "search_rate_30d", "read_rate_source")


def _c(name: str, unit: str, label: str, meaning: str, series: str = "count", kind: str = "outcome") -> Metric:
    return Metric(name, unit, label, meaning, kind, series)  # type: ignore[arg-type]


AGENCY_COLUMNS: tuple[Metric, ...] = (
    _c("cameras", "cameras", "ALPR cameras", "ALPR cameras the agency owns (the world)", kind="input_echo"),
    _c("alpr.reads", "reads", "plate reads", "plate reads of the agency's cameras in the recorded days"),
    _c("alpr.hotlist_hits", "alerts", "hotlist alerts", "hotlist alerts raised by its cameras' reads"),
    _c("storage.reads_held", "reads", "plate reads held in storage",
       "plate reads of its cameras held under its own retention (state rules and policy.overrides applied) at the "
       "end of a day, mean over the recorded days; over all owners it sums to the national storage.reads_held"),
    _c("alpr.searches", "searches", "searches run", "searches the agency ran (own and proxy lookups, moderation's "
       "blocked ones included; a federal unit's own searches on its row)"),
    _c("alpr.searches_federal_own", "searches", "federal searches run",
       "searches a federal unit ran itself (federal rows only)"),
    _c("alpr.searches_federal_proxy", "searches", "proxy lookups run",
       "proxy lookups the agency ran for federal units"),
    _c("search.moderation.blocked", "searches", "searches blocked by moderation",
       "searches the agency ran (proxy lookups included) that its moderation refused: audited, reaching nothing"),
    _c("search.moderation.warned", "searches", "searches warned by moderation",
       "searches the agency ran that its moderation warned about"),
    _c("search.moderation.unseen_blocked", "searches", "searches for a blocked purpose moderation could not see",
       "searches the agency ran (proxy lookups included) for a purpose its moderation blocks whose audited reason "
       "hid it (an offense type from policy.reason_mode's drop-down); 0 under free text"),
    _c("search.moderation.unseen_warned", "searches", "searches for a warned purpose moderation could not see",
       "as search.moderation.unseen_blocked, for the purposes its moderation warns about"),
    _c("audit.records_received", "records", "audit entries from searches reaching its networks",
       "searches whose scope covered the agency's cameras: one entry each in its audit log (its length; 0 for an "
       "owner without cameras, a federal unit, which has no network to audit); summed over agencies (`by_state`) "
       "a search counts once per network it reached, so entries, not searches, and over all owners they are the "
       "national audit.owner_entries"),
    _c("audit.owner_entries_identified", "records", "audit entries still showing who searched",
       "of those, entries showing officer and plate: all without policy.audit_redaction, under it only its own "
       "officers' searches that ran (proxy lookups included)"),
    _c("audit.records_received_local_police_sheriff", "records", "audit entries from local police and sheriffs' searches",
       "of those, entries from searches run by local police and sheriffs themselves (not their proxy lookups)"),
    _c("audit.records_received_state_police", "records", "audit entries from state police searches",
       "of those, entries from searches run by state police"),
    _c("audit.records_received_federal_own", "records", "audit entries from federal units' own searches",
       "of those, entries from searches run by federal units themselves: through a 1:1 grant, or their own "
       "lookup under policy.federal_access open; under paused and federal_category (lookups closed to them) "
       "grants only, so only owners granting a unit (federal.units_direct > 0) have any. Proxy lookups are "
       "audit.records_received_proxy"),
    _c("audit.records_received_proxy", "records", "audit entries from proxy lookups",
       "of those, entries from proxy lookups run by local agencies for federal units"),
    _c("audit.records_received_out_of_state", "records", "audit entries from out-of-state searches",
       "of those, entries from searches by non-federal agencies of other states (proxies included)"),
    _c("requests.posted", "requests", "community requests", "community requests the agency posted"),
    _c("footage.clips", "clips", "clips submitted", "clips residents submitted to the agency's requests"),
    _c("federal.units_direct", "units", "federal units with a 1:1 grant",
       "federal units reaching its reads through a 1:1 grant (under the policy)", series="value"),
    _c("federal.units_lookup", "units", "federal units by their own lookup",
       "federal units reaching it through their own national lookup, without a grant", series="value"),
    _c("federal.proxy_open", "0/1", "open to proxy lookups",
       "1 when a proxy lookup could reach it: some police agency free to run them (no state law or firewall it "
       "complies with; a platform state rule binds only owners) has it in its national scope (a possible "
       "channel, whether or not the run drew that agency as a proxy agent)",
       series="value"),
)
BUSIEST = "alpr.searches_busiest_agency_share"  # by_state only: a share per state, never summed over states
STATE_EXTRA: tuple[Metric, ...] = (
    _c("agencies", "agencies", "agencies", "agencies in the state (federal units under FED)", kind="input_echo"),
    _c("private_networks", "networks", "private networks",
       "companies' and HOAs' Flock networks in the state (they own cameras, never search)", kind="input_echo"),
    _c("federal.owners_direct", "owners", "owners open to federal units directly",
       "network owners (agencies and private networks) at least one federal unit reaches through a 1:1 grant"),
    _c("federal.owners_lookup_only", "owners", "owners open to federal lookup only",
       "network owners (agencies and private networks) federal units reach by their own lookup, none by a grant"),
    _c("federal.owners_proxy_only", "owners", "owners open only through proxies",
       "network owners (agencies and private networks) no federal unit reaches itself but a proxy lookup can"),
    _c("federal.cameras_direct", "cameras", "cameras open to federal units directly", "cameras of the first group"),
    _c("federal.cameras_lookup_only", "cameras", "cameras open to federal lookup only", "cameras of the second"),
    _c("federal.cameras_proxy_only", "cameras", "cameras open only through proxies", "cameras of the third"),
    _c("audit.records_received_from.<state>", "records", "audit entries from <state>'s searches",
       "audit entries in the row's state from searches run by agencies of <state> (FED: federal units' own), one "
       "per network reached; over <state> they sum to `audit.records_received`"),
    _c(BUSIEST, "share", "share of its searches run by its busiest agency",
       "of the searches the state's agencies ran (alpr.searches), the share its busiest agency ran in the "
       "replication: 1/n if its n agencies searched alike; each replication draws every agency's rate again, so "
       "far above 1/n the state's searches rest on a few agencies' draws (docs/running.md, 'Which state figures "
       "are stable'); no row where its agencies ran none", series="value"),
)
COUNT_COLUMNS: tuple[str, ...] = tuple(m.name for m in AGENCY_COLUMNS if m.series == "count")
# by_agency's columns and by_state's metrics by name: the one lookup of their labels and units (`fedsim run --focus`,
# a brief's state table, a state's figure asked for by name: `sim.results.state_metric`)
PLACE_METRICS: dict[str, Metric] = {m.name: m for m in (*AGENCY_COLUMNS, *STATE_EXTRA)}
# what the 2025-26 rules did (moderation, the offense-type drop-down, audit redaction): 0, or every audit entry, in
# a run without them, so a focus shows them only where a rule acted (`rules_acted`)
RULE_COLUMNS: tuple[str, ...] = ("search.moderation.blocked", "search.moderation.warned",
                                 "search.moderation.unseen_blocked", "search.moderation.unseen_warned",
                                 "audit.owner_entries_identified")


# by_agency columns (and by_state metrics of the same names) added since folders were first written (8df0671): an
# older folder lacks them, and its tables are read with them missing (by_agency: NaN, never 0, which would say "none
# happened"; by_state: no rows), so a brief leaves them out or says so (`added_note`). Any other column is required.
ADDED_COLUMNS: tuple[str, ...] = ("search.moderation.unseen_blocked", "search.moderation.unseen_warned",
                                  "audit.owner_entries_identified", "read_rate_source")
# what every brief says of such a measure where a folder lacks it, naming the folders (a comparison's may be either)
ADDED_NOTE = "not in the folder{s} of {names} (written by an older fedsim)"


def added_note(names: Sequence[str]) -> str:
    """`ADDED_NOTE` for the folders (runs' names) that lack a measure: "not in the folder of 'old' (written by an
    older fedsim)"; no names (the terminal, reading one folder it does not name): "not in this folder (...)"."""
    if not names:
        return ADDED_NOTE.replace("the folder{s} of {names}", "this folder")
    return ADDED_NOTE.format(s="s" if len(names) > 1 else "", names=", ".join(repr(n) for n in names))


def in_folder(table: pd.DataFrame, column: str) -> bool:
    """Whether `table` (by_agency rows, or by_state made wide) holds `column`: an `ADDED_COLUMNS` entry an older
    folder lacks reads all NaN."""
    return column in table and (column not in ADDED_COLUMNS or bool(table[column].notna().any()))


def rules_acted(table: pd.DataFrame) -> list[str]:
    """The `RULE_COLUMNS` of `table` (by_agency rows, or by_state made wide) in which a rule acted: a count above 0,
    identified entries differing from all entries (`audit.records_received`: redaction); a column the folder lacks
    (`in_folder`), never."""
    def acted(m: str) -> bool:
        if m == "audit.owner_entries_identified":
            return "audit.records_received" in table and not table[m].equals(table["audit.records_received"])
        return bool((table[m] != 0).any())

    return [m for m in RULE_COLUMNS if in_folder(table, m) and acted(m)]

BY_AGENCY_SCHEMA = pa.schema(
    [("scenario", pa.string()), ("design_point", pa.int64()), ("replication", pa.int64()), ("agency", pa.int64()),
     ("name", pa.string()), ("state", pa.string()), ("type", pa.string()), ("search_rate_source", pa.string()),
     ("search_rate_30d", pa.float64()), ("read_rate_source", pa.string())]
    + [(m.name, pa.float64()) for m in AGENCY_COLUMNS]
)
AUDIT_BY_AGENCY_SCHEMA = pa.schema(
    [("scenario", pa.string()), ("design_point", pa.int64()), ("replication", pa.int64()), ("agency", pa.int64()),
     ("searcher", pa.string()), ("reason", pa.string()), ("searches", pa.float64())]
)
BY_STATE_SCHEMA = pa.schema(
    [("scenario", pa.string()), ("design_point", pa.int64()), ("replication", pa.int64()), ("state", pa.string()),
     ("metric", pa.string()), ("value", pa.float64())]
)


def by_agency_table(columns: dict[str, np.ndarray], names: list[str], states: list[str], types: list[str],
                    scenario: str, design_point: int, replication: int) -> pa.Table:
    """One row per agency; `columns` holds an array per `AGENCY_COLUMNS` name (missing: zeros)."""
    n = len(names)
    data: dict[str, object] = {"scenario": [scenario] * n, "design_point": [design_point] * n,
                               "replication": [replication] * n, "agency": list(range(n)), "name": names,
                               "state": states, "type": types,
                               "search_rate_source": [str(x) for x in columns.get("search_rate_source", ["none"] * n)],
                               "search_rate_30d": np.asarray(columns.get("search_rate_30d", np.zeros(n)), dtype=np.float64),
                               "read_rate_source": [str(x) for x in columns.get("read_rate_source", ["none"] * n)]}
    for m in AGENCY_COLUMNS:
        data[m.name] = np.asarray(columns.get(m.name, np.zeros(n)), dtype=np.float64)
    return pa.table(data, schema=BY_AGENCY_SCHEMA)


def audit_by_agency_table(rows: dict[str, np.ndarray], scenario: str, design_point: int,
                          replication: int) -> pa.Table:
    """`rows`: arrays agency, searcher, reason, searches (`sim.model.alpr_places.AgencyTally.by_reason`, sorted)."""
    n = len(rows.get("agency", ()))
    return pa.table({"scenario": [scenario] * n, "design_point": [design_point] * n, "replication": [replication] * n,
                     "agency": np.asarray(rows.get("agency", []), dtype=np.int64),
                     "searcher": np.asarray(rows.get("searcher", []), dtype=str),
                     "reason": np.asarray(rows.get("reason", []), dtype=str),
                     "searches": np.asarray(rows.get("searches", []), dtype=np.float64)},
                    schema=AUDIT_BY_AGENCY_SCHEMA)


def state_values(columns: dict[str, np.ndarray], states: list[str], owner: np.ndarray,
                 cameras: np.ndarray, private: np.ndarray) -> dict[tuple[str, str], float]:
    """(state, metric) -> value: count columns summed per state, agencies and private networks (`private`: bool
    per row), federal channels (owners only: every non-federal row)."""
    codes = np.asarray([s or FEDERAL_STATE for s in states])
    keys, inverse = np.unique(codes, return_inverse=True)
    out: dict[tuple[str, str], float] = {}

    def add(metric: str, values: np.ndarray) -> None:
        sums = np.bincount(inverse, weights=np.asarray(values, dtype=np.float64), minlength=len(keys))
        for k, v in zip(keys.tolist(), sums.tolist(), strict=True):
            out[(k, metric)] = float(v)

    private = np.asarray(private, dtype=bool)
    add("agencies", ~private)
    add("private_networks", private)
    source = columns.get("audit.records_received_from")  # (agency, searcher group): 0 federal, s + 1 state s
    if source is not None:  # one column per state of the world (FED: its federal units), entries or none
        for k in keys.tolist():
            add(f"audit.records_received_from.{k}", source[:, 0 if k == FEDERAL_STATE else STATE_CODES.index(k) + 1])
    for name in COUNT_COLUMNS:
        if name in columns:
            add(name, columns[name])
    if "alpr.searches" in columns:  # the busiest agency's share of the state's searches, where it ran any
        runs = np.asarray(columns["alpr.searches"], dtype=np.float64)
        total = np.bincount(inverse, weights=runs, minlength=len(keys))
        busiest = np.zeros(len(keys))
        np.maximum.at(busiest, inverse, runs)
        for k, top, tot in zip(keys.tolist(), busiest.tolist(), total.tolist(), strict=True):
            if tot > 0:
                out[(k, BUSIEST)] = top / tot
    if "federal.units_direct" in columns:
        direct = owner & (columns["federal.units_direct"] > 0)
        lookup = owner & ~direct & (columns["federal.units_lookup"] > 0)
        proxy = owner & ~direct & ~lookup & (columns["federal.proxy_open"] > 0)
        for label, sel in (("direct", direct), ("lookup_only", lookup), ("proxy_only", proxy)):
            add(f"federal.owners_{label}", sel)
            add(f"federal.cameras_{label}", np.where(sel, cameras, 0))
    return out


def by_state_table(values: dict[tuple[str, str], float], scenario: str, design_point: int,
                   replication: int) -> pa.Table:
    keys = sorted(values)
    n = len(keys)
    return pa.table({"scenario": [scenario] * n, "design_point": [design_point] * n,
                     "replication": [replication] * n, "state": [k[0] for k in keys],
                     "metric": [k[1] for k in keys], "value": [values[k] for k in keys]}, schema=BY_STATE_SCHEMA)
