"""Strict reading of the load test's small YAML files (shapes, thresholds) with errors that name the field.

The files are read with the scenario reader's strict YAML rules (`sim.config.yaml_strict`: no ``NO`` read
as false, no anchors, duplicate keys refused, line of every key kept) and validated with pydantic models
that refuse unknown keys. Every problem becomes a `sim.config.ScenarioError` line naming the file, line,
dotted field, value and what is allowed; `fedsim` prints it and exits 2.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from sim.config.errors import Problem, ScenarioError
from sim.config.yaml_strict import YamlProblem, parse

MAX_BYTES = 256 * 1024
M = TypeVar("M", bound=BaseModel)


def read_yaml(path: str | Path, what: str) -> tuple[Any, dict[tuple[str, ...], int]]:
    """The parsed document and its key lines; `ScenarioError` when unreadable or not YAML."""
    name = str(path)
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > MAX_BYTES:
            raise ScenarioError([Problem(name, "", f"{what} file is {size} bytes; the limit is {MAX_BYTES}")])
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise ScenarioError([Problem(name, "", f"cannot read {what} file: {exc.strerror}")]) from None
    except UnicodeDecodeError:
        raise ScenarioError([Problem(name, "", f"{what} file is not UTF-8 text")]) from None
    try:
        return parse(text)
    except YamlProblem as exc:
        raise ScenarioError([Problem(name, "", exc.message, exc.line)]) from None


def problems_from(exc: ValidationError, source: str, lines: dict[tuple[str, ...], int]) -> list[Problem]:
    """One `Problem` per pydantic error, with the dotted field, its line and the offending value."""
    out = []
    for err in exc.errors():
        loc = tuple(str(p) for p in err["loc"] if not str(p).startswith("function-"))
        line = lines.get(loc) or lines.get(loc[:-1])
        msg = err["msg"].removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            msg = f"unknown key '{loc[-1]}'"
            out.append(Problem(source, ".".join(loc), msg, line))
            continue
        out.append(Problem(source, ".".join(loc), msg, line, err.get("input"), "input" in err))
    return out


def validate(model: type[M], data: Any, source: str, lines: dict[tuple[str, ...], int]) -> M:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(problems_from(exc, source, lines)) from None


def load_model(model: type[M], path: str | Path, what: str) -> M:
    data, lines = read_yaml(path, what)
    if not isinstance(data, dict):
        raise ScenarioError([Problem(str(path), "", f"a {what} file must be a mapping of keys to values")])
    return validate(model, data, str(path), lines)
