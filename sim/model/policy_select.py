"""Which agencies a ``policy.overrides`` entry's ``where`` selects in a built world (a bool mask per agency).

States and types are checked when the scenario loads (`sim.config.policy_overrides`); agency names and
indices can only be checked against the world, so an unknown name raises `ScenarioError` here, naming the
override by index and key, with the closest names ("did you mean"). `check_overrides` runs the selection
once in the parent before any run starts (`sim.runner.worlds`), so a bad name stops the batch with exit 2.
"""

from __future__ import annotations

import difflib

import numpy as np

from sim.config.errors import Problem, ScenarioError
from sim.config.policy import Policy as PolicyConfig
from sim.config.policy_overrides import Where
from sim.geo.states import STATE_CODES
from sim.world.types import OWNER_TYPES, World


def _agencies(world: World, wanted: list[str | int], index: int) -> np.ndarray:
    names = np.asarray(world.agencies.name).astype(str)
    n = len(names)
    rows = np.zeros(n, dtype=bool)
    problems = []
    path = f"policy.overrides.{index}.where.agency"
    for item in wanted:
        if isinstance(item, int):
            if not 0 <= item < n:
                problems.append(Problem("policy", path, f"agency index {item} is out of range; this world has "
                                        f"agencies 0..{n - 1} (the `agency` column of by_agency)"))
                continue
            rows[item] = True
            continue
        hit = names == item
        if not hit.any():
            known = sorted(set(names.tolist()))
            folded = [k for k in known if k.casefold() == item.casefold()]  # a difference of case first
            close = folded or difflib.get_close_matches(item, known, n=3, cutoff=0.6)
            hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else \
                "; names must match exactly (see by_agency's `name` column or `fedsim world`)"
            problems.append(Problem("policy", path, f"no agency named {item!r} in this world{hint}"))
            continue
        rows |= hit
    if problems:
        raise ScenarioError(problems)
    return rows


def select(world: World, where: Where, index: int) -> np.ndarray:
    """bool per agency: those `where` (override number `index`, for messages) selects."""
    a = world.agencies
    rows = np.ones(len(a), dtype=bool)
    if where.state is not None:
        rows &= np.isin(a.state, [STATE_CODES.index(s) for s in where.state])
    if where.type is not None:
        rows &= np.isin(a.kind, [OWNER_TYPES.index(t) for t in where.type])
    if where.agency is not None:
        rows &= _agencies(world, where.agency, index)
    cams = np.asarray(a.cameras)
    if where.cameras_min is not None:
        rows &= cams >= where.cameras_min
    if where.cameras_max is not None:
        rows &= cams <= where.cameras_max
    return rows


def check_overrides(world: World, policy: PolicyConfig) -> list[int]:
    """Agencies each override selects in `world` (raises `ScenarioError` for unknown agency names)."""
    return [int(select(world, o.where, i).sum()) for i, o in enumerate(policy.overrides)]
