"""loadtest.json from Locust's CSV files: endpoints keyed `METHOD /route`, history, errors by status, CPU."""

from __future__ import annotations

from pathlib import Path

import pytest

from loadtest.summary import build, endpoint_stats, errors_by_status, history, resource_series

PCT_HEAD = "50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%"
STATS = (
    "Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,Min Response Time,"
    f"Max Response Time,Average Content Size,Requests/s,Failures/s,{PCT_HEAD}\n"
    "POST,/v1/alpr/reads,100,2,9,12.5,3,80.2,17,10.0,0.2,9,10,11,12,20,30,50,70,80,80,80\n"
    ",Aggregated,150,2,8,11.0,2,80.2,40,15.0,0.2,8,9,10,11,18,28,45,65,80,80,80\n"
)
HISTORY = (
    f"Timestamp,User Count,Type,Name,Requests/s,Failures/s,{PCT_HEAD},Total Request Count,Total Failure Count\n"
    "1000,4,POST,/v1/alpr/reads,9.0,0,9,10,11,12,20,30,50,70,80,80,80,9,0\n"
    "1000,4,,Aggregated,14.0,0,8,9,10,11,18,28,45,65,80,80,80,14,0\n"
    "1001,4,,Aggregated,16.0,0.5,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,30,1\n"
)
FAILURES = (
    "Method,Name,Error,Occurrences,First Seen,Last Seen\n"
    "POST,/v1/alpr/reads,CatchResponseError('HTTP 429'),1,x,y\n"
    "POST,/v1/alpr/reads,connection: ConnectionRefusedError(111),1,x,y\n"
)


@pytest.fixture
def prefix(tmp_path: Path) -> Path:
    for suffix, text in (("stats", STATS), ("stats_history", HISTORY), ("failures", FAILURES)):
        (tmp_path / f"locust_{suffix}.csv").write_text(text)
    return tmp_path / "locust"


def test_endpoints_are_keyed_by_method_and_route(prefix: Path) -> None:
    stats = endpoint_stats(prefix)
    reads = stats["POST /v1/alpr/reads"]
    assert (reads["count"], reads["failures"], reads["p95"], reads["max"]) == (100, 2, 30.0, 80.2)
    assert reads["fail_ratio"] == pytest.approx(0.02)
    assert "Aggregated" in stats
    assert list(history(prefix)) == ["POST /v1/alpr/reads", "Aggregated"]
    assert history(prefix)["Aggregated"][1]["p95"] is None  # Locust's N/A


def test_errors_by_status(prefix: Path) -> None:
    errors = errors_by_status(prefix)
    assert errors["by_status"] == {"429": 1, "connection": 1}
    assert errors["by_endpoint"]["POST /v1/alpr/reads"] == {"429": 1, "connection": 1}


def test_cpu_shares_and_memory_series(prefix: Path) -> None:
    samples = [
        {"t": 0.0, "server_cpu_s": 1.0, "server_rss_bytes": 2**20 * 100},
        {"t": 2.0, "server_cpu_s": 3.0, "server_rss_bytes": 2**20 * 110},
    ]
    rows = resource_series(samples, cores=2)
    assert rows == [{"t": 2.0, "server_cpu_share": 0.5, "server_rss_mib": 110.0}]
    s = build(prefix, samples, 2, 2.0, {"client_cpu_test_s": 0.3, "client_cpu_total_s": 1.0})
    assert s["cpu"]["server_cpu_share"] == pytest.approx(0.5)
    assert s["cpu"]["client_cpu_ms_per_request"] == pytest.approx(2.0)  # 0.3 s over 150 requests
    assert [r["rps"] for r in s["over_time"]["locust"]] == [14.0, 16.0]
