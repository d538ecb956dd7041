"""The platform's queues: service-time samplers and the measured settings a load test calibrates.

The queues themselves are `sim.model.server_pool.ServerPool`s (re-exported here). `ServiceSampler` draws
service times (seconds) from a scenario `ServiceTime`; `load_calibration` reads the `calibration.json`
that `fedsim loadtest` writes and returns the queues' measured settings; `apply_calibration` swaps them in.
An older file's ``queues.search.per_million_reads_s`` (written before the load test stopped writing it: the
change of the probe's median per million reads ingested, noise, not a cost per read scanned) is ignored, the
scenario's assumption stays, and `calibration_warnings` names the file and the value ignored.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import ValidationError

from sim.config.base import ServiceTime
from sim.config.errors import Problem, ScenarioError
from sim.config.platform import Ingest, Packaging, Platform, SearchQueue
from sim.model.server_pool import ServerPool

__all__ = ["ServerPool", "ServiceSampler", "apply_calibration", "calibration_warnings", "load_calibration"]


class ServiceSampler:
    def __init__(self, spec: ServiceTime, rng: np.random.Generator) -> None:
        self.spec = spec
        self.rng = rng
        if spec.dist == "lognormal":
            self._sigma = float(np.sqrt(np.log1p(spec.cv**2)))
            self._mu = float(np.log(spec.mean_s) - self._sigma**2 / 2)
        self._samples = np.asarray(spec.samples_s, dtype=float)

    @property
    def mean_s(self) -> float:
        return float(self._samples.mean()) if self.spec.dist == "empirical" else self.spec.mean_s

    def draw(self, n: int) -> np.ndarray:
        d = self.spec.dist
        if d == "exponential":
            return self.rng.exponential(self.spec.mean_s, n)
        if d == "lognormal":
            return self.rng.lognormal(self._mu, self._sigma, n)
        if d == "fixed":
            return np.full(n, self.spec.mean_s)
        return self.rng.choice(self._samples, n)


def load_calibration(path: str | Path) -> dict[str, Any]:
    """Read a load-test `calibration.json`: {"queues": {"packaging": {"workers", "service_time"}, ...}}.

    A file the load test marked ``"stable": false`` (measured too lightly, or too unsteadily, to mean
    anything: `loadtest.service_time_windows`) is refused with its reasons."""
    data = json.loads(Path(path).read_text())
    if not isinstance(data, dict) or not isinstance(data.get("queues"), dict):
        raise ValueError(f"{path}: a calibration file needs a 'queues' mapping")
    if data.get("stable") is False:
        why = "; ".join(data.get("why") or []) or "no reason recorded"
        raise ValueError(f"the load test marked it unstable, so its service times mean nothing: {why}")
    return data["queues"]


# Settings of a queue that map names to values (a search type to its relative cost): a calibration file that gives
# some of the names keeps the scenario's value for the others. Replaced whole, a file measuring only convoy
# searches would have set every other type to the default cost of 1 with no word (SearchQueue.cost_of).
MERGED_BY_NAME = frozenset({"type_cost"})

# Settings an older calibration file may hold that no load test measures: ignored (`calibration_warnings` says so).
# The probe's per-read value was the change of two 15-search probe medians per million reads *ingested*, noise
# charged per million reads *scanned*: 0.24 s per million made a small-world search cost 15 s (loadtest.service_times).
IGNORED = {"search": ("per_million_reads_s",)}


def _measured(name: str, given: Any) -> Any:
    """A queue's settings from a calibration file without those no load test measures (`IGNORED`)."""
    if not isinstance(given, dict):
        return given
    return {k: v for k, v in given.items() if k not in IGNORED.get(name, ())}


def calibration_warnings(platform: Platform) -> list[str]:
    """One sentence per setting of `platform`'s calibration file that `apply_calibration` ignores (`IGNORED`),
    naming the file and the value (empty: none, no file, or one that cannot be read: that fails elsewhere)."""
    if not platform.calibration:
        return []
    try:
        queues = load_calibration(str(platform.calibration))
    except (OSError, ValueError):
        return []
    out = []
    for name, keys in IGNORED.items():
        given = queues.get(name)
        for key in keys:
            if isinstance(given, dict) and key in given:
                out.append(f"platform.calibration: {platform.calibration} gives queues.{name}.{key} {given[key]!r}, "
                           f"written by an older load test (the change of its probe's median per million reads "
                           f"ingested, not a cost per read scanned): ignored; the scenario's platform.{name}."
                           f"{key} {getattr(getattr(platform, name), key):g} (an assumption) stays. Run the load test "
                           "again for a file without it")
    return out


def _merged(current: dict[str, Any], given: Any) -> Any:
    """A queue's settings with a calibration file's given ones over them (`MERGED_BY_NAME` entry by entry)."""
    if not isinstance(given, dict):
        return given  # refused by validation, naming the queue
    return current | {k: current[k] | v if k in MERGED_BY_NAME and isinstance(v, dict) else v for k, v in given.items()}


def apply_calibration(platform: Platform) -> Platform:
    """The scenario's `platform` with a calibration file's measured queues swapped in (if one is named).

    A setting the file gives replaces the scenario's; one it leaves out keeps the scenario's, and so does each
    search type a partial ``type_cost`` leaves out (`MERGED_BY_NAME`); a setting no load test measures is ignored
    (`IGNORED`, said by `calibration_warnings`). Raises `ScenarioError` naming the file
    and the dotted path when the file is missing or malformed.
    """
    if not platform.calibration:
        return platform
    source = str(platform.calibration)
    try:
        queues = load_calibration(source)
    except (OSError, ValueError) as exc:
        raise ScenarioError([Problem(source, "platform.calibration", f"cannot use calibration file: {exc}")]) from None
    models = {"packaging": Packaging, "search": SearchQueue, "ingest": Ingest}
    updates = {}
    for name, model in models.items():
        if name not in queues:
            continue
        try:
            merged = _merged(getattr(platform, name).model_dump(), _measured(name, queues[name]))
            updates[name] = model.model_validate(merged)
        except ValidationError as exc:
            err = exc.errors()[0]
            path = ".".join(["queues", name, *map(str, err["loc"])])
            raise ScenarioError([Problem(source, path, err["msg"], None, err.get("input"), True)]) from None
    return platform.model_copy(update=updates)
