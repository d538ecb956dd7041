"""Design points of a sweep: the scenario's ``sweep:`` section expanded into one scenario per point.

A ``grid`` is the full Cartesian product of its axes in the order written, the last axis varying fastest; a
list of ``points`` is taken as written. Point ``i`` is the base scenario with that point's dotted-path values
set (`sim.config.with_overrides`), validated like a file. A point whose values do not validate keeps its
error and becomes a row of ``failures.csv``; the other points still run. A single run (`fedsim run`) is one
design point, index 0, with no parameters.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field
from typing import Any

from sim.config import Scenario, ScenarioError, with_overrides
from sim.results.layout import point_label


@dataclass
class DesignPoint:
    index: int
    values: dict[str, Any] = field(default_factory=dict)
    scenario: Scenario | None = None
    error: str | None = None

    @property
    def label(self) -> str:
        """Folder name of the point (`sim.results.layout.point_label`)."""
        return point_label(self.index)


def single(scenario: Scenario) -> list[DesignPoint]:
    return [DesignPoint(0, {}, scenario)]


def point_values(scenario: Scenario) -> list[dict[str, Any]]:
    """The dotted-path values of every design point, in order."""
    sw = scenario.sweep
    if sw is None:
        return [{}]
    if sw.points:
        return [dict(p) for p in sw.points]
    axes = list(sw.grid)
    return [dict(zip(axes, combo, strict=True)) for combo in itertools.product(*(sw.grid[a] for a in axes))]


def expand(scenario: Scenario) -> list[DesignPoint]:
    """One `DesignPoint` per sweep point; invalid points carry their error instead of a scenario."""
    points = []
    for i, values in enumerate(point_values(scenario)):
        try:
            points.append(DesignPoint(i, values, with_overrides(scenario, values, source=f"sweep point {i}")))
        except ScenarioError as exc:
            points.append(DesignPoint(i, values, None, str(exc)))
    return points


def parameter_names(points: list[DesignPoint]) -> list[str]:
    """Dotted parameter names over all points, in first-seen order."""
    names: dict[str, None] = {}
    for p in points:
        names.update(dict.fromkeys(p.values))
    return list(names)


def cell(value: Any) -> Any:
    """A parameter value as a table cell: scalars as they are, lists and mappings as JSON text."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return json.dumps(value, sort_keys=True)
