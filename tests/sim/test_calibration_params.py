"""docs/MODEL.md documents every scenario parameter: each leaf of the schema is a row of its parameter table.

A new field in `sim/config/` without a row (path, unit, default, source or "assumption") fails here, and
so does a row whose scalar default differs from the schema's. The walker itself is checked on known paths.
"""

from __future__ import annotations

import math
import re

import pytest
from pydantic_core import PydanticUndefined

from sim.calibration.params import default_text, is_scalar, leaves
from tests.conftest import ROOT

MODEL_MD = ROOT / "docs" / "MODEL.md"
ROW = re.compile(r"^\|\s*`([^`]+)`\s*\|([^|]*)\|([^|]*)\|([^|]*)\|\s*$")


def table() -> dict[str, tuple[str, str, str]]:
    """path -> (unit, default, source) for every row of the parameter table."""
    text = MODEL_MD.read_text(encoding="utf-8")
    section = text.split("## Parameters", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        m = ROW.match(line)
        if m:
            rows[m.group(1)] = tuple(c.strip() for c in m.groups()[1:])
    return rows


def same_default(cell: str, value: object) -> bool:
    if isinstance(value, bool) or value is None or value is PydanticUndefined or isinstance(value, str):
        return cell == default_text(value)
    try:
        return math.isclose(float(cell.replace(",", "")), float(value))  # type: ignore[arg-type]
    except ValueError:
        return False


def test_walker_finds_nested_and_optional_sections() -> None:
    found = {leaf.path: leaf.default for leaf in leaves()}
    assert found["platform.packaging.service_time.mean_s"] == 20.0  # the section's default, not ServiceTime's
    assert found["platform.search.service_time.mean_s"] == 0.05
    assert "sweep.grid" in found and "sweep.points" in found  # inside `Sweep | None`
    assert found["name"] is PydanticUndefined
    assert "world" not in found and "platform.packaging" not in found  # sections are not leaves
    assert len(found) > 100


def test_every_parameter_has_a_documented_row() -> None:
    rows = table()
    missing = [leaf.path for leaf in leaves() if leaf.path not in rows]
    assert not missing, f"docs/MODEL.md parameter table lacks {missing} (python -m sim.calibration.params)"
    known = {leaf.path for leaf in leaves()}
    stale = sorted(set(rows) - known)
    assert not stale, f"docs/MODEL.md documents parameters the schema no longer has: {stale}"
    empty = [p for p, (unit, default, source) in rows.items() if not (unit and default and source)]
    assert not empty, f"rows without a unit, default or source: {empty}"


def test_scalar_defaults_match_the_schema() -> None:
    rows = table()
    wrong = [(leaf.path, rows[leaf.path][1], default_text(leaf.default)) for leaf in leaves()
             if leaf.path in rows and is_scalar(leaf.default) and not same_default(rows[leaf.path][1], leaf.default)]
    assert not wrong, "docs/MODEL.md defaults differ from the schema (path, doc, schema): " + repr(wrong)


@pytest.mark.parametrize(("cell", "value", "ok"), [
    ("8300.0", 8300.0, True), ("8,300", 8300.0, True), ("0.5", 0.05, False), ("true", True, True),
    ("null", None, True), ("required", PydanticUndefined, True), ("raw", "raw", True), ('""', "", True),
])
def test_default_comparison(cell: str, value: object, ok: bool) -> None:
    assert same_default(cell, value) is ok
