"""The one check of --focus / --focus-agency, and focus.json as a run folder saves it."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.results.errors import ResultsError
from sim.results.focus import FocusError, check_focus, save_focus, saved_focus
from sim.results.layout import FOCUS


def test_check_focus_normalises_a_state_and_refuses_what_it_cannot_use() -> None:
    assert check_focus(None, None) is None
    assert check_focus("nc", None) == {"state": "NC"}
    assert check_focus(None, "NC PD 0001") == {"agency": "NC PD 0001"}
    with pytest.raises(FocusError, match=r"--focus: unknown state 'XX'; use a two-letter code: AL, AK, .*WY$"):
        check_focus("XX", None)
    with pytest.raises(FocusError, match="not both"):
        check_focus("NC", "NC PD 0001")
    assert issubclass(FocusError, ResultsError)  # what reports raise for bad input: exit 2


def test_a_saved_focus_reads_back_and_a_folder_without_one_has_none(tmp_path: Path) -> None:
    assert saved_focus(tmp_path) is None
    save_focus(tmp_path, {"state": "NC"})
    assert (tmp_path / FOCUS).read_text(encoding="utf-8") == '{"state": "NC"}\n'
    assert saved_focus(tmp_path) == {"state": "NC"}
