"""report.html: self-contained, every image decodes with alt text, key numbers with CIs, sources, notes."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import numpy as np
import pytest

from reports import write_report
from reports.catalog import fmt
from reports.charts import NETWORK_CHARTS, SECTIONS
from reports.sources import ADDRESSES, ASSUMPTION, CHOICES, NO_ADDRESS, POLICY_LEVER, SHOWN, SOURCES, source_of, url
from reports.tables import ReportInputError, load_results
from sim.config import load_scenario
from sim.config.resolve import resolved
from tests.reports.htmlcheck import decode_images, parse
from tests.reports.tables import ROOT, WHOLE, write_run


def test_report_is_self_contained_and_every_image_loads(run_dir: Path, sweep_dir: Path, loadtest_dir: Path,
                                                        tmp_path: Path) -> None:
    folder = tmp_path / "run"
    shutil.copytree(run_dir, folder)
    path = write_report(folder, sweep=sweep_dir, loadtest=loadtest_dir)
    assert path == folder / "report.html"
    page = path.read_text()
    images = decode_images(page)
    # one of the two sharing drawings applies (a one-state world: its agencies' graph); + the attached sweep's
    # response curve (one parameter)
    n_charts = sum(len(fns) for _, fns in SECTIONS) - (len(NETWORK_CHARTS) - 1) + 1
    assert len(images) == n_charts  # every input present: every chart drawn
    assert all(len(alt) > 40 for alt, _ in images)
    doc = parse(page)
    assert doc.external == [] and "script" not in doc.tags and "link" not in doc.tags
    # each chart links its CSV and SVG, relative to the page, and the links lead to those files; so do the
    # results folder's tables; sources link to the web addresses docs/sources.md gives
    web = [link for link in doc.links if link.startswith("https://")]
    local = [link for link in doc.links if link not in web]
    assert all((folder / link).is_file() for link in local)
    charts = [link for link in local if link.startswith("charts/")]
    assert len(charts) == 2 * n_charts and {Path(link).suffix for link in charts} == {".csv", ".svg"}
    assert {"metrics.csv", "summary.json", "resolved_scenario.yaml"} <= set(local) - set(charts)
    assert web and set(web) <= {url(a) for addresses in ADDRESSES.values() for a in addresses}
    for name in ("funnel", "flows", "retention", "latency"):
        assert (folder / "charts" / f"{name}.svg").is_file() and (folder / "charts" / f"{name}.csv").is_file()
    rate = np.mean(WHOLE["optin.rate"])
    assert '<td class="num" data-label="Mean">' + fmt(rate, "share") + "</td>" in page
    assert "95% CI" in page and "Caveats" in page
    brief = page.split("<h2>In brief</h2>", 1)[1].split("</ul>", 1)[0]
    assert brief.count("<li>") == n_charts - 1 and "shared footage with police." in brief


def test_missing_inputs_become_notes_not_charts(run_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "run"
    shutil.copytree(run_dir, folder)
    for name in ("world.json", "flows.csv", "flows.parquet"):
        (folder / name).unlink()
    page = write_report(folder, tmp_path / "elsewhere" / "r.html").read_text()
    assert (tmp_path / "elsewhere" / "charts" / "funnel.png").is_file()
    assert not (tmp_path / "elsewhere" / "charts" / "flows.png").exists()
    assert page.count('class="skipped"') == 5  # flows, reach, state graph, retention, latency
    assert "flows table is missing" in page and "world.json" in page
    # and the camera map (no geography) and the map of sharing between states (no world.json: one note) are left out
    assert len(decode_images(page)) == sum(len(fns) for _, fns in SECTIONS) - 7
    assert 'id="camera_map"' not in page and "Where the cameras are" not in page


def test_one_replication_says_there_is_no_ci(tmp_path: Path) -> None:
    from tests.reports.tables import write_run

    folder = write_run(tmp_path / "one", reps=1)
    page = write_report(folder).read_text()
    assert "Only 1 replication: no confidence intervals" in page
    assert "no CI (n=1)" in page
    assert decode_images(page)


def test_caveats_say_where_queue_waits_come_from(tmp_path: Path) -> None:
    from tests.reports.tables import write_run

    page = write_report(write_run(tmp_path / "assumed", reps=2)).read_text()
    assert "assumed 0.02 s per million reads scanned" in page
    calib = tmp_path / "calibration.json"
    calib.write_text('{"queues": {"search": {"workers": 1, "service_time": {"dist": "fixed", "mean_s": 0.05}}}}')
    folder = write_run(tmp_path / "measured", reps=2, overrides=[f"platform.calibration={calib}"])
    page = write_report(folder).read_text()
    assert "measured by a load test" in page and "per million reads scanned" not in page
    # the calibration leaves the per-read term as the scenario sets it (loadtest/service_times.py): say so
    assert "growth with the reads it scans (0.02 s per million) is the scenario" in page


def test_the_scenarios_warnings_are_shown(tmp_path: Path) -> None:
    from tests.reports.tables import write_run

    folder = write_run(tmp_path / "w", reps=2)
    assert "Warning: the scenario" not in write_report(folder).read_text()
    summary = json.loads((folder / "summary.json").read_text())
    summary["scenario_warnings"] = ["policy.moderation.blocked: 'abortion' is a reason no search carries"]
    (folder / "summary.json").write_text(json.dumps(summary))
    page = write_report(folder).read_text()
    assert "<h2>Warning: the scenario</h2>" in page and "&#x27;abortion&#x27; is a reason no search carries" in page


def test_report_of_a_sweep_folder_uses_a_design_point(sweep_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "sw"
    shutil.copytree(sweep_dir, folder)
    page = write_report(folder).read_text()
    assert "design point 0" in page
    assert 'id="retention"' in page and 'id="funnel"' in page


def test_a_sweep_report_reads_each_sweep_table_once(sweep_dir: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """The answer, the response curves and the retention chart share the tables read once (`read_sweep`)."""
    import pandas as pd

    from reports import report

    reads: list[str] = []
    read_csv = pd.read_csv

    def counted(path: object, *args: object, **kwargs: object) -> pd.DataFrame:
        reads.append(Path(str(path)).name)
        return read_csv(path, *args, **kwargs)

    monkeypatch.setattr(pd, "read_csv", counted)
    monkeypatch.setattr(report, "_workers", lambda n: 1)  # every chart drawn in this process, where reads count
    folder = tmp_path / "sw"
    shutil.copytree(sweep_dir, folder)
    page = write_report(folder).read_text()
    assert 'id="retention"' in page and "The answer" in page and "How the results respond to" in page
    assert reads.count("design_points.csv") == 1 and reads.count("sweep.csv") == 1, reads


def test_assumptions_list_values_and_sources(run_dir: Path) -> None:
    res = load_results(run_dir)
    from reports.sources import assumptions

    rows = {r[0]: r for r in assumptions(res)}
    assert rows["policy.alpr_retention_days"][1] == str(res.param("policy.alpr_retention_days"))
    assert '<a href="https://flocksafety.com">flocksafety.com</a>' in rows["policy.alpr_retention_days"][2]
    assert "private_eyes" in rows["world.alpr.per_agency_median"][2]
    assert NO_ADDRESS in rows["world.alpr.per_agency_median"][2]  # a cited source without an address says so
    assert rows["policy.federal_firewall"][2] == POLICY_LEVER
    assert rows["behavior.searches.proxy_agency_share"][2].startswith("Assumption")
    assert NO_ADDRESS not in rows["policy.federal_firewall"][2] + rows["run.seed"][2]
    assert rows["run.seed"][1] == str(res.param("run.seed")) and rows["run.seed"][2] == source_of("run.seed") != ASSUMPTION


@pytest.mark.parametrize("dotted", sorted(set(SOURCES) | set(SHOWN) | set(CHOICES)))
def test_every_sourced_parameter_exists_in_the_scenario(dotted: str) -> None:
    node = resolved(load_scenario(ROOT / "scenarios" / "baseline.yaml"))
    for key in dotted.split("."):
        assert isinstance(node, dict) and key in node, f"{dotted}: no such scenario parameter"
        node = node[key]


def test_report_of_a_loadtest_folder_draws_the_latency_chart(loadtest_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "lt"
    shutil.copytree(loadtest_dir, folder)
    page = write_report(folder).read_text()
    images = decode_images(page)
    assert len(images) == 1 and "response-time percentiles" in images[0][0]
    assert "No metrics or summary.json in this folder" in page
    assert "lt/loadtest.json" in (folder / "charts" / "latency.svg").read_text()


def test_a_load_test_folder_from_before_loadtest_json_still_reads(loadtest_dir: Path, tmp_path: Path) -> None:
    """An older `fedsim loadtest` folder called its figures summary.json: read as the load test, as a run folder's
    loadtest/ and through --loadtest; a run's own summary.json given as a load test is refused by name."""
    old = tmp_path / "old"
    shutil.copytree(loadtest_dir, old)
    (old / "loadtest.json").rename(old / "summary.json")
    assert "response-time percentiles" in decode_images(write_report(old).read_text())[0][0]
    assert "old/summary.json" in (old / "charts" / "latency.svg").read_text()
    run = tmp_path / "run"
    run.mkdir()
    (run / "summary.json").write_text(json.dumps({"scenario": "x", "replications": 1, "failed": 0, "metrics": {}}))
    with pytest.raises(ReportInputError, match=r"run/summary.json: a run's summary; a load test writes loadtest.json"):
        write_report(old, tmp_path / "r.html", loadtest=run / "summary.json")
    with pytest.raises(ReportInputError, match="no load test there"):
        write_report(old, tmp_path / "r.html", loadtest=run)
    shutil.copytree(old, run / "loadtest")
    assert load_results(run).loadtest_path == run / "loadtest" / "summary.json"


