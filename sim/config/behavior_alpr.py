"""`behavior.alpr`, `behavior.searches`, `behavior.exposure`: plate reads, hotlists, searches, tracked cars.

Reads are per camera per day (spread over hours by a daily profile); search rates per agency per 30
days; look-back windows in days. Sources and assumptions: docs/MODEL.md.
"""

from __future__ import annotations

import math
from typing import Literal

from pydantic import Field, ValidationInfo, field_validator

from sim.config.base import (
    AGENCY_TYPES,
    DayWeights,
    HourlyProfile,
    NonNegFloat,
    NonNegInt,
    PositiveFloat,
    Share,
    StrictModel,
    WeeklyProfile,
    Weights,
    known_names,
)

# Traffic past a roadside camera by hour of day, relative weights. Assumption: a two-peak commuter day.
DEFAULT_TRAFFIC_HOURLY = [
    0.25, 0.18, 0.15, 0.15, 0.25, 0.55, 1.1, 1.6, 1.5, 1.2, 1.15, 1.2,
    1.25, 1.25, 1.3, 1.45, 1.6, 1.65, 1.4, 1.05, 0.85, 0.7, 0.5, 0.35,
]

# Searches by local hour of day, relative weights (mean 1): Eugene OR PD's 4,294 searches, 2025-06..12, by Pacific
# hour (data/audit_logs/eugene_or; `python -m sim.calibration.fit_searches`). Trough 03:00-06:00, peak 11:00-15:00.
DEFAULT_SEARCH_HOURLY = [
    0.475, 0.531, 0.352, 0.257, 0.347, 0.257, 0.492, 0.984, 1.274, 1.364, 1.336, 1.638,
    1.766, 1.705, 1.721, 1.604, 1.425, 1.174, 0.95, 1.045, 0.866, 0.9, 0.76, 0.777,
]

# Searches by local day of week, Monday..Sunday, relative weights (mean 1): the same log's searches by Pacific date,
# share x 7 (`python -m sim.calibration.fit_searches`): Wednesday 1.48 times an average day, Sunday 0.56.
DEFAULT_SEARCH_WEEKLY = [0.963, 1.156, 1.475, 1.263, 0.905, 0.68, 0.558]


class Alpr(StrictModel):
    """Plate reads and hotlist hits.

    ``reads_basis: raw`` uses ``reads_per_camera_day`` (about 8,300: 20 billion scans a month over
    80,000 cameras); ``unique`` uses ``unique_vehicles_per_camera_day`` (about 526, the portals' median).
    A camera's rate is that figure times its owner's multiplier (lognormal, log-sd ``agency_rate_sigma``) times its
    own (lognormal, log-sd ``camera_rate_sigma``), the pair fitted to the 2024 portals' spread of vehicles per
    camera-day by camera count (`sim.calibration.fit_rate_spread`; docs/MODEL.md).
    """

    reads_basis: Literal["raw", "unique"] = "raw"
    reads_per_camera_day: PositiveFloat = 8300.0
    unique_vehicles_per_camera_day: PositiveFloat = 526.0
    # 2024 portals' vehicles per camera-day by the agency's camera count, fitted (`sim.calibration.fit_rate_spread`)
    agency_rate_sigma: NonNegFloat = 0.59
    camera_rate_sigma: NonNegFloat = 0.98
    hourly_profile: HourlyProfile = Field(default_factory=lambda: list(DEFAULT_TRAFFIC_HOURLY))
    misread_share: Share = 0.03
    hotlist_hit_share: Share = 0.0018
    false_hit_share: Share = 0.15
    stop_share: Share = 0.3


class FederalSearcher(StrictModel):
    """One federal unit's own searches: a rate per 30 days and its reasons (weights)."""

    per_30d: NonNegFloat
    reasons: Weights


