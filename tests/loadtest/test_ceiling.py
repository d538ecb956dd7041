"""Reading wrk's report: requests per second, the median latency and the request count."""

from __future__ import annotations

from loadtest.ceiling import parse_wrk

WRK_OUTPUT = """Running 5s test @ http://127.0.0.1:8000/healthz
  1 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     2.01ms  310.22us   9.87ms   91.20%
    Req/Sec     7.98k   412.33     8.41k    88.00%
  Latency Distribution
     50%    1.95ms
     75%    2.05ms
     90%    2.22ms
     99%    3.40ms
  39712 requests in 5.00s, 5.76MB read
Requests/sec:   7940.35
Transfer/sec:      1.15MB
"""


def test_parse_wrk_reads_rate_median_and_count() -> None:
    got = parse_wrk(WRK_OUTPUT)
    assert got == {"rps": 7940.35, "p50_ms": 1.95, "requests": 39712}


def test_parse_wrk_without_a_report_gives_nones() -> None:
    assert parse_wrk("unable to connect to 127.0.0.1:8000 Connection refused") == {"rps": None, "p50_ms": None,
                                                                                     "requests": None}
