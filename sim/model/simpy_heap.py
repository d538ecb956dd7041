"""Putting events on SimPy 4's event heap directly: the heap, and an event ready to be pushed on it.

`Environment.schedule(event, priority, delay)` pushes ``(now + delay, priority, next event id, event)`` on the
environment's heap. The model's hot paths (the search queue's 2.5 million events; submissions kept off the
heap by `sim.model.due_queue`) push that same entry themselves: at an absolute time, with no method call, and
with event objects reused or made once. `simpy_heap` finds the heap and the id counter where SimPy 4 keeps them
and refuses a SimPy that keeps them elsewhere (simpy is pinned below 5), rather than mis-scheduling silently.
"""

from __future__ import annotations

import itertools

import simpy


def simpy_heap(env: simpy.Environment) -> tuple[list, itertools.count]:
    """SimPy's event heap and event-id counter, where `Environment.schedule` finds them (SimPy 4)."""
    heap, eid = getattr(env, "_queue", None), getattr(env, "_eid", None)
    if not isinstance(heap, list) or not isinstance(eid, itertools.count) or not hasattr(env, "_now"):
        raise RuntimeError(f"fedsim schedules on SimPy 4's event heap; this SimPy ({simpy.__version__}) keeps "
                           "it elsewhere")
    return heap, eid


class Ready(simpy.Event):
    """A triggered event (ok, value None) with its callbacks, not yet on the heap: what a Timeout is before
    `Environment.schedule`, for code that pushes its heap entry itself (and may push it again once processed)."""

    def __init__(self, env: simpy.Environment, callbacks: list) -> None:
        self.env = env
        self.callbacks = callbacks
        self._ok = True
        self._value = None
