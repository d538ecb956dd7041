"""Can federal units see a state's cars? A focus brief opens with federal reach into the state by channel, and a
focused comparison says whether that reach differs and when its search rates differ by construction."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from reports import write_compare, write_report
from reports.focus_rates import rate_input_sentence
from sim.results.read import read_by_state
from tests.reports.htmlcheck import first_paragraph
from tests.reports.tables import with_search_median


def _nc(folder: Path, metric: str) -> int:
    """The NC count of a channel in a run's by_state (the same in every replication of one world)."""
    t = read_by_state(folder)
    values = t[(t.state == "NC") & (t.metric == metric)].groupby("replication").value.sum()
    assert values.nunique() == 1
    return int(values.iloc[0])


def _text(html: str) -> str:
    return first_paragraph(html).replace("&#x27;", "'")


def test_a_focus_report_opens_with_federal_reach_by_channel(focus_pair: tuple[Path, Path], tmp_path: Path) -> None:
    """The answer to 'can federal agents see my constituents' cars, directly or through local police' sat below the
    caveats and the agency's table; the opening gave only audit-entry counts."""
    first = _text(write_report(focus_pair[0], tmp_path / "r.html", focus="NC").read_text())
    direct, proxy = _nc(focus_pair[0], "federal.owners_direct"), _nc(focus_pair[0], "federal.owners_proxy_only")
    cams = _nc(focus_pair[0], "federal.cameras_direct")
    reach = re.match(r"Of ([\d,]+) camera networks in North Carolina .*?federal units can reach ([\d,]+) directly "
                     r"through 1:1 grants \(([\d,]+) cameras\).*?and could reach ([\d,]+) only through local officers' "
                     r"proxy lookups", first)
    assert reach, first
    assert [int(g.replace(",", "")) for g in reach.groups()[1:]] == [direct, cams, proxy]
    assert first.index("can reach") < first.index("audit entries")


def test_proxy_reach_reads_as_a_possible_channel_with_the_lookups_run(focus_pair: tuple[Path, Path],
                                                                      tmp_path: Path) -> None:
    """Under a state law (Illinois) the brief said '0 are closed' to federal units, owners counting as reachable by
    proxy, with no word that this is a channel the rules leave open rather than searches that ran, nor how many
    proxy lookups the run drew."""
    first = _text(write_report(focus_pair[0], tmp_path / "r.html", focus="NC").read_text())
    assert "cameras; a possible channel, not a measured flow)" in first and "are closed to every channel" in first
    t = read_by_state(focus_pair[0])
    proxy = t[t.metric == "alpr.searches_federal_proxy"]
    runs = proxy.groupby("replication").value.sum().mean()
    mine = proxy[proxy.state == "NC"].groupby("replication").value.sum().mean()
    said = re.search(r"([\d,.]+) proxy lookups ran in the whole world, ([\d,.]+) by North Carolina's agencies; an entry",
                     first)
    assert said, first
    assert [float(g.replace(",", "")) for g in said.groups()[:2]] == pytest.approx([runs, mine], abs=0.51)


def test_a_focused_comparison_says_how_federal_reach_differs(focus_pair: tuple[Path, Path], tmp_path: Path) -> None:
    """NC's ban closes grants: the lede gives each scenario's channels, from by_state."""
    first = _text(write_compare([str(p) for p in focus_pair], tmp_path / "cmp", focus="NC").read_text())
    base, ban = (_nc(f, "federal.owners_direct") for f in focus_pair)
    assert base > ban
    assert "Federal reach into North Carolina differs: in 'base', of " in first
    assert f"federal units can reach {base:,} directly" in first and f"in 'ban', {ban:,} directly" in first


def test_a_focused_comparison_says_when_federal_reach_is_the_same(focus_pair: tuple[Path, Path], tmp_path: Path) -> None:
    """flock-2025 against flock-2026 in Georgia led with out-of-state audit entries and never said federal reach into
    the state had not moved."""
    twin = tmp_path / "twin"
    shutil.copytree(focus_pair[0], twin)
    first = _text(write_compare([str(focus_pair[0]), str(twin)], tmp_path / "cmp", focus="NC").read_text())
    direct = _nc(focus_pair[0], "federal.owners_direct")
    assert "Federal reach into North Carolina is the same in both scenarios: of " in first
    assert f"federal units can reach {direct:,} directly" in first


def test_search_rates_set_apart_are_said_to_move_searches_by_construction(focus_pair: tuple[Path, Path],
                                                                           tmp_path: Path) -> None:
    """flock-2026 sets 2026's portal medians: its fewer searches (and audit entries, plate reads returned) follow from
    that input, which the focused lede did not say."""
    other = with_search_median(focus_pair[0], tmp_path / "rates", 92.4)
    first = _text(write_compare([str(focus_pair[0]), str(other)], tmp_path / "cmp", focus="NC").read_text())
    assert ("'rates' (median searches per agency per 30 days) sets search rates apart from 'base', so searches run differ by "
            "construction") in first
    policy_only = _text(write_compare([str(p) for p in focus_pair], tmp_path / "cmp2", focus="NC").read_text())
    assert "by construction" not in policy_only  # the ban sets no rate
    scenarios = [("a", {"world": {"flock": {"portal_searches": False}}}),
                 ("b", {"world": {"flock": {"portal_searches": True}}}), ("c", {"world": {"flock": {}}})]
    assert rate_input_sentence(scenarios).startswith(
        "'b' (agencies search at their own published portal counts); 'c' (agencies search at their own published "
        "portal counts) set search rates")
    assert rate_input_sentence(scenarios[:1]) == ""
