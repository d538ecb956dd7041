"""The Grafana dashboard's queries answered by a real Prometheus scraping a real service (both on 127.0.0.1):
every panel expression evaluates and returns at least one finite value after a few seconds of traffic.

Needs Debian's `prometheus` (`.ci/run` installs it); skips with the reason when it is not installed.
"""

from __future__ import annotations

import json
import math
import shutil
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from loadtest.procs import free_port, http_get, start, stop, wait_http
from loadtest.server import Service
from tests.conftest import SCENARIOS
from tests.loadtest.helpers import read
from tests.loadtest.test_grafana_dashboard import expressions

PROMETHEUS = shutil.which("prometheus")
TRAFFIC_S, TRAFFIC_MAX = 6.0, 600  # bounded in time and count
EVALUATE_S = 8.0  # after the traffic, within the 15 s rate window
PACE_S = 0.02  # between rounds: TRAFFIC_MAX / 3 rounds span at least 4 s, four scrapes
pytestmark = pytest.mark.skipif(PROMETHEUS is None, reason="prometheus is not installed (Debian: apt-get install "
                                "prometheus; .ci/run installs it)")


def post(url: str, body: dict, token: str) -> int:
    req = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                 headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status
    except urllib.error.HTTPError as exc:
        return exc.code


def traffic(svc: Service) -> int:
    tokens = svc.tokens()
    camera = next(iter(tokens["cameras"].values()))["token"]
    agency = next(a for a in tokens["agencies"].values() if a["type"] == "local")["token"]
    sent, end = 0, time.monotonic() + TRAFFIC_S
    while time.monotonic() < end and sent < TRAFFIC_MAX:
        assert post(f"{svc.url}/v1/alpr/reads", {"reads": [read(f"P{sent % 50}X{i}") for i in range(20)]}, camera) == 202
        search = {"plate": f"P{sent % 50}X0", "reason": "stolen vehicle", "case_number": "24-1", "scope": "statewide"}
        assert post(f"{svc.url}/v1/searches", search, agency) == 200
        assert http_get(f"{svc.url}/v1/requests/99999999", headers={"Authorization": f"Bearer {agency}"})[0] == 404
        sent += 3
        # Paced: rates need the counters to rise across scrapes (1 s apart). Unpaced, a quiet machine sent all
        # TRAFFIC_MAX requests within about one scrape, the writer's batch series appeared already at their final
        # counts, and rate() over them was 0/0 = NaN (the test failed 2 runs in 4 on a quiet box, passed under load).
        time.sleep(PACE_S)
    return sent


def query(port: int, expr: str) -> list[float]:
    q = urllib.parse.urlencode({"query": expr})
    status, body = http_get(f"http://127.0.0.1:{port}/api/v1/query?{q}", timeout_s=10)
    answer = json.loads(body)
    assert status == 200 and answer["status"] == "success", (expr, answer)
    return [float(r["value"][1]) for r in answer["data"]["result"]]


def scraping(port: int, timeout_s: float = 30.0) -> bool:
    """Prometheus has scraped the service at least twice (rates need two samples)."""
    end = time.monotonic() + timeout_s
    while time.monotonic() < end:
        if query(port, 'count_over_time(up{job="fedsim"}[1m])') >= [2.0]:
            return True
        time.sleep(0.5)
    return False


def test_every_panel_query_answers_from_a_live_prometheus(tmp_path: Path):
    with Service(tmp_path, None, 1, str(SCENARIOS / "small.yaml"), rate_scale=0.0) as svc:
        svc.start()
        port = free_port()
        config = tmp_path / "prometheus.yml"
        config.write_text(f"global: {{scrape_interval: 1s}}\nscrape_configs:\n  - job_name: fedsim\n"
                          f"    static_configs: [{{targets: ['127.0.0.1:{svc.port}']}}]\n")
        prom = start([PROMETHEUS, f"--config.file={config}", f"--web.listen-address=127.0.0.1:{port}",
                      f"--storage.tsdb.path={tmp_path / 'tsdb'}"], tmp_path / "prometheus.log")
        try:
            assert wait_http(f"http://127.0.0.1:{port}/-/ready", 60, prom), (tmp_path / "prometheus.log").read_text()[-2000:]
            assert scraping(port), "Prometheus did not scrape the service within 30 s"  # target discovery takes seconds
            assert traffic(svc) > 0
            # Rates need two scrapes inside the window after the traffic. On a loaded machine a 1 s scrape can time
            # out, so the answers are polled (bounded: EVALUATE_S) instead of read once after a fixed sleep; the
            # window stays 15 s, so every expression must still answer from this test's own traffic.
            end = time.monotonic() + EVALUATE_S
            while True:
                time.sleep(1.0)
                empty = {}
                for expr in expressions():
                    values = query(port, expr.replace("$__rate_interval", "15s"))
                    if not any(math.isfinite(v) for v in values):
                        empty[expr] = values
                if not empty or time.monotonic() > end:
                    break
            assert not empty, empty
        finally:
            stop(prom)
