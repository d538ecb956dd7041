"""How the real-geography world reads a transparency portal's zeros (April 2026), and programs that had ended.

The 2026 nodes (FlockHopper) write 0 both for a real 0 and for a figure the portal leaves out. The 2024 portals
(N&O, data/private_eyes) wrote "NA" for a left-out figure: of the 338 showing vehicles captured, 44 left the search
count out (13%; 8 of the 16 that also left the camera count out) and 4 stated 0 searches (1.2%). In 2026, 92 of the
824 portals showing vehicles or hotlist hits show 0 searches (11%): mostly left-out figures. So, per portal:

- **idle** (`idle_portals`): every 30-day figure is 0 (cameras, vehicles captured, hotlist hits, searches): stated
  zeros, a program that had stopped by April 2026 (Austin TX PD's ended on 30 June 2025, Eugene OR PD's in December
  2025; docs/sources.md). It owns only the OSM cameras naming it the operator (`sim.world.flock_2026_cameras`). Its
  0 searches is its rate where the portals' counts are used (``world.flock.portal_searches``, the 2026 side);
  where rates are drawn (the 2025 side) it draws like any agency: when its program ended is not in the data, and an
  agency whose program ended after a period searched in it (Eugene's log holds ~770 searches per 30 days in
  June-December 2025).
- **a 0 beside activity** (any figure above 0): a 0 camera count is not stated (the fill places its cameras), and so
  is a 0 search count (`searches_left_out`: its rate is drawn, on either side).
- **a read rate** (`reads_stated`, ``world.flock.portal_reads``): a portal's vehicles per camera-day is its own pair,
  vehicles captured / cameras / 30, only where both are stated and above 0: an idle portal's zeros state no rate
  (its OSM-named cameras read at a drawn one), a 0 camera count beside vehicles is not stated (36 portals), and a 0
  vehicle count beside cameras is a 0 beside activity, not stated either (its cameras draw).
- **ended before the period** (``world.flock.ended_before_period``, exact names): a source dates the program's end
  before the scenario's period (flock-2026-real.yaml, late 2025: Austin TX PD): read as idle, and it runs no searches
  on either side (`Agencies.ended`; by_agency's ``search_rate_source`` "ended").
"""

from __future__ import annotations

import difflib

import numpy as np

from sim.config.errors import Problem, ScenarioError

ENDED_FIELD = "world.flock.ended_before_period"


def idle_portals(portal: np.ndarray, cameras: np.ndarray, vehicles: np.ndarray, hotlist_hits: np.ndarray,
                 searches: np.ndarray) -> np.ndarray:
    """bool per agency: a portal whose every 30-day figure is 0 (cameras, vehicles captured, hotlist hits, searches).
    Its 0 cameras are a stated figure, not a missing one: a portal that omits its camera count still shows the
    vehicles its cameras captured (93 portals list 0 cameras, 36 of them beside vehicles), while one showing no
    activity at all is a program that has stopped (Austin TX PD's ended in June 2025, Eugene OR PD's in December
    2025; docs/sources.md)."""
    return portal & (cameras == 0) & (vehicles == 0) & (hotlist_hits == 0) & (searches == 0)


def searches_left_out(portal: np.ndarray, idle: np.ndarray, searches: np.ndarray) -> np.ndarray:
    """bool per agency: a portal showing 0 searches beside some other activity, read as a left-out figure."""
    return portal & ~idle & (searches == 0)


def reads_stated(portal: np.ndarray, idle: np.ndarray, cameras: np.ndarray, vehicles: np.ndarray) -> np.ndarray:
    """bool per agency: a portal stating both its camera count and its vehicles captured (30 days) above 0, so that
    their ratio is its own vehicles per camera-day (`idle`: an idle portal or an ended program, which states none)."""
    return portal & ~idle & (cameras > 0) & (vehicles > 0)


def unknown_ended(wanted: list[str], all_names: set[str], source: str = "scenario",
                  line: int | None = None) -> list[Problem]:
    """A problem for each name of ``world.flock.ended_before_period`` that is no node of the lists (`all_names`),
    with the closest names, located at `source`:`line` (`fedsim validate` gives the file's line)."""
    problems = []
    for w in (w for w in wanted if w not in all_names):
        close = difflib.get_close_matches(w, sorted(all_names), n=3, cutoff=0.6)
        hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
        problems.append(Problem(source, ENDED_FIELD, f"not an agency of the 2026 lists (exact names: "
                                f"fedsim world --json){hint}", line, value=w, has_value=True))
    return problems


def ended_rows(wanted: list[str], names: list[str], all_names: set[str]) -> np.ndarray:
    """bool over `names` (the world's agencies): named in ``world.flock.ended_before_period``. A name that is no node
    of the lists raises `ScenarioError` with the closest names; one the world dropped (another state) is ignored."""
    problems = unknown_ended(wanted, all_names)
    if problems:
        raise ScenarioError(problems)
    return np.isin(np.array(names, dtype=object), list(wanted)) if wanted else np.zeros(len(names), dtype=bool)


def zeros_note(idle: np.ndarray, cams_left_out: int, searches_out: np.ndarray, ended: np.ndarray,
               names: np.ndarray, portal_searches: bool) -> str:
    """The world note counting each reading of the portals' zeros."""
    idle_only = idle & ~ended
    listed = ", ".join(str(n) for n in names[ended]) or "none"
    rate = ("search at their published 0 (world.flock.portal_searches)" if portal_searches else
            "search at a drawn rate (their programs' ends are not in the data; one that ended after the period "
            "searched in it)")
    return (f"flock-2026 portal zeros: {int(idle_only.sum()):,} idle portals (every 30-day figure 0, April 2026) own "
            f"only cameras OSM names them the operator of and {rate}; {int(ended.sum()):,} ended before the period "
            f"({ENDED_FIELD}: {listed}) own the same and run no searches; {cams_left_out:,} portals listing 0 cameras "
            f"beside other activity read as not stated (filled); {int(searches_out.sum()):,} listing 0 searches beside "
            "other activity read as not stated (drawn rate), as 2024's portals left the count out far more often "
            "than they stated 0 (docs/world.md, 'Portal zeros')")


def reads_note(stated: np.ndarray, active: np.ndarray, portal_reads: bool) -> str:
    """The world note counting the portals whose vehicles per camera-day sets their read rate (`reads_stated`) among
    the `active` ones (portals neither idle nor ended)."""
    rule = ("read at it (world.flock.portal_reads), every other owner at the national rate x a drawn owner "
            "multiplier" if portal_reads else "every owner reads at the national rate x a drawn owner multiplier "
            "(world.flock.portal_reads: false)")
    return (f"flock-2026: {int(stated.sum()):,} portals state both cameras and vehicles captured above 0 (their own "
            f"vehicles per camera-day; {int((active & ~stated).sum()):,} other active portals leave one out); {rule}")
