"""How much one state's figure varies from run to run, and which figures a focus flags as not to be quoted alone.

Every replication of a run uses the same world (one seed: agencies, cameras, sharing and federal grants) and
draws the behaviour again, every agency's search rate above all (lognormal, log-sd 1.33 in the baseline). A
state's figure, summed over its agencies per replication in ``by_state``, therefore spreads between replications
(docs/running.md, "Which state figures are stable, and why the others vary"). Its spread here, computed from
those saved per-replication values only: the coefficient of variation (CV: sample standard deviation, ddof=1, over
the mean; a share, 0.35 = 35%) and the range of the replications (p5 to p95, numpy's linear interpolation, as
`sim.results.stats`).

A figure is flagged (`Spread.flag`)
- `NOISY` ("varies a lot from run to run") when its CV exceeds `NOISY_CV` (25%), or, whatever the run's few
  replications show, when it rests on a few agencies' drawn rates by construction: entries from state police and
  from proxy lookups and the proxy lookups a state's agencies ran (`FEW_DRAWS`: 23-343% over 40 replications in
  every state measured), and a state's own searches where fewer of its agencies search at drawn rates than
  `few_agencies` gives for the run's rate spread (the docs' CV of about 2.2 / sqrt(n) passes 25% below 78 agencies
  in the baseline; `drawn_agencies`, `searches_sigma`). Measured stable
  figures vary at most 11%, the noisy ones at least 23%; with the baseline's 3 replications a CV is itself rough,
  hence the rules by construction. A figure 0 in every replication is never flagged.
- `WORLD` ("set by the world"), when not `NOISY`, if the world draws it (`WORLD_DRAWN`: agencies, cameras, reads,
  federal grants and what they write) and every replication ran on one world (`one_world`): its CI describes this
  seed's world, and another seed's differs by 6-26% (docs). Under ``run.world_per_replication: true`` the
  replications' spread includes the world's, so no figure is flagged as the world's.

Used by `fedsim run --focus`'s lines (`sim.cli.focus_lines`) and a focus brief's state table (`reports.focus`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

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
DRAWN_TYPE = "local_police"  # the type whose rate spread `searches_sigma` reads: most of a state's agencies


def searches_sigma(scenario: Mapping[str, Any] | None) -> float | None:
    """The log-sd of a local police agency's drawn search rate in a resolved scenario (as a folder saves it:
    ``behavior.searches.per_agency_sigma``, per type or one number); None when it does not say."""
    sigma = (((scenario or {}).get("behavior") or {}).get("searches") or {}).get("per_agency_sigma")
    if isinstance(sigma, Mapping):
        sigma = sigma.get(DRAWN_TYPE)
    return float(sigma) if isinstance(sigma, int | float) else None


def one_world(scenario: Mapping[str, Any] | None) -> bool:
    """Whether every replication ran on one world: a resolved scenario without ``run.world_per_replication: true``
    (a folder written before the field, or none saved, ran so)."""
    return ((scenario or {}).get("run") or {}).get("world_per_replication") is not True


def few_agencies(sigma: float) -> int:
    """The agency count below which a state's own searches vary over `NOISY_CV`: one agency's rate, lognormal of
    log-sd `sigma`, varies with CV sqrt(exp(sigma^2) - 1) (2.2 at the baseline's 1.33, 2.4 at 1.38), so n agencies'
    sum about that over sqrt(n) (docs/running.md): 78 at 1.33 (Oregon's 63 below, Texas's 432 above), 92 at 1.38."""
    return math.ceil(math.expm1(sigma**2) / NOISY_CV**2)


# by_state metrics the world (the seed) draws: the same or nearly in every replication of a run
WORLD_DRAWN: frozenset[str] = frozenset({
    "agencies", "private_networks", "cameras", "alpr.reads", "storage.reads_held", "audit.records_received_federal_own",
    "federal.owners_direct", "federal.owners_lookup_only", "federal.owners_proxy_only", "federal.cameras_direct",
    "federal.cameras_lookup_only", "federal.cameras_proxy_only"})
SECTION = "docs/running.md, 'Which state figures are stable, and why the others vary'"
# what the spread shown is, and what each flag means, said once below the terminal lines (technical, with the config
# key) and, in plain words, beside a brief's table (`PLAIN_MEANS`, `PLAIN_NOTES`)
SPREAD_MEANS = "the replications' standard deviation over their mean, then their range (p5 to p95)"
ROUGH_BELOW = 10  # replications under which a spread is itself rough (the docs measured theirs over 40)
NOTES = {
    NOISY: (f"{NOISY} from run to run (its replications' standard deviation is over {NOISY_CV:.0%} of their mean, or "
            f"a few agencies' drawn search rates carry it): quote its range or an order of magnitude, not the mean "
            f"alone ({SECTION})"),
    WORLD: (f"{WORLD} (agencies, cameras and federal grants are drawn once per seed): its CI is this world's, and "
            "another seed's world differs by 6-26%; run.world_per_replication: true puts that in the CI (same "
            "section)"),
}
PLAIN_MEANS = ("how much the figure changed between the simulated runs (replications): the typical change as a % of "
               "the average, then the range that covers 9 runs in 10")
PLAIN_NOTES = {
    NOISY: (f"{NOISY} from run to run (its typical change is over {NOISY_CV:.0%} of its average, or it rests on a few "
            f"agencies' randomly drawn search rates): quote its range or an order of magnitude, not the mean alone "
            f"({SECTION})"),
    WORLD: (f"{WORLD}: fixed by the one simulated map of agencies and cameras this run used; a different map moves "
            "it by 6-26%, which the 95% CI leaves out (same section)"),
}


@dataclass(frozen=True)
class Spread:
    """A state's figure over a run's replications: n, mean, CV (NaN under 2 replications or a mean of 0), p5 and
    p95 of the replications, the flag (`NOISY`, `WORLD` or None), and whether it rests on a few agencies' draws by
    construction (`few`: flagged `NOISY` whatever its CV here)."""

    n: int
    mean: float
    cv: float
    low: float
    high: float
    flag: str | None
    few: bool = False


def spread(metric: str, values: Sequence[float] | np.ndarray, agencies: float | None = None,
           sigma: float | None = None, same_world: bool = True) -> Spread:
    """The spread of `metric`'s per-replication `values` in one state, flagged by the rules above; `agencies` the
    state's agencies with drawn search rates (`drawn_agencies`) and `sigma` their rates' log-sd (`searches_sigma`),
    for the rule on its own searches (either None: not applied); `same_world` False when each replication drew its
    own world (`one_world`): no figure is then the world's alone."""
    x = np.asarray(values, dtype=float)
    n = len(x)
    mean = float(x.mean()) if n else math.nan
    cv = float(np.std(x, ddof=1) / abs(mean)) if n > 1 and mean else math.nan
    low, high = (float(v) for v in np.percentile(x, [5, 95])) if n else (math.nan, math.nan)
    few = metric in FEW_DRAWS or (metric == SEARCHES and agencies is not None and sigma is not None
                                  and agencies < few_agencies(sigma))
    if n and bool(np.any(x != 0)) and (few or cv > NOISY_CV):  # before the world's: Wyoming's reads vary 25%
        flag: str | None = NOISY
    else:
        flag = WORLD if same_world and metric in WORLD_DRAWN else None
    return Spread(n, mean, cv, low, high, flag, few)


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
    """The spread in a few words, numbers by `fmt`: "8% (4,100 to 4,900)", "varies a lot: 35% (...)", "varies a lot
    in general (only 19%, 69,737 to 108,281, in these 5 runs)" (by construction, though these replications vary
    less), "set by the world: the same in every run"; with 1 replication its flag alone, else "n/a (1 replication)"."""
    if s.n < 2:  # no spread to show: the flag a figure has by construction, if any
        return s.flag or "n/a (1 replication)"
    if s.mean == 0 and s.low == s.high == 0:
        return "0 in every run"
    if s.flag == WORLD and s.low == s.high:
        return f"{WORLD}: the same in every run"
    shown = f"{cv_text(s.cv)} ({fmt(s.low)} to {fmt(s.high)})" if math.isfinite(s.cv) else f"{fmt(s.low)} to {fmt(s.high)}"
    if s.flag == NOISY and s.cv > NOISY_CV:
        return f"{NOISY}: {shown}"
    if s.flag == NOISY:  # by construction, though these replications vary less
        only = f"only {cv_text(s.cv)}, " if math.isfinite(s.cv) else ""
        return f"{NOISY} in general ({only}{fmt(s.low)} to {fmt(s.high)}, in these {s.n} runs)"
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


def spread_notes(by_state: pd.DataFrame, state: str, place: str, spreads: dict[str, Spread], missing: str,
                 plain: bool = False) -> list[str]:
    """What the spreads shown are (rough under `ROUGH_BELOW` replications), what the flags among them mean, and how
    much of `state`'s searches its busiest agency ran, or `missing` when the folder lacks that figure (an older
    fedsim); lower-case phrases, one each. `plain`: a brief's words (`PLAIN_MEANS`, `PLAIN_NOTES`), not the
    terminal's."""
    n = max((s.n for s in spreads.values()), default=0)
    rough = f"; {n} replications give only a rough spread" if 1 < n < ROUGH_BELOW else ""
    flags = {s.flag for s in spreads.values()}
    means, notes = (PLAIN_MEANS, PLAIN_NOTES) if plain else (SPREAD_MEANS, NOTES)
    said = [f"run to run: {means}{rough}", *(notes[f] for f in (NOISY, WORLD) if f in flags)]
    searched = spreads.get(SEARCHES)
    if BUSIEST not in set(by_state["metric"]):
        if searched is not None and searched.mean > 0:
            said.append(f"share of {place}'s searches its busiest agency ran: {missing}")
    elif words := busiest_words(by_state, state, place):
        said.append(words)
    return said
