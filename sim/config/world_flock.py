"""`world.flock:` how the real-geography world (``world.source: flock-2026``) fills the gaps in its data.

The data (data/flock_2026/, docs/world.md) gives agencies where they are, OSM-mapped cameras, portal camera
counts, each agency's number of sharing connections and people per state. Everything it does not say is one of
these fields; each default is sourced or an assumption (docs/world.md, "Real geography"). Distances in metres.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from sim.config.base import AGENCY_TYPES, NonNegInt, PositiveFloat, Share, StrictModel

DATA_TYPES = ("pd", "so", "other", "school", "federal")
FEDSIM_TYPES = (*AGENCY_TYPES, "by_name")  # an agency type, or read from the agency's name


class FlockWorld(StrictModel):
    """Gap-filling choices of the flock-2026 world source."""

    data: str = Field("shipped", description="'shipped' (data/flock_2026/) or a folder with files of that layout")
    include_inactive: bool = Field(False, description="keep agencies the lists mark inactive (source: the data's flag)")
    types: dict[str, str] = Field(
        default_factory=lambda: {"pd": "by_name", "so": "sheriff", "other": "by_name", "school": "local_police",
                                 "federal": "federal"},
        description="data type -> fedsim agency type; 'by_name' reads it from the name (sim.world.agency_names: State "
                    "Patrol -> state_police, SO -> sheriff, campus and school police and the rest -> local_police; pd: "
                    "the lists label Georgia State Patrol and Indiana State Police 'pd'); assumption for other and "
                    "school (campus police search and own cameras like local police)",
    )
    brands: Literal["all", "flock"] = Field(
        "all", description="which OSM cameras count: every ALPR vendor (as DeFlock's cameraCount) or Flock Safety only")
    nearest_radius_m: PositiveFloat = Field(
        15_000.0, description="a camera without a mapped operator goes to the nearest agency of its state within this "
                              "radius (m; 95% of local police's operator-named cameras stand within 15.1 km of their agency)")
    portal_counts: bool = Field(True, description="an agency with a portal owns exactly its portal's camera count (a 0 "
                                                   "beside other activity is not stated; a portal whose every figure "
                                                   "is 0 owns only the OSM cameras naming it the operator)")
    fill: Literal["state_share", "state_counts", "population", "road_miles"] = Field(
        "state_share", description="where cameras beyond the mapped and portal ones stand, up to world.alpr.total: "
                                   "every state to one common multiple of DeFlock's cameraCount ('state_share'; "
                                   "assumption: the maps miss the same share of each state's cameras), each state up "
                                   "to its cameraCount first, then by population ('state_counts'), or by population "
                                   "or road miles alone")
    agency_population_default: PositiveFloat = Field(
        27_736.0, description="population served by an agency without a portal figure, for placing people and filled "
                              "cameras (median of the 723 portals that give one, 2026-04)")
    mutual_share: Share = Field(
        0.043, description="share of sharing connections that run both ways (272,290 directed edges against 522,239 "
                           "summed connection counts, DeFlock 2026-04)")
    portal_searches: bool = Field(
        False, description="an agency whose portal publishes a 30-day search count searches at that count / 30 a day "
                           "(a 0 is a real 0 on an idle portal, every figure 0; a 0 beside vehicles, hotlist hits or "
                           "cameras is read as not stated and drawn), instead of a rate drawn from behavior.searches; "
                           "agencies without one keep the drawn rate. The counts are April 2026's: on in "
                           "flock-2026-real-rules.yaml (the 2026 side), off on the 2025 side (docs/world.md, \"Search "
                           "rates\")")
    portal_reads: bool = Field(
        False, description="an agency whose portal states both vehicles captured and cameras above 0 (April 2026) reads "
                           "at its portal's vehicles per camera-day (vehiclesCaptured / cameras / 30, the portal's own "
                           "pair, whatever cameras the world gives it), converted to the read basis as "
                           "behavior.alpr.unique_vehicles_per_camera_day is (raw: x reads_per_camera_day / "
                           "unique_vehicles_per_camera_day, 15.8 captures per vehicle counted, assumption), instead of "
                           "the national rate x a drawn owner multiplier (behavior.alpr.agency_rate_sigma); other owners "
                           "keep the draw. On in flock-2026-real.yaml, so on both sides of a 2025-2026 comparison: the "
                           "cameras are April 2026's on both (docs/world.md, \"Read rates\")")
    ended_before_period: list[str] = Field(
        default_factory=list,
        description="agencies (exact names of the lists) whose Flock program a source says had ended before the "
                    "scenario's period: they run no searches and own only the OSM cameras naming them, as an idle "
                    "portal (flock-2026-real.yaml, late 2025: Austin TX PD, ended 30 June 2025). Every other idle "
                    "portal searches at a drawn rate where rates are drawn: its program's end is not in the data "
                    "(docs/world.md, \"Portal zeros\"). `fedsim validate` checks the names against the lists "
                    "(world.flock.data); read only by world.source flock-2026: another world refuses a name here")
    keep_2024_edges: bool = Field(True, description="add the N&O 2024 grants (data/private_eyes) where both ends exist")
    private_operators: bool = Field(
        True, description="with world.private.enabled, OSM cameras whose operator is a company or an HOA "
                          "(sim.world.flock_2026_operators) become private networks, one per operator and police area "
                          "(assumption); false: they go to the nearest agency like unmatched ones")
    unmapped_private: NonNegInt = Field(
        0, description="with world.private.enabled, private networks beyond those OSM names, nationally: each at an OSM "
                       "camera whose operator the data do not name, sized like the OSM-named networks, with new cameras "
                       "counted in world.alpr.total (sim.world.flock_2026_unmapped); fitted by sim.calibration.fit_private")

    @field_validator("types")
    @classmethod
    def _types(cls, v: dict[str, str]) -> dict[str, str]:
        missing = [t for t in DATA_TYPES if t not in v]
        unknown = [t for t in v if t not in DATA_TYPES]
        bad = {k: t for k, t in v.items() if t not in FEDSIM_TYPES}
        if missing or unknown or bad:
            raise ValueError(f"types must map each of {list(DATA_TYPES)} to one of {list(FEDSIM_TYPES)}; "
                             f"missing {missing}, unknown keys {unknown}, unknown types {bad}")
        return v
