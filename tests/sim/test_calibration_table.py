"""The calibration table read from saved files: values, gaps, CIs, the reads basis, missing world.json, bad folders."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import pytest
import yaml

from sim.calibration import COLUMNS, CalibrationError, calibration_table, format_text, targets_for, write_calibration
from sim.calibration.target import Saved
from sim.calibration.targets import BASE_TARGETS


def _stats(mean: float, hw: float | None = None) -> dict:
    lo, hi = (None, None) if hw is None else (mean - hw, mean + hw)
    return {"mean": mean, "ci_low": lo, "ci_high": hi, "halfwidth": hw, "median": mean, "p5": mean, "p95": mean,
            "n": 1 if hw is None else 3}


def _folder(tmp_path: Path, basis: str = "raw", world: bool = True) -> Path:
    tmp_path.mkdir(parents=True, exist_ok=True)
    metrics = {
        "alpr.reads_per_camera_day": _stats(8000.0, 100.0),
        "alpr.hotlist_hit_share": _stats(0.0001, 0.00001),
        "alpr.searches_per_agency_30d_median": _stats(150.0, 10.0),
        "requests.per_agency_year": _stats(15.0, 1.0),
        "requests.notified_per_request": _stats(14.5),
        "optin.rate": _stats(0.028, 0.002),
    }
    (tmp_path / "summary.json").write_text(json.dumps({"scenario": "t", "replications": 3, "failed": 0,
                                                       "metrics": metrics}))
    scenario = {"name": "t", "behavior": {"alpr": {"reads_basis": basis, "reads_per_camera_day": 8300.0,
                                                   "unique_vehicles_per_camera_day": 500.0}}}
    (tmp_path / "resolved_scenario.yaml").write_text(yaml.safe_dump(scenario))
    if world:
        degree = {"median": 100.0, "p25": 60.0, "p75": 255.0, "p90": 305.0, "max": 900.0}
        (tmp_path / "world.json").write_text(json.dumps({"sharing": {"out_degree": degree}}))
    return tmp_path


def test_rows_gaps_and_intervals(tmp_path: Path) -> None:
    t = calibration_table(_folder(tmp_path)).set_index("key")
    assert list(t.reset_index().columns) == list(COLUMNS)
    assert list(t.index) == [x.key for x in targets_for("2025")]
    r = t.loc["reads_per_camera_day"]
    assert (r.target, r.model, r.ci_low, r.ci_high, r.gap) == (8300.0, 8000.0, 7900.0, 8100.0, -300.0)
    assert r.gap_rel == pytest.approx(-300 / 8300)
    assert "behavior.alpr.reads_basis=raw" in r.inputs
    assert t.loc["out_degree_median", "gap"] == -28.0 and math.isnan(t.loc["out_degree_median", "ci_low"])
    assert t.loc["out_degree_p75", "gap_rel"] == pytest.approx(51 / 204)
    assert t.loc["response_rate", "gap_rel"] == pytest.approx(-0.2)
    assert math.isnan(t.loc["households_per_request", "ci_low"])  # one replication: no interval
    assert all(isinstance(s, str) and s for s in t["source"])


def test_hits_are_per_vehicle_detected_on_the_raw_basis(tmp_path: Path) -> None:
    raw = calibration_table(_folder(tmp_path)).set_index("key").loc["hotlist_hit_share"]
    assert raw.model == pytest.approx(0.0001 * 8300 / 500)
    assert raw.ci_high == pytest.approx(0.00011 * 8300 / 500)
    unique = calibration_table(_folder(tmp_path, basis="unique")).set_index("key")
    assert unique.loc["hotlist_hit_share", "model"] == pytest.approx(0.0001)
    assert unique.loc["reads_per_camera_day", "target"] == 526.0


def test_without_world_json_degree_rows_say_so(tmp_path: Path) -> None:
    t = calibration_table(_folder(tmp_path, world=False)).set_index("key")
    deg = t.loc[[k for k in t.index if k.startswith("out_degree")]]
    assert deg["model"].isna().all() and deg["gap"].isna().all()
    assert deg["note"].str.contains("world.json").all()
    assert not math.isnan(t.loc["response_rate", "model"])


def test_missing_or_bad_summary_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CalibrationError, match="no summary.json"):
        calibration_table(tmp_path)
    (tmp_path / "summary.json").write_text("{not json")
    with pytest.raises(CalibrationError, match="not valid JSON"):
        calibration_table(tmp_path)
    (tmp_path / "summary.json").write_text(json.dumps({"scenario": "x"}))
    with pytest.raises(CalibrationError, match="'metrics'"):
        calibration_table(tmp_path)


def test_written_files_round_trip(tmp_path: Path) -> None:
    table = calibration_table(_folder(tmp_path / "run"))
    csv_path, md_path = write_calibration(table, tmp_path / "out", title="Calibration: t")
    back = pd.read_csv(csv_path)
    assert list(back.columns) == list(COLUMNS) and len(back) == len(targets_for("2025"))
    assert back["gap"].tolist() == pytest.approx(table["gap"].tolist(), nan_ok=True)
    md = md_path.read_text()
    assert md.startswith("# Calibration: t") and md.count("\n|") == len(targets_for("2025")) + 2
    assert "| share of notified households responding | 3.50% | 2.80% |" in md
    text = format_text(table)
    assert "-20.0%" in text and "plate reads per camera-day" in text


def _real_world(tmp_path: Path, units: bool = True, source: str = "flock-2026") -> Path:
    """A results folder whose world.json is a real-data world's: 200 portals, USPIS under the lists' name."""
    folder = _folder(tmp_path)
    degree = {"median": 100.0, "p25": 60.0, "p75": 255.0, "p90": 305.0, "max": 900.0}
    portals = {"count": 200, "out_degree": {**degree, "median": 120.0}, "partners": {**degree, "median": 110.0}}
    reach = {"[Federal] US Postal Inspection Service": {"granted": 40, "granted_portals": 30, "direct": 40}}
    if units:
        reach["[Federal] US Postal Inspection Service"]["unit"] = "USPIS"
    world = {"sharing": {"out_degree": {**degree, "median": 15.0}, "out_degree_over": "owners with a sharing list",
                         "partners": {**degree, "median": 30.0}, "portals": portals},
             "agencies": {"total": 5000, "federal": 10}, "federal_reach": reach, "source": source}
    (folder / "world.json").write_text(json.dumps(world))
    return folder


def test_a_real_world_is_compared_over_its_portals_with_its_own_data_s_sharing_figures(tmp_path: Path) -> None:
    """A flock-2026 world (drawn to the 2026 lists' counts) is compared with the 2026 portals' connectionCount in
    every period, a private_eyes world (the 2024 portals' graph) with the 2024 out-degree, a synthetic one by the
    run's period; over the world's portals, not every organisation. The federal unit is found by identity and
    its share is over the portals."""
    for period in ("2025", "2026"):
        t = calibration_table(_real_world(tmp_path), period).set_index("key")
        assert "out_degree_median" not in t.index
        assert t.loc["partners_median", "model"] == 110.0 and t.loc["partners_median", "target"] == 104.0
        assert t.loc["partners_p90", "target"] == 1136.0  # docs/sources.md: 2026 portals' connections p90 1,136
        assert t.loc["federal_grant_share_USPIS", "model"] == pytest.approx(30 / 200)
    y26 = calibration_table(_real_world(tmp_path, source="private_eyes"), "2026").set_index("key")
    assert y26.loc["out_degree_median", "model"] == 120.0 and "partners_median" not in y26.index
    synthetic = calibration_table(_folder(tmp_path / "s"), "2026").set_index("key")
    assert "partners_median" in synthetic.index and "out_degree_median" not in synthetic.index


def test_a_row_that_cannot_be_compared_says_why(tmp_path: Path) -> None:
    old = calibration_table(_real_world(tmp_path, units=False)).set_index("key")
    row = old.loc["federal_grant_share_USPIS"]
    assert math.isnan(row.model) and not row.ok and "without their identity" in row.note
    fbi = old.loc["federal_grant_share_FBI"]
    assert "no federal unit FBI" in fbi.note or "without their identity" in fbi.note
    text = format_text(calibration_table(_real_world(tmp_path, units=False)))
    assert "n/a: agencies granting USPIS 1:1: not compared: world.json names federal units" in text
    new = calibration_table(_real_world(tmp_path)).set_index("key")
    assert "the world has no federal unit FBI" in new.loc["federal_grant_share_FBI", "note"]


@pytest.mark.parametrize("own", [True, False])
def test_portal_rows_say_when_the_portals_match_by_construction(tmp_path: Path, own: bool) -> None:
    """flock-2026-real-rules runs its 892 portals at their own April 2026 counts: the searches-per-agency rows then
    compare them with themselves, and their note says so rather than passing as independent evidence."""
    folder = _folder(tmp_path)
    scenario = yaml.safe_load((folder / "resolved_scenario.yaml").read_text())
    scenario["world"] = {"source": "flock-2026", "flock": {"portal_searches": own}}
    (folder / "resolved_scenario.yaml").write_text(yaml.safe_dump(scenario))
    (folder / "world.json").write_text(json.dumps({"source": "flock-2026", "sharing": {"portals": {"count": 892}}}))
    summary = json.loads((folder / "summary.json").read_text())
    summary["metrics"]["alpr.searches_per_agency_30d_mean"] = _stats(220.0, 5.0)
    (folder / "summary.json").write_text(json.dumps(summary))
    t = calibration_table(folder, period="2026").set_index("key")
    for key in ("searches_30d_median", "searches_30d_mean"):
        note = t.loc[key, "note"]
        assert ("not independent evidence: its 892 portals search at their own April 2026 counts" in note) == own
        assert f"world.flock.portal_searches={own}" in t.loc[key, "inputs"]
    assert t.loc["searches_30d_median", "note"].endswith("zero-inflated lognormal fitted to the portal quantiles")


def test_camera_distance_rows_read_world_json_against_the_2026_cameras(tmp_path: Path) -> None:
    """Each type's median km from world.json beside the data's (3.66 / 16.59 km), within +-20%; an older world.json
    says why it cannot be compared; a real-geography world, whose mapped cameras are the figure's, has no row."""
    folder = _folder(tmp_path)
    world = json.loads((folder / "world.json").read_text())
    world["camera_distance_km"] = {"local_police": {"median": 3.7}, "sheriff": {"median": 8.0}}
    (folder / "world.json").write_text(json.dumps(world))
    t = calibration_table(folder).set_index("key")
    local, sheriff = t.loc["camera_distance_local_police"], t.loc["camera_distance_sheriff"]
    assert local.target == pytest.approx(3.66, abs=0.01) and local.model == 3.7 and local.ok
    assert sheriff.target == pytest.approx(16.59, abs=0.01) and not sheriff.ok  # one radius for both: 8 km
    older = calibration_table(_folder(tmp_path / "old")).set_index("key").loc["camera_distance_sheriff"]
    assert math.isnan(older.model) and "older fedsim" in older.note
    real = calibration_table(_real_world(tmp_path / "real")).set_index("key")
    assert "camera_distance_sheriff" not in real.index


def test_the_portal_reads_note_gives_the_runs_conversion_not_the_national_worlds_counts() -> None:
    """The note hard-coded the national world's portals (767, 24,769 of 138,053 cameras, 311, 4,907, 59%) for any
    run with world.flock.portal_reads, whatever its states; now the run's conversion, the counts left to MODEL.md."""
    row = next(t for t in BASE_TARGETS if t.key == "reads_per_camera_day")
    scenario = {"world": {"flock": {"portal_reads": True}},
                "behavior": {"alpr": {"reads_per_camera_day": 6000.0, "unique_vehicles_per_camera_day": 500.0}}}
    assert row.note_for is not None
    note = row.note_for(Saved({}, {"source": "flock-2026"}, scenario))
    assert "6,000 / 500 = 12.0 captures per vehicle" in note and "Read rates from the portals" in note
    assert not any(n in note for n in ("767", "24,769", "138,053", "4,907", "59%"))
    assert row.note_for(Saved({}, {"source": "synthetic"}, scenario)) == row.note
