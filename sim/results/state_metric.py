"""One state's figure asked for by name: a ``by_state`` metric in one state, written ``METRIC.ST``.

``by_state`` (`sim.results.places`) holds, per replication, state and metric, a state's sum of a per-agency count
(``audit.records_received_proxy``: audit entries from proxy lookups reaching the state's networks, one per network
reached) and the state-only columns (``federal.owners_direct``, ``audit.records_received_from.<state>``...): the
figures `fedsim run --focus ST`, `fedsim compare --focus ST` and a brief's state table average. Where one of them
is asked for by name (``--replications auto --metric``, ``fedsim sensitivity --metric``) it is written as the
project already writes a state in a metric name (the national ``search.cameras_median_statewide.OR``): the
by_state metric, a dot, the state's two-letter code in capitals. ``audit.records_received_proxy.TX`` is Texas's
entries from proxy lookups; ``audit.records_received_from.FED.TX`` the entries in Texas from federal units' own
searches. Its value in a replication is that row of the replication's by_state table (unit: the by_state
metric's). A whole-run (national) metric's name is read as such first; no by_state metric followed by a state code
is the name of one (tested), so each name has one meaning. `check` is the one check of such a name, `present`
the one check that the state has agencies in a world; their `StateMetricError` names the option, the value and
the allowed forms (exit status 2).
"""

from __future__ import annotations

import difflib
from collections.abc import Container, Iterable
from dataclasses import dataclass

import pandas as pd

from sim.geo.states import FEDERAL_STATE, STATE_CODES, code_for_name
from sim.results.catalog import display_unit
from sim.results.errors import ResultsError
from sim.results.places import COUNT_COLUMNS, PLACE_METRICS, STATE_EXTRA

EXAMPLE = "audit.records_received_proxy.TX"
FROM = "audit.records_received_from."  # the one by_state family: entries from <state>'s (or FED's) searches
BY_STATE_METRICS: tuple[str, ...] = (*COUNT_COLUMNS, *(m.name for m in STATE_EXTRA))
FORMS = (f"a whole-run metric (docs/metrics.md), or one state's figure written METRIC.ST: a by_state metric "
         f"({', '.join(BY_STATE_METRICS)}) then a dot and the state's two-letter code in capitals, e.g. {EXAMPLE}")


class StateMetricError(ResultsError):
    """A metric name that is neither a whole-run metric nor a by_state metric in a state of the world."""


@dataclass(frozen=True)
class StateMetric:
    metric: str  # the by_state metric (``audit.records_received_proxy``)
    state: str  # two-letter code (``TX``)

    @property
    def name(self) -> str:
        return f"{self.metric}.{self.state}"


def is_by_state(metric: str) -> bool:
    """Whether `metric` is a by_state metric (the family ``audit.records_received_from.<state>`` with its code)."""
    if metric.startswith(FROM):
        return metric.removeprefix(FROM) in (*STATE_CODES, FEDERAL_STATE)
    return metric in BY_STATE_METRICS


def parse(name: str) -> StateMetric | None:
    """`name` as a by_state metric in a state, or None when it is not written so."""
    metric, _, state = name.rpartition(".")
    return StateMetric(metric, state) if state in STATE_CODES and is_by_state(metric) else None


def check(option: str, name: str, national: Container[str], national_names: Iterable[str] = ()) -> StateMetric | None:
    """None when `name` is a whole-run metric (in `national`), the state's metric when written ``METRIC.ST``;
    else `StateMetricError` naming `option`, the value, a close name where there is one, and the allowed forms
    (`national_names`: the whole-run names to suggest from)."""
    if name in national:
        return None
    found = parse(name)
    if found is not None:
        return found
    raise StateMetricError(f"{option} {name!r} is not a metric of this model; {_hint(name, national_names)}"
                           f"allowed: {FORMS}")


def _hint(name: str, national_names: Iterable[str]) -> str:
    metric, _, state = name.rpartition(".")
    if metric and is_by_state(metric):
        code = state.upper() if state.upper() in STATE_CODES else code_for_name(state)
        if code is not None:
            return f"did you mean {metric}.{code}? "
        return f"{state!r} is not a state code ({', '.join(STATE_CODES)}); "
    if is_by_state(name):
        return f"{name} is a by_state metric: name the state too, e.g. {name}.TX; "
    if state in STATE_CODES:  # a misspelt by_state metric in a state
        close = difflib.get_close_matches(metric, BY_STATE_METRICS, n=3)
        return f"did you mean {' or '.join(f'{c}.{state}' for c in close)}? " if close else ""
    close = difflib.get_close_matches(name, list(national_names), n=3)
    return f"did you mean {' or '.join(close)}? " if close else ""


def present(option: str, found: StateMetric, states: Iterable[str], where: str) -> None:
    """`StateMetricError` unless `found`'s state has agencies in `states` (the state codes of `where`'s world)."""
    codes = sorted(set(states) - {FEDERAL_STATE})
    if found.state not in codes:
        raise StateMetricError(f"{option} {found.name!r}: {found.state} has no agencies in {where}; states present: "
                               f"{', '.join(codes)}")


def label_unit(found: StateMetric) -> tuple[str, str]:
    """Words and display unit (`sim.results.catalog.display_unit`) for `found`: its by_state metric's declared label
    "in ST", and its unit."""
    inner = found.metric.removeprefix(FROM) if found.metric.startswith(FROM) else None
    m = PLACE_METRICS[f"{FROM}<state>" if inner is not None else found.metric]
    label = m.label.replace("<state>", inner) if inner is not None else m.label
    return f"{label} in {found.state}", display_unit(m.unit, m.series)


def value(by_state: pd.DataFrame, found: StateMetric) -> float | None:
    """`found`'s value in a by_state table of one replication, or None when the table has no such row."""
    rows = by_state.loc[(by_state["state"] == found.state) & (by_state["metric"] == found.metric), "value"]
    return float(rows.iloc[0]) if len(rows) else None
