"""Result names renamed since older folders were written (old -> new), and the one way a reader maps them.

A name means one thing across fedsim, so some output names changed (docs/metrics.md, "Names changed since older
results were written"). Every reader of results reads an older folder's old names as the new ones: table columns
(`COLUMNS`, by `sim.results.tables.read_parquet` and the CSV reader), and values naming a metric or a channel in a
column or as keys (`renamed`, `renamed_keys`: metrics tables, summary.json, sweep.csv, by_state, audit_by_agency).
Scenario keys are renamed elsewhere, with a warning (`sim.config.renamed`): a file someone edits, not an output.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

# by_agency columns: entries from local police and sheriffs' searches were "_local", the name of the scope of an
# agency's own cameras; federal units' own searches were "federal_direct", while "direct" names a 1:1 grant (federal
# reach) or a sharing edge (flows)
COLUMNS: dict[str, str] = {"audit.records_received_local": "audit.records_received_local_police_sheriff",
                           "alpr.searches_federal_direct": "alpr.searches_federal_own",
                           # "federal" alone: flows' federal searcher type holds the proxy lookups too
                           "audit.records_received_federal": "audit.records_received_federal_own"}
# Whole-run metrics (metrics tables, summary.json and sweep.csv): the audit channels
# (`sim.model.alpr_places.CHANNELS`) "local" (the scope of an agency's own cameras) and "state" (a US state) are
# local police and sheriffs, and state police
METRICS: dict[str, str] = {"audit.records_per_owner_mean.local": "audit.records_per_owner_mean.local_police_sheriff",
                           "audit.records_per_owner_mean.state": "audit.records_per_owner_mean.state_police",
                           "audit.records_per_owner_mean.federal_direct": "audit.records_per_owner_mean.federal_own",
                           "alpr.searches_federal_direct": "alpr.searches_federal_own"}
# by_state metrics: the federal-reach channels count network owners, private networks included, while by_state's
# ``agencies`` counts agencies only; by_state sums by_agency's columns under their names
BY_STATE: dict[str, str] = {f"federal.agencies_{c}": f"federal.owners_{c}" for c in ("direct", "lookup_only", "proxy_only")}
BY_STATE |= COLUMNS
# audit_by_agency's searcher channels: "local" and "state" also named a search scope and a US state, "federal_direct"
# (a unit's own searches, lookups included) the 1:1 grant channel's "direct"
SEARCHERS: dict[str, str] = {"local": "local_police_sheriff", "state": "state_police", "federal_direct": "federal_own"}


def renamed(df: pd.DataFrame, column: str, mapping: Mapping[str, str]) -> pd.DataFrame:
    """`df` with the old names of `mapping` in its `column` under their new names (in place; `df` unchanged, and
    not copied, when it holds none or lacks the column)."""
    if column in df and df[column].isin(list(mapping)).any():
        df[column] = df[column].replace(mapping)
    return df


def renamed_keys(data: dict[str, Any], mapping: Mapping[str, str]) -> dict[str, Any]:
    """`data` with the old names of `mapping` among its keys under their new names, in the same order (`data`
    itself when it holds none)."""
    if not any(k in data for k in mapping):
        return data
    return {mapping.get(k, k): v for k, v in data.items()}
