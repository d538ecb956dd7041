"""`world:` what exists: agencies, places, Ring households, Flock ALPR cameras, the sharing federation.

Counts are entities; distances in metres; areas in square miles. Defaults reproduce the national
2025-like world of `scenarios/baseline.yaml`; sources are listed in docs/MODEL.md.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, ValidationInfo, field_validator, model_validator

from sim.config.base import (
    AGENCY_TYPES,
    DayWeights,
    NonNegInt,
    PositiveFloat,
    PositiveInt,
    Share,
    StrictModel,
    Weights,
    known_names,
    state_codes_validator,
)
from sim.config.world_flock import FlockWorld
from sim.geo.states import NOT_STATES, STATE_CODES

# Federal units and the share of non-federal agencies granting each 1:1, defined once here (the baseline and the
# scenarios extending it inherit them). USPIS, FBI, ATF: in the agencies' sharing lists; shares from the 2026 lists
# (data/flock_2026: USPIS 154, FBI 88, ATF 12 connections over 906 portals; 2024 N&O lists: 49%, 13%, 13%).
# ICE-HSI, CBP, USSS, NCIS: had access through the federal pilots (Sen. Wyden's letter via 404 Media, 2025) and
# appear in no sharing list: 0.
FEDERAL_GRANT_SHARE_DEFAULT: dict[str, float] = {"USPIS": 0.17, "FBI": 0.097, "ATF": 0.013, "ICE-HSI": 0.0,
                                                 "CBP": 0.0, "USSS": 0.0, "NCIS": 0.0}
FEDERAL_UNITS_DEFAULT: list[str] = list(FEDERAL_GRANT_SHARE_DEFAULT)
# Arterial cameras' disc per agency type (metres): local police and sheriffs fitted (`sim.calibration.fit_placement`,
# tests/sim/test_calibration_fit_placement.py checks the fit gives these); state police and federal: assumption.
PLACEMENT_RADIUS_M_DEFAULT: dict[str, float] = {"local_police": 4800.0, "sheriff": 28000.0, "state_police": 8000.0,
                                               "federal": 8000.0}


class AgencyCounts(StrictModel):
    """How many agencies of each type; federal units are named, one node each."""

    local_police: NonNegInt = 4100
    sheriff: NonNegInt = 800
    state_police: NonNegInt = 50
    federal_units: list[str] = Field(default_factory=lambda: list(FEDERAL_UNITS_DEFAULT))

    @field_validator("federal_units")
    @classmethod
    def _unique_units(cls, v: list[str]) -> list[str]:
        if len(set(v)) != len(v):
            raise ValueError("federal unit names must be unique")
        return v

    @property
    def non_federal(self) -> int:
        return self.local_police + self.sheriff + self.state_police


class Households(StrictModel):
    """Ring households: one row per household in arrays; cameras per household is 1 + Poisson."""

    count: NonNegInt = 1_000_000
    extra_cameras_mean: float = Field(0.6, ge=0.0, description="mean cameras beyond the first")
    paid_plan_share: Share = 0.5
    retention_days: DayWeights = Field(
        default_factory=lambda: {30: 0.8, 60: 0.1, 180: 0.1},
        description="retention (days) chosen by paid households -> weight",
    )
    neighborhood_spread_m: PositiveFloat = 820.0

    @field_validator("retention_days")
    @classmethod
    def _retention(cls, v: dict[int, float]) -> dict[int, float]:
        if any(d < 1 or d > 180 for d in v):
            raise ValueError(f"retention days must be between 1 and 180 (Ring's range), got {sorted(v)}")
        return v


class AlprCameras(StrictModel):
    """Flock ALPR cameras: per-agency counts are lognormal (median, sigma), scaled to `total`."""

    total: NonNegInt = 126_152  # fitted with the private networks (sim.calibration.fit_private); >80,000 a lower bound
    per_agency_median: PositiveFloat = 12.0
    per_agency_sigma: PositiveFloat = 1.1
    # Arterial cameras stand uniformly within this radius of their owner, per agency type (a number: every type).
    # Local police and sheriffs: fitted to the median distance of the 2026 OSM cameras whose operator names them
    # (`sim.calibration.fit_placement`); state police and federal units: assumption (docs/MODEL.md).
    placement_radius_m: dict[str, PositiveFloat] = Field(default_factory=lambda: dict(PLACEMENT_RADIUS_M_DEFAULT))
    sites: Weights = Field(
        default_factory=lambda: {"arterial": 0.7, "neighborhood": 0.15, "business": 0.1, "hoa": 0.05},
        description="where cameras stand -> share",
    )
    federal_cameras: NonNegInt = 0

    @field_validator("placement_radius_m", mode="before")
    @classmethod
    def _every_type(cls, v: object) -> object:
        """A number sets every agency type (as before the radius was per type)."""
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            if not v > 0:
                raise ValueError("the radius must be > 0 metres")
            return dict.fromkeys(AGENCY_TYPES, v)
        if not isinstance(v, dict):
            raise ValueError(f"give metres (> 0) for every agency type, or a mapping agency type -> metres; agency "
                             f"types: {', '.join(AGENCY_TYPES)}")
        return v

    @field_validator("placement_radius_m")
    @classmethod
    def _per_type(cls, v: dict[str, float]) -> dict[str, float]:
        """Known agency types only; a type left out keeps the default (merged as a scenario file's mapping is)."""
        known_names(v, AGENCY_TYPES, "agency types")
        return PLACEMENT_RADIUS_M_DEFAULT | v


class Sharing(StrictModel):
    """The sharing federation: who may search whose reads.

    ``source: synthetic`` draws 1:1 grants with a (split) lognormal out-degree: log-sd `out_degree_sigma`
    above the median and `out_degree_sigma_low` below it (null: the same, a plain lognormal); ``private_eyes`` uses the
    shipped Flock transparency-portal graph; any other value is a folder of files in that layout.
    """

    source: str = "synthetic"
    out_degree_median: PositiveFloat = 125.0
    out_degree_sigma: PositiveFloat = 0.68
    out_degree_sigma_low: PositiveFloat | None = Field(
        1.1, description="log-sd of the out-degree below its median (null: out_degree_sigma, a plain lognormal)"
    )
    out_degree_max: PositiveInt = 3870
    in_state_share: Share = 0.65
    national_lookup_share: Share = 0.75
    statewide_share: Share = Field(0.05, description="share of agencies sharing with their whole state (2024 lists: 12 of 223)")
    federal_grant_share: dict[str, Share] = Field(
        default_factory=lambda: dict(FEDERAL_GRANT_SHARE_DEFAULT),
        description="federal unit -> share of local agencies granting it 1:1 access",
    )


class PrivateNetworks(StrictModel):
    """Private networks: each business and HOA place (``world.businesses``, ``world.hoas``) owns one Flock network.

    A private network owns cameras (lognormal weights of median `cameras_median` beside the agencies', scaled
    together to ``world.alpr.total``: `sim.world.alpr`) and shares its reads, but never searches. It is open to
    national lookup with probability `national_lookup_share` and grants the agency whose area it is in 1:1 with
    probability `area_grant_share` (both assumptions; docs/MODEL.md). ``enabled: false`` gives the world
    without private owners (places stay camera sites of agencies).
    """

    enabled: bool = True
    national_lookup_share: Share = Field(1.0, description="share of private networks open to national lookup")
    area_grant_share: Share = Field(1.0, description="share granting the agency of their area 1:1")
    cameras_median: PositiveFloat = Field(
        3.7, description="median of a private network's lognormal camera weight (world.alpr.per_agency_sigma), "
                         "scaled with the agencies' to world.alpr.total")


# Settings a world source does not read, because its data stand in for them: ``world.source: flock-2026`` takes its
# agencies (federal units aside), their cameras and their sharing lists from the 2026 data. A report shows these
# as not used rather than as the run's values (a real-geography brief listed "world.agencies: local_police: 4,100"
# for a world of 6,360 listed agencies). tests/sim/world/test_build.py builds the world with each changed. Kept
# with the settings (not in `sim.world.build`), so that a report reads it without importing the world builders.
NOT_READ: dict[str, tuple[str, ...]] = {
    "flock-2026": ("world.agencies.local_police", "world.agencies.sheriff", "world.agencies.state_police",
                   "world.alpr.per_agency_median", "world.alpr.per_agency_sigma", "world.sharing.source",
                   "world.sharing.out_degree_median", "world.sharing.out_degree_sigma", "world.sharing.out_degree_max"),
}


class World(StrictModel):
    """What exists in the simulated world.

    ``source``: ``synthetic`` (drawn; ``sharing.source`` may still name real portal data), ``private_eyes`` (the
    2024 portal agencies and graph: sets ``sharing.source: private_eyes`` unless it names a folder) or
    ``flock-2026`` (real geography, 2026: ``sim.world.flock_2026``, tuned by ``flock``).
    """

    source: Literal["synthetic", "private_eyes", "flock-2026"] = "synthetic"
    flock: FlockWorld = Field(default_factory=FlockWorld)
    states: Literal["all"] | list[str] = "all"
    agencies: AgencyCounts = Field(default_factory=AgencyCounts)
    neighborhoods: NonNegInt = 6000
    places_radius_m: PositiveFloat = 8000.0  # assumption: an agency's area, where its places stand
    hoas: NonNegInt = 697  # each owns a private network (`private`); fitted with businesses and alpr.total
    businesses: NonNegInt = 3484
    households: Households = Field(default_factory=Households)
    alpr: AlprCameras = Field(default_factory=AlprCameras)
    sharing: Sharing = Field(default_factory=Sharing)
    private: PrivateNetworks = Field(default_factory=PrivateNetworks)

    @field_validator("flock")
    @classmethod
    def _flock_read(cls, v: FlockWorld, info: ValidationInfo) -> FlockWorld:
        """Names of ended programs are read only from the 2026 lists: another world would ignore them silently."""
        source = info.data.get("source")
        if v.ended_before_period and source is not None and source != "flock-2026":
            raise ValueError(f"ended_before_period names agencies of the 2026 lists ({', '.join(v.ended_before_period)}"
                             f"), read only by world.source flock-2026; this world's source is {source}: leave it "
                             "empty, or set world.source: flock-2026")
        return v

    @field_validator("states")
    @classmethod
    def _known_states(cls, v: Literal["all"] | list[str]) -> Literal["all"] | list[str]:
        if v == "all":
            return v
        state_codes_validator(v)
        if not v:
            raise ValueError("states must list at least one state, or be 'all'")
        return v

    @property
    def state_codes(self) -> list[str]:
        return list(STATE_CODES) if self.states == "all" else list(self.states)

    @model_validator(mode="after")
    def _cross(self) -> World:
        if self.source == "private_eyes" and self.sharing.source == "synthetic":
            self.sharing.source = "private_eyes"
        if self.source == "flock-2026" and self.sharing.source != "synthetic":
            raise ValueError("world.source flock-2026 draws its own sharing graph: leave world.sharing.source unset "
                             "(the 2024 grants are added by world.flock.keep_2024_edges)")
        if self.agencies.non_federal == 0:
            raise ValueError("a world needs at least one non-federal agency")
        synthetic = self.source != "flock-2026" and self.sharing.source == "synthetic"
        if synthetic and self.agencies.state_police and all(c in NOT_STATES for c in self.state_codes):
            raise ValueError(
                f"agencies.state_police is {self.agencies.state_police}, but states {self.states} holds no state: "
                "the District of Columbia has no state police (its Metropolitan Police is a local force); "
                "set agencies.state_police: 0 or add a state"
            )
        if self.neighborhoods == 0 and self.households.count > 0:
            raise ValueError("households need at least one neighborhood (world.neighborhoods > 0)")
        unknown = set(self.sharing.federal_grant_share) - set(self.agencies.federal_units)
        if unknown:
            raise ValueError(
                f"sharing.federal_grant_share names {sorted(unknown)}, which are not in "
                f"agencies.federal_units {self.agencies.federal_units}"
            )
        return self
