"""Charts from small fixed tables: each draws what the tables say, says it in its title, and saves three files."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from PIL import Image
from scipy import stats

from reports.charts.alpr import reasons_chart, retention_chart
from reports.charts.flows import flow_table, flows_chart, spread
from reports.charts.load import latency_chart, latency_table, platform_chart
from reports.charts.reach import reach_chart, state_graph_chart
from reports.charts.requests import funnel, over_time
from reports.style import OKABE_ITO, Chart, Skipped, save
from reports.tables import load_results
from sim.results.layout import point_dir
from sim.results.sweep import read_sweep
from tests.reports.tables import DAYS, FLOWS, WHOLE, world_summary, write_sweep


def _check_saved(chart: Chart, out: Path) -> None:
    save(chart, out)
    png = Image.open(chart.files["png"])
    png.load()
    assert png.size[0] > 500 and png.size[1] > 300
    assert png.info.get("Description") == chart.alt
    root = ET.parse(chart.files["svg"]).getroot()
    assert root.tag.endswith("svg")
    svg_text = chart.files["svg"].read_text()
    assert chart.title.split()[0] in svg_text  # text kept as text, not paths
    assert pd.read_csv(chart.files["csv"]).shape[0] == len(chart.data)
    assert chart.alt and chart.subtitle and chart.source.startswith("Source:")


def test_funnel_draws_the_means_of_the_stages(run_dir: Path, tmp_path: Path) -> None:
    chart = funnel(load_results(run_dir))
    assert isinstance(chart, Chart)
    means = dict(zip(chart.data["metric"], chart.data["mean"], strict=True))
    for metric in ("requests.households_in_area", "requests.households_notified", "optin.submitting_households"):
        assert means[metric] == pytest.approx(np.mean(WHOLE[metric]))
    shared = np.mean(WHOLE["optin.submitting_households"]) / np.mean(WHOLE["requests.households_in_area"])
    assert f"{shared * 100:.1f}% shared footage" in chart.title
    assert "95% CI" in chart.subtitle
    assert (chart.data["ci_low"] < chart.data["mean"]).all()
    _check_saved(chart, tmp_path)


def test_over_time_bands_span_the_replications(run_dir: Path, tmp_path: Path) -> None:
    res = load_results(run_dir)
    chart = over_time(res)
    assert isinstance(chart, Chart)
    reads = chart.data[chart.data["metric"] == "alpr.reads"].set_index("day")
    raw = res.daily("alpr.reads").groupby("day")["value"]
    assert reads["low"].to_numpy() == pytest.approx(raw.min().to_numpy())
    assert reads["high"].to_numpy() == pytest.approx(raw.max().to_numpy())
    assert len(reads) == DAYS and (reads["n"] == 3).all()
    assert "band = lowest to highest replication" in chart.subtitle
    _check_saved(chart, tmp_path)


def test_flows_weigh_records_and_split_federal_proxy(run_dir: Path, tmp_path: Path) -> None:
    res = load_results(run_dir)
    table, weight = flow_table(res.flows)
    assert weight == "records"
    proxy = table[table["searcher"] == "federal_proxy"]
    assert list(proxy["owner_type"]) == ["sheriff"]
    # Records per run, mean over replications: records/day * days * mean(1 + 0.1 rep).
    expected = 30 * DAYS * np.mean([1.0, 1.1, 1.2])
    assert proxy["records_mean"].iloc[0] == pytest.approx(expected)
    total = sum(f[5] for f in FLOWS) * DAYS * np.mean([1.0, 1.1, 1.2])
    assert table["records_mean"].sum() == pytest.approx(total)
    chart = flows_chart(res)
    federal = (18 + 30) / sum(f[5] for f in FLOWS)
    # plate reads, named as such: "records" also meant audit entries in the same brief
    assert f"{federal * 100:.1f}% of the plate reads returned to searches" in chart.title
    assert "Federal share of plate reads returned:" in chart.subtitle
    _check_saved(chart, tmp_path)


def test_a_proxy_share_the_replications_cannot_pin_down_is_said_to_be_uncertain(tmp_path: Path, run_dir: Path) -> None:
    """The baseline (2 replications, 7 days) titled '61.5% of that goes through local officers' for replications of
    69% and 51%: 95% CI 0% to 100%. A steady share keeps the plain title."""
    steady = flows_chart(load_results(run_dir))
    assert "of that goes through local officers" in steady.title and "uncertain" not in steady.title
    assert "through local officers, mean of the replications' shares: 62.5%" in steady.subtitle  # 30 / (18 + 30)
    folder = tmp_path / "r"
    shutil.copytree(run_dir, folder)
    flows = pd.read_csv(folder / "flows.csv")
    flows.loc[(flows["path"] == "proxy") & (flows["replication"] == 1), "records"] *= 8  # few proxy lookups: lumpy
    flows.to_csv(folder / "flows.csv", index=False)
    (folder / "flows.parquet").unlink()
    chart = flows_chart(load_results(folder))
    shares = [30 * f / (18 + 30 * f) for f in (1, 8, 1)]
    ci = stats.t.interval(0.95, 2, loc=np.mean(shares), scale=stats.sem(shares))
    assert ci[1] - ci[0] > 0.2
    assert f"goes through local officers (uncertain: 95% CI {ci[0] * 100:.1f}% to 100.0%)" in chart.title


def test_flows_fall_back_to_searches_when_no_records(tmp_path: Path, run_dir: Path) -> None:
    folder = tmp_path / "r"
    shutil.copytree(run_dir, folder)
    flows = pd.read_csv(folder / "flows.csv")
    flows["records"] = 0.0
    flows.to_csv(folder / "flows.csv", index=False)
    (folder / "flows.parquet").unlink()  # the CSV is read when there is no Parquet
    chart = flows_chart(load_results(folder))
    assert "bands weigh searches" in chart.subtitle and "search_reaches_mean" in chart.data


def test_flow_labels_stay_inside_the_figure_with_private_networks(tmp_path: Path, run_dir: Path) -> None:
    """'Private networks (companies, HOAs)' left of the owners' column was cut by the figure's left edge."""
    folder = tmp_path / "r"
    shutil.copytree(run_dir, folder)
    flows = pd.read_csv(folder / "flows.csv")
    flows.loc[flows["owner_type"] == "state_police", "owner_type"] = "private"
    flows.to_csv(folder / "flows.csv", index=False)
    (folder / "flows.parquet").unlink()
    chart = flows_chart(load_results(folder))
    assert "private" in set(chart.data["owner_type"]) and "Private networks: the cameras of companies" in chart.subtitle
    renderer = chart.fig.canvas.get_renderer()
    width = chart.fig.bbox.width
    for text in chart.fig.axes[0].texts:
        box = text.get_window_extent(renderer)
        assert box.x0 >= 0 and box.x1 <= width, text.get_text()


def test_label_spread_keeps_labels_apart() -> None:
    ys = spread([0.9, 0.88, 0.5, 0.49], 0.08)
    assert all(a - b >= 0.08 - 1e-12 for a, b in zip(ys, ys[1:], strict=False))
    assert ys[0] == 0.9 and ys[2] == 0.5


def test_reasons_shares_and_highlight(run_dir: Path, tmp_path: Path) -> None:
    chart = reasons_chart(load_results(run_dir))
    assert chart.data["share"].sum() == pytest.approx(1.0)
    assert chart.data.iloc[-1]["reason"] == "stolen_vehicle"
    per_rep = [WHOLE["search.reason.immigration"][i] / sum(WHOLE[m][i] for m in WHOLE if m.startswith("search.reason."))
               for i in range(3)]
    assert f"immigration: {np.mean(per_rep) * 100:.1f}%" in chart.title
    _check_saved(chart, tmp_path)


def test_searches_run_for_immigration_but_filed_otherwise_are_said_to_be(run_dir: Path, tmp_path: Path) -> None:
    """flock-2026 (offense-type drop-down, where 'immigration' is no offense type): the title read 'immigration: 0%'
    while 6,023 searches (2.1%) were run for it and audited as other offenses (search.purpose.immigration)."""
    folder = tmp_path / "r"
    shutil.copytree(run_dir, folder)
    metrics = pd.read_parquet(folder / "metrics.parquet")
    hidden = metrics[metrics["metric"] == "search.reason.immigration"].copy()
    metrics.loc[metrics["metric"] == "search.reason.immigration", "value"] = 0.0
    metrics = pd.concat([metrics, hidden.assign(metric="search.purpose.immigration")], ignore_index=True)
    metrics.to_parquet(folder / "metrics.parquet", index=False)
    (folder / "metrics.csv").unlink()
    chart = reasons_chart(load_results(folder))
    reasons = [m for m in WHOLE if m.startswith("search.reason.") and m != "search.reason.immigration"]
    run_for = [WHOLE["search.reason.immigration"][i] / sum(WHOLE[m][i] for m in reasons) for i in range(3)]
    assert (f"immigration: 0.0% as entered, while {np.mean(run_for) * 100:.1f}% were run for it and filed under other "
            "reasons") in chart.title
    row = chart.data.set_index("reason").loc["immigration"]
    assert row["mean"] == 0 and row["run_for_mean"] == pytest.approx(np.mean(WHOLE["search.reason.immigration"]))
    assert "Run for immigration whatever the reason entered" in chart.alt
    plain = reasons_chart(load_results(run_dir))  # entered as run: nothing to add
    assert "run for it" not in plain.title and "run_for_mean" not in plain.data


def test_reach_and_state_graph_read_world_json(run_dir: Path, tmp_path: Path) -> None:
    res = load_results(run_dir)
    chart = reach_chart(res)
    fed = chart.data[chart.data["table"] == "federal_reach"].set_index("federal_unit")
    world = world_summary()
    assert fed.loc["CBP", "lookup_only"] == world["federal_reach"]["CBP"]["lookup_only"]
    # the counts hold private networks too: "123 local agencies" said they were all agencies
    assert "123 networks of agencies and private owners" in chart.title and "not estimates" in chart.subtitle
    _check_saved(chart, tmp_path)
    graph = state_graph_chart(res)
    assert len(graph.data) == len(world["state_graph"]["edges"])
    lookup = sum(n["national_lookup"] for n in world["state_graph"]["nodes"])
    # a sample: "14 of its 201 agencies share" read as if the other 187 shared nothing
    assert graph.title.startswith("In NC, 14 of its 201 agencies drawn, with 32 sharing links among them; ")
    assert res.param("policy.federal_access") == "paused"  # the default: lookups are closed to federal units
    assert graph.title.endswith(f"; {lookup} in national lookup (closed to federal units), 2 grant federal units 1:1")
    _check_saved(graph, tmp_path)
    from tests.reports.tables import write_run

    opened = load_results(write_run(tmp_path / "open", overrides=["policy.federal_access=open"]))
    assert f"{lookup} in national lookup (open to federal units)" in state_graph_chart(opened).title


def test_reach_reads_a_world_json_written_before_lookup_only(run_dir: Path, tmp_path: Path) -> None:
    """world.json files written before the rename call federal_reach's lookup_only national_lookup (the name of
    an owner's opt-in): the chart reads them the same."""
    folder = tmp_path / "old"
    shutil.copytree(run_dir, folder)
    world = world_summary()
    for row in world["federal_reach"].values():
        row["national_lookup"] = row.pop("lookup_only")
    (folder / "world.json").write_text(json.dumps(world))
    old, new = reach_chart(load_results(folder)), reach_chart(load_results(run_dir))
    assert old.title == new.title and old.alt == new.alt
    pd.testing.assert_frame_equal(old.data, new.data)


