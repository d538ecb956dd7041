"""Sharing between states on a map: whose reads agencies of one state may search in another.

Input: ``state_sharing`` of ``world.json`` (`sim.model.state_sharing`, saved by every run): per pair
(owner's state, searcher's state, federal units as ``FED``) the sharing links of the world and those open
under the policy; per state its agencies, cameras and owners open to national lookup. A drawing of agencies
(thousands of nodes, ~800,000 links nationally) is a hairball; states stay legible:
- without a focus (`state_sharing_chart`): each state filled by the share of its camera owners' open links
  that go to agencies of other states, and a line between the centres of the `TOP_PAIRS` pairs of states
  with the most open links between them (both directions), its width by that count;
- with a focus state (`focus_sharing_chart`): the state's neighbourhood, a line to every state its owners
  share with or that shares with it, width by open links, partner states filled by those links, the focus
  outlined.
Lines run between published geographic centres (`reports.maps.state_centres`). National lookup is not a link
(it opens an owner to every agency that searches nationally); the subtitle counts the owners it opens. The
CSV beside the chart has every pair, federal units included. World counts are exact for that world's draw.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection, PolyCollection

from reports.catalog import big
from reports.charts.common import source_line
from reports.maps import CREDIT, choropleth_figure, projected_states, state_centres, zoom_to
from reports.style import OKABE_ITO, Chart, Skipped, frame
from reports.tables import Results
from sim.geo.states import FEDERAL_STATE, NAMES

TOP_PAIRS = 20
MAX_WIDTH = 4.5  # points, for the pair with the most links
TITLE = "Sharing between states"
HEIGHT = 6.6  # inches: the title block takes ~1.6 of them


def pairs_table(res: Results) -> pd.DataFrame | Skipped | None:
    """world.json's state_sharing as a table (owner, searcher, links, open), why it cannot be read, or None
    without a world.json (the agency graph's note says so once)."""
    if res.world is None:
        return None
    saved = res.world.get("state_sharing")
    if not saved or "pairs" not in saved:
        return Skipped("state_sharing", TITLE, "this folder's world.json was written before runs saved sharing between "
                                               "states (state_sharing); run the scenario again to draw it")
    return pd.DataFrame(saved["pairs"], columns=["owner", "searcher", "links", "open"])


def states_in(res: Results) -> list[str]:
    return sorted(((res.world or {}).get("state_sharing") or {}).get("states") or {})


def _between(pairs: pd.DataFrame) -> pd.DataFrame:
    """Open links between two different states, both directions summed: a, b (a < b), open."""
    cross = pairs[(pairs.owner != pairs.searcher) & (pairs.owner != FEDERAL_STATE) & (pairs.searcher != FEDERAL_STATE)]
    a = np.minimum(cross.owner, cross.searcher)
    b = np.maximum(cross.owner, cross.searcher)
    return cross.assign(a=a, b=b).groupby(["a", "b"], as_index=False)["open"].sum().query("open > 0")


def _lines(ax: Axes, ends: list[tuple[str, str]], counts: np.ndarray, color: str) -> None:
    if not len(ends):
        return  # no links between states (e.g. sharing_scope: in_state): nothing to draw, and counts.max() would fail
    centre = state_centres()
    segs = [[centre[a], centre[b]] for a, b in ends]
    widths = 0.6 + (MAX_WIDTH - 0.6) * np.sqrt(counts / max(counts.max(), 1))
    ax.add_collection(LineCollection(segs, linewidths=widths, colors=color, alpha=0.75, capstyle="round", zorder=3))
    xy = np.array([centre[c] for c in sorted({c for pair in ends for c in pair})])
    if len(xy):
        ax.scatter(xy[:, 0], xy[:, 1], s=10, color="#111111", zorder=4)


def _lookup_note(res: Results) -> str:
    saved = (res.world or {}).get("state_sharing") or {}
    """The owners national lookup opens: ``lookup_owners`` counts agencies and private networks alike, so they are
    said out of both ('opens 30,400 of 18,000 agencies' reads' counted private networks as agencies)."""
    states = saved.get("states", {}).values()
    owners = sum(s.get("lookup_owners", 0) for s in states)
    agencies = sum(s.get("agencies", 0) for s in states)
    private = sum(s.get("private_networks", 0) for s in states)
    of = f"{big(agencies)} agencies and {big(private)} private networks" if private else f"{big(agencies)} agencies"
    federal = "including" if saved.get("federal_lookup") else "not including"
    return (f"National lookup, not drawn, opens the reads of {big(owners)} of the {of} to every agency that "
            f"searches nationally ({federal} federal units).")


def state_sharing_chart(res: Results) -> Chart | Skipped | None:
    """The strongest sharing between states, on a map; None for a world of one state (nothing between states)."""
    pairs = pairs_table(res)
    if not isinstance(pairs, pd.DataFrame):
        return pairs
    if len(states_in(res)) < 2:
        return None  # one state: its agency graph (state_graph) shows its sharing instead
    owned = pairs[pairs.owner != FEDERAL_STATE]
    out = owned[owned.searcher != owned.owner].groupby("owner")["open"].sum()
    total = owned.groupby("owner")["open"].sum()
    share = (100 * out / total.replace(0, np.nan)).rename("out_of_state_pct").reset_index()
    share = share.rename(columns={"owner": "state"})
    fig, ax = choropleth_figure(share, "out_of_state_pct", height=HEIGHT,
                                label="% of the state's owners' open sharing links that go to agencies in other states "
                                      "(federal units included)")
    between = _between(pairs).sort_values("open", ascending=False)
    top = between.head(TOP_PAIRS)
    _lines(ax, list(zip(top.a, top.b, strict=True)), top.open.to_numpy(dtype=float), OKABE_ITO["vermillion"])
    zoom_to(ax, states_in(res))
    in_state = int(owned.loc[owned.searcher == owned.owner, "open"].sum())
    to_fed = int(owned.loc[owned.searcher == FEDERAL_STATE, "open"].sum())
    across = int(between.open.sum())
    lead = top.iloc[0] if len(top) else None
    title = (f"{big(in_state)} open sharing links stay inside a state, {big(across)} cross state lines"
             + (f"; most between {lead.a} and {lead.b} ({big(lead.open)})" if lead is not None else ""))
    subtitle = (f"A link: an agency may search another's plate reads (1:1 grant or statewide sharing), open under "
                f"the policy. Lines: the {len(top)} pairs of states with the most links between them (both "
                f"directions), width by count; fill: share of a state's links that leave it. {big(to_fed)} links "
                f"go to federal units. {_lookup_note(res)}")
    source = source_line(res, CREDIT)
    frame(fig, title, subtitle, source, left=0.02, right=0.98, bottom_in=0.7)
    alt = ("Map of the United States with lines between states that share plate reads. Most links between: "
           + ", ".join(f"{r.a} and {r.b} {r.open:,}" for r in top.head(8).itertuples())
           + f". {in_state:,} links stay in-state, {across:,} cross states, {to_fed:,} go to federal units. "
           "The CSV beside the image has every pair of states.")
    return Chart("state_sharing", title, subtitle, alt, source, pairs, fig)


def _states(n: int) -> str:
    return f"{n} other state{'s' if n != 1 else ''}"


def focus_sharing_chart(res: Results, state: str) -> Chart | Skipped | None:
    """`state`'s sharing with every other state and federal units; None for a world of one state."""
    pairs = pairs_table(res)
    if not isinstance(pairs, pd.DataFrame):
        return pairs
    if len(states_in(res)) < 2:
        return None
    place = NAMES.get(state, state)
    mine = pairs[(pairs.owner == state) | (pairs.searcher == state)]
    partners = mine.assign(other=np.where(mine.owner == state, mine.searcher, mine.owner))
    partners = partners[(partners.other != state) & (partners.other != FEDERAL_STATE)]
    outgoing = partners[partners.owner == state].groupby("other")["open"].sum()
    incoming = partners[partners.searcher == state].groupby("other")["open"].sum()
    both = pd.DataFrame({"from_state": outgoing, "into_state": incoming}).fillna(0).astype(int)
    both["open"] = both.from_state + both.into_state
    both = both[both.open > 0].sort_values("open", ascending=False).rename_axis("state").reset_index()
    fig, ax = choropleth_figure(both, "open", height=HEIGHT,
                                label=f"open sharing links with {place}, both directions ({place}: white, outlined; "
                                      "grey: none)")
    _lines(ax, [(state, s) for s in both.state], both.open.to_numpy(dtype=float), OKABE_ITO["vermillion"])
    ax.add_collection(PolyCollection(projected_states().get(state, []), facecolors="#ffffff", edgecolors="#000000",
                                     linewidths=1.6, zorder=2))
    zoom_to(ax, states_in(res))
    own = pairs[pairs.owner == state]
    in_state = int(own.loc[own.searcher == state, "open"].sum())
    to_fed = int(own.loc[own.searcher == FEDERAL_STATE, "open"].sum())
    closed = int(own.links.sum() - own.open.sum())
    # each direction its own count of states: California's agencies (no out-of-state sharing) share with no other
    # state while 50 share with them, and one count of both read "share with agencies in 50 other states"
    n_out, n_in = int((both.from_state > 0).sum()), int((both.into_state > 0).sum())
    title = (f"{place}'s agencies share with agencies in {_states(n_out)} through {big(both.from_state.sum())} links; "
             f"agencies in {_states(n_in)} share with them through {big(both.into_state.sum())}; "
             f"{big(to_fed)} links go to federal units")
    subtitle = (f"Open links under the policy (1:1 grants and statewide sharing); {big(in_state)} stay inside "
                f"{place}" + (f", {big(closed)} of its owners' links are closed by the policy" if closed else "")
                + f". Lines and fill: links with each state, both directions. {_lookup_note(res)}")
    source = source_line(res, CREDIT)
    frame(fig, title, subtitle, source, left=0.02, right=0.98, bottom_in=0.7)
    alt = (f"Map of the United States with {place} outlined and lines to the states it shares plate reads with, "
           "in either direction. "
           + ("Most links with: " + ", ".join(f"{r.state} {r.open:,}" for r in both.head(8).itertuples()) + ". "
              if len(both) else "No links with other states. ")
           + f"{in_state:,} links stay in {place}; {to_fed:,} go to federal units. The CSV beside the image has "
           "every partner state.")
    return Chart("focus_sharing", title, subtitle, alt, source, both.assign(focus=state), fig)
