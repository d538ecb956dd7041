"""`/metrics`: Prometheus text with per-route server time and DB time per batch, in microseconds."""

from __future__ import annotations

import re

from loadtest.service.metrics import US_BUCKETS, Registry, merge, render
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
    count = series(text, "fedsim_http_server_duration_us_count")
    assert count[f"fedsim_http_server_duration_us_count{{{route}}}"] == 3
    buckets = [v for k, v in series(text, "fedsim_http_server_duration_us_bucket").items() if route in k]
    assert len(buckets) == len(US_BUCKETS) + 1 and buckets == sorted(buckets) and buckets[-1] == 3
    assert series(text, "fedsim_http_server_duration_us_sum")[f"fedsim_http_server_duration_us_sum{{{route}}}"] > 0
    assert series(text, "fedsim_db_batch_duration_us_count")['fedsim_db_batch_duration_us_count{op="alpr_ingest"}'] == 1
    assert series(text, "fedsim_alpr_reads_ingested_total")["fedsim_alpr_reads_ingested_total"] == 40
    assert 'fedsim_http_responses_total{method="POST",route="/v1/requests",status="201"} 1' in text
    assert re.search(r"^# TYPE fedsim_http_server_duration_us histogram$", text, re.M)


def test_merge_adds_worker_snapshots():
    a, b = Registry(), Registry()
    a.observe("fedsim_http_server_duration_us", 150.0, method="GET", route="/x")
    b.observe("fedsim_http_server_duration_us", 3000.0, method="GET", route="/x")
    b.inc("fedsim_alpr_reads_ingested_total", 5)
    text = render(merge([a.snapshot(), b.snapshot()]))
    assert 'fedsim_http_server_duration_us_count{method="GET",route="/x"} 2' in text
    assert 'fedsim_http_server_duration_us_bucket{method="GET",route="/x",le="200"} 1' in text
    assert 'fedsim_http_server_duration_us_sum{method="GET",route="/x"} 3150' in text
    assert "fedsim_alpr_reads_ingested_total 5" in text
