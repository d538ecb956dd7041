"""Scenario keys renamed since files were written: an older file's key is read as its new name, with a warning.

One name means one thing across the project. A state's platform rule ``policy.state_rules.<ST>.national_lookup``
(whether the state's agencies may run national lookups: a searcher's leave) used the name of an owner's opt-in
(``agencies.national_lookup``; an override's ``set.national_lookup``: whether its reads are open to lookups). It is
now ``may_run_national_lookup``, as the load test's tokens file names the same leave.

Each layer (a file, a ``--set``, a sweep value, a folder's resolved scenario) is renamed on its own before layers
are merged (`sim.config.load`), so an older base file under a newer one, or the reverse, merges as each was meant.
The notes say what was read as what; `sim.config.checks.scenario_warnings` prints them and a run keeps them in
summary.json's ``scenario_warnings``. A mapping that gives a key under both names is refused.
"""

from __future__ import annotations

import copy
from typing import Any

from sim.config.errors import Problem, ScenarioError

# (path pattern, "*" for any key) -> the key's new name
RENAMED: dict[tuple[str, ...], str] = {
    ("policy", "state_rules", "*", "national_lookup"): "may_run_national_lookup",
}
WHAT = {"may_run_national_lookup": "whether the state's agencies may run national lookups; national_lookup names "
                                   "an owner's opt-in"}


def _new_name(path: tuple[Any, ...]) -> str | None:
    for pattern, new in RENAMED.items():
        if len(path) == len(pattern) and all(p in ("*", str(k)) for p, k in zip(pattern, path, strict=True)):
            return new
    return None


def _note(source: str, old: tuple[Any, ...], new: str) -> str:
    where = f" ({source})" if source and source != "<scenario>" else ""
    dotted = ".".join(map(str, old))
    return (f"{dotted}{where} is now {'.'.join(map(str, old[:-1]))}.{new} ({WHAT[new]}): read as it; rename the key "
            "to silence this warning")


def rename_keys(node: Any, path: tuple[Any, ...] = (), source: str = "",
                origin: dict[tuple[str, ...], Any] | None = None) -> list[str]:
    """Rename, in place, every key of the mapping `node` (standing at `path`) that `RENAMED` names, and its
    `origin` entries (file and line of each path); one note per key renamed."""
    notes: list[str] = []
    if not isinstance(node, dict):
        return notes
    for key in list(node):
        full = (*path, key)
        new = _new_name(full)
        if new is not None:
            if new in node:
                raise ScenarioError([Problem(source, ".".join(map(str, full)),
                                             f"gives both {key} and its new name {new}: give {new} only")])
            node[new] = node.pop(key)
            notes.append(_note(source, full, new))
            if origin is not None:
                for below in [k for k in origin if k[: len(full)] == full]:
                    origin[(*path, new, *below[len(full):])] = origin.pop(below)
            key, full = new, (*path, new)
        notes += rename_keys(node[key], full, source, origin)
    return notes


def rename_dotted(dotted: str, value: Any, source: str) -> tuple[str, Any, list[str]]:
    """A ``--set`` or sweep value (``dotted`` = ``value``) with renamed keys in its path and in its mapping value."""
    parts = tuple(dotted.split("."))
    notes: list[str] = []
    new = _new_name(parts)
    if new is not None:
        notes.append(_note(source, parts, new))
        parts = (*parts[:-1], new)
    if isinstance(value, dict):
        value = copy.deepcopy(value)
        notes += rename_keys(value, parts, source)
    return ".".join(parts), value, notes
