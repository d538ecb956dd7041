"""The tornado chart of `fedsim sensitivity` (`reports.sensitivity`): units a reader can take in."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from reports.sensitivity import chart_metrics, tornado


def table(metric: str) -> pd.DataFrame:
    return pd.DataFrame({"metric": [metric] * 2, "parameter": ["behavior.optin.trust_sd", "world.households.paid_plan_share"],
                         "method": "morris", "index": "mu_star", "value": [0.046, 0.033], "low": [0.023, 0.029],
                         "high": [0.069, 0.037], "sigma": [0.01, 0.01], "rank": [1, 2]})


def test_a_shares_effect_reads_in_percentage_points(tmp_path: Path) -> None:
    """The axis read 'share (mu*)' with ticks 0.00 to 0.07 beside an opt-in rate of 3.5%: as if the effect were a
    share of 0-7%, not 0-7 percentage points."""
    chart = tornado(table("optin.rate"), "optin.rate", tmp_path)
    ax = chart.fig.axes[0]
    assert ax.get_xlabel() == "percentage points (mu*: mean absolute change of the share)"
    assert ax.xaxis.get_major_formatter()(0.05, 0) == "5"
    assert pd.read_csv(chart.files["csv"])["value"].tolist() == [0.046, 0.033]  # the CSV keeps the shares drawn
    counts = tornado(table("footage.clips"), "footage.clips", tmp_path)
    assert counts.fig.axes[0].get_xlabel() == "count (mu*: mean absolute change)"


def test_the_bars_are_labelled_in_words_and_the_csv_keeps_the_paths(tmp_path: Path) -> None:
    """The bars read 'behavior.optin.trust_sd': a dotted path, not words; the field docs say what it is."""
    chart = tornado(table("optin.rate"), "optin.rate", tmp_path)
    labels = [t.get_text() for t in chart.fig.axes[0].get_yticklabels()]
    assert labels == ["Opt-in: standard deviation of the\nper-neighborhood trust effect",
                      "Households: share of households with a paid\nplan"]
    assert chart.title.endswith("is 'Opt-in: standard deviation of the per-neighborhood trust effect'")
    assert "(behavior.optin.trust_sd) 0.046" in chart.alt
    assert pd.read_csv(chart.files["csv"])["parameter"].tolist() == ["behavior.optin.trust_sd",
                                                                      "world.households.paid_plan_share"]


def test_every_varied_assumption_has_words() -> None:
    from sim.config.schema import field_words
    from sim.sensitivity.ranges import RANGES

    missing = [r.path for r in RANGES if field_words(r.path) is None]
    assert not missing
    assert field_words("platform.search.service_time.mean_s") == "Search: mean service time"
    assert field_words("behavior.incidents.per_agency_per_day.local_police") == (
        "Incidents: incidents per agency per day, local police")
    assert field_words("policy.no_such_lever") is None


def test_a_states_figure_reads_in_words_and_the_named_metric_is_drawn_first(tmp_path: Path) -> None:
    """`fedsim sensitivity --metric audit.records_received_proxy.TX` put the name on the chart as is, with no unit,
    and its tornado came after four headline metrics, so it was not drawn."""
    name = "audit.records_received_proxy.TX"
    chart = tornado(table(name), name, tmp_path)
    assert chart.title.startswith("audit entries from proxy lookups in TX: the assumption that moves it most")
    assert chart.fig.axes[0].get_xlabel() == "count (mu*: mean absolute change)"
    assert (tmp_path / "sensitivity_audit_records_received_proxy_TX.png").is_file()
    both = pd.concat([table(m) for m in ("optin.rate", "footage.clips", "requests.posted", "alpr.searches",
                                          "alpr.searches_federal_proxy", name)])
    assert len(chart_metrics(both)) == 4 and name not in chart_metrics(both)  # four headline metrics first
    assert chart_metrics(both, name)[0] == name and len(chart_metrics(both, name)) == 4
