"""The free-text reasons of a search audit log as the model's reason categories (`behavior.searches.reasons`).

Before 2026 an officer typed the reason for a search; the Eugene OR PD log (`sim.calibration.audit_logs`) holds
132 distinct strings for 4,294 searches, most of them a few coarse categories and their spellings ("uuv",
"property crime", "person crime", "investigation", "invest", "invetigation", "property+crime"...).
`classify(text)` gives each string one class: a model reason, the pool `PROPERTY_CRIME` (the log's "property
crime", which the model splits into ``theft``, ``burglary`` and ``fraud``), `TEST` (tests and training: no police
work) or `UNMAPPED` (no rule matched: no purpose stated, such as "daytime search for best result", case or
plate numbers, unit codes, an empty reason). Text is normalised first (`normalise`: lower case, ``+`` read as a
space as the portal's URL encoding left it, punctuation dropped, spaces collapsed); then `RULES` are tried in
order and the first whose pattern matches wins, so a string naming an offence ("investigation person crime",
"property crime - warrant") goes to the offence, not to the generic investigation it also names.

Model reasons the log's categories stand for (each rule says why): "uuv" (unauthorised use of a vehicle) and
stolen vehicle or plate -> ``stolen_vehicle``; "person crime" and named violent offences -> ``violent_crime``;
"investigation" and its spellings, "suspicious vehicle", warrants and wanted persons, attempts to locate ->
``investigation`` (a lead, no offence named); "missing person" and "welfare check" -> ``missing_person`` (both
locate a person at risk; no offence); traffic offences (DUII, hit and run) -> ``traffic``; explicit theft,
burglary and fraud (forgery, financial crime) -> those reasons. The counts on the shipped log are pinned in
tests/sim/test_calibration_log_reasons.py.

The calibration rows compare the log's coarse categories (`LOG_CATEGORIES`, each a sum of model reasons):
`log_categories(classes)` gives the log's own shares among its informative searches (tests and unmapped
reasons left out), `log_category_shares(reasons)` those a model reason mix gives. They live here, not in
`sim.calibration.fit_searches`, so that importing `sim.calibration` (whose rows use them) leaves that
command's module unimported and ``python -m sim.calibration.fit_searches`` runs without runpy's warning.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

PROPERTY_CRIME = "property_crime"  # the log's coarse category; the model splits it (sim.calibration.fit_searches)
TEST = "test"
UNMAPPED = "unmapped"


@dataclass(frozen=True)
class Rule:
    """Text matching `pattern` (a regular expression searched in the normalised text) is class `to`."""

    pattern: str
    to: str
    why: str


RULES: tuple[Rule, ...] = (
    Rule(r"\btest\b|\btraining\b", TEST, "administrative, camera and admin tests; training"),
    Rule(r"\buuv|\bstolen (vehicle|car|plate)\b", "stolen_vehicle",
         "unauthorised use of a vehicle (Oregon's car theft); stolen-vehicle and stolen-plate alerts"),
    Rule(r"\bmissing\b|\bmisper\b|\bwelfare\b", "missing_person", "missing persons and welfare checks"),
    Rule(r"\bduii?\b|\breckless\b|\bhit (and |& )?run\b|\bexpired licen", "traffic", "DUII, reckless driving, hit and run"),
    Rule(r"\bforgery\b|\bfraud\b|\bfinancial crime", "fraud", "forgery, fraud, financial crime"),
    Rule(r"\bburg", "burglary", "burglary"),
    Rule(r"\btheft", "theft", "theft named as such"),
    Rule(r"\bpro(p|ep)|\bcrim(inal)? mis", PROPERTY_CRIME, "property crime (and misspellings), criminal mischief"),
    Rule(r"\bpe(rs|r)on crime|\bfel[a-z0-9]* pe(rs|r)on\b|\bhomicide|\bshooting|\bassault|\bintimidation|\brobbery"
         r"|\bicac\b", "violent_crime", "person crime (felony variants), homicide, shooting, assault, intimidation, "
         "robbery, crimes against children (ICAC)"),
    Rule(r"\bnarc|\bdrug", "narcotics", "narcotics, drugs"),
    Rule(r"\bimmigra", "immigration", "immigration"),
    Rule(r"\bi(nv|vest|nest)[a-z]*|\bsus(picious|pect) vehicle|\bwarr|\bwanted\b|\batl\b|\bbolo\b|\bcrime tip"
         r"|\bdragnet\b|\bpattern of life\b", "investigation",
         "investigation and its spellings, suspicious vehicles, warrants, wanted persons, attempts to locate (ATL, "
         "BOLO), crime tips, pattern of life: a lead with no offence named"),
)

_COMPILED = tuple((re.compile(r.pattern), r.to) for r in RULES)
_DROP = re.compile(r"[^a-z0-9& ]+")
_SPACES = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Lower case, ``+`` as a space, punctuation dropped (``&`` kept), runs of spaces collapsed, ends trimmed."""
    return _SPACES.sub(" ", _DROP.sub(" ", text.lower().replace("+", " "))).strip()


def classify(text: str) -> str:
    """The class of one free-text reason: the first rule of `RULES` matching its normalised text, else `UNMAPPED`."""
    norm = normalise(text)
    for pattern, to in _COMPILED:
        if pattern.search(norm):
            return to
    return UNMAPPED


def class_counts(reasons: Iterable[str]) -> Counter[str]:
    """Searches per class (`classify`) over a log's reasons."""
    return Counter(classify(r) for r in reasons)


def unmapped_texts(reasons: Iterable[str]) -> Counter[str]:
    """The normalised texts no rule maps, with their counts (for the fit's report)."""
    return Counter(n for n in (normalise(r) for r in reasons) if classify(n) == UNMAPPED)


# The log's categories the calibration rows compare, as sums of model reasons.
LOG_CATEGORIES: dict[str, tuple[str, ...]] = {
    "stolen_vehicle": ("stolen_vehicle",),
    "property_crime": ("theft", "burglary", "fraud"),
    "person_crime": ("violent_crime",),
    "investigation": ("investigation",),
    "missing_person": ("missing_person",),
}


def informative_shares(classes: Counter[str]) -> dict[str, float]:
    """Share of each class among the informative searches (tests and unmapped reasons left out)."""
    kept = {k: v for k, v in classes.items() if k not in (TEST, UNMAPPED)}
    total = sum(kept.values())
    if total <= 0:
        raise ValueError("the log has no search with a reason the rules map (all tests or unmapped)")
    return {k: v / total for k, v in kept.items()}


def log_category_shares(reasons: dict[str, float]) -> dict[str, float]:
    """Shares of the log's categories (`LOG_CATEGORIES`) that a reason mix gives (weights normalised)."""
    total = sum(reasons.values())
    return {c: sum(reasons.get(r, 0.0) for r in parts) / total for c, parts in LOG_CATEGORIES.items()}


def log_categories(classes: Counter[str]) -> dict[str, float]:
    """The log's own shares of `LOG_CATEGORIES` among its informative searches (the calibration rows' targets)."""
    shares = informative_shares(classes)
    parts = {**LOG_CATEGORIES, "property_crime": (*LOG_CATEGORIES["property_crime"], PROPERTY_CRIME)}
    return {c: sum(shares.get(r, 0.0) for r in p) for c, p in parts.items()}
