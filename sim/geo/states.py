"""US states used to place agencies, households and cameras.

Each row: two-letter code, population (2020 Census, millions, rounded), land area (square miles,
rounded) and an approximate geographic centre (degrees). The model places a state's entities inside
a square of the state's land area centred on that point: a deliberate simplification (the questions
fedsim asks depend on who shares with whom and how many cameras a search reaches, not on borders).
Sources: US Census Bureau 2020 apportionment counts and state area tables; centres are rounded
published geographic centres. Marked as geography inputs in docs/MODEL.md.
"""

from __future__ import annotations

from typing import NamedTuple


class State(NamedTuple):
    code: str
    population_m: float
    land_area_sq_mi: float
    lat: float
    lon: float


STATES: tuple[State, ...] = (
    State("AL", 5.02, 50645, 32.8, -86.8),
    State("AK", 0.73, 570641, 64.7, -152.0),
    State("AZ", 7.15, 113594, 34.3, -111.7),
    State("AR", 3.01, 52035, 34.9, -92.4),
    State("CA", 39.54, 155779, 37.2, -119.4),
    State("CO", 5.77, 103642, 39.0, -105.5),
    State("CT", 3.61, 4842, 41.6, -72.7),
    State("DE", 0.99, 1949, 39.0, -75.5),
    State("DC", 0.69, 61, 38.9, -77.0),
    State("FL", 21.54, 53625, 28.6, -82.4),
    State("GA", 10.71, 57513, 32.7, -83.4),
    State("HI", 1.46, 6423, 20.3, -156.4),
    State("ID", 1.84, 82643, 44.4, -114.6),
    State("IL", 12.81, 55519, 40.0, -89.2),
    State("IN", 6.79, 35826, 39.9, -86.3),
    State("IA", 3.19, 55857, 42.1, -93.5),
    State("KS", 2.94, 81759, 38.5, -98.4),
    State("KY", 4.51, 39486, 37.5, -85.3),
    State("LA", 4.66, 43204, 31.1, -92.0),
    State("ME", 1.36, 30843, 45.4, -69.2),
    State("MD", 6.18, 9707, 39.0, -76.8),
    State("MA", 7.03, 7800, 42.3, -71.8),
    State("MI", 10.08, 56539, 44.3, -85.4),
    State("MN", 5.71, 79627, 46.3, -94.3),
    State("MS", 2.96, 46923, 32.7, -89.7),
    State("MO", 6.15, 68742, 38.4, -92.5),
    State("MT", 1.08, 145546, 47.0, -109.6),
    State("NE", 1.96, 76824, 41.5, -99.8),
    State("NV", 3.10, 109781, 39.3, -116.6),
    State("NH", 1.38, 8953, 43.7, -71.6),
    State("NJ", 9.29, 7354, 40.2, -74.7),
    State("NM", 2.12, 121298, 34.4, -106.1),
    State("NY", 20.20, 47126, 42.9, -75.5),
    State("NC", 10.44, 48618, 35.6, -79.4),
    State("ND", 0.78, 69001, 47.5, -100.5),
    State("OH", 11.80, 40861, 40.3, -82.8),
    State("OK", 3.96, 68595, 35.6, -97.5),
    State("OR", 4.24, 95988, 43.9, -120.6),
    State("PA", 13.00, 44743, 40.9, -77.8),
    State("RI", 1.10, 1034, 41.7, -71.5),
    State("SC", 5.12, 30061, 33.9, -80.9),
    State("SD", 0.89, 75811, 44.4, -100.2),
    State("TN", 6.91, 41235, 35.9, -86.4),
    State("TX", 29.15, 261232, 31.5, -99.3),
    State("UT", 3.27, 82170, 39.3, -111.7),
    State("VT", 0.64, 9217, 44.1, -72.7),
    State("VA", 8.63, 39490, 37.5, -78.8),
    State("WA", 7.71, 66456, 47.4, -120.5),
    State("WV", 1.79, 24038, 38.6, -80.6),
    State("WI", 5.89, 54158, 44.6, -89.9),
    State("WY", 0.58, 97093, 43.0, -107.6),
)

STATE_CODES: tuple[str, ...] = tuple(s.code for s in STATES)
BY_CODE: dict[str, State] = {s.code: s for s in STATES}
FEDERAL_STATE = "FED"  # where per-state tables put federal units, which have no state
# Codes that are not states, so have no state police agency (`sim.world.agencies`): the District of Columbia, whose
# Metropolitan Police is a city's force (a local police). Puerto Rico is not modelled (the real-data loaders drop
# it); a territory added to STATES belongs here too, its police modelled as local police, so that the 50 states
# keep the 50 state police (tests/sim/world/test_agencies.py checks that STATES holds exactly 50 states).
NOT_STATES: frozenset[str] = frozenset({"DC"})

# Full names, for parsing agency names such as "Ohio State Highway Patrol" (real-data loader).
NAMES: dict[str, str] = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California", "CO": "Colorado",
    "CT": "Connecticut", "DE": "Delaware", "DC": "District of Columbia", "FL": "Florida", "GA": "Georgia",
    "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois", "IN": "Indiana", "IA": "Iowa", "KS": "Kansas",
    "KY": "Kentucky", "LA": "Louisiana", "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts", "MI": "Michigan",
    "MN": "Minnesota", "MS": "Mississippi", "MO": "Missouri", "MT": "Montana", "NE": "Nebraska", "NV": "Nevada",
    "NH": "New Hampshire", "NJ": "New Jersey", "NM": "New Mexico", "NY": "New York", "NC": "North Carolina",
    "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma", "OR": "Oregon", "PA": "Pennsylvania", "RI": "Rhode Island",
    "SC": "South Carolina", "SD": "South Dakota", "TN": "Tennessee", "TX": "Texas", "UT": "Utah", "VT": "Vermont",
    "VA": "Virginia", "WA": "Washington", "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming",
}


def code_for_name(text: object) -> str | None:
    """The code of the state `text` names in full, any case ("Texas", "new york"), else None: for a hint when a
    name is given where a two-letter code is asked for."""
    wanted = str(text).strip().lower()
    return next((code for code, name in NAMES.items() if name.lower() == wanted), None)
