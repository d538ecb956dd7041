"""The runner end to end on the toy component: identical bytes on any executor, CRN, failures, resume, auto."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from sim import load_scenario, run, sweep
from sim.results.stats import relative_halfwidth, summarize
from sim.runner import RunnerError
from sim.runner.replicate import PILOT
from tests.conftest import SCENARIOS
from tests.sim.runner import toy
from tests.sim.runner.conftest import differing_files, write_scenario

TOY = dict(components=toy.COMPONENTS, world_factory=toy.WORLD, quiet=True)
SWEEP = "run:\n  days: 3\n  replications: 2\nsweep:\n  points:\n"


def result_files(root: Path) -> list[str]:
    """Every output file of a results folder except the manifest (wall times, host) and the parts."""
    return sorted(
        str(p.relative_to(root)) for p in root.rglob("*")
        if p.is_file() and p.name != "manifest.json" and "parts" not in p.relative_to(root).parts
    )


def toy_sweep(tmp_path: Path, points: str) -> Path:
    return write_scenario(tmp_path, SWEEP + points)


def test_same_bytes_on_every_executor_and_worker_count(tmp_path: Path) -> None:
    spec = toy_sweep(tmp_path, "    - {platform.packaging.workers: 2}\n    - {platform.packaging.workers: 8}\n")
    outs = {}
    for name, kw in {"inprocess": dict(executor="inprocess"), "pool1": dict(executor="process", workers=1),
                     "pool2": dict(executor="process", workers=2)}.items():
        outs[name] = sweep(spec, output_dir=tmp_path / name, **kw, **TOY).output_dir
    names = result_files(outs["inprocess"])
    assert "points/0001/metrics.parquet" in names and "sweep.csv" in names
    assert differing_files(outs["inprocess"], outs["pool1"], names) == []
    assert differing_files(outs["inprocess"], outs["pool2"], names) == []
    # the response is real: four times the workers give about four times the arrivals
    table = pd.read_csv(outs["pool2"] / "sweep.csv")
    means = table[table.metric == "toy.arrivals"].set_index("design_point")["mean"]
    assert 2.5 < means[1] / means[0] < 6


def test_result_tables_summary_and_resolved_scenario(tmp_path: Path, small_scenario) -> None:
    res = run(small_scenario, output_dir=tmp_path / "r", replications=3, executor="inprocess", **TOY)
    m = res.metrics
    assert list(m.columns) == ["scenario", "design_point", "replication", "seed", "day", "metric", "value"]
    assert set(m.replication) == {0, 1, 2} and set(m.seed) == {small_scenario.run.seed}
    daily = m[m.day.notna() & (m.metric == "toy.arrivals")]
    assert sorted(set(daily.day)) == list(range(small_scenario.run.days))
    whole = m[m.day.isna() & (m.metric == "toy.arrivals")].sort_values("replication")
    # a daily count's whole-run value is its sum
    assert whole.value.tolist() == daily.groupby("replication").value.sum().tolist()
    summ = res.summary()
    assert summ == json.loads((res.output_dir / "summary.json").read_text())
    assert summ["replications"] == 3 and summ["failed"] == 0
    expected = summarize(whole.value.tolist())
    for key, value in expected.items():
        assert summ["metrics"]["toy.arrivals"][key] == pytest.approx(value)
    csv = pd.read_csv(res.output_dir / "metrics.csv", dtype={"day": "Int64"})
    pd.testing.assert_frame_equal(csv, m, check_dtype=False)
    assert list(res.flows.columns)[:4] == ["scenario", "design_point", "replication", "day"] and len(res.flows) > 0
    resolved = yaml.safe_load((res.output_dir / "resolved_scenario.yaml").read_text())
    assert resolved["run"]["days"] == small_scenario.run.days and resolved["meta"]["seed"] == small_scenario.run.seed
    manifest = res.manifest
    assert [r["seed"]["spawn_key"] for r in manifest["runs"]] == [[0, 0], [0, 1], [0, 2]]
    assert manifest["versions"]["numpy"] == np.__version__ and manifest["host"]["name"]


def test_policy_change_leaves_untouched_stream_identical(tmp_path: Path, small_scenario) -> None:
    off = run(small_scenario, output_dir=tmp_path / "off", executor="inprocess", **TOY).metrics
    on = run(small_scenario, overrides=["policy.federal_firewall=true"], output_dir=tmp_path / "on",
             executor="inprocess", **TOY).metrics
    assert "toy.firewall_blocked" in set(on.metric) and "toy.firewall_blocked" not in set(off.metric)
    keep = on.metric != "toy.firewall_blocked"
    pd.testing.assert_frame_equal(on[keep].reset_index(drop=True), off.reset_index(drop=True))


def test_crn_gives_every_design_point_the_same_streams(tmp_path: Path) -> None:
    spec = toy_sweep(tmp_path, "    - {policy.federal_firewall: false}\n    - {policy.federal_firewall: true}\n")

    def arrivals(crn: bool) -> list[list[float]]:
        res = sweep(spec, output_dir=tmp_path / f"crn-{crn}", executor="inprocess", crn=crn, **TOY)
        return [res.point(i).metrics.query("metric == 'toy.arrivals'").value.tolist() for i in (0, 1)]

    with_crn, without = arrivals(True), arrivals(False)
    assert with_crn[0] == with_crn[1] == without[0]
    assert without[1] != without[0]


def test_a_sweep_over_run_seed_changes_world_and_streams(tmp_path: Path) -> None:
    spec = toy_sweep(tmp_path, "    - {run.seed: 1}\n    - {run.seed: 2}\n")
    res = sweep(spec, output_dir=tmp_path / "s", executor="inprocess", **TOY)
    a, b = res.point(0), res.point(1)
    assert set(a.metrics.seed) == {1} and set(b.metrics.seed) == {2}
    assert a.manifest["seeds"]["world"] == {"entropy": 1, "spawn_key": []}
    world = [p.summary()["metrics"]["toy.world_x"]["mean"] for p in (a, b)]
    assert world[0] != world[1]


def test_failing_and_invalid_points_become_rows_and_the_sweep_goes_on(tmp_path: Path) -> None:
    spec = toy_sweep(tmp_path, "    - {platform.packaging.workers: 4}\n    - {platform.packaging.workers: 13}\n"
                               "    - {platform.packaging.workers: -1}\n    - {platform.packaging.workers: 2}\n"
                               "    - {platform.calibration: /no/such/calibration.json}\n")
    res = sweep(spec, output_dir=tmp_path / "s", executor="inprocess", **TOY)
    fails = res.failures
    assert fails.design_point.tolist() == [1, 1, 2, 4]
    assert fails.replication.tolist()[:2] == [0, 1] and fails.replication.iloc[2:].isna().all()
    assert fails.error.iloc[0] == "RuntimeError: toy model refuses 13 packaging workers"
    assert "platform.packaging.workers" in fails.error.iloc[2] and "Traceback" in fails.traceback.iloc[0]
    assert "platform.calibration" in fails.error.iloc[3]
    assert sorted(set(res.summary().design_point)) == [0, 3]
    assert res.point(1).summary()["replications"] == 0 and res.point(1).summary()["failed"] == 2
    assert res.point(3).summary()["replications"] == 2
    with pytest.raises(KeyError):
        res.point(2)


def test_a_dying_worker_fails_its_runs_and_the_pool_is_restarted_for_the_rest(tmp_path: Path) -> None:
    spec = toy_sweep(tmp_path, f"    - {{platform.packaging.workers: {toy.CRASH_WORKERS}}}\n"
                               "    - {platform.packaging.workers: 2}\n")
    res = sweep(spec, output_dir=tmp_path / "s", executor="process", workers=1, **TOY)
    fails = res.failures
    assert fails.design_point.tolist() == [0, 0] and fails.error.str.startswith("BrokenProcessPool").all()
    assert res.point(1).summary()["replications"] == 2


def test_interrupted_sweep_keeps_finished_runs_and_resume_runs_only_the_rest(tmp_path: Path, monkeypatch) -> None:
    spec = toy_sweep(tmp_path, "    - {platform.packaging.workers: 2}\n    - {platform.packaging.workers: 8}\n"
                               "    - {platform.packaging.workers: 4}\n")
    out = tmp_path / "s"
    monkeypatch.setenv("TOY_INTERRUPT_WORKERS", "8")
    with pytest.raises(KeyboardInterrupt, match=f"finished runs are merged in {out}; the same command with --resume"):
        sweep(spec, output_dir=out, executor="inprocess", **TOY)
    finished = {p: p.read_bytes() for p in (out / "parts" / "0000").glob("*.json")}
    assert len(finished) == 2
    assert pd.read_csv(out / "points" / "0000" / "metrics.csv").replication.nunique() == 2
    monkeypatch.delenv("TOY_INTERRUPT_WORKERS")
    res = sweep(spec, output_dir=out, executor="inprocess", resume=True, **TOY)
    assert {p: p.read_bytes() for p in finished} == finished  # not run again
    fresh = sweep(spec, output_dir=tmp_path / "fresh", executor="inprocess", **TOY).output_dir
    assert differing_files(fresh, res.output_dir, result_files(fresh)) == []


def test_resume_adds_replications_and_refuses_another_batch(tmp_path: Path, small_scenario) -> None:
    out = tmp_path / "r"
    run(small_scenario, output_dir=out, replications=2, executor="inprocess", **TOY)
    first = (out / "parts" / "0000" / "r00001.json").read_bytes()
    res = run(small_scenario, output_dir=out, replications=4, executor="inprocess", resume=True, **TOY)
    assert (out / "parts" / "0000" / "r00001.json").read_bytes() == first
    assert res.replications == 4
    with pytest.raises(RunnerError, match="different batch"):
        run(small_scenario, overrides=["policy.federal_firewall=true"], output_dir=out, executor="inprocess",
            resume=True, **TOY)
    run(small_scenario, output_dir=out, replications=1, executor="inprocess", **TOY)  # without resume: start over
    assert sorted(p.name for p in (out / "parts" / "0000").glob("*.json")) == ["r00000.json"]
    (tmp_path / "foreign" / "parts").mkdir(parents=True)
    with pytest.raises(RunnerError, match="not written by fedsim"):
        run(small_scenario, output_dir=tmp_path / "foreign", executor="inprocess", **TOY)


def test_csv_parts_are_removed_once_merged_and_a_resumed_merge_renders_the_same_bytes(tmp_path: Path,
                                                                                     small_scenario) -> None:
    out = tmp_path / "r"
    res = run(small_scenario, overrides=["run.csv=all"], output_dir=out, replications=2, executor="inprocess", **TOY)
    parts = out / "parts" / "0000"
    assert list(parts.glob("*.csv")) == []  # the workers' CSV rows, merged into the run folder, then removed
    tables = ("audit_by_agency", "by_agency", "by_state", "flows", "flows_by_state", "metrics")
    assert sorted(p.name for p in parts.glob("*.parquet")) == [f"r{r:05d}.{t}.parquet" for r in (0, 1) for t in tables]
    merged = {t: (out / f"{t}.csv").read_bytes() for t in tables}
    assert merged["by_state"].startswith(b"scenario,design_point,replication,state,")
    # resuming renders the finished runs' rows from their Parquet parts: the same bytes
    res = run(small_scenario, overrides=["run.csv=all"], output_dir=out, replications=2, executor="inprocess",
              resume=True, **TOY)
    assert {t: (res.output_dir / f"{t}.csv").read_bytes() for t in tables} == merged
    more = run(small_scenario, overrides=["run.csv=all"], output_dir=out, replications=3, executor="inprocess",
               resume=True, **TOY)
    for t in tables:  # a third replication's rows follow the first two's, unchanged
        assert (more.output_dir / f"{t}.csv").read_bytes().startswith(merged[t]), t


def test_run_tables_and_csv_choose_what_a_run_folder_holds(tmp_path: Path, small_scenario) -> None:
    every = ["metrics", "flows", "flows_by_state", "by_state", "by_agency", "audit_by_agency"]
    default = run(small_scenario, output_dir=tmp_path / "default", replications=2, executor="inprocess", **TOY)
    files = {p.name for p in default.output_dir.iterdir()}
    assert {f"{t}.parquet" for t in every} <= files
    assert {f"{t}.csv" for t in every} & files == {f"{t}.csv" for t in ("metrics", "flows", "by_state", "by_agency")}
    full = run(small_scenario, overrides=["run.csv=all"], output_dir=tmp_path / "full", replications=2,
               executor="inprocess", **TOY)
    assert {f"{t}.csv" for t in every} <= {p.name for p in full.output_dir.iterdir()}
    same = sorted(files - {"manifest.json", "resolved_scenario.yaml"})
    assert differing_files(default.output_dir, full.output_dir, [n for n in same if n != "parts"]) == []
    # into the default's folder, fewer tables: what is not asked for is gone, what is written is the same bytes
    kept = {n: (default.output_dir / n).read_bytes() for n in ("metrics.parquet", "by_state.parquet", "flows.parquet")}
    few = run(small_scenario, overrides=["run.tables=[by_state]", "run.csv=none"], output_dir=tmp_path / "default",
              replications=2, executor="inprocess", **TOY)
    tables = {p.name for p in few.output_dir.iterdir() if p.suffix in (".csv", ".parquet")}
    assert tables == {"metrics.parquet", "flows.parquet", "by_state.parquet", "failures.csv"}
    assert {n: (few.output_dir / n).read_bytes() for n in kept} == kept
    assert sorted(p.name.split(".", 1)[1] for p in (few.output_dir / "parts" / "0000").glob("r00000.*")) == [
        "by_state.parquet", "flows.parquet", "json", "metrics.parquet"]


def test_auto_replications_reach_the_target_the_same_way_on_a_pool(tmp_path: Path, small_scenario) -> None:
    kw = dict(replications="auto", metric="toy.arrivals", target_halfwidth=0.05, max_replications=40, **TOY)
    res = run(small_scenario, output_dir=tmp_path / "a", executor="inprocess", **kw)
    d = res.decision
    assert d["converged"] and PILOT < d["replications"] <= 40 and res.replications == d["replications"]
    values = res.metrics.query("metric == 'toy.arrivals' and day.isna()", engine="python").value.tolist()
    assert relative_halfwidth(values) <= 0.05 < relative_halfwidth(values[:PILOT])
    assert res.manifest["batch"]["replication_policy"] == d
    pooled = run(small_scenario, output_dir=tmp_path / "b", executor="process", workers=2, **kw)
    assert pooled.decision == d
    assert differing_files(res.output_dir, pooled.output_dir, result_files(res.output_dir)) == []


def test_auto_replications_stop_at_the_cap_and_need_a_known_metric(tmp_path: Path, small_scenario) -> None:
    res = run(small_scenario, output_dir=tmp_path / "cap", executor="inprocess", replications="auto",
              metric="toy.arrivals", target_halfwidth=0.001, max_replications=6, **TOY)
    assert res.decision["replications"] == 6 and not res.decision["converged"]
    with pytest.raises(RunnerError, match="did you mean toy.arrivals"):
        run(small_scenario, output_dir=tmp_path / "bad", executor="inprocess", replications="auto",
            metric="toy.arrival", **TOY)
    assert not (tmp_path / "bad" / "parts").exists()  # refused before any run


def test_bad_options_are_runner_errors(tmp_path: Path, small_scenario) -> None:
    for kw in (dict(executor="cloud"), dict(workers=0), dict(scheduler="tcp://127.0.0.1:1"), dict(replications="x"),
               dict(metric="toy.arrivals"), dict(colour="red")):
        with pytest.raises(RunnerError):
            run(small_scenario, output_dir=tmp_path / "x", **{**TOY, **kw})
    with pytest.raises(RunnerError, match="no sweep"):
        sweep(small_scenario, output_dir=tmp_path / "y", **TOY)
    assert not (tmp_path / "x" / "parts").exists()


def test_default_folder_is_run_output_dir_else_out_scenario_name(tmp_path: Path, small_scenario, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert run(small_scenario, executor="inprocess", **TOY).output_dir == Path("out") / "small"
    assert (tmp_path / "out" / "small" / "summary.json").is_file()
    res = run(small_scenario, overrides=[f"run.output_dir={tmp_path / 'elsewhere'}"], executor="inprocess", **TOY)
    assert res.output_dir == tmp_path / "elsewhere" and (tmp_path / "elsewhere" / "metrics.csv").is_file()


def test_load_scenario_run_and_sweep_are_the_public_api() -> None:
    import sim

    assert sim.run is run and sim.sweep is sweep and sim.load_scenario is load_scenario


def test_an_interrupted_run_says_what_it_kept_and_how_to_finish(tmp_path: Path, small_scenario, monkeypatch,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    """Ctrl-C in `fedsim run` printed only 'interrupted' (exit 130): not that the finished runs were kept, nor --resume."""
    import sim.cli.cmd_run as cmd_run
    from sim.cli.main import main

    monkeypatch.setenv("TOY_INTERRUPT_WORKERS", "8")
    with pytest.raises(KeyboardInterrupt) as info:
        run(small_scenario, overrides=["platform.packaging.workers=8"], output_dir=tmp_path / "r", replications=2,
            executor="inprocess", **TOY)
    assert str(info.value) == (f"interrupted; 0 finished run(s) are merged in {tmp_path / 'r'}; the same command "
                               "with --resume runs the rest")

    def interrupted(*args: object, **kwargs: object) -> None:
        raise info.value

    monkeypatch.setattr(cmd_run, "run", interrupted)
    assert main(["run", str(SCENARIOS / "small.yaml"), "-q", "-o", str(tmp_path / "cli")]) == 130
    assert capsys.readouterr().err.endswith(f"fedsim run: {info.value}\n")
