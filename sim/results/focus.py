"""A brief's focus: the state (``--focus STATE``) or the agency (``--focus-agency NAME``) a report leads with.

`check_focus` is the one check of what was asked, the same for `fedsim run` (before its runs) and for
`fedsim report` and `fedsim compare`: at most one of the two, a state as a two-letter code in any case; a
`FocusError` names the option, the value and what is allowed (exit status 2). It returns the focus as a run
folder saves it in ``focus.json`` (`sim.results.layout.FOCUS`): ``{"state": "NC"}`` or ``{"agency": NAME}``,
or None when neither was asked. `save_focus` writes that file (`fedsim run --focus`), `saved_focus` reads
it back (a later report of the folder leads with the same focus). `check_focus_in` is the one check that
the state or agency is in a world, with one wording: `fedsim run` asks it of the built world before its runs
(`sim.runner.api.check_focus_in_world`), a report of the folder's tables (`reports.focus.resolve`), since a
folder's tables can be older than the world.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterable
from pathlib import Path

from sim.geo.states import FEDERAL_STATE, STATE_CODES, code_for_name
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
            named = code_for_name(state)
            hint = f"did you mean {named!r}? " if named else ""
            raise FocusError(f"--focus: unknown state {state!r}; {hint}use a two-letter code: {', '.join(STATE_CODES)}")
        return {"state": code}
    return {"agency": agency} if agency is not None else None


def check_focus_in(focus: dict[str, str], where: str, states: Iterable[str],
                   agencies: Iterable[tuple[str, str]] = ()) -> str:
    """The state `focus` (as `check_focus` returns it) leads with, checked against a world (`FocusError`
    otherwise): `states` the state codes with agencies, `agencies` (name, state code) per agency, in the world's
    order (`FEDERAL_STATE` for a federal unit; a repeated name is its first agency), needed for an agency focus;
    `where` says whose world it is (``this scenario's world``, a folder's)."""
    if "agency" in focus:
        name = focus["agency"]
        agency_states: dict[str, str] = {}
        for agency, code in agencies:
            agency_states.setdefault(str(agency), str(code))
        state = agency_states.get(name)
        if state is None:
            close = difflib.get_close_matches(name, list(agency_states), n=3)
            hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else _state_hint(name, agency_states)
            raise FocusError(f"--focus-agency: no agency named {name!r} in {where}{hint} (exact names: by_agency.csv "
                             "of a run, or fedsim world --json)")
        if state == FEDERAL_STATE:  # no state, no cameras
            raise FocusError(f"--focus-agency: {name!r} is a federal unit; focus on an agency with cameras")
        return state
    present = sorted(set(states) - {FEDERAL_STATE})
    if focus["state"] not in present:
        raise FocusError(f"--focus: {focus['state']} has no agencies in {where}; states present: {', '.join(present)}")
    return focus["state"]


def _state_hint(name: str, agency_states: dict[str, str]) -> str:
    """For a name with no close match that names a state of the world ('Eugene OR PD' in a synthetic world, whose
    agencies are 'OR PD 0001'...): how that state's agencies are named here, and the state focus."""
    codes = [t for t in re.split(r"[^A-Za-z]+", name) if t in STATE_CODES and t in agency_states.values()]
    if not codes:
        return ""
    code = codes[0]
    examples = [a for a, c in agency_states.items() if c == code][:2]
    numbered = all(re.search(r" \d+$", a) for a in examples)
    return (f"; {code}'s agencies here are named like {' and '.join(repr(a) for a in examples)}"
            + (" (a synthetic world numbers them; real agencies are named in world.source: flock-2026, "
               "scenarios/flock-2026-real.yaml)" if numbered else "")
            + f", or lead with the state: --focus {code}")


def save_focus(folder: Path, focus: dict[str, str]) -> None:
    """Write `focus` (as `check_focus` returns it) to `folder`'s focus.json."""
    (Path(folder) / layout.FOCUS).write_text(json.dumps(focus) + "\n", encoding="utf-8")


def saved_focus(folder: Path) -> dict[str, str] | None:
    """The focus `fedsim run --focus` saved in `folder`, or None."""
    path = Path(folder) / layout.FOCUS
    if not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8"))