def test_world_charts_skip_without_world_json(run_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "r"
    shutil.copytree(run_dir, folder)
    (folder / "world.json").unlink()
    res = load_results(folder)
    for fn in (reach_chart, state_graph_chart):
        item = fn(res)
        assert isinstance(item, Skipped) and "world.json" in item.reason
    world = world_summary()
    del world["state_graph"], world["reach_by_hops"]
    (folder / "world.json").write_text(json.dumps(world))
    res = load_results(folder)
    assert isinstance(state_graph_chart(res), Skipped)
    assert isinstance(reach_chart(res), Chart)


def test_retention_curve_from_a_sweep(run_dir: Path, sweep_dir: Path, tmp_path: Path) -> None:
    res = load_results(run_dir)
    assert isinstance(retention_chart(res), Skipped)
    res.sweep = read_sweep(sweep_dir)
    chart = retention_chart(res)
    assert isinstance(chart, Chart)
    agencies = chart.data[chart.data["metric"] == "exposure.agencies_per_vehicle_mean"]
    assert list(agencies["policy.alpr_retention_days"]) == [7, 30, 90, 365]
    point = load_results(point_dir(sweep_dir, 1)).estimate("exposure.agencies_per_vehicle_mean")
    row = agencies[agencies["policy.alpr_retention_days"] == 30].iloc[0]
    assert (row["mean"], row["ci_low"], row["ci_high"]) == pytest.approx((point.mean, point.low, point.high))
    assert chart.title.startswith("Keeping reads 7 instead of 365 days cuts")
    _check_saved(chart, tmp_path)


def test_retention_lists_failed_points(tmp_path: Path, run_dir: Path) -> None:
    res = load_results(run_dir)
    res.sweep = read_sweep(write_sweep(tmp_path / "sw", failed=(2,)))  # a failed point: no results
    chart = retention_chart(res)
    agencies = chart.data[chart.data["metric"] == "exposure.agencies_per_vehicle_mean"]
    assert list(agencies["policy.alpr_retention_days"]) == [7, 30, 365]
    assert "Left out (no results): design points 2" in chart.subtitle


def test_platform_load_by_queue(run_dir: Path, tmp_path: Path) -> None:
    chart = platform_chart(load_results(run_dir))
    util = chart.data.set_index("queue")["utilization"]
    assert util["ALPR search"] == pytest.approx(np.mean(WHOLE["search.utilization"]))
    assert np.isnan(chart.data.set_index("queue").loc["Plate-read ingest (peak)", "wait_p95_s"])
    assert "ingest" in chart.title
    _check_saved(chart, tmp_path)


def test_latency_against_users(run_dir: Path, loadtest_dir: Path, tmp_path: Path) -> None:
    res = load_results(run_dir)
    skipped = latency_chart(res)
    assert isinstance(skipped, Skipped) and "loadtest" in skipped.reason
    res.loadtest = json.loads((loadtest_dir / "loadtest.json").read_text())
    chart = latency_chart(res)
    assert list(chart.data["users"]) == [10, 20, 40, 80]
    assert chart.data.set_index("users").loc[80, "p95"] == pytest.approx(9 + 80 * 0.2 + 1)  # median of k = 0, 1, 2
    assert "Client and server co-located." in chart.subtitle
    _check_saved(chart, tmp_path)
    assert latency_table({"over_time": {"locust": [{"users": 5, "rps": 1.0, "p50": None}]}}) is None
    assert latency_table({"history": [{"users": 5, "50%": 3}, {"users": 10, "50%": 4}]})["p50"].tolist() == [3, 4]


def test_charts_use_the_okabe_ito_palette(run_dir: Path, tmp_path: Path) -> None:
    chart = save(funnel(load_results(run_dir)), tmp_path)
    svg = chart.files["svg"].read_text().lower()
    assert OKABE_ITO["blue"].lower() in svg and OKABE_ITO["orange"].lower() in svg


def test_retention_title_says_when_the_runs_cannot_tell() -> None:
    from reports.charts.alpr import RETENTION, retention_takeaway

    def row(days: int, mean: float, hw: float) -> pd.Series:
        return pd.Series({RETENTION: days, "mean": mean, "ci_low": mean - hw, "ci_high": mean + hw, "n": 5})

    assert "no clear difference" in retention_takeaway(row(7, 184, 5), row(90, 185, 9))
    assert retention_takeaway(row(7, 50, 2), row(90, 100, 3)).endswith("cuts the agencies able to see a car by 50.0%")


def test_reach_prefers_search_scopes_from_access() -> None:
    from reports.charts.reach import reach_table

    q = {"median": 60, "p25": 50, "p75": 70, "p90": 80, "max": 90}
    world = world_summary() | {"access": {"local": {"networks": {"median": 1}, "cameras": {"median": 8}},
                                          "national": {"networks": q, "cameras": {"median": 2000, "p25": 1900, "p75": 2100}}}}
    table = reach_table(world)
    assert list(table["step"]) == ["own reads", "national"]  # scopes in order; hops ignored when access is there
    # networks, private ones included: the column read "agencies"
    assert table.iloc[1][["networks", "networks_p25", "cameras_p75"]].tolist() == [60, 50, 2100]
    assert "agencies" not in table
    hops = reach_table(world_summary())
    assert list(hops["step"]) == ["1 hop", "2 hops", "3 hops"] and hops["agencies_p25"].isna().all()


def test_world_of_another_scenario_is_named(run_dir: Path, tmp_path: Path) -> None:
    res = load_results(run_dir)
    res.world = world_summary() | {"scenario": "national-baseline", "seed": 7}
    chart = reach_chart(res)
    assert "One synthetic world (seed 7, scenario 'national-baseline')" in chart.subtitle
    res.world["scenario"] = res.name
    assert "scenario '" not in reach_chart(res).subtitle


def _edited_copy(src: Path, dst: Path, edit) -> Path:
    """A copy of a run folder whose metrics tables (CSV and Parquet) went through `edit(frame) -> frame`."""
    shutil.copytree(src, dst)
    for name in ("metrics.csv", "metrics.parquet"):
        path = dst / name
        df = edit(pd.read_csv(path) if name.endswith(".csv") else pd.read_parquet(path))
        df.to_csv(path, index=False) if name.endswith(".csv") else df.to_parquet(path, index=False)
    return dst


def test_funnel_folds_a_step_equal_to_the_one_above_into_its_label(run_dir: Path, tmp_path: Path) -> None:
    def notify_everyone(df: pd.DataFrame) -> pd.DataFrame:
        area = df[df["metric"] == "requests.households_in_area"].set_index("replication")["value"]
        rows = df["metric"] == "requests.households_notified"
        df.loc[rows, "value"] = df.loc[rows, "replication"].map(area).to_numpy()
        return df

    res = load_results(_edited_copy(run_dir, tmp_path / "run", notify_everyone))
    chart = funnel(res)
    labels = [t.get_text() for t in chart.fig.axes[0].get_yticklabels()]
    assert len(labels) == len(chart.data) - 1  # five stages, four bars
    assert labels[0] == "Households with a camera\nin request areas\n(all notified)"
    bars = chart.data.set_index("metric")["bar"]
    assert bars["requests.households_notified"] == bars["requests.households_in_area"]
    assert bars["requests.households_eligible"] != bars["requests.households_in_area"]
    unfolded = funnel(load_results(run_dir))  # unequal steps keep their bars
    assert len(unfolded.fig.axes[0].get_yticklabels()) == len(unfolded.data)


def test_bar_labels_end_inside_the_axes(run_dir: Path) -> None:
    res = load_results(run_dir)
    for chart in (funnel(res), reasons_chart(res), platform_chart(res)):
        renderer = chart.fig.canvas.get_renderer()
        for ax in chart.fig.axes:
            right = ax.get_window_extent(renderer).x1
            texts = [t for t in ax.texts if t.get_text()]
            assert texts and all(t.get_window_extent(renderer).x1 <= right for t in texts), chart.name


def test_over_time_states_a_flat_series_instead_of_drawing_it(run_dir: Path, tmp_path: Path) -> None:
    def steady_reads(df: pd.DataFrame) -> pd.DataFrame:
        daily = df["day"].notna() & (df["metric"] == "alpr.reads")
        df.loc[daily, "value"] = 2.0e7 + df.loc[daily, "day"] * 1000.0  # +0.03% a day: flat on any axis from 0
        return df

    chart = over_time(load_results(_edited_copy(run_dir, tmp_path / "run", steady_reads)))
    assert "alpr.reads" not in set(chart.data["metric"]) and "footage.clips" in set(chart.data["metric"])
    assert len(chart.fig.axes) == 2
    assert "change by less than 2% from day to day: plate reads per day about 20 million" in chart.subtitle
    assert "plate reads a day" in chart.title  # still stated in the takeaway
    varied = over_time(load_results(run_dir))  # the fixture's reads vary by ~7% a day: drawn
    assert "alpr.reads" in set(varied.data["metric"]) and len(varied.fig.axes) == 3


def test_the_flow_tables_intervals_stop_at_zero() -> None:
    """Proxy lookups are few: 2 replications gave their records a 95% CI from -4,124,275 in flows.csv."""
    rows = [("x", 0, rep, 0, "local_police", "local_police", "in_state", path, s, r)
            for rep, (s, r) in enumerate([(1, 10), (0, 0), (9, 900)]) for path in ("direct", "proxy")]
    flows = pd.DataFrame(rows, columns=["scenario", "design_point", "replication", "day", "owner_type",
                                        "searcher_type", "relation", "path", "searches", "records"])
    table, weight = flow_table(flows)
    assert weight == "records" and len(table) == 2
    assert (table["ci_low"] >= 0).all() and (table["ci_high"] > table["records_mean"]).all()
