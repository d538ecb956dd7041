"""loadtest/grafana/fedsim-service.json: a Grafana dashboard whose every PromQL expression parses (promql-parser,
the Rust parser's bindings) and names series the service exports (checked against a live `/metrics` scrape of
the test service, on SQLite and PostgreSQL)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import promql_parser
import pytest

from tests.loadtest.helpers import read, request_body
from tests.loadtest.worlds import RALEIGH

DASHBOARD = Path(__file__).resolve().parents[2] / "loadtest" / "grafana" / "fedsim-service.json"
SQLITE_ONLY = {"fedsim_writer_queue_depth"}  # PostgreSQL runs durable writes from the pool: no group-commit queue
# What the dashboard must show (issue 22): throughput, quantiles by route, errors, queues, DB size and rows, process.
REQUIRED = {"fedsim_http_responses_total", "fedsim_http_server_duration_seconds_bucket", "fedsim_writer_queue_depth",
            "fedsim_ingest_queue_depth", "fedsim_db_size_bytes", "fedsim_db_table_rows", "process_cpu_seconds_total",
            "process_resident_memory_bytes"}


def parsed(expr: str) -> promql_parser.Expr:
    """The expression's AST (Grafana's ``$__rate_interval`` read as a plain range); raises on bad PromQL."""
    return promql_parser.parse(expr.replace("$__rate_interval", "1m"))


def nodes(expr: str) -> list[promql_parser.Expr]:
    out: list[promql_parser.Expr] = []
    promql_parser.walk(parsed(expr), out.append)
    return out


def metric_names(expr: str) -> set[str]:
    """Series names the expression selects."""
    return {n.name for n in nodes(expr) if isinstance(n, promql_parser.VectorSelector)}


def calls(expr: str, *functions: str) -> list[promql_parser.Call]:
    return [n for n in nodes(expr) if isinstance(n, promql_parser.Call) and n.func.name in functions]


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


def test_metric_names_come_from_the_parsed_expression():
    expr = 'histogram_quantile(0.95, sum by (le, route) (rate(a_bucket{status=~"5..", route!="x"}[$__rate_interval])))' \
           " / on (route) group_left sum without (op) (b_total) > bool 0"
    assert metric_names(expr) == {"a_bucket", "b_total"}
    with pytest.raises(Exception, match="unclosed left parenthesis"):
        parsed("sum(rate(fedsim_http_responses_total[1m])")  # an unclosed parenthesis is refused


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
    quantiles = {float(str(c.args[0])) for e in expressions() for c in calls(e, "histogram_quantile")
                 if "fedsim_http_server_duration_seconds_bucket" in metric_names(e) and "route" in e}
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
        for call in calls(expr, "rate", "irate", "increase"):  # rate() of a gauge means nothing
            name = call.args[0].vector_selector.name
            assert types.get(family(name, types)) in ("counter", "histogram"), (expr, name)
        for call in calls(expr, "histogram_quantile"):
            for name in metric_names(str(call.args[1])):
                assert name.endswith("_bucket") and types.get(family(name, types)) == "histogram", (expr, name)
    assert not missing, missing


def test_a_misspelt_series_is_caught(service):
    samples, _ = exported(service.client.get("/metrics").text)
    expr = "rate(fedsim_http_response_total[1m]) + fedsim_db_size_bytes"  # "response", not "responses"
    assert metric_names(expr) - samples == {"fedsim_http_response_total"}
