"""Errors of the runner that are the caller's to fix (bad options, a results folder that belongs to another run).

The command line prints them without a traceback and exits 2.
"""


from typing import Any


class RunnerError(ValueError):
    """A bad runner option or an unusable output folder; the message says which and what is allowed."""


class AllRunsFailed(RuntimeError):
    """`run()` when no replication succeeded: the message names the first error; ``result`` is the folder's
    handle (its ``failures`` table has every error and traceback)."""

    def __init__(self, message: str, result: Any) -> None:
        super().__init__(message)
        self.result = result
