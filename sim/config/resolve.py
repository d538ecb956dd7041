"""The fully resolved scenario written beside every result: defaults filled in, plus provenance.

`resolved(scenario)` returns the scenario as plain data with a ``meta`` block: fedsim version, git
commit when known, root seed and a SHA-256 content hash of the model and run parameters (canonical
JSON), so two results can be compared by what produced them.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

import yaml

from sim.config.scenario import Scenario


@lru_cache(maxsize=1)
def fedsim_version() -> str:
    try:
        return metadata.version("fedsim")
    except metadata.PackageNotFoundError:
        return "0+unknown"


@lru_cache(maxsize=1)
def git_commit() -> str | None:
    here = Path(__file__).resolve().parent
    try:
        out = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=here, capture_output=True, text=True, timeout=5, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None if out.returncode == 0 else None


def content_hash(scenario: Scenario) -> str:
    """SHA-256 of the scenario's canonical JSON: the model and the run control that moves results (days, warm-up,
    replications, seed), not ``meta``, nor which tables are written or in which formats (they change no result).
    ``run.world_per_replication`` counts only when true: off is how every run was made before the field existed,
    so a scenario's hash is the same as it was then."""
    run_out = {"tables", "csv"} | (set() if scenario.run.world_per_replication else {"world_per_replication"})
    data = scenario.model_dump(mode="json", exclude={"meta": True, "run": run_out})
    canon = json.dumps(data, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canon.encode()).hexdigest()


def file_sha256(path: str | None) -> str | None:
    """SHA-256 of a file the scenario names (a load-test calibration), or None when absent or unreadable."""
    if not path:
        return None
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return None


def resolved(scenario: Scenario) -> dict[str, Any]:
    data = scenario.model_dump(mode="python", exclude={"meta"})
    data["meta"] = {
        "fedsim_version": fedsim_version(),
        "git_commit": git_commit(),
        "seed": scenario.run.seed,
        "content_hash": content_hash(scenario),
    }
    if scenario.platform.calibration:
        # The scenario names the calibration file; its measured queues replace platform values at run time.
        data["meta"]["calibration_sha256"] = file_sha256(scenario.platform.calibration)
    return data


def write_resolved(scenario: Scenario, path: str | Path) -> Path:
    """Write `resolved_scenario.yaml` (or the given path) and return its path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(resolved(scenario), sort_keys=False, allow_unicode=True))
    return path
