"""The one reader: typed tables from Parquet or CSV alike, summary.json in its one format, clear errors."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from sim.results import summary as summary_json
from sim.results.errors import ResultsError
from sim.results.read import read_flows, read_metrics, whole_run_by_rep
from tests.reports.tables import WHOLE, write_run


def test_parquet_and_csv_read_to_the_same_typed_frame(tmp_path: Path) -> None:
    folder = write_run(tmp_path / "r", world=False)
    from_pq = read_metrics(folder)
    (folder / "metrics.parquet").unlink()
    from_csv = read_metrics(folder)
    pd.testing.assert_frame_equal(from_pq, from_csv)
    assert str(from_csv["day"].dtype) == "Int64" and from_csv["day"].isna().any()
    assert whole_run_by_rep(from_csv, "optin.rate") == dict(enumerate(WHOLE["optin.rate"]))
    assert list(read_flows(folder).columns)[:4] == ["scenario", "design_point", "replication", "day"]


def test_a_level_without_whole_run_rows_is_never_summed(tmp_path: Path) -> None:
    folder = write_run(tmp_path / "r", world=False)
    metrics = read_metrics(folder)
    assert whole_run_by_rep(metrics, "storage.reads_held") == {}  # a declared level
    counts = metrics[~((metrics["metric"] == "alpr.reads") & metrics["day"].isna())]
    summed = counts[counts["metric"] == "alpr.reads"].groupby("replication")["value"].sum()
    assert whole_run_by_rep(counts, "alpr.reads") == pytest.approx(summed.to_dict())


def test_summary_json_has_one_format(tmp_path: Path) -> None:
    built = summary_json.build("s", {"a": [1.0, 2.0, 3.0]}, 3, 1)
    assert summary_json.check(built, tmp_path) is built
    assert built["metrics"]["a"]["n"] == 3 and built["failed"] == 1
    (tmp_path / "summary.json").write_text(json.dumps({"scenario": "s", "replications": 1, "failed": 0,
                                                       "metrics": {"a": {"mean": 1.0, "n": 1}}}))
    with pytest.raises(ResultsError, match=r"summary.json: metric 'a' lacks ci_low, ci_high, halfwidth"):
        summary_json.read(tmp_path)
    (tmp_path / "summary.json").write_text(json.dumps({"endpoints": {}}))
    with pytest.raises(ResultsError, match="missing 'scenario', 'replications', 'failed', 'metrics'"):
        summary_json.read(tmp_path)


def test_a_table_missing_columns_names_them(tmp_path: Path) -> None:
    pd.DataFrame({"replication": [0], "day": [0], "metric": ["x"], "value": [1.0]}).to_csv(tmp_path / "metrics.csv")
    with pytest.raises(ResultsError, match=r"metrics.csv: missing column\(s\) \['scenario', 'design_point', 'seed'\]"):
        read_metrics(tmp_path)


def test_an_older_folders_federal_channels_read_under_their_new_names(tmp_path: Path) -> None:
    """by_state's federal.agencies_* counted network owners, private networks included, beside an `agencies` metric
    that counts agencies only: now federal.owners_*, and an older folder's table reads the same."""
    from sim.results.read import read_by_state
    from tests.reports.tables import write_table

    rows = {"agencies": 10.0, "private_networks": 4.0, "federal.agencies_direct": 12.0,
            "federal.agencies_lookup_only": 1.0, "federal.agencies_proxy_only": 1.0}
    df = pd.DataFrame({"scenario": "s", "design_point": 0, "replication": 0, "state": "NC", "metric": list(rows),
                       "value": list(rows.values())})
    folder = tmp_path / "old"
    folder.mkdir()
    write_table(folder, "by_state", df)
    read = read_by_state(folder).set_index("metric")["value"]
    assert read["federal.owners_direct"] == 12 > read["agencies"]  # owners: the 4 private networks too
    assert read["federal.owners_lookup_only"] == read["federal.owners_proxy_only"] == 1
    assert not read.index.str.startswith("federal.agencies_").any()