def _federal_searchers() -> dict[str, FederalSearcher]:
    # Rates: Conway AR saw 5,929 lookups by federal users (USPIS, FBI) in 51 days (~3,500 per 30 days, 2026);
    # The Colony TX saw 21,440 FBI searches of its cameras in 2024-01..2026-08 (~670 a month): FBI 700, USPIS
    # the rest of Conway's 3,500; HSI ran ~200 searches in its pilot (Wyden letter): 30 a month. ATF, CBP,
    # USSS, NCIS: assumption (200, the old federal median). Reasons: each agency's mandate (assumption).
    def f(per_30d: float, **reasons: float) -> FederalSearcher:
        return FederalSearcher(per_30d=per_30d, reasons=reasons)

    return {
        "USPIS": f(2800, mail_theft=0.6, fraud=0.3, investigation=0.1),
        "FBI": f(700, violent_crime=0.4, investigation=0.4, fraud=0.1, missing_person=0.1),
        "ATF": f(200, firearms=0.8, investigation=0.2),
        "ICE-HSI": f(30, immigration=0.7, narcotics=0.2, investigation=0.1),
        "CBP": f(200, immigration=0.9, narcotics=0.1),
        "USSS": f(200, fraud=0.7, investigation=0.3),
        "NCIS": f(200, investigation=0.6, violent_crime=0.4),
    }


SEARCH_SCOPES = ("local", "shared", "statewide", "national")
# Flock's tools (haveibeenflocked.com, "search types"; docs/sources.md): statewide and national searches are the Lookup
# tool's (by full plate); the Search tool's types (description, freeform, visual, multigeo, convoy) reach only the
# agency's own network and the networks shared with it 1:1
LOOKUP_SCOPES = ("statewide", "national")
SEARCH_TOOL_SCOPES = ("local", "shared")
# Flock's preset look-back windows in days (the Lookup tool's; the Search tool also takes a custom range), and the
# longest look-back a scenario may give, the longest retention a policy may set (`sim.config.policy`)
LOOKBACK_PRESETS = (1, 7, 14, 30)
LOOKBACK_DAYS_MAX = 3650
SEARCH_TYPES = ("lookup", "search", "freeform", "visual", "multigeo", "convoy")
# Reasons every scenario's searches can carry besides its mixes': proxy lookups are run for immigration
# enforcement, and an offense-type drop-down files a reason that is no offense under "other".
PROXY_REASON = "immigration"
OTHER_REASON = "other"
# Reasons that are offense types (the Jan 2026 drop-down); others ("investigation", "immigration") become "other".
OFFENSE_TYPES = frozenset({"stolen_vehicle", "theft", "burglary", "violent_crime", "fraud", "missing_person",
                           "narcotics", "traffic", "mail_theft", "firearms", "other"})


def audited_reason(reason: str, reason_mode: str) -> str:
    """The reason a search run for `reason` is audited (and moderated) under: `reason` itself under
    ``free_text``; under ``offense_type`` (the drop-down) `reason` when it is an offense type, else
    `OTHER_REASON`."""
    return reason if reason_mode != "offense_type" or reason in OFFENSE_TYPES else OTHER_REASON


