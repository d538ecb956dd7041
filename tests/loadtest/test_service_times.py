"""/metrics parsing and calibration: quantiles from the service's own histograms, fitted service times,
and a calibration file that the model's `apply_calibration` accepts."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from loadtest.prom import parse, route_table
from loadtest.service.metrics import Registry, render
from loadtest.service_times import (
    BASIS_ROUTE,
    BASIS_WRITER,
    calibration,
    fit_service_time,
    packaging_fit,
    search_slope,
    utilization,
)
from sim.config import load_scenario
from sim.model.platform import apply_calibration
from tests.conftest import SCENARIOS


def scrape_of(samples_s: dict[tuple[str, str], np.ndarray], reads: float = 0.0):  # type: ignore[no-untyped-def]
    reg = Registry()
    for (method, route), values in samples_s.items():
        for v in values:
            reg.observe("fedsim_http_server_duration_seconds", float(v), method=method, route=route)
            if route == "/v1/searches":  # plate searches, as the service also reports them by kind
                reg.observe("fedsim_search_server_seconds", float(v), kind="plate")
    if reads:
        reg.inc("fedsim_alpr_reads_ingested_total", reads)
    return parse(render(reg))


def test_parse_keeps_counts_sums_and_quantiles() -> None:
    rng = np.random.default_rng(1)
    x = rng.exponential(0.004, 5000)
    h = next(iter(scrape_of({("POST", "/v1/searches"): x}).family("fedsim_http_server_duration_seconds").values()))
    assert h.count == 5000 and h.sum == pytest.approx(x.sum())
    for q in (0.5, 0.9, 0.99):
        assert h.quantile(q) == pytest.approx(np.quantile(x, q), rel=0.2)  # bucket resolution: 1-2-5 series


def test_difference_of_scrapes_covers_the_window() -> None:
    rng = np.random.default_rng(2)
    before = scrape_of({("GET", "/v1/feed"): rng.exponential(0.001, 100)})
    reg_values = np.concatenate([rng.exponential(0.001, 100), rng.exponential(0.001, 300)])
    after = scrape_of({("GET", "/v1/feed"): reg_values})
    table = route_table(after.minus(before))
    assert table["GET /v1/feed"]["count"] == 300


@pytest.mark.parametrize(
    ("draw", "dist"),
    [
        (lambda r: r.exponential(0.02, 5000), "exponential"),
        (lambda r: r.lognormal(np.log(0.01), 0.3, 5000), "lognormal"),
        (lambda r: np.concatenate([np.full(2500, 0.0012), np.full(2500, 0.9)]), "empirical"),
    ],
)
def test_fit_picks_the_shape_of_the_timings(draw, dist: str) -> None:  # type: ignore[no-untyped-def]
    x = draw(np.random.default_rng(3))
    h = next(iter(scrape_of({("POST", "/v1/searches"): x}).histograms.values()))
    fit = fit_service_time(h)
    assert fit["dist"] == dist
    assert fit["mean_s"] == pytest.approx(x.mean(), rel=1e-6)
    assert len(fit["samples_s"]) == 200 and min(fit["samples_s"]) > 0


def test_search_slope_needs_enough_reads() -> None:
    assert search_slope(2.0, 4.0, 500)[0] is None
    slope, how = search_slope(2.0, 4.0, 1_000_000)
    assert slope == pytest.approx(0.002) and "not written into the model" in how


def test_the_probe_change_is_reported_not_written_into_the_model() -> None:
    """A run's two probe medians (4.2 -> 19.6 ms over 64,700 reads: 0.24 s per million reads) became the model's
    per_million_reads_s, charged per million reads *scanned* (15 s a search in the small world). A plate probe
    says nothing of a per-read cost (at a fixed 300,000-read table its medians read 12.0-19.2 ms): the file leaves
    the term out, so the scenario's stays, and reports the change."""
    rng = np.random.default_rng(6)
    scrape = scrape_of({("POST", "/v1/searches"): rng.lognormal(np.log(0.01), 0.5, 400)}, reads=64_700)
    probe = {"before_ms": 4.2, "after_ms": 19.6, "reads_between": 64_700}
    doc = calibration(scrape, duration_s=30.0, server_workers=1, search_workers=1, packaging_workers=1, writers=1,
                      probe=probe, offered_per_s={})
    assert "per_million_reads_s" not in doc["queues"]["search"]
    assert doc["measured"]["search"]["reads_in_table"] is None  # not given: not known
    sized = calibration(scrape, duration_s=30.0, server_workers=1, search_workers=1, packaging_workers=1, writers=1,
                        probe=probe, offered_per_s={}, reads_in_table=(300_000.0, 364_700.0))
    assert sized["measured"]["search"]["reads_in_table"] == {"start": 300_000.0, "end": 364_700.0}
    assert "grows with the table" in sized["measured"]["search"]["vehicle_over_plate_note"]
    measured = doc["measured"]["search"]
    assert measured["probe"]["change_s_per_million_reads"] == pytest.approx(0.238, abs=0.001)
    assert "not written into the model" in measured["per_million_reads"]


