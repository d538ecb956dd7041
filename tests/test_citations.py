"""Citations a user can follow: no tracked file points outside the project.

Users have the project, not the owner's working folders, so a citation of the owner's reference list or its
sibling folders leads nowhere. Every figure is cited in docs/sources.md (its "Published figures" give value,
date, original source and confidence) or by its original source directly. The forbidden strings are built
here so that this file does not contain them.
"""

from __future__ import annotations

import subprocess

import pytest

from tests.test_shipped_data import ROOT

OUTSIDE = ("..", "/shared")  # the owner's folder beside the project
REFERENCE = ("figures", ".md")  # the owner's reference list, cited by name
FORBIDDEN = ("".join(OUTSIDE).encode(), "".join(REFERENCE).encode())


def tracked_files() -> list[str]:
    """Paths of the files git tracks (the project as a user clones it)."""
    try:
        out = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True, timeout=60).stdout
    except (OSError, subprocess.CalledProcessError) as exc:  # a copy without git: nothing to list
        pytest.skip(f"not a git checkout: {exc}")
    return [p for p in out.decode().split("\0") if p]


def pointers_outside(root, paths: list[str]) -> list[str]:
    """``path: string`` for each forbidden string a file under ``root`` holds."""
    return [f"{path}: {s.decode()}" for path in paths if (root / path).is_file()
            for s in FORBIDDEN if s in (root / path).read_bytes()]


def test_no_tracked_file_points_outside_the_project() -> None:
    files = tracked_files()
    assert len(files) > 100  # the whole project, not an empty listing
    assert pointers_outside(ROOT, files) == []


def test_a_citation_of_the_owners_reference_is_found(tmp_path) -> None:
    (tmp_path / "a.py").write_text("# Sources (" + "".join(OUTSIDE) + "/reference/" + "".join(REFERENCE) + ")\n")
    (tmp_path / "b.yaml").write_text("# the platform in 2025 (" + "".join(REFERENCE) + ", rules)\n")
    (tmp_path / "c.md").write_text("Sources: [sources.md](sources.md)\n")
    assert pointers_outside(tmp_path, ["a.py", "b.yaml", "c.md"]) == [
        "a.py: " + "".join(OUTSIDE), "a.py: " + "".join(REFERENCE), "b.yaml: " + "".join(REFERENCE)]


def published_rows() -> list[list[str]]:
    text = (ROOT / "docs" / "sources.md").read_text(encoding="utf-8")
    section = text.split("## Published figures", 1)[1].split("\n## ", 1)[0]
    rows = [[cell.strip() for cell in line.strip().strip("|").split("|")]
            for line in section.splitlines() if line.startswith("| ")]
    return [r for r in rows if r[0] not in ("figure", "rule")]


def test_every_published_figure_has_value_date_source_and_confidence() -> None:
    rows = published_rows()
    assert len(rows) >= 50  # Ring, Flock, audit logs, platform rules, 2026 scale
    for row in rows:
        confidence = row[-1]
        assert len(row) in (4, 5) and all(row), row
        assert any(level in confidence for level in ("high", "medium", "low")), row
