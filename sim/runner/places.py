"""A run's ``by_agency`` and ``by_state`` tables from its per-agency columns and the world it ran on.

The model hands back one array per `sim.results.places.AGENCY_COLUMNS` name (`RunOutput.by_agency`) and the
audit rows per agency, channel and reason (`RunOutput.audit_by_agency`); the
world gives the agencies' names, states, types and cameras. `place_tables` builds both Arrow tables in the
worker, beside metrics and flows (schemas and row order: `sim.results.places`).
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from sim.geo.states import STATE_CODES
from sim.results.places import FEDERAL_STATE, audit_by_agency_table, by_agency_table, by_state_table, state_values
from sim.world.types import FEDERAL, OWNER_TYPES, PRIVATE, World


def agency_labels(world: World) -> tuple[list[str], list[str], list[str]]:
    """(names, state codes (federal units: FED), type names: `OWNER_TYPES`) per row (agencies, private networks)."""
    a = world.agencies
    names = [str(x) for x in a.name]
    states = [STATE_CODES[int(s)] if s >= 0 else FEDERAL_STATE for s in np.asarray(a.state).tolist()]
    types = [OWNER_TYPES[int(k)] for k in np.asarray(a.kind).tolist()]
    return names, states, types


def place_tables(world: World, columns: dict[str, np.ndarray], scenario: str, design_point: int,
                 replication: int, audit: dict[str, np.ndarray] | None = None) -> dict[str, pa.Table]:
    """by_state and by_agency from the per-agency `columns`; audit_by_agency from `audit` (its rows)."""
    a = world.agencies
    cams = np.asarray(a.cameras, dtype=np.float64)
    cols = {"cameras": cams, **columns}
    names, states, types = agency_labels(world)
    owner = np.asarray(a.kind) != FEDERAL
    return {
        "by_state": by_state_table(state_values(cols, states, owner, cams, np.asarray(a.kind) == PRIVATE), scenario,
                                   design_point, replication),
        "by_agency": by_agency_table(cols, names, states, types, scenario, design_point, replication),
        "audit_by_agency": audit_by_agency_table(audit or {}, scenario, design_point, replication),
    }
