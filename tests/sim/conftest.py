"""Checks every simulation test shares: none leaves a thread behind."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from sim.forking import other_threads


@pytest.fixture(autouse=True)
def no_thread_left_behind() -> Iterator[None]:
    """A run, sweep or executor leaves no thread alive: one left would make every later fork in the process
    unsafe (`sim.forking.fork_is_safe`), so charts drawn afterwards fall back to one process."""
    before = set(other_threads())
    yield
    assert sorted(set(other_threads()) - before) == []
