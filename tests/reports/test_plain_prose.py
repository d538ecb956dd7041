"""The briefs' prose holds no config keys: policymakers read "searches per agency drawn from the spread of the
period's published portal figures", not "(behavior.searches: the period's portal spread)". A key stays where
whoever reproduces a run needs it: a ``title`` attribute, the parameter tables, the method section."""

from __future__ import annotations

import html
import re
from pathlib import Path

from reports import write_compare
from reports.report import write_report
from tests.reports.tables import with_search_median

# a dotted config key (`behavior.searches`, `world.flock.portal_searches`), not a file (docs/world.md, world.json)
CONFIG_KEY = re.compile(r"(?<![\w/])(?:behavior|world|policy|run|platform)\.[a-z_]+\b(?!\.(?:md|json|csv)\b)"
                        r"(?<!\.md)(?<!\.json)(?<!\.csv)")


def prose(page: str, start: str, *stops: str) -> str:
    """The page's visible text from `start` to the first of `stops` (tags, and so ``title`` attributes, dropped)."""
    body = page[page.index(start):]
    end = min((body.index(s) for s in stops if s in body), default=len(body))
    return html.unescape(re.sub(r"<[^>]+>", " ", body[:end]))


def keys_in(text: str) -> list[str]:
    return sorted({m.group(0) for m in CONFIG_KEY.finditer(text)})


def test_the_pattern_finds_keys_and_not_files() -> None:
    assert keys_in("(behavior.searches: the period's portal spread); world.flock.portal_searches") == [
        "behavior.searches", "world.flock"]
    assert keys_in("docs/world.md, 'Portal zeros'; this folder's world.json; platform.csv") == []


def test_a_focus_briefs_answer_and_focus_prose_holds_no_config_key(focus_pair: tuple[Path, Path],
                                                                     tmp_path: Path) -> None:
    """Two real runs (a two-state world, one banning federal access in NC): the state brief, the agency brief."""
    for name, kwargs in (("state", {"focus": "NC"}), ("agency", {"focus_agency": "NC PD 0001"}),
                         ("ban", {"focus": "NC"})):
        folder = focus_pair[1] if name == "ban" else focus_pair[0]
        page = write_report(folder, tmp_path / f"{name}.html", **kwargs).read_text(encoding="utf-8")
        text = prose(page, "<body", "<h2>Caveats</h2>")
        assert "The change." in text and len(text) > 1000
        assert keys_in(text) == [], (name, keys_in(text))
        beside = prose(page, "beside the nation", "<h2>Warning", "<h2>In brief")
        assert keys_in(beside) == [], (name, keys_in(beside))
        if name == "ban":  # the change names its lever in words, the key kept in a title for whoever reproduces it
            assert '<span title="policy.overrides">' in page


def test_a_comparisons_prose_holds_no_config_key(focus_pair: tuple[Path, Path], tmp_path: Path) -> None:
    """A comparison with search rates set apart (a rate input in words) and a rule change; the parameter tables
    keep their keys."""
    other = with_search_median(focus_pair[1], tmp_path / "rates", 92.4)
    for kwargs in ({"focus": "NC"}, {"focus_agency": "NC PD 0001"}, {}):
        page = write_compare([str(focus_pair[0]), str(other)], tmp_path / "cmp", **kwargs).read_text(encoding="utf-8")
        head = prose(page, "<body", "<h2>How the scenarios differ</h2>")
        brief = prose(page, "<h2>In brief", "<h2>Where the differing parameters come from</h2>")
        assert "median searches per agency per 30 days" in head + brief
        assert keys_in(head) == [] and keys_in(brief) == [], (kwargs, keys_in(head), keys_in(brief))
        assert "<code>behavior.searches.per_agency_30d_median.local_police</code>" in page  # the parameter table
