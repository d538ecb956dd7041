"""`/metrics`: Prometheus text with per-route server time and DB time per batch, in seconds (Prometheus' unit),
and process, queue and database gauges."""

from __future__ import annotations

import re

from loadtest.service.metrics import SECONDS_BUCKETS, Registry, merge, render
from tests.loadtest.helpers import read, request_body
from tests.loadtest.worlds import RALEIGH


def series(text: str, name: str) -> dict[str, float]:
    out = {}
    for line in text.splitlines():
        if line.startswith(name):
            key, value = line.rsplit(" ", 1)
            out[key] = float(value)
    return out


def test_route_and_db_histograms(service):
    c = service.client
    rid = c.post("/v1/requests", json=request_body(), headers=service.h("agencies", RALEIGH)).json()["id"]
    for _ in range(3):
        assert c.get(f"/v1/requests/{rid}", headers=service.h("agencies", RALEIGH)).status_code == 200
    c.post("/v1/alpr/reads", json={"reads": [read(f"M{i}") for i in range(40)]}, headers=service.h("cameras", 0))
    text = c.get("/metrics").text
    route = 'method="GET",route="/v1/requests/{request_id}"'
    count = series(text, "fedsim_http_server_duration_seconds_count")
    assert count[f"fedsim_http_server_duration_seconds_count{{{route}}}"] == 3
    buckets = [v for k, v in series(text, "fedsim_http_server_duration_seconds_bucket").items() if route in k]
    assert len(buckets) == len(SECONDS_BUCKETS) + 1 and buckets == sorted(buckets) and buckets[-1] == 3
    total = series(text, "fedsim_http_server_duration_seconds_sum")[f"fedsim_http_server_duration_seconds_sum{{{route}}}"]
    assert 0 < total < 3.0  # seconds: three quick requests (in microseconds this would be thousands)
    assert series(text, "fedsim_db_batch_duration_seconds_count")['fedsim_db_batch_duration_seconds_count{op="alpr_ingest"}'] == 1
    assert series(text, "fedsim_alpr_reads_ingested_total")["fedsim_alpr_reads_ingested_total"] == 40
    assert 'fedsim_http_responses_total{method="POST",route="/v1/requests",status="201"} 1' in text
    assert re.search(r"^# TYPE fedsim_http_server_duration_seconds histogram$", text, re.M)


def test_merge_adds_worker_snapshots():
    a, b = Registry(), Registry()
    a.observe("fedsim_http_server_duration_seconds", 0.00015, method="GET", route="/x")
    b.observe("fedsim_http_server_duration_seconds", 0.003, method="GET", route="/x")
    b.inc("fedsim_alpr_reads_ingested_total", 5)
    text = render(merge([a.snapshot(), b.snapshot()]))
    assert 'fedsim_http_server_duration_seconds_count{method="GET",route="/x"} 2' in text
    assert 'fedsim_http_server_duration_seconds_bucket{method="GET",route="/x",le="0.0002"} 1' in text
    assert 'fedsim_http_server_duration_seconds_sum{method="GET",route="/x"} 0.00315' in text
    assert "fedsim_alpr_reads_ingested_total 5" in text


def test_process_queue_and_database_gauges(service):
    text = service.client.get("/metrics").text
    for name in ("process_cpu_seconds_total", "process_resident_memory_bytes", "fedsim_db_size_bytes"):
        assert re.search(rf"^# TYPE {name} (gauge|counter)$", text, re.M), name
        assert series(text, name)[name] > 0, name
    depths = {k: v for k, v in series(text, "fedsim_").items() if k.endswith("_queue_depth")}
    assert depths and all(v >= 0 for v in depths.values())


def test_searches_are_timed_by_kind(service):
    """Plate and description searches are timed apart (the load test fits the model's base, a plate lookup's, to
    the plate searches alone), in the server's time and, on SQLite, the group writer's."""
    c, h = service.client, service.h("agencies", RALEIGH)
    for body in ({"plate": "ABC123"}, {"plate": "XYZ9"}, {"vehicle": {"color": "red"}}):
        body |= {"reason": "stolen vehicle", "case_number": "24-0001"}
        assert c.post("/v1/searches", json=body, headers=h).status_code == 200
    text = c.get("/metrics").text
    count = series(text, "fedsim_search_server_seconds_count")
    assert count['fedsim_search_server_seconds_count{kind="plate"}'] == 2
    assert count['fedsim_search_server_seconds_count{kind="vehicle"}'] == 1
    writer = series(text, "fedsim_writer_service_seconds_count")
    if writer:  # the group writer (SQLite)
        assert writer['fedsim_writer_service_seconds_count{op="search_plate"}'] == 2
        assert writer['fedsim_writer_service_seconds_count{op="search_vehicle"}'] == 1
