"""sim.results.renamed: old output names read as the new ones, in a column's values and among a mapping's keys."""

from __future__ import annotations

import pandas as pd

from sim.results import renamed


def test_old_names_in_a_column_read_as_the_new_ones_and_others_are_kept() -> None:
    df = pd.DataFrame({"metric": ["audit.records_per_owner_mean.local", "alpr.reads"], "value": [1.0, 2.0]})
    out = renamed.renamed(df, "metric", renamed.METRICS)
    assert out["metric"].tolist() == ["audit.records_per_owner_mean.local_police_sheriff", "alpr.reads"]
    assert out["value"].tolist() == [1.0, 2.0]
    searchers = pd.DataFrame({"searcher": ["state", "federal_direct", "proxy"]})
    assert renamed.renamed(searchers, "searcher", renamed.SEARCHERS)["searcher"].tolist() == [
        "state_police", "federal_own", "proxy"]


def test_a_table_without_the_column_or_an_old_name_is_returned_as_it_is() -> None:
    df = pd.DataFrame({"metric": ["alpr.reads"]})
    assert renamed.renamed(df, "metric", renamed.METRICS) is df
    assert renamed.renamed(df, "searcher", renamed.SEARCHERS) is df


def test_old_keys_read_as_the_new_ones_in_their_order() -> None:
    data = {"alpr.reads": 1, "alpr.searches_federal_direct": 2, "audit.records_per_owner_mean.state": 3}
    assert list(renamed.renamed_keys(data, renamed.METRICS).items()) == [
        ("alpr.reads", 1), ("alpr.searches_federal_own", 2), ("audit.records_per_owner_mean.state_police", 3)]
    fresh = {"alpr.reads": 1}
    assert renamed.renamed_keys(fresh, renamed.METRICS) is fresh


def test_by_state_reads_by_agencys_renamed_columns_and_its_own() -> None:
    assert renamed.BY_STATE["federal.agencies_direct"] == "federal.owners_direct"
    assert all(renamed.BY_STATE[old] == new for old, new in renamed.COLUMNS.items())
