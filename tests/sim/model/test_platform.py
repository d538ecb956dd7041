"""Service-time samplers and a load test's calibration applied to the queues (the queues themselves:
test_server_pool.py)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from sim.config.base import ServiceTime
from sim.config.errors import ScenarioError
from sim.config.platform import Platform, SearchQueue
from sim.model.platform import ServiceSampler, apply_calibration, calibration_warnings


def test_samplers_have_their_means() -> None:
    rng = np.random.default_rng(1)
    for spec in (
        ServiceTime(dist="exponential", mean_s=2.0),
        ServiceTime(dist="lognormal", mean_s=2.0, cv=0.5),
        ServiceTime(dist="fixed", mean_s=2.0),
        ServiceTime(dist="empirical", samples_s=[1.0, 3.0]),
    ):
        draws = ServiceSampler(spec, rng).draw(40_000)
        assert abs(draws.mean() - 2.0) < 0.05, spec.dist


def test_a_partial_type_cost_in_a_calibration_keeps_the_scenarios_other_types(tmp_path: Path) -> None:
    """calibration.json giving the cost of some search types: the others keep the scenario's (was: every type
    it left out fell to the default cost of 1, convoy 10 -> 1, with no word)."""
    path = tmp_path / "calibration.json"
    path.write_text(json.dumps({"queues": {"search": {"workers": 3, "type_cost": {"convoy": 8.0}}}}))
    scenario = Platform(calibration=str(path), search=SearchQueue(type_cost={"lookup": 1.0, "freeform": 4.0,
                                                                             "convoy": 10.0}))
    search = apply_calibration(scenario).search
    assert search.workers == 3 and search.service_time == scenario.search.service_time
    assert search.type_cost == {"lookup": 1.0, "freeform": 4.0, "convoy": 8.0}
    assert search.cost_of("freeform") == 4.0


def test_an_older_calibrations_per_read_value_is_ignored_with_a_warning_naming_file_and_value(tmp_path: Path) -> None:
    """Files written before the load test stopped writing the probe's per-read value (its median's change per
    million reads ingested, noise) still hold ``per_million_reads_s``: it was applied, while the report called the
    per-read term the scenario's assumption. Now the scenario's stays, and a warning names the file and the value;
    the file's measured settings are still used."""
    path = tmp_path / "calibration.json"
    path.write_text(json.dumps({"queues": {"search": {"workers": 3, "per_million_reads_s": 0.24}}}))
    scenario = Platform(calibration=str(path), search=SearchQueue(per_million_reads_s=0.02))
    search = apply_calibration(scenario).search
    assert search.workers == 3 and search.per_million_reads_s == 0.02
    (warning,) = calibration_warnings(scenario)
    assert str(path) in warning and "queues.search.per_million_reads_s 0.24" in warning and "0.02" in warning
    path.write_text(json.dumps({"queues": {"search": {"workers": 3}}}))  # a file of today's load test: no word
    assert calibration_warnings(scenario) == [] and calibration_warnings(Platform()) == []


@pytest.mark.parametrize(("given", "where"), [({"type_cost": {"teleport": 2.0}}, "queues.search.type_cost"),
                                              ({"type_cost": {"convoy": -1}}, "queues.search.type_cost.convoy"),
                                              ({"type_cost": [1, 2]}, "queues.search.type_cost"),
                                              ("fast", "queues.search")])
def test_a_bad_calibration_queue_is_refused_naming_the_path(tmp_path: Path, given: object, where: str) -> None:
    path = tmp_path / "calibration.json"
    path.write_text(json.dumps({"queues": {"search": given}}))
    with pytest.raises(ScenarioError) as info:
        apply_calibration(Platform(calibration=str(path)))
    assert info.value.problems[0].path == where, info.value.problems
