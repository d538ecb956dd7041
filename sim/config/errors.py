"""Scenario errors: each names the file, the dotted path, the line where known, the value and what is allowed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


def show_value(value: Any, limit: int = 80) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


@dataclass(frozen=True)
class Problem:
    source: str
    path: str
    message: str
    line: int | None = None
    value: Any = None
    has_value: bool = False

    def __str__(self) -> str:
        where = self.source
        if self.line is not None:
            where += f":{self.line}"
        got = f" (got {show_value(self.value)})" if self.has_value else ""
        path = f"{self.path}: " if self.path else ""
        return f"{where}: {path}{self.message}{got}"


class ScenarioError(Exception):
    """One or more problems with a scenario; `str()` lists them one per line."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))
