"""`loadtest.run_state.RunState`: the tokens file as the generator reads it from disk."""

from __future__ import annotations

import json
from pathlib import Path

from loadtest.plan import closed_plan
from loadtest.run_state import RunState


def tokens_file(tmp_path: Path, agency: dict[str, object]) -> str:
    tokens = {"admin": "A", "agencies": {"0": {"token": "T", "type": "local", "state": "CA", **agency}},
              "residents": {"1": {"token": "R", "lat": 35.7, "lon": -78.6}}, "cameras": {"2": {"token": "C", "agency": 0}}}
    path = tmp_path / "tokens.json"
    path.write_text(json.dumps(tokens))
    return str(path)


def test_an_older_tokens_files_national_lookup_is_read_as_leave_to_run_national_lookups(tmp_path: Path) -> None:
    """Before the rename the tokens file named an agency's leave to run national lookups ``national_lookup`` (the
    transparency page's name for a network open to lookups); a kept database's older file still sends the same."""
    old = RunState(closed_plan(), tokens_file(tmp_path, {"national_lookup": False})).tokens["agencies"]["0"]
    assert old["may_run_national_lookup"] is False and "national_lookup" not in old
    new = RunState(closed_plan(), tokens_file(tmp_path, {"may_run_national_lookup": True})).tokens["agencies"]["0"]
    assert new["may_run_national_lookup"] is True
