"""The Eugene log's free-text reasons as model reason classes: spellings, first match wins, pinned counts."""

from __future__ import annotations

from collections import Counter

import pytest

from sim.calibration.audit_logs import read_audit_log
from sim.calibration.log_reasons import (
    PROPERTY_CRIME,
    RULES,
    TEST,
    UNMAPPED,
    class_counts,
    classify,
    normalise,
    unmapped_texts,
)
from sim.config.behavior_alpr import Searches


@pytest.mark.parametrize(("text", "want"), [
    ("UUV", "stolen_vehicle"), ("uuvwwwwwww", "stolen_vehicle"), ("stolen car", "stolen_vehicle"),
    ("Other image search from Alerts page associated with alert: Stolen Plate 795ASV - 2025-06-22T17:41:56Z",
     "stolen_vehicle"),
    ("Property+Crime", PROPERTY_CRIME), ("felony proeprty crime", PROPERTY_CRIME), ("propert", PROPERTY_CRIME),
    ("crim mis", PROPERTY_CRIME), ("property crime - warrant", PROPERTY_CRIME),
    ("person+crime", "violent_crime"), ("feld9ony person crime", "violent_crime"), ("felony peron crime", "violent_crime"),
    ("Felony Person", "violent_crime"), ("investigation person crime", "violent_crime"), ("homicide suspect", "violent_crime"),
    ("Investigative+", "investigation"), ("inv.", "investigation"), ("invetigation", "investigation"),
    ("ivestigations", "investigation"), ("inestigation", "investigation"), ("Criminal Investigation", "investigation"),
    ("suspicious+vehicle", "investigation"), ("Warrant", "investigation"), ("wanted person", "investigation"),
    ("welfare checl", "missing_person"), ("misper", "missing_person"), ("Missing+Person", "missing_person"),
    ("hit & run", "traffic"), ("DUII / Reckless Driving", "traffic"),
    ("bi mart thefts", "theft"), ("satg+burg+251402", "burglary"), ("forgery case", "fraud"),
    ("narcotics", "narcotics"), ("drug deal", "narcotics"), ("Immigration", "immigration"),
    ("Administrative Test", TEST), ("camera test", TEST), ("training", TEST),
    ("daytime search for best result", UNMAPPED), ("", UNMAPPED), ("st2", UNMAPPED), ("2514277", UNMAPPED),
    ("drag", UNMAPPED), ("contest", UNMAPPED),
])
def test_spellings_and_first_match(text: str, want: str) -> None:
    assert classify(text) == want


def test_normalise() -> None:
    assert normalise("  Investigation+LINN+Co. ") == "investigation linn co"
    assert normalise("Hit  &  Run!") == "hit & run"
    assert normalise(normalise("Property+Crime - Misdo")) == normalise("Property+Crime - Misdo")


def test_every_rule_leads_to_a_model_reason_or_a_class_the_fit_knows() -> None:
    known = set(Searches().reasons) | {PROPERTY_CRIME, TEST}
    assert {r.to for r in RULES} <= known
    assert all(r.why for r in RULES)


def test_shipped_log_class_counts() -> None:
    reasons = read_audit_log().reason
    raw = Counter(r.strip().lower() for r in reasons)
    assert (raw["uuv"], raw["property crime"], raw["person crime"], raw["investigation"]) == (789, 781, 769, 578)
    assert len(raw) == 132
    counts = class_counts(reasons)
    assert counts == Counter({"investigation": 1309, "violent_crime": 872, PROPERTY_CRIME: 856, "stolen_vehicle": 804,
                              UNMAPPED: 233, "missing_person": 126, TEST: 76, "theft": 8, "traffic": 5,
                              "burglary": 3, "fraud": 2})
    assert sum(counts.values()) == len(reasons) == 4294
    unmapped = unmapped_texts(reasons)
    assert unmapped.most_common(1) == [("daytime search for best result", 182)]
    assert sum(unmapped.values()) == counts[UNMAPPED]
