"""The harness's output folder: an earlier load test's files go before a new run; a run's summary.json stays."""

from __future__ import annotations

import json
from pathlib import Path

from loadtest.harness import clear_earlier


def test_an_earlier_load_tests_files_are_removed_and_a_runs_summary_is_kept(tmp_path: Path) -> None:
    figures = json.dumps({"endpoints": {"Aggregated": {"count": 3}}, "over_time": {"locust": []}})
    old = tmp_path / "old"
    old.mkdir()
    (old / "summary.json").write_text(figures)  # written before the figures were called loadtest.json
    (old / "verdicts.json").write_text("{}")
    clear_earlier(old)
    assert list(old.iterdir()) == []
    new = tmp_path / "new"
    new.mkdir()
    (new / "loadtest.json").write_text(figures)
    run_summary = json.dumps({"scenario": "x", "replications": 1, "failed": 0, "metrics": {}})
    (new / "summary.json").write_text(run_summary)  # a run's results in the same folder: not the load test's
    (new / "notes.txt").write_text("mine")
    clear_earlier(new)
    assert sorted(p.name for p in new.iterdir()) == ["notes.txt", "summary.json"]
    assert (new / "summary.json").read_text() == run_summary
