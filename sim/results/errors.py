"""The error every results reader raises: the message names the folder or file and what was expected."""


class ResultsError(ValueError):
    """A results folder, table or file that cannot be read as written by `fedsim run` or `fedsim sweep`."""