def test_an_older_folders_local_audit_column_and_channels_read_under_their_new_names(tmp_path: Path) -> None:
    """by_agency's audit.records_received_local (local police and sheriffs' searches, labelled 'local police'; "local"
    is also the scope of an agency's own cameras) and alpr.searches_federal_direct (a unit's own searches; "direct"
    is a 1:1 grant), audit_by_agency's searchers local / state / federal_direct: older folders read under the new
    names, Parquet and CSV alike."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from sim.results.places import AGENCY_COLUMNS, AUDIT_BY_AGENCY_SCHEMA, BY_AGENCY_SCHEMA
    from sim.results.read import read_audit_by_agency, read_by_agency

    new = "audit.records_received_local_police_sheriff"
    row = {f.name: [0.0] for f in BY_AGENCY_SCHEMA if pa.types.is_floating(f.type)}
    row |= {"scenario": ["s"], "design_point": [0], "replication": [0], "agency": [0], "name": ["A PD"],
            "state": ["NC"], "type": ["local_police"], "search_rate_source": ["drawn"], "read_rate_source": ["drawn"],
            new: [7.0],
            "alpr.searches_federal_own": [2.0], "audit.records_received_federal_own": [5.0]}
    old = pa.table(row, schema=BY_AGENCY_SCHEMA)
    was = {new: "audit.records_received_local", "alpr.searches_federal_own": "alpr.searches_federal_direct",
           "audit.records_received_federal_own": "audit.records_received_federal"}
    old = old.rename_columns([was.get(n, n) for n in old.column_names])
    audit = pa.table({"scenario": ["s"] * 3, "design_point": [0] * 3, "replication": [0] * 3, "agency": [0] * 3,
                      "searcher": ["local", "state", "federal_direct"], "reason": ["theft"] * 3,
                      "searches": [3.0, 4.0, 5.0]}, schema=AUDIT_BY_AGENCY_SCHEMA)
    for form in ("parquet", "csv"):
        folder = tmp_path / form
        folder.mkdir()
        if form == "parquet":
            pq.write_table(old, folder / "by_agency.parquet")
            pq.write_table(audit, folder / "audit_by_agency.parquet")
        else:
            old.to_pandas().to_csv(folder / "by_agency.csv", index=False)
            audit.to_pandas().to_csv(folder / "audit_by_agency.csv", index=False)
        agencies = read_by_agency(folder)
        assert agencies[new].tolist() == [7.0] and [m.name for m in AGENCY_COLUMNS if m.name == new]
        assert agencies["alpr.searches_federal_own"].tolist() == [2.0]
        assert agencies["audit.records_received_federal_own"].tolist() == [5.0]
        assert read_audit_by_agency(folder)["searcher"].tolist() == ["local_police_sheriff", "state_police",
                                                                     "federal_own"]


def test_an_older_folders_audit_channel_metrics_read_under_their_new_names(tmp_path: Path) -> None:
    """audit.records_per_owner_mean.local / .state / .federal_direct and alpr.searches_federal_direct are now
    .local_police_sheriff / .state_police: an older folder's metrics table and summary.json read under the new
    names, so a comparison with a newer folder pairs them."""
    from sim.results.renamed import METRICS as RENAMED_METRICS

    folder = write_run(tmp_path / "r", world=False)
    metrics = read_metrics(folder)
    old = {new: old for old, new in RENAMED_METRICS.items()}
    rows = [metrics[metrics.metric == "alpr.reads"].assign(metric=name) for name in old.values()]
    (folder / "metrics.parquet").unlink()
    pd.concat([metrics[~metrics.metric.isin(list(old))], *rows]).to_csv(folder / "metrics.csv", index=False)
    read = set(read_metrics(folder).metric)
    assert set(old) <= read and not read & set(old.values())
    entry = {"mean": 1.0, "ci_low": 0.5, "ci_high": 1.5, "halfwidth": 0.5, "median": 1.0, "p5": 0.6, "p95": 1.4, "n": 3}
    data = {"scenario": "s", "replications": 3, "failed": 0, "metrics": {m: entry for m in old.values()}}
    assert set(summary_json.check(data, tmp_path / "summary.json")["metrics"]) == set(old)