def test_calibration_file_feeds_the_model(tmp_path: Path) -> None:
    rng = np.random.default_rng(4)
    scrape = scrape_of(
        {
            ("POST", "/v1/searches"): rng.lognormal(np.log(0.003), 0.5, 400),
            ("POST", "/v1/alpr/reads"): rng.exponential(0.002, 1000),
        },
        reads=100_000,
    )
    doc = calibration(
        scrape,
        duration_s=20.0,
        server_workers=2,
        search_workers=16,
        packaging_workers=2,
        writers=1,
        probe={"before_ms": 3.0, "after_ms": 3.5, "reads_between": 100_000},
        offered_per_s={},
    )
    assert set(doc["queues"]) == {"search", "ingest"}  # no packages were built: the scenario's queue stays
    mean_batch_s = doc["measured"]["ingest"]["busy_s"] / 1000
    assert doc["queues"]["ingest"]["capacity_reads_per_s"] == pytest.approx(100 / mean_batch_s)  # 100 reads a batch
    util = utilization(doc, 0.4)
    assert util["search"]["predicted"] == pytest.approx(util["search"]["measured_busy"])  # observed rate offered
    path = tmp_path / "calibration.json"
    path.write_text(json.dumps(doc))
    scenario_file = tmp_path / "calibrated.yaml"
    base = SCENARIOS / "small.yaml"
    scenario_file.write_text(f"name: calibrated\nextends: {base}\nplatform:\n  calibration: calibration.json\n")
    scenario = load_scenario(scenario_file)
    platform = apply_calibration(scenario.platform)
    assert platform.search.workers == 16
    assert platform.search.service_time.mean_s == pytest.approx(doc["queues"]["search"]["service_time"]["mean_s"])
    assert platform.search.per_million_reads_s == scenario.platform.search.per_million_reads_s  # not the probe's
    assert platform.packaging == scenario.platform.packaging


def test_packaging_leaves_idle_passes_out() -> None:
    reg = Registry()
    for _ in range(50):  # idle passes: nothing to pack
        reg.observe("fedsim_db_batch_duration_seconds", 0.00015, op="job_packaging")
    busy = np.random.default_rng(5).lognormal(np.log(0.04), 0.4, 10)
    for v in busy:
        reg.observe("fedsim_db_batch_duration_seconds", float(v), op="job_packaging")
    reg.inc("fedsim_packages_built_total", 10)
    fit = packaging_fit(parse(render(reg)))
    assert fit is not None and fit["packages"] == 10
    assert fit["mean_s"] == pytest.approx(busy.mean(), rel=0.02)  # idle passes' time estimated, not counted
    assert packaging_fit(scrape_of({("GET", "/v1/feed"): np.ones(3)})) is None


def test_ingest_capacity_is_never_below_what_was_achieved() -> None:
    # 1,000 batches of 100 reads that each spent 0.2 s in the server (overlapping, waiting on the writer)
    scrape = scrape_of({("POST", "/v1/alpr/reads"): np.full(1000, 0.2)}, reads=100_000)
    doc = calibration(
        scrape, duration_s=20.0, server_workers=1, search_workers=8, packaging_workers=1, writers=1, probe={}, offered_per_s={}
    )
    assert doc["measured"]["ingest"]["capacity_by_service_time"] == pytest.approx(100 / 0.2, rel=0.01)
    assert doc["queues"]["ingest"]["capacity_reads_per_s"] == pytest.approx(5000.0)
    assert doc["measured"]["ingest"]["capacity_basis"] == "achieved throughput"
    assert utilization(doc, None)["ingest"]["measured_busy"] == pytest.approx(10.0, rel=0.01)  # overlap shows


