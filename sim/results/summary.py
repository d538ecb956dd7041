"""``summary.json``, the one format: a run folder's whole-run metrics reduced over replications.

    {"scenario": NAME, "replications": SUCCEEDED, "failed": FAILED,
     "metrics": {METRIC: {"mean", "ci_low", "ci_high", "halfwidth", "median", "p5", "p95", "n"}},
     "warnings": [TEXT, ...],   # optional: queues whose offered load reaches capacity (sim.model.overload)
     "scenario_warnings": [TEXT, ...]}  # optional: valid input likely not meant (sim.config.checks)

Statistics as `sim.results.stats.summarize` computes them (t-based 95% CI of the mean; null where there is
no interval, with one replication). The runner writes it (`build`); every reader reads it through `read`,
which refuses a file that is not in this format, naming the file and the field.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from sim.results import renamed
from sim.results.errors import ResultsError
from sim.results.layout import SUMMARY
from sim.results.stats import FIELDS, summarize

TOP = ("scenario", "replications", "failed", "metrics")


def build(scenario: str, values: Mapping[str, Sequence[float]], replications: int, failed: int) -> dict[str, Any]:
    """summary.json of per-replication whole-run `values` (metric -> one value per succeeded replication)."""
    return {
        "scenario": scenario,
        "replications": replications,
        "failed": failed,
        "metrics": {m: summarize(values[m]) for m in sorted(values)},
    }


def check(data: Any, path: Path) -> dict[str, Any]:
    """`data` if it is a summary.json, else `ResultsError` naming `path` and what is wrong; an older file's renamed
    metrics under their new names (`sim.results.renamed.METRICS`)."""
    if not isinstance(data, dict):
        raise ResultsError(f"{path}: expected a JSON object with {', '.join(TOP)}")
    missing = [k for k in TOP if k not in data]
    if missing:
        raise ResultsError(f"{path}: missing {', '.join(repr(k) for k in missing)}; a summary.json has {', '.join(TOP)}")
    if not isinstance(data["metrics"], dict):
        raise ResultsError(f"{path}: 'metrics' must map each metric to its statistics")
    for metric, entry in data["metrics"].items():
        lacking = [f for f in FIELDS if not isinstance(entry, dict) or f not in entry]
        if lacking:
            raise ResultsError(f"{path}: metric {metric!r} lacks {', '.join(lacking)}; each has {', '.join(FIELDS)}")
    data["metrics"] = renamed.renamed_keys(data["metrics"], renamed.METRICS)
    return data


def read_json(path: Path) -> dict[str, Any] | None:
    """A JSON object from `path`; None when the file is absent; `ResultsError` when it is not JSON."""
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ResultsError(f"{path}: not readable ({exc})") from None
    except json.JSONDecodeError as exc:
        raise ResultsError(f"{path}: not valid JSON ({exc.msg} at line {exc.lineno})") from None
    if not isinstance(data, dict):
        raise ResultsError(f"{path}: expected a JSON object at the top level")
    return data


def read(folder: Path) -> dict[str, Any] | None:
    """The folder's summary.json, checked; None when it has none."""
    path = Path(folder) / SUMMARY
    data = read_json(path)
    return None if data is None else check(data, path)
