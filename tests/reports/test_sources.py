"""reports.sources: a source per parameter (a parent's entry covers its keys) and links only to stated addresses."""

from __future__ import annotations

import re

import pytest

from reports.sources import ADDRESSES, NO_ADDRESS, SOURCES, source_cell, source_of, url
from tests.reports.tables import ROOT


@pytest.mark.parametrize("address", sorted({a for addresses in ADDRESSES.values() for a in addresses}))
def test_every_linked_address_is_stated_in_docs_sources(address: str) -> None:
    """No invented link: each address is written in docs/sources.md (as the original sources give them)."""
    assert address in (ROOT / "docs" / "sources.md").read_text(encoding="utf-8")


def test_a_parameter_with_addresses_links_each_of_them() -> None:
    cell = source_cell("behavior.searches.federal_units")
    hrefs = re.findall(r'<a href="([^"]+)">', cell)
    assert hrefs == ["https://arkansas-surveillance.org", "https://github.com/TCPD-Flock/Analysis"]
    assert cell.startswith(SOURCES["behavior.searches.federal_units"].split(":")[0])


def test_a_key_below_a_sourced_parameter_has_its_source_and_links() -> None:
    assert source_of("world.agencies.sheriff") == SOURCES["world.agencies"]
    assert url("help.publicsafety.ring.com") in source_cell("behavior.requests.window_hours_max")
    assert "github.com/HistoryJunkie/OkaloosaALPR_AUDIT" in source_cell("behavior.searches.scope_mix.sheriff")


def test_sources_without_an_address_say_so_and_assumptions_do_not_link() -> None:
    assert NO_ADDRESS in source_cell("world.alpr.total") and "<a " not in source_cell("world.alpr.total")
    plain = source_cell("behavior.searches.proxy_per_agency_30d_sigma")
    assert plain.startswith("Assumption") and NO_ADDRESS not in plain and "<a " not in plain
    assert "&lt;" not in source_cell("world.source")  # escaped once, links kept


def test_values_read_as_a_reader_writes_them() -> None:
    from reports.sources import show

    overrides = [{"where": {"state": ["NC"], "type": None, "agency": None},
                  "set": {"sharing_scope": None, "state_law": True, "alpr_retention_days": None}}]
    assert show(overrides, "policy.overrides") == "{where: {state: NC}, set: {state_law: yes}}"
    mix = {"local_police": {"local": 0.699, "shared": 0.0}, "sheriff": {"local": 0.532, "national": 0.216}}
    assert show(mix) == "local_police: {local: 0.699, shared: 0}; sheriff: {local: 0.532, national: 0.216}"
    assert show(8300.0) == "8,300" and show(12.0) == "12" and show(0.088) == "0.088"
    assert show(20251016, "run.seed") == "20251016" and show([]) == "none" and show(False) == "no"


@pytest.mark.parametrize("dotted, figure", [
    ("behavior.searches.per_agency_sigma.local_police", "906 portals"),
    ("behavior.searches.per_agency_zero_share.sheriff", "17% ran none"),
    ("behavior.searches.per_agency_30d_median.local_police", "median 62"),
    ("policy.moderation.blocked", "allow 172, block 12, warn 2"),
    ("policy.reason_mode", "offense-type drop-down"),
    ("policy.audit_redaction", "2025-12-17"),
    ("policy.federal_access", "Federal"),
    ("policy.state_rules.CA", "Palo Alto"),
])
def test_fitted_search_rates_and_the_period_rules_are_cited_not_assumed(dotted: str, figure: str) -> None:
    """The spread and zero share of search rates are fitted to the portals, and the 2025-26 platform rules are
    dated in docs/sources.md: a 2025/2026 brief called the first "Assumption" and the second a free "Policy lever"."""
    from reports.sources import ASSUMPTION, POLICY_LEVER

    text = source_of(dotted)
    assert text not in (ASSUMPTION, POLICY_LEVER)
    sources_md = (ROOT / "docs" / "sources.md").read_text(encoding="utf-8")
    # the figure the source text leans on is one docs/sources.md gives (the audit-redaction date as it writes it)
    assert figure in sources_md
    assert figure in text or (figure == "2025-12-17" and "17 Dec 2025" in text)


def test_the_assumed_table_gives_the_replications_that_ran(tmp_path) -> None:
    """`fedsim run --replications 2` keeps the scenario's run.replications (3) in resolved_scenario.yaml; the table
    showed that 3 beside a caveat saying only 2 ran."""
    from reports.sources import assumptions
    from reports.tables import load_results
    from tests.reports.tables import write_run

    res = load_results(write_run(tmp_path / "r", reps=2, overrides=["run.replications=3"]))
    row = next(r for r in assumptions(res) if r[0] == "run.replications")
    assert row[1].startswith("2 ran") and "run.replications: 3" in row[1]
    same = load_results(write_run(tmp_path / "s", reps=3, overrides=["run.replications=3"]))
    assert next(r for r in assumptions(same) if r[0] == "run.replications")[1] == "3"
