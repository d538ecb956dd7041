"""--focus STATE / --focus-agency NAME: briefs that lead with one state, from by_state and by_agency."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from reports import ReportInputError, write_compare, write_report


def first_paragraph(html: str) -> str:
    body = html[html.index("<body"):]
    return re.sub(r"<[^>]+>", "", re.search(r"<p[^>]*>(.*?)</p>", body, re.S).group(1))


def test_compare_focus_opens_with_the_state(focus_pair: tuple[Path, Path], tmp_path: Path) -> None:
    page = write_compare([str(p) for p in focus_pair], tmp_path / "cmp", focus="NC")
    html = page.read_text()
    first = first_paragraph(html)
    assert first.startswith("In North Carolina, &#x27;ban&#x27; changes") or first.startswith("In North Carolina, 'ban'")
    assert "rest of the country" in first
    assert "North Carolina and the rest of the country" in html


def test_report_focus_leads_with_the_state_and_its_share(focus_pair: tuple[Path, Path], tmp_path: Path) -> None:
    page = write_report(focus_pair[0], tmp_path / "r.html", focus="nc")
    html = page.read_text()
    assert first_paragraph(html).startswith("In North Carolina, federal units")
    assert "North Carolina beside the nation" in html and "NC share" in html
    assert "directly through 1:1 grants" in html
    assert '<figure id="focus_map">' in html and "North Carolina:" in html  # the map, focus state outlined
    data = (tmp_path / "charts" / "focus_map.csv").read_text()
    assert data.startswith("state,") and "\nNC," in data and "\nCA," in data


def test_focus_agency_shows_its_row_then_its_state(focus_pair: tuple[Path, Path], tmp_path: Path) -> None:
    html = write_report(focus_pair[0], tmp_path / "a.html", focus_agency="NC PD 0001").read_text()
    assert "<h2>NC PD 0001</h2>" in html and "North Carolina beside the nation" in html
    with pytest.raises(ReportInputError, match="did you mean"):
        write_report(focus_pair[0], tmp_path / "b.html", focus_agency="NC PD 001")


def test_bad_focus_exits_2_listing_valid_states(focus_pair: tuple[Path, Path], tmp_path: Path) -> None:
    with pytest.raises(ReportInputError, match="states present: CA, NC"):
        write_report(focus_pair[0], tmp_path / "c.html", focus="WA")
    proc = subprocess.run([sys.executable, "-m", "sim.cli.main", "compare", *map(str, focus_pair), "--focus", "XX",
                           "-o", str(tmp_path / "x")], capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 2 and "unknown state 'XX'" in proc.stderr and "Traceback" not in proc.stderr
