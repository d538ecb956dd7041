"""Agency types of the real-geography world: the lists' labels, read from the name where a label is loose.

The 2026 lists label Georgia State Patrol and Indiana State Police "pd", and Lincoln County SO and Utah County SO
(Vineyard) "pd"; the world used to type all four local police. Campus and school police are local police (they
search and own cameras: the 19 school portals of 2026 do both).
"""

from __future__ import annotations

import numpy as np

from sim.config import load_scenario
from sim.rng import Streams
from sim.world.flock_2026_agencies import flock_agencies
from sim.world.flock_2026_data import SHIPPED, read_nodes, read_states
from sim.world.types import AGENCY_TYPES
from tests.conftest import SCENARIOS


def kinds(states: str, *overrides: str) -> tuple[dict[str, str], list[str]]:
    sc = load_scenario(SCENARIOS / "flock-2026-real.yaml", [f"world.states=[{states}]", *overrides])
    notes: list[str] = []
    a = flock_agencies(sc.world, Streams(np.random.SeedSequence(1)), read_nodes(SHIPPED), read_states(SHIPPED),
                       notes).agencies
    return {str(n): AGENCY_TYPES[k] for n, k in zip(a.name, a.kind, strict=True)}, notes


def test_state_patrols_and_sheriffs_the_lists_label_pd_take_their_names_type() -> None:
    k, notes = kinds("GA, IN, NC, UT")
    assert k["Georgia State Patrol GA PD"] == "state_police"
    assert k["Indiana State Police IN PD"] == "state_police"
    assert k["Lincoln County SO PD"] == "sheriff"
    assert k["Utah County UT SO - Vineyard PD"] == "sheriff"
    assert k["Atlanta GA PD"] == "local_police"
    note = next(n for n in notes if n.startswith("flock-2026: types"))
    assert "'pd -> state_police': 2" in note and "'pd -> sheriff': 2" in note


def test_campus_and_school_police_are_local_police_whatever_the_label() -> None:
    k, _ = kinds("SC, GA, TX, CA")
    for name in ("College of Charleston DPS SC PD", "Clemson University SC PD",  # labelled school
                 "Emory University Campus PD GA", "Aldine ISD PD TX",  # labelled pd
                 "Buford City Schools GA", "West Valley Mission College Dist Campus (CA)"):  # labelled other
        assert k[name] == "local_police", name


def test_the_labels_alone_remain_a_choice() -> None:
    k, _ = kinds("GA", "world.flock.types.pd=local_police")
    assert k["Georgia State Patrol GA PD"] == "local_police"
