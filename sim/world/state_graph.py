"""One state's sharing federation as plain data, for the report's network drawing (``state_graph`` in world.json).

Nodes are police agencies (private networks are left out: each holds one grant, to its area's agency).
The state drawn is the one with the most agencies that still fits `MAX_AGENCIES` (a drawing of more nodes is
unreadable); when every state is larger (a one-state scenario), `MAX_AGENCIES` of its agencies are drawn at
random from the named stream ``world.summary.state_graph`` and ``sampled`` says so. Nodes: those agencies
plus every federal unit that holds an edge to one of them, each with kind, name and national-lookup opt-in.
Edges: the sharing edges among the nodes (u -> v: v may search u's reads), with ``how`` (grant, statewide).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from sim.geo.states import STATE_CODES
from sim.world.types import AGENCY_TYPES, FEDERAL, World, is_police

MAX_AGENCIES = 40  # also keeps `fedsim world --json` small (~70 KB for the national baseline)


def state_graph(world: World, rng: np.random.Generator, max_agencies: int = MAX_AGENCIES,
                state: str | None = None, agency: int | None = None) -> dict[str, Any] | None:
    """`state`: draw that state (a report's ``--focus``) instead of the largest that fits. `agency` (an index, a
    report's ``--focus-agency``): when the state must be sampled, the sample is that agency's neighbourhood, i.e.
    the agency and its in-state sharing partners (either direction), filled up at random."""
    a = world.agencies
    police = np.flatnonzero(is_police(a.kind))  # police agencies (private networks, one grant each, are not drawn)
    if not len(police):
        return None
    counts = np.bincount(a.state[police], minlength=len(STATE_CODES))
    fits = np.flatnonzero((counts > 0) & (counts <= max_agencies))
    if state is not None:
        state_i = STATE_CODES.index(state)
        if not counts[state_i]:
            return None
    else:
        state_i = int(fits[np.argmax(counts[fits])]) if len(fits) else int(np.argmax(counts))
    members = police[a.state[police] == state_i]
    sampled = len(members) > max_agencies
    graph = world.sharing
    if sampled:
        members = _sample(members, rng, max_agencies, agency, graph)
    keep = {int(i) for i in members}
    federal = sorted({int(v) for u in keep for v in graph.successors(u) if a.kind[v] == FEDERAL})
    nodes = keep | set(federal)
    edges = [[u, int(v), attrs.get("how", "grant")] for u in sorted(keep) for v, attrs in graph[u].items() if v in nodes]
    return {
        "state": STATE_CODES[state_i],
        "agencies_in_state": int(counts[state_i]),
        "sampled": sampled,
        "focus_agency": int(agency) if agency is not None and int(agency) in keep else None,
        "nodes": [{"id": int(i), "kind": AGENCY_TYPES[int(a.kind[i])], "name": str(a.name[i]),
                   "national_lookup": bool(a.national_lookup[i])} for i in sorted(nodes)],
        "edges": edges,
    }


def _sample(members: np.ndarray, rng: np.random.Generator, k: int, agency: int | None, graph: Any) -> np.ndarray:
    """`k` of a state's `members`: at random, or the focus agency, its in-state partners and random others."""
    if agency is None or agency not in set(members.tolist()):
        return np.sort(rng.choice(members, size=k, replace=False))
    near = ({int(v) for v in graph.successors(agency)} | {int(u) for u in graph.predecessors(agency)}) - {agency}
    partners = np.array(sorted(near & set(members.tolist())), dtype=members.dtype)
    if len(partners) >= k - 1:
        chosen = rng.choice(partners, size=k - 1, replace=False)
    else:
        rest = np.setdiff1d(members, np.append(partners, agency))
        chosen = np.concatenate([partners, rng.choice(rest, size=k - 1 - len(partners), replace=False)])
    return np.sort(np.append(chosen, agency).astype(members.dtype))
