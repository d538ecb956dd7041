"""Can federal units see a state's cars? Federal reach into one state by channel, the answer a focus brief opens with.

A state's camera networks (owners: agencies and private networks, by_state's ``agencies`` and ``private_networks``)
fall into four groups (`sim.results.places`, docs/metrics.md "Federal reach"): those at least one federal unit
reaches through a **1:1 grant** (``federal.owners_direct``), those reached only by a unit's **own lookup**
(``federal.owners_lookup_only``), those no unit reaches itself but a **proxy** lookup a local officer runs for one
can (``federal.owners_proxy_only``), and the rest, **closed**. ``federal.cameras_*`` count their cameras. These
are what the world and the rules allow (counts of owners and cameras, the same in every replication of one world),
not searches run: the proxy group is a possible channel, not a measured flow, so the sentence says how many proxy
lookups the run drew (`proxy_runs`); how much federal searches actually touched is in the audit entries beside them.

`channel_sentence` says it for one run (a report); `compare_reach_sentence` for a comparison, per scenario, or once
when every scenario gives the same reach (2025 against 2026 rules: the lede led with fewer out-of-state audit
entries and never said that federal reach into the state had not moved).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from reports.catalog import big
from reports.focus_estimates import count_estimate, per_rep

CHANNELS = ("federal.owners_direct", "federal.owners_lookup_only", "federal.owners_proxy_only")
CAMERAS = ("federal.cameras_direct", "federal.cameras_lookup_only", "federal.cameras_proxy_only")


@dataclass(frozen=True)
class Reach:
    """Mean over replications of one state's owners (agencies, private networks) and cameras, and per channel."""

    agencies: float
    private: float
    cameras: float | None  # None in a folder without the federal.cameras_* rows
    owners: tuple[float, float, float]  # direct, own lookup only, proxy only
    channel_cameras: tuple[float, float, float] | None

    @property
    def closed(self) -> float:
        return max(self.agencies + self.private - sum(self.owners), 0.0)

    @property
    def key(self) -> tuple[float, ...]:
        return (*self.owners, *(self.channel_cameras or ()))


def reach(by_state: pd.DataFrame, state: str) -> Reach | None:
    """The state's federal reach, None for a folder whose by_state lacks the channels."""
    metrics = set(by_state.metric)
    if not set(CHANNELS) <= metrics:
        return None

    def m(metric: str) -> float:
        return count_estimate(per_rep(by_state, metric, {state})).mean if metric in metrics else 0.0

    cams = tuple(m(c) for c in CAMERAS) if set(CAMERAS) <= metrics and "cameras" in metrics else None
    return Reach(m("agencies"), m("private_networks"), m("cameras") if cams is not None else None,
                 (m(CHANNELS[0]), m(CHANNELS[1]), m(CHANNELS[2])), cams)  # type: ignore[arg-type]


def _cams(r: Reach, i: int) -> str:
    return f" ({big(r.channel_cameras[i])} cameras)" if r.channel_cameras is not None else ""


def _owners(r: Reach, place: str) -> str:
    parts = [f"{big(r.agencies)} agencies, {big(r.private)} private networks"] if r.private else []
    parts += [f"{big(r.cameras)} cameras"] if r.cameras is not None else []
    what = "camera networks" if r.private else "agencies"
    return f"{big(r.agencies + r.private)} {what} in {place}" + (f" ({'; '.join(parts)})" if parts else "")


def _channels(r: Reach) -> str:
    direct, lookup, proxy = r.owners
    proxy_cams = f"{big(r.channel_cameras[2])} cameras; " if r.channel_cameras is not None else ""
    return (f"federal units can reach {big(direct)} directly through 1:1 grants{_cams(r, 0)}, {big(lookup)} more only by "
            f"their own national lookup{_cams(r, 1)}, and could reach {big(proxy)} only through local officers' proxy "
            f"lookups ({proxy_cams}a possible channel, not a measured flow); {big(r.closed)} "
            f"{'is' if r.closed == 1 else 'are'} closed to every channel")


def _short(r: Reach) -> str:
    """The same four counts in few words, for the scenarios after the first."""
    direct, lookup, proxy = r.owners
    return (f"{big(direct)} directly{_cams(r, 0)}, {big(lookup)} by own lookup only{_cams(r, 1)}, {big(proxy)} only "
            f"through proxies{_cams(r, 2)}, {big(r.closed)} closed")


def channel_sentence(by_state: pd.DataFrame, state: str, place: str) -> str:
    """'Of 602 camera networks in Georgia (...), federal units can reach 4 directly ...; 0 are closed to every
    channel.' (how many proxy lookups the run drew, `proxy_runs`, goes with the audit entries they wrote:
    `reports.focus.report_focus`, in a parenthesis, so that on a phone the answer still fits the first screen)."""
    r = reach(by_state, state)
    return "" if r is None else f"Of {_owners(r, place)}, {_channels(r)}."


def proxy_runs(by_state: pd.DataFrame, state: str, place: str) -> str:
    """How many proxy lookups the run actually drew, beside the owners they could reach: under Illinois' law the brief
    said '0 are closed' (every owner reachable by proxy) and read as if federal units searched them all, while the
    run's proxy lookups were a few local agencies' (`behavior.searches.proxy_agency_share`)."""
    if "alpr.searches_federal_proxy" not in set(by_state.metric):  # its entries: `reports.focus.report_focus`
        return ""
    runs = count_estimate(per_rep(by_state, "alpr.searches_federal_proxy", None)).mean
    mine = count_estimate(per_rep(by_state, "alpr.searches_federal_proxy", {state})).mean
    return f"{big(runs)} proxy lookups ran in the whole world, {big(mine)} by {place}'s agencies"


def compare_reach_sentence(runs: list[tuple[str, pd.DataFrame]], state: str, place: str) -> str:
    """Federal reach into the state in each scenario (name, by_state table; the baseline first): said once when it is
    the same in all, else per scenario; '' when a table lacks the channels."""
    reaches = [(name, reach(table, state)) for name, table in runs]
    if any(r is None for _, r in reaches):
        return ""
    first = reaches[0][1]
    assert first is not None
    if all(r is not None and r.key == first.key for _, r in reaches[1:]):
        every = "both" if len(reaches) == 2 else f"all {len(reaches)}"
        return (f"Federal reach into {place} is the same in {every} scenarios: of {_owners(first, place)}, "
                f"{_channels(first)}.")
    same_world = all(r is not None and (r.agencies, r.private, r.cameras) == (first.agencies, first.private,
                                                                             first.cameras) for _, r in reaches)
    head = f"Federal reach into {place} differs: in '{reaches[0][0]}', of {_owners(first, place)}, {_channels(first)}"
    rest = [f"'{name}', {'' if same_world else f'of {_owners(r, place)}, '}{_short(r)}"
            for name, r in reaches[1:] if r is not None]
    return f"{head}; in the others: {'; '.join(rest)}." if len(rest) > 1 else f"{head}; in {rest[0]}."