def test_the_writers_own_time_is_the_service_time_when_the_service_reports_it() -> None:
    """On SQLite searches and batches wait for the one group writer; the server times include that wait (here
    0.2 s a request) and the writer's own times (3 ms a search, 5 ms a batch of 100) do not: the calibration
    takes the latter, and says so."""
    rng = np.random.default_rng(6)
    reg = Registry()
    for route, own in ((("POST", "/v1/searches"), 0.003), (("POST", "/v1/alpr/reads"), 0.005)):
        op = "search_plate" if route[1] == "/v1/searches" else "alpr_ingest"
        for v in rng.lognormal(np.log(own), 0.3, 500):
            reg.observe("fedsim_http_server_duration_seconds", 0.2, method=route[0], route=route[1])
            reg.observe("fedsim_writer_service_seconds", float(v), op=op)
    reg.inc("fedsim_alpr_reads_ingested_total", 50_000)
    doc = calibration(
        parse(render(reg)), duration_s=20.0, server_workers=1, search_workers=1, packaging_workers=1, writers=1,
        probe={}, offered_per_s={},
    )  # fmt: skip
    assert doc["queues"]["search"]["service_time"]["mean_s"] == pytest.approx(0.003, rel=0.1)
    assert doc["measured"]["search"]["service_time_basis"] == "plate searches only: " + BASIS_WRITER
    assert doc["measured"]["ingest"]["capacity_by_service_time"] == pytest.approx(100 / 0.005, rel=0.1)
    assert utilization(doc, None)["ingest"]["measured_busy"] < 1.0  # a busy share, not overlapping waits
    # without the writer's series (PostgreSQL searches, an older service) the server time is used, as before
    doc = calibration(
        scrape_of({("POST", "/v1/searches"): np.full(100, 0.2)}), duration_s=20.0, server_workers=1,
        search_workers=8, packaging_workers=1, writers=1, probe={}, offered_per_s={},
    )  # fmt: skip
    assert doc["queues"]["search"]["service_time"]["mean_s"] == pytest.approx(0.2, rel=0.05)
    assert doc["measured"]["search"]["service_time_basis"] == "plate searches only: " + BASIS_ROUTE


@pytest.mark.parametrize("writer", [True, False], ids=["sqlite-writer", "server-time"])
def test_the_base_search_time_is_a_plate_lookups(writer: bool) -> None:
    """The model multiplies the base time by ``type_cost`` per search type, so the base is the plate searches'
    alone: 750 plate searches of 3 ms and 250 description searches of 30 ms give a base of 3 ms (the mixed mean,
    9.75 ms, would count the description searches' extra cost twice), the description searches' cost in plate
    lookups (10) beside it, and the queue's load (all 1,000 searches) for the utilization."""
    rng = np.random.default_rng(7)
    reg = Registry()
    for kind, own, n in (("plate", 0.003, 750), ("vehicle", 0.03, 250)):
        for v in rng.lognormal(np.log(own), 0.2, n):
            reg.observe("fedsim_http_server_duration_seconds", float(v), method="POST", route="/v1/searches")
            reg.observe("fedsim_search_server_seconds", float(v), kind=kind)
            if writer:
                reg.observe("fedsim_writer_service_seconds", float(v), op=f"search_{kind}")
    doc = calibration(
        parse(render(reg)), duration_s=10.0, server_workers=1, search_workers=1, packaging_workers=1, writers=1,
        probe={}, offered_per_s={},
    )  # fmt: skip
    m = doc["measured"]["search"]
    assert doc["queues"]["search"]["service_time"]["mean_s"] == pytest.approx(0.003, rel=0.05)
    assert m["by_kind"]["plate"]["jobs"] == 750 and m["by_kind"]["vehicle"]["jobs"] == 250
    assert m["vehicle_over_plate"] == pytest.approx(10.0, rel=0.1)
    assert m["jobs"] == 1000 and m["mean_s_all_kinds"] == pytest.approx(0.00975, rel=0.05)
    util = utilization(doc, None)["search"]
    assert util["predicted"] == pytest.approx(util["measured_busy"])  # the whole load, at its measured mix
