"""Search types given the scope: Flock's Lookup tool runs the statewide and national lookups, its Search tool's types
(search, freeform, visual, multigeo, convoy) run local or shared only, and each agency type keeps both mixes."""

from __future__ import annotations

import numpy as np

from sim.config import load_scenario
from sim.config.behavior_alpr import SEARCH_SCOPES, SEARCH_TYPES
from sim.model.alpr_searches import LOOKUP, STATEWIDE
from sim.world.types import AGENCY_TYPES
from tests.conftest import SCENARIOS
from tests.sim.model.test_alpr_searches import gen


def test_statewide_and_national_searches_are_lookups_and_each_agency_type_keeps_both_mixes() -> None:
    """Flock's Search tool reaches only networks shared 1:1 and its Lookup tool runs the statewide and national
    lookups (haveibeenflocked.com): a statewide or national search is a ``lookup``, a local or shared one may be any
    type. The type is drawn given the scope, so that each agency type's scopes are its ``scope_mix`` and its types
    ``type_mix`` (within 4 standard errors), where its statewide + national share c is at most the lookup share L
    (local and shared searches alike: lookups (L - c) / (1 - c) of them); federal units (c = 0.8 > L) keep their
    scopes and run lookups at c, none local or shared. The old draw, type and scope apart, ran ~24% of statewide
    searches with the Search tool."""
    # one state: no platform rule turns national lookups statewide (California's would move the scope shares)
    g, world = gen({"world.states": ["NC"], "world.agencies.sheriff": 300, "world.agencies.state_police": 20})
    days = [g.day(d) for d in range(21)]
    own = ~np.concatenate([d.proxy for d in days])
    stype = np.concatenate([d.type for d in days])[own]
    scope = np.concatenate([d.scope for d in days])[own]
    kind = world.agencies.kind[np.concatenate([d.searcher for d in days])[own]]
    assert (stype[scope >= STATEWIDE] == LOOKUP).all() and (stype[scope < STATEWIDE] != LOOKUP).any()
    cfg = load_scenario(SCENARIOS / "small.yaml").behavior.searches
    types = np.array([cfg.type_mix.get(t, 0.0) for t in SEARCH_TYPES])
    types = types / types.sum()

    def near(got: np.ndarray, want: np.ndarray, n: int) -> bool:
        return bool(np.all(np.abs(got - want) <= 4 * np.sqrt(want * (1 - want) / n) + 1e-9))

    for t, name in enumerate(AGENCY_TYPES):
        rows = kind == t
        n = int(rows.sum())
        assert n > 1_500, (name, n)
        mix = np.array([cfg.scope_mix[name].get(s, 0.0) for s in SEARCH_SCOPES])
        mix = mix / mix.sum()
        assert near(np.bincount(scope[rows], minlength=len(SEARCH_SCOPES)) / n, mix, n), name
        got = np.bincount(stype[rows], minlength=len(SEARCH_TYPES)) / n
        c = mix[STATEWIDE:].sum()
        if c <= types[LOOKUP]:
            assert near(got, types, n), (name, got)
            tool = rows & (scope < STATEWIDE)
            lookups = (types[LOOKUP] - c) / (1 - c)
            for s in (0, 1):  # local and shared alike
                at = tool & (scope == s)
                if at.sum() > 100:
                    assert near(np.array([(stype[at] == LOOKUP).mean()]), np.array([lookups]), int(at.sum())), name
        else:
            assert name == "federal" and near(np.array([got[LOOKUP]]), np.array([c]), n)
            assert (stype[rows & (scope < STATEWIDE)] != LOOKUP).all()
