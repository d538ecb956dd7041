"""The built world as arrays: one numpy array per attribute, one row per entity.

Coordinates: ``lat``/``lon`` in degrees, and ``x_m``/``y_m`` in metres on one national equirectangular
projection (x east, y north, origin at 0 deg N, 0 deg E, scaled by cos(38 deg)), good enough for the
sub-kilometre distances a request area or a camera radius needs. Owner types are coded by their index
in `OWNER_TYPES`: the four agency types (`AGENCY_TYPES`, the searchers) and ``private``, a company or HOA that
owns a Flock network (it owns cameras and shares reads, never searches, posts Ring requests or runs proxy
lookups). The rows of `Agencies` are every network owner and searcher: agencies first, private owners last
(`Agencies.n_searchers` rows search). States are coded by their index in `sim.geo.states.STATE_CODES`.

The world holds no policy: what a policy decides (effective retention, which agencies honour a state law,
national lookup switched off) is applied in the model by `sim.model.policy_effects` from what is stored here
(each agency's own retention where known, one uniform draw per agency for compliance), so design points that
differ only in ``policy.*`` share one world.

The sharing federation is a networkx DiGraph over agency indices (edge u -> v: v may search u's reads),
with edge attribute ``how`` in {"grant" (1:1), "statewide" (u shares with its whole state)}; it holds
agencies, not cameras. National lookup is not materialised as edges (~19 million at national scale): it
is ``agencies.national_lookup`` (owner opted in), applied by `sim.model.access`. See docs/world.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:  # an annotation only: reading a results folder (`fedsim report`) imports these types, not networkx
    import networkx as nx

AGENCY_TYPES: tuple[str, ...] = ("local_police", "sheriff", "state_police", "federal")  # the searchers
OWNER_TYPES: tuple[str, ...] = AGENCY_TYPES + ("private",)  # every row of `Agencies`
LOCAL, SHERIFF, STATE_POLICE, FEDERAL, PRIVATE = range(5)
SITE_TYPES: tuple[str, ...] = ("arterial", "neighborhood", "business", "hoa")


def is_police(kind: np.ndarray) -> np.ndarray:
    """bool per row: a police agency (local police, sheriff, state police): owns a network and searches."""
    kind = np.asarray(kind)
    return kind < FEDERAL


@dataclass
class Agencies:
    """Network owners and searchers, one row each: agencies (`AGENCY_TYPES`), then private owners."""

    name: np.ndarray  # str
    kind: np.ndarray  # int8, index into OWNER_TYPES
    state: np.ndarray  # int16, index into STATE_CODES (federal units: -1)
    lat: np.ndarray
    lon: np.ndarray
    x_m: np.ndarray
    y_m: np.ndarray
    national_lookup: np.ndarray  # bool: opted into Flock's national lookup
    # float in [0, 1), drawn once: the agency honours state sharing laws (and a federal firewall) when this is
    # below ``policy.state_law_compliance`` (`sim.model.policy_effects`); federal units 1.0 (never).
    compliance_draw: np.ndarray
    cameras: np.ndarray  # int32: ALPR cameras owned
    retention_days: np.ndarray  # int16: the agency's own ALPR retention (real data); 0 = unknown, the policy's default
    defaulted: np.ndarray  # bool: attributes filled with documented defaults (real-data loader)
    # 30-day portal statistics (real data; NaN where unknown and in synthetic worlds)
    vehicles_30d: np.ndarray | None = None  # float: "vehicles detected in the last 30 days"
    hotlist_hits_30d: np.ndarray | None = None  # float
    searches_30d: np.ndarray | None = None  # float
    # float: searches per 30 days the agency runs at, its own published figure (``world.flock.portal_searches``);
    # NaN: its rate is drawn (`sim.model.alpr_searches`)
    own_searches_30d: np.ndarray | None = None
    # float: vehicles captured per camera-day its cameras read at, its portal's own vehiclesCaptured / cameras / 30
    # (``world.flock.portal_reads``; `sim.world.flock_2026_zeros.reads_stated`); NaN: its read rate is drawn
    # (`sim.model.alpr_reads`)
    own_vehicles_per_camera_day: np.ndarray | None = None
    # str: the configured federal unit (``world.agencies.federal_units``: "USPIS", "FBI"...) a row is, "" for every
    # other row; a unit's display name may be the data's ("[Federal] US Postal Inspection Service")
    unit: np.ndarray | None = None
    # bool: a source says the agency's Flock program had ended before the scenario's period
    # (``world.flock.ended_before_period``): it runs no searches (`sim.model.alpr_searches`)
    ended: np.ndarray | None = None

    def __post_init__(self) -> None:
        for name in ("vehicles_30d", "hotlist_hits_30d", "searches_30d", "own_searches_30d",
                     "own_vehicles_per_camera_day"):
            if getattr(self, name) is None:
                setattr(self, name, np.full(len(self.kind), np.nan))
        if self.unit is None:
            self.unit = np.full(len(self.kind), "", dtype=object)
        if self.ended is None:
            self.ended = np.zeros(len(self.kind), dtype=bool)

    @property
    def portal(self) -> np.ndarray:
        """bool per row: an agency with a transparency portal (real data: its 30-day searches are known)."""
        return ~np.isnan(np.asarray(self.searches_30d, dtype=float))

    def unit_index(self) -> dict[str, int]:
        """Configured federal unit -> its row."""
        return {str(u): i for i, u in enumerate(self.unit) if u}

    def __len__(self) -> int:
        return len(self.kind)

    @property
    def n_searchers(self) -> int:
        """Rows that may search: every row before the first private owner (private owners come last)."""
        private = np.flatnonzero(np.asarray(self.kind) == PRIVATE)
        if not len(private):
            return len(self.kind)
        first = int(private[0])
        if len(private) != len(self.kind) - first:
            raise ValueError("private owners must be the last rows of Agencies")
        return first


@dataclass
class Places:
    """Neighborhoods, HOAs or businesses: a point, its state and the agency whose area it is in."""

    x_m: np.ndarray
    y_m: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    state: np.ndarray
    agency: np.ndarray  # int32

    def __len__(self) -> int:
        return len(self.x_m)


@dataclass
class Households:
    """Ring households."""

    neighborhood: np.ndarray  # int32
    agency: np.ndarray  # int32, the agency whose area holds the household
    x_m: np.ndarray
    y_m: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    cameras: np.ndarray  # int8
    paid: np.ndarray  # bool: paid plan (stored video)
    retention_days: np.ndarray  # int16: retention the household chose (before any policy cap); 0 without a paid plan

    def __len__(self) -> int:
        return len(self.x_m)


@dataclass
class Cameras:
    """Flock ALPR cameras."""

    owner: np.ndarray  # int32 agency index
    x_m: np.ndarray
    y_m: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    site: np.ndarray  # int8, index into SITE_TYPES

    def __len__(self) -> int:
        return len(self.owner)


@dataclass
class World:
    agencies: Agencies
    neighborhoods: Places
    hoas: Places
    businesses: Places
    households: Households
    cameras: Cameras
    sharing: nx.DiGraph
    notes: list[str] = field(default_factory=list)  # what a real-data loader skipped or defaulted
    source_figures: dict[str, Any] = field(default_factory=dict)  # what a real-data source reports (flock-2026)

    def __getstate__(self) -> dict:
        """Pickle the sharing graph as its edge arrays (its shared read-only edge mappings do not pickle)."""
        state = dict(self.__dict__)
        edges = self.sharing.graph.get("edges")
        state["sharing"] = ("edges", edges) if edges is not None else ("graph", self.sharing.copy())
        return state

    def __setstate__(self, state: dict) -> None:
        form, value = state["sharing"]
        if form == "edges":
            from sim.world.sharing import build_graph

            state = state | {"sharing": build_graph(state["agencies"], *value)}
        else:
            state = state | {"sharing": value}
        self.__dict__.update(state)
