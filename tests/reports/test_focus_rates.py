"""The focus brief says per agency whether its search rate is its own published figure or drawn for its type."""

from __future__ import annotations

import pandas as pd

from reports.focus_rates import OLD_FOLDER, compare_rate_sentence, rate_sentence


def rows(source: str, rates: list[float]) -> pd.DataFrame:
    return pd.DataFrame({"replication": range(len(rates)), "search_rate_source": source, "search_rate_30d": rates})


def test_a_published_zero_is_said_to_be_its_own_figure() -> None:
    text = rate_sentence(rows("portal", [0.0, 0.0]))
    assert text.startswith("It searches at its own published figure, 0 searches per 30 days")
    assert "a published 0, so it runs no searches of its own" in text and "drawn" not in text
    assert "1,234 searches per 30 days" in rate_sentence(rows("portal", [1234.0]))


def test_a_drawn_rate_says_so_with_its_mean_over_replications() -> None:
    text = rate_sentence(rows("drawn", [100.0, 300.0]))
    assert "drawn for an agency of its type" in text and "200 per 30 days, mean over replications" in text
    assert "sourced rate" in rate_sentence(rows("unit", [90.0]))
    assert rate_sentence(None) == OLD_FOLDER == rate_sentence(pd.DataFrame({"replication": [0]}))


def test_a_program_that_had_ended_before_the_period_says_so() -> None:
    text = rate_sentence(rows("ended", [0.0]))
    assert "It runs no searches: its Flock program had ended before this scenario's period" in text
    assert "(a sourced date; docs/world.md, 'Portal zeros')" in text and text != rate_sentence(rows("none", [0.0]))


def test_the_rate_sentences_hold_no_config_key() -> None:
    """The brief is read by policymakers: "(behavior.searches: the period's portal spread)" and
    "world.flock.portal_searches" were config keys in its prose; the keys stay in the method section's table."""
    from reports.focus_rates import state_rate_sentence
    from tests.reports.test_plain_prose import CONFIG_KEY

    said = [rate_sentence(rows(source, [0.0, 40.0])) for source in ("portal", "unit", "drawn", "ended", "none")]
    said += [rate_sentence(rows("portal", [0.0])), OLD_FOLDER]
    table = pd.DataFrame({"replication": [0, 0], "state": ["OR", "WA"], "search_rate_source": ["portal", "drawn"],
                          "search_rate_30d": [10.0, 5.0]})
    said += [state_rate_sentence(table, "OR", "Oregon"), state_rate_sentence(table, "WA", "Washington")]
    assert "from the spread of the period's published portal figures" in said[2]
    assert "its transparency portal's count, April 2026)" in said[0]
    assert [text for text in said if CONFIG_KEY.search(text)] == []


def test_a_comparison_says_when_the_rate_changes_source_between_runs() -> None:
    text = compare_rate_sentence([("real-2025", rows("drawn", [150.0])), ("real-2026", rows("portal", [0.0]))])
    assert "differ by construction, not by a rule" in text
    assert "'real-2025': its search rate is drawn" in text and "'real-2026': it searches at its own published" in text
    assert compare_rate_sentence([("a", rows("drawn", [1.0])), ("b", rows("drawn", [2.0]))]) == ""


def test_a_state_brief_counts_its_agencies_by_rate_source() -> None:
    from reports.focus_rates import state_rate_sentence

    table = pd.DataFrame({
        "replication": [0] * 5 + [1] * 5, "state": ["OR", "OR", "OR", "OR", "WA"] * 2,
        "search_rate_source": ["portal", "portal", "drawn", "none", "drawn"] * 2,
        "search_rate_30d": [0.0, 300.0, 100.0, 0.0, 5.0, 0.0, 300.0, 300.0, 0.0, 5.0]})
    text = state_rate_sentence(table, "OR", "Oregon")
    assert text.startswith("Of Oregon's 3 searching agencies, 2 search at their own published portal counts")
    assert "1 of them publish 0) and 1 at rates drawn for their type: 300 of the state's 500 searches" in text
    assert "(60.0%) are published figures" in text
    assert "none at its own published count" in state_rate_sentence(table, "WA", "Washington")
    assert state_rate_sentence(table.drop(columns="search_rate_source"), "OR", "Oregon") == ""


def test_the_read_rate_says_whether_it_is_the_portals_own() -> None:
    """by_agency's read_rate_source: a portal's own vehicles per camera-day (world.flock.portal_reads) or a draw;
    nothing for an owner without cameras or a folder written before the column."""
    from reports.focus_agency import agency_note
    from reports.focus_rates import read_rate_sentence

    def rows(source: object) -> pd.DataFrame:
        return pd.DataFrame({"search_rate_source": ["drawn"] * 2, "search_rate_30d": [10.0, 20.0],
                             "read_rate_source": [source] * 2, "type": ["local_police"] * 2})

    assert "the rate its own portal published (vehicles captured per camera-day" in read_rate_sentence(rows("portal"))
    assert "a random factor for the agency" in read_rate_sentence(rows("drawn"))
    assert read_rate_sentence(rows("none")) == "" and read_rate_sentence(rows(float("nan"))) == ""
    assert "the rate its own portal published" in agency_note(rows("portal"))
    assert "; ;" not in agency_note(rows(float("nan"))) and "random factor" not in agency_note(rows(float("nan")))
