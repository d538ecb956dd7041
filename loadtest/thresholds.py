"""Pass/fail thresholds declared k6-style in YAML and evaluated per endpoint on Locust's statistics.

    thresholds:
      "POST /v1/alpr/reads": ["p95 < 50 ms", "p99 < 200", "fail_ratio < 0.01"]
      "POST /v1/searches": ["p95 < 300 ms", "min_rps 0.5"]
      Aggregated: ["fail_ratio < 0.01"]

An endpoint is ``METHOD /path``: Locust's request type and name (route templates such as
``GET /v1/requests/{id}/packages``), or ``Aggregated`` for all requests together. A condition is
``METRIC OP NUMBER [ms|s]`` with OP one of ``< <= > >=``. Latency metrics (milliseconds; ``s`` converts):
``p50 p66 p75 p80 p90 p95 p98 p99 p99.9 p99.99 median avg min max``. Others: ``fail_ratio`` (failed /
all requests, 0..1) and ``rps`` (requests per second over the run); ``min_rps N`` is short for
``rps >= N``. An endpoint named in the file that got no requests in the run fails its conditions: a
threshold that was never exercised is not a pass.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from loadtest.yamlfile import read_yaml
from sim.config.errors import Problem, ScenarioError

LATENCY = ("p50", "p66", "p75", "p80", "p90", "p95", "p98", "p99", "p99.9", "p99.99", "median", "avg", "min", "max")
OTHER = ("fail_ratio", "rps", "min_rps")
OPS: dict[str, Callable[[float, float], bool]] = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}
ENDPOINT_RE = re.compile(r"^(GET|POST|PUT|DELETE|PATCH|HEAD) /\S*$")
COND_RE = re.compile(
    r"^\s*(?P<metric>[a-z][a-z0-9_.]*)\s*(?P<op><=|>=|<|>)?\s*(?P<value>[-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)"
    r"\s*(?P<unit>ms|s)?\s*$"
)


@dataclass(frozen=True)
class Condition:
    endpoint: str
    text: str
    metric: str  # a key of the endpoint's statistics (p95, avg, fail_ratio, rps, ...)
    op: str
    limit: float  # milliseconds for latency metrics

    def check(self, stats: dict[str, Any] | None) -> dict[str, Any]:
        base = asdict(self)
        if not stats or not stats.get("count"):
            return base | {"actual": None, "passed": False, "reason": "no requests to this endpoint in the run"}
        actual = stats.get(self.metric)
        if actual is None:
            return base | {"actual": None, "passed": False, "reason": f"no {self.metric} figure in the statistics"}
        return base | {"actual": actual, "passed": bool(OPS[self.op](float(actual), self.limit))}


def parse_condition(endpoint: str, text: Any, where: str, line: int | None) -> Condition:
    """One condition string -> `Condition`; `ScenarioError` naming the file, field and what is allowed."""

    def bad(msg: str) -> ScenarioError:
        return ScenarioError([Problem(where, f"thresholds.{endpoint}", msg, line, text, True)])

    if not isinstance(text, str):
        raise bad("a condition must be text such as 'p95 < 50 ms'")
    m = COND_RE.match(text)
    if not m:
        raise bad("a condition looks like 'p95 < 50 ms', 'fail_ratio < 0.01' or 'min_rps 5'")
    metric, op, value, unit = m["metric"], m["op"], float(m["value"]), m["unit"]
    if metric not in LATENCY + OTHER:
        raise bad(f"unknown metric '{metric}'; allowed: {', '.join(LATENCY + OTHER)}")
    if metric == "min_rps":
        if op not in (None, ">="):
            raise bad("min_rps takes a number only ('min_rps 5' means rps >= 5)")
        metric, op = "rps", ">="
    elif op is None:
        raise bad(f"missing comparison; use one of {', '.join(OPS)}")
    if unit and metric not in LATENCY:
        raise bad(f"{metric} has no unit; units ms and s apply to latency metrics only")
    if metric == "median":
        metric = "p50"
    if metric == "fail_ratio" and not 0 <= value <= 1:
        raise bad("fail_ratio is a share between 0 and 1")
    if value < 0:
        raise bad("limits must be >= 0")
    limit = value * 1000.0 if unit == "s" else value
    return Condition(endpoint, text.strip(), metric, op, limit)


def load_thresholds(path: str | Path) -> list[Condition]:
    """Read and validate a thresholds file; every problem names the file, line and endpoint."""
    source = str(path)
    data, lines = read_yaml(path, "thresholds")
    if not isinstance(data, dict) or "thresholds" not in data:
        raise ScenarioError([Problem(source, "", "a thresholds file is a mapping with a 'thresholds:' key")])
    unknown = set(data) - {"thresholds", "description"}
    if unknown:
        key = sorted(map(str, unknown))[0]
        raise ScenarioError([Problem(source, key, f"unknown key '{key}'; allowed: thresholds, description", lines.get((key,)))])
    table = data["thresholds"]
    if not isinstance(table, dict) or not table:
        line = lines.get(("thresholds",))
        raise ScenarioError([Problem(source, "thresholds", "must map endpoints to lists of conditions", line)])
    conditions = []
    for endpoint, conds in table.items():
        line = lines.get(("thresholds", str(endpoint)))
        if not isinstance(endpoint, str) or not (endpoint == "Aggregated" or ENDPOINT_RE.match(endpoint)):
            raise ScenarioError(
                [
                    Problem(
                        source,
                        f"thresholds.{endpoint}",
                        "an endpoint is 'METHOD /path' (e.g. 'POST /v1/alpr/reads') or 'Aggregated'",
                        line,
                        endpoint,
                        True,
                    )
                ]
            )
        if isinstance(conds, str):
            conds = [conds]
        if not isinstance(conds, list) or not conds:
            raise ScenarioError([Problem(source, f"thresholds.{endpoint}", "must be a non-empty list of conditions", line)])
        for i, text in enumerate(conds):
            conditions.append(parse_condition(endpoint, text, source, lines.get(("thresholds", endpoint, str(i)), line)))
    return conditions


def evaluate(conditions: list[Condition], endpoints: dict[str, dict[str, Any]], source: str = "") -> dict[str, Any]:
    """Verdicts of every condition against per-endpoint statistics (as in loadtest.json's `endpoints`)."""
    checks = [c.check(endpoints.get(c.endpoint)) for c in conditions]
    breached = [c for c in checks if not c["passed"]]
    return {"file": source, "passed": not breached, "checked": len(checks), "breached": len(breached), "checks": checks}
