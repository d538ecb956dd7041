"""The one check of --focus / --focus-agency, and focus.json as a run folder saves it."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.results.errors import ResultsError
from sim.results.focus import FocusError, check_focus, check_focus_in, save_focus, saved_focus
from sim.results.layout import FOCUS


def test_check_focus_normalises_a_state_and_refuses_what_it_cannot_use() -> None:
    assert check_focus(None, None) is None
    assert check_focus("nc", None) == {"state": "NC"}
    assert check_focus(None, "NC PD 0001") == {"agency": "NC PD 0001"}
    with pytest.raises(FocusError, match=r"--focus: unknown state 'XX'; use a two-letter code: AL, AK, .*WY$"):
        check_focus("XX", None)
    with pytest.raises(FocusError, match=r"--focus: unknown state 'Texas'; did you mean 'TX'\? use a two-letter code"):
        check_focus("Texas", None)
    with pytest.raises(FocusError, match="not both"):
        check_focus("NC", "NC PD 0001")
    assert issubclass(FocusError, ResultsError)  # what reports raise for bad input: exit 2


def test_a_saved_focus_reads_back_and_a_folder_without_one_has_none(tmp_path: Path) -> None:
    assert saved_focus(tmp_path) is None
    save_focus(tmp_path, {"state": "NC"})
    assert (tmp_path / FOCUS).read_text(encoding="utf-8") == '{"state": "NC"}\n'
    assert saved_focus(tmp_path) == {"state": "NC"}


SYNTHETIC = [("OR PD 0001", "OR"), ("OR PD 0002", "OR"), ("OR SO 0003", "OR"), ("NC PD 0004", "NC"), ("FBI", "FED")]


def test_a_real_name_in_a_synthetic_world_says_how_its_state_is_named_and_offers_the_state() -> None:
    """A journalist asked for 'Eugene OR PD' in flock-2026 (synthetic) and read only 'no agency named ...'."""
    with pytest.raises(FocusError) as err:
        check_focus_in({"agency": "Eugene OR PD"}, "this scenario's world", ["OR", "NC", "FED"], SYNTHETIC)
    said = str(err.value)
    assert said.startswith("--focus-agency: no agency named 'Eugene OR PD' in this scenario's world; ")
    assert "OR's agencies here are named like 'OR PD 0001' and 'OR PD 0002'" in said
    assert "scenarios/flock-2026-real.yaml" in said and "--focus OR" in said


def test_a_real_world_is_not_called_synthetic_and_a_name_without_a_state_gets_no_state_hint() -> None:
    real = [("Salem OR PD", "OR"), ("Bend OR PD", "OR")]
    with pytest.raises(FocusError) as err:
        check_focus_in({"agency": "Klamath Tribal OR PD"}, "w", ["OR"], real)
    assert "named like 'Salem OR PD' and 'Bend OR PD', or lead with the state: --focus OR" in str(err.value)
    assert "synthetic" not in str(err.value)
    with pytest.raises(FocusError) as err:
        check_focus_in({"agency": "Springfield Police"}, "w", ["OR"], real)
    assert "lead with the state" not in str(err.value) and "exact names" in str(err.value)
