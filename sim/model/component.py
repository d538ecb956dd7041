"""The component contract: what `sim.model.simulation.simulate` asks of each part of the model.

A component is a class built with the run's `SimContext`; `start()` starts its SimPy processes (before the
clock runs), `finish()` writes its whole-run metrics (after the horizon), and the class attribute
``metrics`` declares every metric name it records (`sim.model.metrics.Metric`): the run's `Recorder`
refuses any other name. Components are listed by class (`sim.model.simulation.COMPONENTS`), never by a
"module:Class" string; `name()` gives that string where a plain-text identity is needed (the runner's
resume plan).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    from sim.model.context import SimContext
    from sim.model.metrics import Metric


class Component(ABC):
    metrics: ClassVar[tuple[Metric, ...]] = ()

    def __init__(self, ctx: SimContext) -> None:
        self.ctx = ctx

    @abstractmethod
    def start(self) -> None:
        """Start the component's processes on ``ctx.env``; called once, before the clock runs."""

    def finish(self) -> None:  # noqa: B027 - a component without whole-run values keeps this default
        """Write whole-run metrics; called once, after the run reached its horizon."""


def name(component: type[Component]) -> str:
    """``module:Class`` of a component class (plain text for plans and manifests)."""
    return f"{component.__module__}:{component.__qualname__}"


def check(components: tuple[type[Component], ...]) -> tuple[type[Component], ...]:
    """The components as given, or a TypeError naming the first that is not a `Component` subclass."""
    for c in components:
        if not (isinstance(c, type) and issubclass(c, Component)):
            raise TypeError(f"components are Component subclasses (sim.model.component), got {c!r}")
    return tuple(components)
