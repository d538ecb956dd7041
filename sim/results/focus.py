"""A brief's focus: the state (``--focus STATE``) or the agency (``--focus-agency NAME``) a report leads with.

A run folder saves it in ``focus.json`` (`sim.results.layout.FOCUS`): ``{"state": "NC"}`` or
``{"agency": NAME}``. `save_focus` writes that file (`fedsim run --focus`), `saved_focus` reads it back (a
later report of the folder leads with the same focus). Whether the state or agency is in a folder's world
is for the reader of its tables to say (`reports.focus.resolve`).
"""

from __future__ import annotations

import json
from pathlib import Path

from sim.results import layout


def save_focus(folder: Path, focus: dict[str, str]) -> None:
    (Path(folder) / layout.FOCUS).write_text(json.dumps(focus) + "\n", encoding="utf-8")


def saved_focus(folder: Path) -> dict[str, str] | None:
    """The focus `fedsim run --focus` saved in `folder`, or None."""
    path = Path(folder) / layout.FOCUS
    if not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8"))
