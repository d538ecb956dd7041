"""How much one state's figure varies from run to run, and which figures a focus flags as not to be quoted alone.

Every replication of a run uses the same world (one seed: agencies, cameras, sharing and federal grants) and
draws the behaviour again, every agency's search rate above all (lognormal, log-sd 1.38 in the baseline). A
state's figure, summed over its agencies per replication in ``by_state``, therefore spreads between replications
(docs/running.md, "Which state figures are stable, and why the others vary"). Its spread here, computed from
those saved per-replication values only: the coefficient of variation (CV: sample standard deviation, ddof=1, over
the mean; a share, 0.35 = 35%) and the range of the replications (p5 to p95, numpy's linear interpolation, as
`sim.results.stats`).

A figure is flagged (`Spread.flag`)
- `NOISY` ("varies a lot from run to run") when its CV exceeds `NOISY_CV` (25%), or, whatever the run's few
  replications show, when it rests on a few agencies' drawn rates by construction: entries from state police and
  from proxy lookups and the proxy lookups a state's agencies ran (`FEW_DRAWS`: 23-343% over 40 replications in
  every state measured), and a state's own searches where fewer than `FEW_AGENCIES` of its agencies search at
  drawn rates (the docs' CV of about 2.4 / sqrt(n) passes 25% below 92; `drawn_agencies`). Measured stable
  figures vary at most 11%, the noisy ones at least 23%; with the baseline's 3 replications a CV is itself rough,
  hence the rules by construction. A figure 0 in every replication is never flagged.
- `WORLD` ("set by the world"), when not `NOISY`, if the world draws it (`WORLD_DRAWN`: agencies, cameras, reads,
  federal grants and what they write): its CI describes this seed's world, and another seed's differs by 6-26%
  (docs).

Used by `fedsim run --focus`'s lines (`sim.cli.focus_lines`) and a focus brief's state table (`reports.focus`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.results.places import BUSIEST

NOISY = "varies a lot"
WORLD = "set by the world"
NOISY_CV = 0.25  # a CV above this flags a figure (docs/reports.md, "Run to run")
# by_state metrics a few agencies' drawn rates carry in every state (docs/running.md's table over 40 replications)
FEW_DRAWS: frozenset[str] = frozenset({"audit.records_received_state_police", "audit.records_received_proxy",
                                       "alpr.searches_federal_proxy"})
SEARCHES = "alpr.searches"
# one agency's search rate varies with CV 2.39 (lognormal of the baseline's log-sd 1.38,
# behavior.searches.per_agency_sigma), so a state's own searches about 2.39 / sqrt(n) with n its agencies (the docs'
# "2.4 / sqrt(n)"): over `NOISY_CV` below 92 agencies (Oregon's 63, not Texas's 432)
AGENCY_CV = math.sqrt(math.expm1(1.38**2))
FEW_AGENCIES = math.ceil((AGENCY_CV / NOISY_CV) ** 2)
# by_state metrics the world (the seed) draws: the same or nearly in every replication of a run
WORLD_DRAWN: frozenset[str] = frozenset({
    "agencies", "private_networks", "cameras", "alpr.reads", "storage.reads_held", "audit.records_received_federal_own",
    "federal.owners_direct", "federal.owners_lookup_only", "federal.owners_proxy_only", "federal.cameras_direct",
    "federal.cameras_lookup_only", "federal.cameras_proxy_only"})
SECTION = "docs/running.md, 'Which state figures are stable, and why the others vary'"
# what the spread shown is, and what each flag means, said once below the terminal lines and beside a brief's table
SPREAD_MEANS = "the replications' standard deviation over their mean, then their range (p5 to p95)"
ROUGH_BELOW = 10  # replications under which a spread is itself rough (the docs measured theirs over 40)
NOTES = {
    NOISY: (f"{NOISY} from run to run (its replications' standard deviation is over {NOISY_CV:.0%} of their mean, or "
            f"a few agencies' drawn search rates carry it): quote its range or an order of magnitude, not the mean "
            f"alone ({SECTION})"),
    WORLD: (f"{WORLD} (agencies, cameras and federal grants are drawn once per seed): its CI is this world's, and "
            "another seed's world differs by 6-26% (same section)"),
}


@dataclass(frozen=True)
class Spread:
    """A state's figure over a run's replications: n, mean, CV (NaN under 2 replications or a mean of 0), p5 and
    p95 of the replications, and the flag (`NOISY`, `WORLD` or None)."""

    n: int
    mean: float
    cv: float
    low: float
    high: float
    flag: str | None


def spread(metric: str, values: Sequence[float] | np.ndarray, agencies: float | None = None) -> Spread:
    """The spread of `metric`'s per-replication `values` in one state, flagged by the rules above; `agencies` the
    state's agencies with drawn search rates (`drawn_agencies`), for the rule on its own searches (None: not
    applied)."""
    x = np.asarray(values, dtype=float)
    n = len(x)
    mean = float(x.mean()) if n else math.nan
    cv = float(np.std(x, ddof=1) / abs(mean)) if n > 1 and mean else math.nan
    low, high = (float(v) for v in np.percentile(x, [5, 95])) if n else (math.nan, math.nan)
    few = metric in FEW_DRAWS or (metric == SEARCHES and agencies is not None and agencies < FEW_AGENCIES)
    if n and bool(np.any(x != 0)) and (few or cv > NOISY_CV):  # before the world's: Wyoming's reads vary 25%
        flag: str | None = NOISY
    else:
        flag = WORLD if metric in WORLD_DRAWN else None
    return Spread(n, mean, cv, low, high, flag)


def drawn_agencies(by_state: pd.DataFrame, by_agency: pd.DataFrame | None, state: str) -> float | None:
    """The number of `state`'s agencies whose search rate each replication draws, for `spread`'s rule on its own
    searches: by_agency's with ``search_rate_source`` "drawn" (an agency at its published portal count searches
    alike in every replication), else (no by_agency) by_state's ``agencies``; None without either."""
    if by_agency is not None and "search_rate_source" in by_agency:
        mine = by_agency[(by_agency["state"] == state) & (by_agency["replication"] == by_agency["replication"].min())]
        return float((mine["search_rate_source"] == "drawn").sum())
    count = by_state.loc[(by_state["state"] == state) & (by_state["metric"] == "agencies"), "value"]
    return float(count.iloc[0]) if len(count) else None


