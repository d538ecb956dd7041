"""Errors of the runner that are the caller's to fix (bad options, a results folder that belongs to another run).

The command line prints them without a traceback and exits 2.
"""


class RunnerError(ValueError):
    """A bad runner option or an unusable output folder; the message says which and what is allowed."""
