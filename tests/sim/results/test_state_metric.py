"""One state's figure by name (METRIC.ST): what it means, that it means one thing, and how a bad one is refused."""

from __future__ import annotations

import pandas as pd
import pytest

from sim.geo.states import STATE_CODES
from sim.model.metrics import Declared
from sim.model.simulation import COMPONENTS
from sim.results import state_metric as S
from sim.results.places import COUNT_COLUMNS, STATE_EXTRA

NATIONAL = Declared.of(COMPONENTS)


def test_a_by_state_metric_then_a_state_code_names_that_row() -> None:
    assert S.parse("audit.records_received_proxy.TX") == S.StateMetric("audit.records_received_proxy", "TX")
    assert S.parse("audit.records_received_from.FED.OR") == S.StateMetric("audit.records_received_from.FED", "OR")
    assert S.parse("audit.records_received_from.CA.TX").name == "audit.records_received_from.CA.TX"
    for name in ("audit.records_received_proxy", "audit.records_received_proxy.tx", "audit.records_received_proxy.FED",
                 "audit.records_received_from.TX", "optin.rate.TX", "audit.records_received_from.XX.TX"):
        assert S.parse(name) is None, name


def test_no_state_figure_shares_its_name_with_a_whole_run_metric() -> None:
    """One name, one meaning: a whole-run name is read first, so none may also be a by_state metric in a state."""
    metrics = [*COUNT_COLUMNS, *(m.name.replace("<state>", s) for m in STATE_EXTRA for s in ("FED", *STATE_CODES))]
    clashes = [f"{m}.{s}" for m in metrics if "<" not in m for s in STATE_CODES if f"{m}.{s}" in NATIONAL]
    assert len(metrics) > 50 and clashes == []
    assert S.check("--metric", "alpr.reads", NATIONAL) is None  # national, though alpr.reads is a by_state metric too
    assert S.check("--metric", "alpr.reads.TX", NATIONAL) == S.StateMetric("alpr.reads", "TX")
    # the national family that already ends in a state stays national
    assert S.check("--metric", "search.cameras_median_statewide.OR", NATIONAL) is None


@pytest.mark.parametrize("name, hint", [
    ("audit.records_received_proxy.tx", "did you mean audit.records_received_proxy.TX?"),
    ("audit.records_received_proxy.Texas", "did you mean audit.records_received_proxy.TX?"),
    ("audit.records_received_proxy.XX", "'XX' is not a state code"),
    ("audit.records_received_proxy", "is a by_state metric: name the state too, e.g. audit.records_received_proxy.TX"),
    ("audit.records_recieved_proxy.TX", "did you mean audit.records_received_proxy.TX"),
    ("optin.rat", "did you mean optin.rate"),
])
def test_a_bad_name_is_refused_naming_the_option_the_value_and_the_forms(name: str, hint: str) -> None:
    with pytest.raises(S.StateMetricError) as info:
        S.check("--metric", name, NATIONAL, [m.name for m in NATIONAL])
    text = str(info.value)
    assert text.startswith(f"--metric {name!r} is not a metric of this model; ") and hint in text
    assert "METRIC.ST" in text and "audit.records_received_federal_own" in text and "docs/metrics.md" in text


def test_a_state_without_agencies_is_refused_and_values_come_from_the_row() -> None:
    found = S.StateMetric("alpr.searches", "TX")
    S.present("--metric", found, ["TX", "FED", "OR"], "w")
    with pytest.raises(S.StateMetricError, match=r"TX has no agencies in this world; states present: NC, OR$"):
        S.present("--metric", found, ["NC", "FED", "OR"], "this world")
    table = pd.DataFrame({"state": ["OR", "TX", "TX"], "metric": ["alpr.searches", "alpr.reads", "alpr.searches"],
                          "value": [1.0, 2.0, 3.0]})
    assert S.value(table, found) == 3.0 and S.value(table, S.StateMetric("alpr.searches", "NC")) is None