class Searches(StrictModel):
    """Agency searches: rate, reason, case number, scope, search type, look-back.

    Rates per agency per 30 days: 0 for a share ``per_agency_zero_share`` of agencies, else a lognormal of
    median ``per_agency_30d_median`` and log-sd ``per_agency_sigma``, all three by agency type, fitted to the
    portal quantiles of the period (`sim.calibration.fit`) for local police and sheriffs, the types that publish
    portals; state police and federal units publish none, so theirs are assumptions (docs/MODEL.md). A number
    given for ``per_agency_sigma`` or ``per_agency_zero_share`` sets every type; a type left out of any of the three
    keeps its default, and a type the model does not know is refused.
    Scopes as Flock defines them: ``local`` (own cameras), ``shared`` (networks sharing with the searcher 1:1),
    ``statewide`` (lookup over the in-state networks opted in), ``national`` (lookup over all opted-in networks;
    full plate only, so a ``lookup``).
    Search types (``type_mix``): ``lookup`` (full plate), ``search`` (partial plate, attributes),
    ``freeform`` and ``visual`` (description), ``multigeo``, ``convoy``; drawn given the scope: ``statewide`` and
    ``national`` are Flock's Lookup tool, so ``lookup`` only, and ``local`` and ``shared`` (the Search tool's reach:
    networks shared 1:1) take the lookup share left, so that each agency type's mix is ``type_mix`` where its
    statewide + national share is at most the lookup share (`sim.model.alpr_searches`).
    Look-back: one of Flock's preset windows (``lookback_days``, weights); a Search-tool search (any type but
    ``lookup``: the Lookup tool offers only the presets) looks back ``lookback_beyond_days`` instead with
    probability ``lookback_beyond_share`` (a custom range beyond 30 days). A search finds, of each owner, the reads
    of min(look-back, the owner's retention) days.
    """

    # 2024 portals (typed by name): local police and sheriffs differ beyond sampling noise in their median only, so
    # one median each and a common log-sd and zero share (`sim.calibration.fit.fit_by_type`); state police and
    # federal units (no portal of theirs): assumption, the earlier pooled fit's 1.38 and 0.023
    per_agency_30d_median: dict[str, NonNegFloat] = Field(
        default_factory=lambda: {"local_police": 108.6, "sheriff": 196.0, "state_police": 300.0, "federal": 200.0}
    )
    per_agency_sigma: dict[str, NonNegFloat] = Field(
        default_factory=lambda: {"local_police": 1.33, "sheriff": 1.33, "state_police": 1.38, "federal": 1.38}
    )
    per_agency_zero_share: dict[str, Share] = Field(default_factory=lambda: dict.fromkeys(AGENCY_TYPES, 0.023))
    # Reasons of police searches (local police, sheriffs, state police; federal units have their own): the
    # Eugene OR PD log's free-text reasons, classed and fitted by `python -m sim.calibration.fit_searches`. The
    # split of its "property crime" into theft / burglary / fraud (4 : 2 : 1) and immigration's 0.02 (the log,
    # in a state that bars immigration enforcement, shows none) are assumptions; docs/MODEL.md.
    reasons: Weights = Field(
        default_factory=lambda: {
            "stolen_vehicle": 0.198, "theft": 0.122, "burglary": 0.061, "violent_crime": 0.214, "fraud": 0.031,
            "missing_person": 0.031, "narcotics": 0.0, "traffic": 0.001, "investigation": 0.322,
            "immigration": 0.02,
        }
    )
    case_number_share: Share = 0.6
    # Sheriffs: Okaloosa County FL SO's networks per search (docs/sources.md), band by band: 1 network (local) 53.2%,
    # 2-99 (shared) 2.8%, 100-4,999 (its in-state reach: statewide) 36.7%, >= 5,000 (a full national lookup) 7.3%
    # (why 1,000-4,999 is statewide and not national: docs/MODEL.md, "Where the model and a real figure disagree").
    scope_mix: dict[str, Weights] = Field(
        default_factory=lambda: {
            "local_police": {"local": 0.699, "shared": 0.0, "statewide": 0.291, "national": 0.010},
            "sheriff": {"local": 0.532, "shared": 0.028, "statewide": 0.367, "national": 0.073},
            "state_police": {"local": 0.2, "shared": 0.1, "statewide": 0.5, "national": 0.2},
            "federal": {"local": 0.0, "shared": 0.2, "statewide": 0.0, "national": 0.8},
        }
    )
    type_mix: Weights = Field(
        default_factory=lambda: {"lookup": 0.757, "search": 0.209, "freeform": 0.026, "visual": 0.007,
                                 "multigeo": 0.002, "convoy": 0.0005}
    )
    # Flock's preset windows (the Lookup tool offers only these; weights: assumption)
    lookback_days: DayWeights = Field(default_factory=lambda: {1: 0.3, 7: 0.35, 14: 0.15, 30: 0.2})
    # Search-tool searches (every type but ``lookup``) whose custom range looks back beyond the presets: Okaloosa
    # County SO, 463 of 7,273 searches (6.37%) looked back beyond 30 days, over its 24.4% of searches that are not
    # lookups (`sim.calibration.fit_lookback`); every searcher type alike (docs/MODEL.md)
    lookback_beyond_share: Share = 0.261
    lookback_beyond_days: int = 90  # that custom range's length: assumption (plausible 45-365)
    federal_units: dict[str, FederalSearcher] = Field(default_factory=_federal_searchers)
    proxy_agency_share: Share = 0.02
    proxy_per_agency_30d_median: NonNegFloat = 4.0
    proxy_per_agency_sigma: NonNegFloat = 1.5
    results_per_million_reads: NonNegFloat = 0.5
    # Searches by local hour of day, relative weights: the Eugene OR PD log (`sim.calibration.fit_searches`).
    hourly_profile: HourlyProfile = Field(default_factory=lambda: list(DEFAULT_SEARCH_HOURLY))
    # Searches by day of week, Monday first (day 0 of the run is a Monday), relative weights normalised to mean 1,
    # so they move searches between days and leave the weekly total as it was: the Eugene OR PD log.
    weekly_profile: WeeklyProfile = Field(default_factory=lambda: list(DEFAULT_SEARCH_WEEKLY))

    @field_validator("per_agency_sigma", "per_agency_zero_share", mode="before")
    @classmethod
    def _every_type(cls, v: object) -> object:
        """A number sets every agency type (as before these were per type)."""
        return dict.fromkeys(AGENCY_TYPES, v) if isinstance(v, (int, float)) and not isinstance(v, bool) else v

    @field_validator("per_agency_30d_median", "per_agency_sigma", "per_agency_zero_share")
    @classmethod
    def _per_type(cls, v: dict[str, float], info: ValidationInfo) -> dict[str, float]:
        """Known agency types only; a type left out keeps the default (merged as a scenario file's mapping is)."""
        known_names(v, AGENCY_TYPES, "agency types")
        default = cls.model_fields[str(info.field_name)].get_default(call_default_factory=True)
        return default | v

    @field_validator("scope_mix")
    @classmethod
    def _scopes(cls, v: dict[str, dict[str, float]]) -> dict[str, dict[str, float]]:
        known_names(v, AGENCY_TYPES, "agency types")
        for t, mix in v.items():
            known_names(mix, SEARCH_SCOPES, "scopes", f"scope_mix.{t}")
        return v

    def proxy_mean_30d(self) -> float:
        """Expected proxy lookups per non-federal agency per 30 days (share x lognormal mean)."""
        return self.proxy_agency_share * self.proxy_per_agency_30d_median * math.exp(self.proxy_per_agency_sigma**2 / 2)

    def mean_30d(self, agency_type: str) -> float:
        """Expected searches per agency of a type per 30 days: (1 - zero share) x median x exp(sigma^2 / 2)."""
        median = self.per_agency_30d_median.get(agency_type, 0.0)
        zero, sigma = self.per_agency_zero_share[agency_type], self.per_agency_sigma[agency_type]
        return (1.0 - zero) * median * math.exp(sigma**2 / 2)

    @property
    def lookup_share(self) -> float:
        """Share of searches that are full-plate lookups (``type_mix``, normalised)."""
        return self.type_mix.get("lookup", 0.0) / sum(self.type_mix.values())

    @field_validator("type_mix")
    @classmethod
    def _types(cls, v: dict[str, float]) -> dict[str, float]:
        known_names(v, SEARCH_TYPES, "search types")
        if not v.get("lookup"):
            raise ValueError("type_mix needs a 'lookup' share above 0: national lookups are full-plate lookups")
        return v

    @field_validator("lookback_days")
    @classmethod
    def _lookback(cls, v: dict[int, float]) -> dict[int, float]:
        if set(v) - set(LOOKBACK_PRESETS):
            raise ValueError(f"lookback_days keys must be among {', '.join(map(str, LOOKBACK_PRESETS))} (Flock's "
                             f"preset windows; a custom range beyond them is lookback_beyond_days), got {sorted(v)}")
        return v

    @field_validator("lookback_beyond_days")
    @classmethod
    def _beyond(cls, v: int) -> int:
        if not LOOKBACK_PRESETS[-1] < v <= LOOKBACK_DAYS_MAX:
            raise ValueError(f"lookback_beyond_days must be a whole number of days beyond the presets' "
                             f"{LOOKBACK_PRESETS[-1]} and at most {LOOKBACK_DAYS_MAX} (the longest retention a policy "
                             f"may set), got {v}")
        return v


class Exposure(StrictModel):
    """A sample of tracked vehicles with a home and daily trips past nearby cameras."""

    tracked_vehicles: NonNegInt = 10_000
    trips_per_day: PositiveFloat = 2.5
    cameras_per_trip: PositiveFloat = 1.5
    trip_radius_m: PositiveFloat = 12_000.0
