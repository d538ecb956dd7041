"""A brief's focus: the state (``--focus STATE``) or the agency (``--focus-agency NAME``) a report leads with.

`check_focus` is the one check of what was asked, the same for `fedsim run` (before its runs) and for
`fedsim report` and `fedsim compare`: at most one of the two, a state as a two-letter code in any case; a
`FocusError` names the option, the value and what is allowed (exit status 2). It returns the focus as a run
folder saves it in ``focus.json`` (`sim.results.layout.FOCUS`): ``{"state": "NC"}`` or ``{"agency": NAME}``,
or None when neither was asked. `save_focus` writes that file (`fedsim run --focus`), `saved_focus` reads
it back (a later report of the folder leads with the same focus). Whether the state or agency is in a
folder's world is for the reader of its tables to say (`reports.focus.resolve`).
"""

from __future__ import annotations

import json
from pathlib import Path

from sim.geo.states import STATE_CODES
from sim.results import layout
from sim.results.errors import ResultsError


class FocusError(ResultsError):
    """A --focus or --focus-agency that cannot be used: bad input, exit status 2 from every command."""


def check_focus(state: str | None, agency: str | None) -> dict[str, str] | None:
    """The focus asked for, checked (`FocusError` otherwise): {"state": code}, {"agency": name} or None."""
    if state is not None and agency is not None:
        raise FocusError("give --focus STATE or --focus-agency NAME, not both")
    if state is not None:
        code = str(state).upper()
        if code not in STATE_CODES:
            raise FocusError(f"--focus: unknown state {state!r}; use a two-letter code: {', '.join(STATE_CODES)}")
        return {"state": code}
    return {"agency": agency} if agency is not None else None


def save_focus(folder: Path, focus: dict[str, str]) -> None:
    """Write `focus` (as `check_focus` returns it) to `folder`'s focus.json."""
    (Path(folder) / layout.FOCUS).write_text(json.dumps(focus) + "\n", encoding="utf-8")


def saved_focus(folder: Path) -> dict[str, str] | None:
    """The focus `fedsim run --focus` saved in `folder`, or None."""
    path = Path(folder) / layout.FOCUS
    if not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8"))
