"""loadtest/grafana/fedsim-service.json: a Grafana dashboard whose every PromQL expression names series the
service exports (checked against a live `/metrics` scrape of the test service, on SQLite and PostgreSQL)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.loadtest.helpers import read, request_body
from tests.loadtest.worlds import RALEIGH

DASHBOARD = Path(__file__).resolve().parents[2] / "loadtest" / "grafana" / "fedsim-service.json"
KEYWORDS = {"by", "without", "on", "ignoring", "group_left", "group_right", "bool", "and", "or", "unless", "offset"}
SQLITE_ONLY = {"fedsim_writer_queue_depth"}  # PostgreSQL runs durable writes from the pool: no group-commit queue
# What the dashboard must show (issue 22): throughput, quantiles by route, errors, queues, DB size and rows, process.
REQUIRED = {"fedsim_http_responses_total", "fedsim_http_server_duration_seconds_bucket", "fedsim_writer_queue_depth",
            "fedsim_ingest_queue_depth", "fedsim_db_size_bytes", "fedsim_db_table_rows", "process_cpu_seconds_total",
            "process_resident_memory_bytes"}


def metric_names(expr: str) -> set[str]:
    """Series names a PromQL expression reads: identifiers that are not functions, keywords, label names in
    ``by (...)``/matchers, or range durations."""
    e = re.sub(r'"(?:[^"\\]|\\.)*"', '""', expr)
    e = re.sub(r"\{[^}]*\}", "", e)
    e = re.sub(r"\[[^\]]*\]", "", e)
    e = re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", "", e)
    return {n for n in re.findall(r"\b[A-Za-z_:][A-Za-z0-9_:]*\b(?!\s*\()", e) if n not in KEYWORDS}


def expressions() -> list[str]:
    dash = json.loads(DASHBOARD.read_text())
    return [t["expr"] for p in dash["panels"] for t in p.get("targets", [])]


def exported(text: str) -> tuple[set[str], dict[str, str]]:
    """Sample names in a scrape, and each family's TYPE."""
    samples = {m[1] for m in re.finditer(r"^([A-Za-z_:][A-Za-z0-9_:]*)[{ ]", text, re.M)}
    types = {m[1]: m[2] for m in re.finditer(r"^# TYPE (\S+) (\S+)$", text, re.M)}
    return samples, types


def family(name: str, types: dict[str, str]) -> str:
    for suffix in ("_bucket", "_sum", "_count"):
        if name.endswith(suffix) and types.get(name[: -len(suffix)]) == "histogram":
            return name[: -len(suffix)]
    return name


def test_metric_names_reads_past_functions_labels_and_ranges():
    expr = 'histogram_quantile(0.95, sum by (le, route) (rate(a_bucket{status=~"5..", route!="x"}[$__rate_interval])))' \
           " / on (route) group_left sum without (op) (b_total) > bool 0"
    assert metric_names(expr) == {"a_bucket", "b_total"}


def test_dashboard_is_importable_and_shows_what_the_issue_asks():
    dash = json.loads(DASHBOARD.read_text())
    assert dash["__inputs"][0]["pluginId"] == "prometheus" and dash["uid"] and dash["title"]
    ids = [p["id"] for p in dash["panels"]]
    assert len(ids) == len(set(ids))
    for p in dash["panels"]:
        assert p["datasource"]["uid"] == "${DS_PROMETHEUS}" and p["targets"], p["title"]
        assert set(p["gridPos"]) == {"h", "w", "x", "y"} and p["gridPos"]["x"] + p["gridPos"]["w"] <= 24, p["title"]
        assert len({t["refId"] for t in p["targets"]}) == len(p["targets"]), p["title"]
    used = set().union(*(metric_names(e) for e in expressions()))
    assert REQUIRED <= used, REQUIRED - used
    quantiles = {float(q) for e in expressions() for q in re.findall(r"histogram_quantile\(([\d.]+),", e)
                 if "fedsim_http_server_duration_seconds_bucket" in e and "route" in e}
    assert {0.5, 0.95, 0.99} <= quantiles


def test_every_expression_names_series_the_service_exports(service):
    c = service.client
    h = service.h("agencies", RALEIGH)
    rid = c.post("/v1/requests", json=request_body(), headers=h).json()["id"]
    assert c.get(f"/v1/requests/{rid}", headers=h).status_code == 200
    assert c.get("/v1/requests/999999", headers=h).status_code == 404  # an error for the error panels
    assert c.post("/v1/alpr/reads", json={"reads": [read(f"G{i}") for i in range(10)]},
                  headers=service.h("cameras", 0)).status_code == 202
    samples, types = exported(c.get("/metrics").text)
    missing = {}
    for expr in expressions():
        absent = metric_names(expr) - samples
        if service.url.startswith("postgresql"):
            absent -= SQLITE_ONLY
        if absent:
            missing[expr] = sorted(absent)
        for name in re.findall(r"\b(?:rate|irate|increase)\(\s*([A-Za-z_:][A-Za-z0-9_:]*)", expr):
            assert types.get(family(name, types)) in ("counter", "histogram"), (expr, name)  # rate() of a gauge is wrong
        for name in re.findall(r"histogram_quantile\([^,]+,.*?\(\s*([A-Za-z_:][A-Za-z0-9_:]*)\[", expr):
            assert name.endswith("_bucket") and types.get(family(name, types)) == "histogram", (expr, name)
    assert not missing, missing


def test_a_misspelt_series_is_caught(service):
    samples, _ = exported(service.client.get("/metrics").text)
    expr = "rate(fedsim_http_response_total[1m]) + fedsim_db_size_bytes"  # "response", not "responses"
    assert metric_names(expr) - samples == {"fedsim_http_response_total"}