def test_key_numbers_say_which_merely_play_back_an_input(run_dir: Path) -> None:
    from reports.report import key_numbers

    kinds = {row[0]: row[1] for row in key_numbers(load_results(run_dir))}
    assert kinds["ALPR searches"] == "input played back"
    assert kinds["Federal searches run by local officers (proxy)"] == "result"
    assert kinds["Search queue: 95th-percentile wait"] == "platform load"


def test_charts_drawn_in_worker_processes_match_those_drawn_in_process(run_dir: Path, sweep_dir: Path,
                                                                      loadtest_dir: Path, tmp_path: Path) -> None:
    from reports.report import attach_loadtest, attach_sweep, draw

    res = load_results(run_dir)
    attach_sweep(res, sweep_dir)
    attach_loadtest(res, loadtest_dir)
    serial = draw(res, tmp_path / "one", workers=1)
    forked = draw(res, tmp_path / "two", workers=2)
    assert [h for h, _ in serial] == [h for h, _ in forked]
    pairs = [(a, b) for (_, xs), (_, ys) in zip(serial, forked, strict=True) for a, b in zip(xs, ys, strict=True)]
    assert len(pairs) == sum(len(fns) for _, fns in SECTIONS) - (len(NETWORK_CHARTS) - 1)  # one sharing drawing
    for a, b in pairs:
        assert (a.name, a.title, type(a)) == (b.name, b.title, type(b))
        assert b.files["csv"].parent == tmp_path / "two"
        assert b.files["csv"].read_bytes() == a.files["csv"].read_bytes()
        assert b.files["svg"].read_bytes() == a.files["svg"].read_bytes()
        assert b.fig is None and b.alt == a.alt


