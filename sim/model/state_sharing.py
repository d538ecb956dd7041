"""Sharing between states, as plain data for the report's state-to-state drawing (``state_sharing`` in world.json).

A link is one sharing edge u -> v of the world (v may search u's reads: a 1:1 grant, or u's statewide
sharing), counted per pair (owner's state, searcher's state); federal units, which have no state, are the
pseudo-state ``FED`` (as in ``by_state``). Per pair: ``links`` in the world and ``open`` under the policy,
that is neither dropped by the owner's policy (`sim.model.access.policy_edges`) nor refused by a state law,
a federal firewall or the owner's sharing scope (`sim.model.access.refusals`, the rule searches use).
National lookup is not a link (it opens an owner's reads to every agency that searches nationally): per
state, ``lookup_owners`` counts the owners it opens (private networks included), beside ``agencies``,
``private_networks`` (companies' and HOAs' networks: each links to its area's agency by a 1:1 grant) and
``cameras`` (every owner's). Units: directed owner-to-agency links; agencies; networks; cameras.

Saved whole for every run (a few thousand pairs at national scale), so a report can draw any state's links
and neighbours without rebuilding the world.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from sim.geo.states import FEDERAL_STATE, STATE_CODES
from sim.model.access import policy_edges, refusals
from sim.model.policy_effects import PolicyEffects
from sim.world.sharing import edge_arrays
from sim.world.types import FEDERAL, PRIVATE, World


def _pairs(owner_state: np.ndarray, searcher_state: np.ndarray, n_codes: int) -> np.ndarray:
    """Links per (owner state, searcher state) as an (n_codes, n_codes) count matrix."""
    flat = owner_state.astype(np.int64) * n_codes + searcher_state
    return np.bincount(flat, minlength=n_codes * n_codes).reshape(n_codes, n_codes)


def state_sharing(world: World, effects: PolicyEffects) -> dict[str, Any]:
    """Per state, agencies, cameras and owners open to national lookup; per pair of states, links and open links."""
    a = world.agencies
    codes = (*STATE_CODES, FEDERAL_STATE)
    fed_code = len(STATE_CODES)
    federal = np.asarray(a.kind) == FEDERAL
    state = np.where(federal | (np.asarray(a.state) < 0), fed_code, np.asarray(a.state)).astype(np.int64)
    n_codes = len(codes)
    src, dst = edge_arrays(world.sharing)
    links = _pairs(state[src], state[dst], n_codes)
    kept_src, kept_dst = policy_edges(world, effects)
    same = (state[kept_src] == state[kept_dst]) & (state[kept_src] != fed_code)
    law, scope = refusals(effects, kept_src, same, federal[kept_dst])
    ok = ~(law | scope)
    opened = _pairs(state[kept_src][ok], state[kept_dst][ok], n_codes)
    owner, searcher = np.nonzero(links)
    cams = np.asarray(a.cameras, dtype=np.int64)
    states = {}
    private = np.asarray(a.kind) == PRIVATE
    for s in np.unique(state[~federal]).tolist():
        rows = ~federal & (state == s)
        states[codes[s]] = {"agencies": int((rows & ~private).sum()), "private_networks": int((rows & private).sum()),
                            "cameras": int(cams[rows].sum()),
                            "lookup_owners": int((rows & np.asarray(effects.national_lookup)).sum())}
    return {
        "states": states,
        "federal_lookup": bool(effects.federal_lookup),
        "pairs": {
            "owner": [codes[i] for i in owner.tolist()],
            "searcher": [codes[j] for j in searcher.tolist()],
            "links": links[owner, searcher].tolist(),
            "open": opened[owner, searcher].tolist(),
        },
    }
