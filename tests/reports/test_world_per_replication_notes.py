"""What a report and a comparison say about ``run.world_per_replication`` (a run-control field added later)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reports.compare import parameter_differences
from reports.report import provenance
from reports.tables import Results


def results(run: dict[str, Any]) -> Results:
    scenario = {"name": "s", "run": {"days": 7, "seed": 1, **run}, "meta": {"seed": 1}}
    return Results(Path("out/s"), scenario, None, None, None, None)


def test_an_older_folder_without_the_field_compares_as_run_with_it_off() -> None:
    old, off, on = results({}), results({"world_per_replication": False}), results({"world_per_replication": True})
    assert parameter_differences([old, off]) == []
    assert parameter_differences([old, on]) == [["run.world_per_replication", "no", "yes"]]


def test_the_report_says_when_each_replication_drew_its_own_world() -> None:
    assert "a world drawn for each replication" in provenance(results({"world_per_replication": True}))
    assert "world drawn" not in provenance(results({"world_per_replication": False}))
