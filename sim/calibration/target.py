"""What a calibration row is: a published figure, the model quantity beside it, a tolerance, a verdict.

`Saved` is what a results folder holds (summary.json, world.json, the resolved scenario, the period it
is compared with); `Target` one row's recipe: how to read the figure and the model value off a `Saved`,
the scenario inputs that drive it, and its tolerance (relative to the target, or absolute). ``fitted``
says whether a parameter was set from the figure (the row then checks the fit) or whether it is an
independent check the model was not tuned to (a miss is a disagreement, reported in docs/MODEL.md).
A row may
hold for some runs only (``applies``: the 2024 portals' out-degree or the 2026 lists' connection counts, by the
world's data and the period), and its
model reading may be text saying why the saved results cannot be compared with the figure.
The rows themselves are in `sim.calibration.targets` (figures of the platform, requests and portals) and
`sim.calibration.targets_search` (search behaviour from audit logs, federal grants).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Estimate = tuple[float, float, float]  # value, CI low, CI high (NaN when there is no CI)
# A row's model reading: an estimate, None (not in the saved results) or why the row cannot be compared (text)
Reading = Estimate | str | None
NAN = math.nan


@dataclass(frozen=True)
class Saved:
    """What a results folder holds: summary.json, world.json (or None) and the resolved scenario (plain data)."""

    summary: dict[str, Any]
    world: dict[str, Any] | None
    scenario: dict[str, Any]
    period: str = "2025"  # which period's real figures the run is compared with (sim.calibration.observed)

    def metric(self, name: str) -> Estimate | None:
        stats = self.summary.get("metrics", {}).get(name)
        if stats is None:
            return None
        return num(stats.get("mean")), num(stats.get("ci_low")), num(stats.get("ci_high"))

    def param(self, path: str) -> Any:
        node: Any = self.scenario
        for part in path.split("."):
            if not isinstance(node, dict) or part not in node:
                return None
            node = node[part]
        return node


def num(x: Any) -> float:
    return NAN if x is None else float(x)


@dataclass(frozen=True)
class Target:
    key: str
    figure: str
    unit: str
    target: Callable[[Saved], float]
    source: str
    model: Callable[[Saved], Reading]
    inputs: tuple[str, ...]  # scenario parameters that drive the model figure (dotted paths)
    note: str = ""
    tolerance: float = 0.1  # allowed |gap|: relative to the target, or absolute when `absolute`
    absolute: bool = False
    fitted: bool = True  # True: a parameter was set from this figure (the row checks the fit); False: an
    # independent check the model was not tuned to (a miss is a disagreement, reported in docs/MODEL.md)
    # whether the row compares with a run of period `p` on a world from source `src` (world.json's ``source``:
    # synthetic, private_eyes, flock-2026; "" without world.json): every row, unless it says otherwise
    applies: Callable[[str, str], bool] = lambda _p, _src: True
    # the note for one saved run, when what the row means depends on it (None: `note`)
    note_for: Callable[[Saved], str] | None = None

    def ok(self, target: float, model: float) -> bool:
        if math.isnan(model) or math.isnan(target):
            return False
        gap = abs(model - target)
        return gap <= self.tolerance if self.absolute else gap <= self.tolerance * abs(target)


def const(value: float) -> Callable[[Saved], float]:
    return lambda _s: value


def metric(name: str) -> Callable[[Saved], Estimate | None]:
    return lambda s: s.metric(name)