def test_charts_are_drawn_in_process_while_another_thread_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    from reports import report

    stop = threading.Event()
    other = threading.Thread(target=stop.wait, daemon=True)
    other.start()
    try:
        assert report._workers(8) == 1  # forking now could copy a lock that thread holds
    finally:
        stop.set()
        other.join()
    monkeypatch.setattr(report.os, "sched_getaffinity", lambda _pid: {0, 1})
    assert report._workers(8) == (2 if sys.platform == "linux" else 1)


@pytest.mark.skipif(sys.platform != "linux", reason="charts are drawn in forked workers only on Linux")
@pytest.mark.timeout(300)
def test_drawing_workers_end_whatever_sigterm_handler_the_parent_has(run_dir: Path, tmp_path: Path) -> None:
    """A parent whose SIGTERM handler does nothing (a CLI or test runner may install one) must not leave the
    drawing pool hanging: its workers end on their own and SIGTERM keeps its default action in them.
    On the old code (Pool's `with` block terminated the workers, which inherited the no-op handler) this hung."""
    import multiprocessing as mp
    import signal

    from reports.report import _default_signals, draw

    previous = signal.signal(signal.SIGTERM, lambda *_: None)
    try:
        drawn = draw(load_results(run_dir), tmp_path / "charts", workers=2)
        with mp.get_context("fork").Pool(1, initializer=_default_signals) as pool:
            in_worker = pool.apply(signal.getsignal, (signal.SIGTERM,))
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert drawn and not mp.active_children()
    assert in_worker == signal.SIG_DFL


def test_a_chart_that_fails_half_way_is_skipped_and_its_figure_closed(run_dir: Path, tmp_path: Path) -> None:
    """`save` closes a finished chart's figure; one whose drawing raised never reached it and stayed open."""
    import matplotlib.pyplot as plt

    from reports.report import _draw_one
    from reports.style import Skipped, new_figure

    def broken_chart(res: object) -> None:
        fig, ax = new_figure()
        ax.plot([1, 2], [3, 4])
        raise ValueError("a column the chart needs is empty")

    plt.close("all")
    item = _draw_one(load_results(run_dir), broken_chart, tmp_path / "charts")
    assert isinstance(item, Skipped) and "a column the chart needs is empty" in item.reason
    assert plt.get_fignums() == []


def test_settings_a_real_world_does_not_read_are_not_shown_as_the_runs(tmp_path: Path) -> None:
    """A flock-2026 brief listed 'world.agencies: local_police: 4,100; sheriff: 800; state_police: 50' and a median of
    12 cameras per agency as this run's values, for a world of 6,360 listed agencies with their own camera counts."""
    from reports.sources import assumptions
    from sim.config.world import NOT_READ

    folder = write_run(tmp_path / "real", overrides=["world.source=flock-2026"])
    rows = {r[0]: r[1] for r in assumptions(load_results(folder))}
    for dotted in ("world.alpr.per_agency_median", "world.sharing.out_degree_median", "world.sharing.source"):
        assert dotted in NOT_READ["flock-2026"]
        assert rows[dotted].startswith("not used in this world (world.source flock-2026")
    agencies = rows["world.agencies"]
    assert agencies.startswith("federal_units: USPIS") and "4,100" not in agencies
    assert "local_police, sheriff, state_police not used in this world" in agencies
    assert rows["world.alpr.total"] == f"{load_results(folder).param('world.alpr.total'):,}"  # read there: shown
    synthetic = {r[0]: r[1] for r in assumptions(load_results(write_run(tmp_path / "synthetic")))}
    assert synthetic["world.alpr.per_agency_median"] == "12" and "local_police: " in synthetic["world.agencies"]
