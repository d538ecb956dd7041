"""Read an agency's type and state from its name, as written in the Flock transparency portals.

Names look like "Sylvania OH PD", "Tooele City PD UT", "Mahoning Valley Law Enforcement TF (OH)",
"Ohio State Highway Patrol", "ATF Louisville KY" or "US Postal Inspection Service".

State: the last upper-case two-letter word that is a state code; else a code in any case before "PD"
or "SO" ("Crestview Fl PD"); else the longest full state name in
the name ("West Virginia" before "Virginia"); else unknown (None), which the loader resolves from the
agencies that share with it (docs/world.md).

Type, first match wins:
- federal: US / U.S. / United States prefixes, FBI, ATF, DEA, HSI, ICE, CBP, Border Patrol or Control,
  Secret Service, NCIS, US Marshals, Postal Inspection, Homeland Security Investigations, US military
  branches, Veterans Affairs (federal units get state -1 whatever state their office is in);
- campus and school police (local_police): University, College, School(s), ISD, Campus or Academy in the name,
  read before the state-police words, so a college's own "Department of Public Safety" is not the state's when
  the lists prefix it with a state code ("SC - College of Charleston Department of Public Safety" was typed state
  police in the 2024 world); a school police department searches and owns cameras like a local agency (an
  assumption: the 19 school portals of 2026 do both);
- state_police: State Police, Highway Patrol, State Patrol, Bureau of Investigation (GBI, TBI, ...),
  or a Department of Public Safety (DPS) whose name starts with a state ("Ohio DPS", "AZ - Department of Public
  Safety"; "Augusta KS DPS" is a city's);
- sheriff: a word "SO", "Sheriff" or "Sheriff's";
- local_police: everything else (city and county police, but also task forces, prosecutors, campus and
  park police: an assumption, as they search like local agencies).

Configured federal units (``world.agencies.federal_units``: "USPIS", "FBI"...) are found among a source's federal
names by `units_in_lists` (the code or `UNIT_NAMES`' words: "US Postal Inspection Service" is USPIS).
"""

from __future__ import annotations

import re

from sim.geo.states import NAMES, STATE_CODES
from sim.world.types import FEDERAL, LOCAL, SHERIFF, STATE_POLICE

_CODE_RE = re.compile(r"(?<![A-Za-z])([A-Z]{2})(?![A-Za-z])")
_NAME_RES = sorted(
    ((re.compile(rf"\b{re.escape(name)}\b", re.IGNORECASE), code) for code, name in NAMES.items()),
    key=lambda item: -len(item[0].pattern),
)
_FEDERAL_RE = re.compile(
    r"^(US|U\.S\.)\b|United States|\b(FBI|ATF|DEA|HSI|ICE|CBP|NCIS|USSS|USPIS|USMS)\b|Border (Patrol|Control|Protection)"
    r"|Secret Service|U\.?S\.? Marshal|Postal Inspection|Homeland Security Investigations|Customs and Border"
    r"|\bUS (Air Force|Army|Navy|Marine)|Air Force Base|Naval|Veterans Affairs|Federal Bureau|Drug Enforcement Admin",
)
_SCHOOL_RE = re.compile(r"\b(Universit(y|ies)|College|Schools?|ISD|Campus|Academy)\b", re.IGNORECASE)
_STATE_POLICE_RE = re.compile(r"State Police|Highway Patrol|State Patrol|Bureau of Investigation|\b[A-Z]BI\b")
_STATE_DPS_RE = re.compile(r"Department of Public Safety|\bDPS\b")
_LOOSE_CODE_RE = re.compile(r"(?<![A-Za-z])([A-Za-z]{2}) (PD|SO)\b")
_SHERIFF_RE = re.compile(r"\bSO\b|Sheriff")


def parse_state(name: str) -> str | None:
    """Two-letter state code read from an agency name, or None."""
    codes = [m.group(1) for m in _CODE_RE.finditer(name) if m.group(1) in STATE_CODES]
    if codes:
        return codes[-1]
    loose = [m.group(1).upper() for m in _LOOSE_CODE_RE.finditer(name) if m.group(1).upper() in STATE_CODES]
    if loose:
        return loose[-1]
    for pattern, code in _NAME_RES:
        if pattern.search(name):
            return code
    return None


def parse_kind(name: str) -> int:
    """Agency type code (index into `AGENCY_TYPES`) read from an agency name."""
    if _FEDERAL_RE.search(name):
        return FEDERAL
    if _SCHOOL_RE.search(name):
        return LOCAL
    if _STATE_POLICE_RE.search(name) or (_STATE_DPS_RE.search(name) and _starts_with_state(name)):
        return STATE_POLICE
    if _SHERIFF_RE.search(name):
        return SHERIFF
    return LOCAL


def _starts_with_state(name: str) -> bool:
    first = re.split(r"[\s-]+", name.strip(), maxsplit=1)[0]
    return first in STATE_CODES or any(name.startswith(full) for full in NAMES.values())


UNIT_NAMES = {  # configured federal unit -> how sharing lists write it (a regular expression)
    "USPIS": "Postal Inspection", "FBI": "Federal Bureau of Investigation", "ATF": "Alcohol, Tobacco",
    "USSS": "Secret Service", "CBP": "Customs and Border|Border Patrol", "ICE-HSI": "Homeland Security Investigations",
    "NCIS": "Naval Criminal",
}


def units_in_lists(units: list[str], federal_names: list[str]) -> dict[str, str]:
    """Configured federal units that are federal names of a source: unit -> the first name naming it (its code as a
    word, or `UNIT_NAMES`' words)."""
    found = {}
    for unit in units:
        pattern = re.compile(rf"\b({re.escape(unit)}|{UNIT_NAMES.get(unit, re.escape(unit))})\b", re.IGNORECASE)
        match = next((nm for nm in federal_names if pattern.search(nm)), None)
        if match:
            found[unit] = match
    return found
