"""How a number and its interval print in a brief (`reports.catalog`)."""

from __future__ import annotations

from reports.catalog import fmt, fmt_estimate, info, pct
from sim.results.stats import Estimate


def test_an_estimates_interval_prints_inside_its_units_range() -> None:
    """Chart subtitles read 'Federal share of records: 3.6% (95% CI -0.6% to 7.8%)' and 'clips shared: 59.5
    (95% CI -23.1 to 142)' from 2 replications: a share or a count cannot be negative."""
    assert fmt_estimate(Estimate(0.036, -0.006, 0.078, 2), "share") == "3.6% (95% CI 0.0% to 7.8%)"
    assert fmt_estimate(Estimate(0.9, 0.7, 1.1, 2), "share") == "90.0% (95% CI 70.0% to 100.0%)"
    assert fmt_estimate(Estimate(59.5, -23.1, 142.1, 2), "count") == "59.5 (95% CI 0 to 142)"
    assert fmt_estimate(Estimate(-3.0, -5.0, -1.0, 2), "number") == "-3 (95% CI -5 to -1)"  # no range: as computed
    assert fmt_estimate(Estimate(5.0, float("nan"), float("nan"), 1), "count") == "5 (no CI: 1 replication)"
    assert info("footage.clips").unit == "count" and info("optin.rate").unit == "share"


def test_every_share_prints_with_one_precision() -> None:
    """One rule for shares: an answer row read '1.0% (95% CI 0% to 4.0%)', a focus table '0%' beside '100.0%', and
    a tiny share '0.04%' beside '12.3%'. Now one decimal, and a non-zero share that rounds to 0 says so."""
    assert [fmt(v, "share") for v in (0.0, 1.0, 0.123, 0.01)] == ["0.0%", "100.0%", "12.3%", "1.0%"]
    assert fmt(0.0004, "share") == "<0.1%" and fmt(0.99996, "share") == ">99.9%"
    assert pct(float("nan")) == "n/a" and pct(0.6) == "60.0%"
    assert fmt_estimate(Estimate(0.01, -0.02, 0.04, 2), "share") == "1.0% (95% CI 0.0% to 4.0%)"


def test_a_declared_mean_or_rate_is_never_shown_below_zero() -> None:
    """The comparison read 'Audit records per camera owner from federal proxy searchers: 145.9 (95% CI -404.0 to
    695.9)' (2 replications): a mean of counts was 'number', whose interval is printed as computed."""
    from sim.results.catalog import DECLARED

    unit = info("audit.records_per_owner_mean.federal_proxy").unit
    assert unit == "amount"
    assert fmt_estimate(Estimate(145.9, -404.0, 695.9, 2), unit) == "145.9 (95% CI 0 to 695.9)"
    assert {info(m.name.replace("<", "").replace(">", "")).unit for m in DECLARED} <= {
        "count", "amount", "bytes", "seconds", "share"}  # every declared metric has a range; none is 'number'
    assert info("no.such.metric").unit == "number"