def cv_text(cv: float) -> str:
    """A CV in whole percent ("35%"), "<1%" above 0 below that."""
    return "<1%" if 0 < cv < 0.005 else f"{cv:.0%}"


def spread_text(s: Spread, fmt: Callable[[float], str]) -> str:
    """The spread in a few words, numbers by `fmt`: "8% (4,100 to 4,900)", "varies a lot: 35% (...)", "set by the
    world: the same in every run"; with 1 replication its flag alone, else "n/a (1 replication)"."""
    if s.n < 2:  # no spread to show: the flag a figure has by construction, if any
        return s.flag or "n/a (1 replication)"
    if s.mean == 0 and s.low == s.high == 0:
        return "0 in every run"
    if s.flag == WORLD and s.low == s.high:
        return f"{WORLD}: the same in every run"
    shown = f"{cv_text(s.cv)} ({fmt(s.low)} to {fmt(s.high)})" if math.isfinite(s.cv) else f"{fmt(s.low)} to {fmt(s.high)}"
    if s.flag == NOISY:
        return f"{NOISY}: {shown}"
    return f"{shown}; {WORLD}" if s.flag == WORLD else shown


def busiest_share(by_state: pd.DataFrame, state: str) -> tuple[float, float, float] | None:
    """The share of `state`'s searches its busiest agency ran (`BUSIEST`): mean, p5 and p95 over the replications
    that have a row; None when the folder has no such rows for it (an older fedsim, or no searches)."""
    v = by_state.loc[(by_state.metric == BUSIEST) & (by_state.state == state), "value"].to_numpy(dtype=float)
    if not len(v):
        return None
    low, high = np.percentile(v, [5, 95])
    return float(v.mean()), float(low), float(high)


def busiest_words(by_state: pd.DataFrame, state: str, place: str) -> str | None:
    """"Its busiest agency runs 18% of Oregon's searches (7% to 60% over the replications)"; None when the folder
    lacks the figure (`busiest_share`)."""
    share = busiest_share(by_state, state)
    if share is None:
        return None
    mean, low, high = share
    over = f" on average ({low:.0%} to {high:.0%} over the replications)" if low != high else ""
    return f"its busiest agency runs {mean:.0%} of {place}'s searches{over}"


def spread_notes(by_state: pd.DataFrame, state: str, place: str, spreads: dict[str, Spread], missing: str) -> list[str]:
    """What the spreads shown are (rough under `ROUGH_BELOW` replications), what the flags among them mean, and how
    much of `state`'s searches its busiest agency ran, or `missing` when the folder lacks that figure (an older
    fedsim); lower-case phrases, one each."""
    n = max((s.n for s in spreads.values()), default=0)
    rough = f"; {n} replications give only a rough spread" if 1 < n < ROUGH_BELOW else ""
    flags = {s.flag for s in spreads.values()}
    said = [f"run to run: {SPREAD_MEANS}{rough}", *(NOTES[f] for f in (NOISY, WORLD) if f in flags)]
    searched = spreads.get(SEARCHES)
    if BUSIEST not in set(by_state["metric"]):
        if searched is not None and searched.mean > 0:
            said.append(f"share of {place}'s searches its busiest agency ran: {missing}")
    elif words := busiest_words(by_state, state, place):
        said.append(words)
    return said
