"""Executors behind one interface; local and Dask give the same bytes on a small sweep."""

from __future__ import annotations

import concurrent.futures as cf
import json
import os
from pathlib import Path

import pytest

from sim import sweep
from sim.runner.errors import RunnerError
from sim.runner.executors import InProcessExecutor, make_executor
from tests.sim.runner.conftest import differing_files, write_scenario
from tests.sim.runner.test_api import SWEEP, TOY, result_files


def _double(x: int) -> int:
    if x < 0:
        raise ValueError("negative")
    return 2 * x


def test_in_process_executor_is_a_concurrent_futures_executor() -> None:
    ex = InProcessExecutor()
    ok, bad = ex.submit(_double, 4), ex.submit(_double, -1)
    done, _ = cf.wait([ok, bad], timeout=1)
    assert len(done) == 2 and ok.result() == 8
    with pytest.raises(ValueError):
        bad.result()


def _blas_threads() -> list[int]:
    import numpy  # noqa: F401  (loads OpenBLAS in the worker if the forkserver has not)
    from threadpoolctl import threadpool_info

    return [info["num_threads"] for info in threadpool_info() if info["user_api"] == "blas"]


def test_pool_workers_run_blas_on_one_thread() -> None:
    ex = make_executor("process", 2)
    try:
        threads = ex.submit(_blas_threads).result(timeout=60)
        assert threads and set(threads) == {1}
    finally:
        ex.shutdown()


def test_process_pool_runs_tasks_in_other_processes() -> None:
    ex = make_executor("process", 1)
    try:
        assert ex.submit(os.getpid).result(timeout=60) != os.getpid()
        assert ex.submit(_double, 21).result(timeout=60) == 42
    finally:
        ex.shutdown()


def test_make_executor_rejects_bad_settings() -> None:
    for args in (("threads", 2), ("process", 0), ("process", 2, "tcp://127.0.0.1:8786")):
        with pytest.raises(RunnerError):
            make_executor(*args)


def test_dask_local_cluster_gives_the_same_bytes_as_local_processes(tmp_path: Path) -> None:
    pytest.importorskip("distributed", reason="Dask distributed is an optional extra (fedsim[dask])")
    spec = write_scenario(tmp_path, SWEEP + "    - {platform.packaging.workers: 2}\n    - {platform.packaging.workers: 6}\n")
    local = sweep(spec, output_dir=tmp_path / "local", executor="process", workers=2, **TOY)
    dask = sweep(spec, output_dir=tmp_path / "dask", executor="dask", workers=2, **TOY)
    assert dask.manifest["executor"]["kind"] == "dask" and dask.manifest["executor"]["workers"] == 2
    names = result_files(local.output_dir)
    assert len(names) > 10
    assert differing_files(local.output_dir, dask.output_dir, names) == []
    # Dask ran every run itself (pure=False: no two runs merged), in its own worker processes
    pids = {json.loads(p.read_text())["pid"] for p in (dask.output_dir / "parts").rglob("r*.json")}
    runs = list((dask.output_dir / "parts").rglob("r*.json"))
    assert len(runs) == 4 and all(json.loads(p.read_text())["ok"] for p in runs)
    assert os.getpid() not in pids


def test_dask_scheduler_address_connects_to_a_running_cluster(tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed", reason="Dask distributed is an optional extra (fedsim[dask])")
    spec = write_scenario(tmp_path, SWEEP + "    - {platform.packaging.workers: 3}\n")
    local = sweep(spec, output_dir=tmp_path / "local", executor="inprocess", **TOY)
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as cluster:
        remote = sweep(spec, output_dir=tmp_path / "remote", executor="dask", scheduler=cluster.scheduler_address, **TOY)
        assert remote.manifest["executor"]["scheduler"] == cluster.scheduler_address
        assert len(cluster.scheduler_info["workers"]) == 1  # our client closed; the cluster is still up
    names = result_files(local.output_dir)
    assert differing_files(local.output_dir, remote.output_dir, names) == []
