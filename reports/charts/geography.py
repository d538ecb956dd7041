"""Where the cameras are: ALPR cameras per 100,000 people by state, for a real-geography world.

Input: ``geography.per_state`` of ``world.json`` (the ``fedsim world --json`` summary of a ``world.source:
flock-2026`` world): per state its agencies, cameras (OSM-mapped, portal, filled), Census population and
cameras per 100,000 people. Drawn by `reports.maps` from the shipped state polygons. A state with no agency
in the lists is grey ("no agency"), not zero. Synthetic worlds have no geography: the chart does not apply (None).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from reports.charts.common import source_line
from reports.maps import CREDIT, OSM_CREDIT, choropleth_figure
from reports.style import Chart, Skipped, frame
from reports.tables import Results

COLUMNS = ["state", "agencies", "cameras", "cameras_operator", "cameras_nearest", "cameras_portal", "cameras_filled",
           "population", "cameras_per_100k", "deflock_camera_count"]


def camera_map_chart(res: Results) -> Chart | Skipped | None:
    title = "ALPR cameras per 100,000 people by state"
    geo = (res.world or {}).get("geography") or {}
    rows = geo.get("per_state") or []
    if not rows:
        return None  # a synthetic world has no real geography: the map does not apply
    if not {"state", "agencies", "cameras", "population", "cameras_per_100k"} <= set(rows[0]):
        return Skipped("camera_map", title, "world.json's geography.per_state lacks state, agencies, cameras, population "
                                            "or cameras_per_100k")
    table = pd.DataFrame(rows)
    table = table[[c for c in COLUMNS if c in table.columns]]
    shown = table.assign(cameras_per_100k=np.where(table["agencies"] > 0, table["cameras_per_100k"], np.nan))
    fig, _ = choropleth_figure(shown, "cameras_per_100k", label="ALPR cameras per 100,000 people (grey: no agency in the lists)")
    ranked = shown.dropna(subset=["cameras_per_100k"]).sort_values("cameras_per_100k", ascending=False)
    top, bottom = ranked.iloc[0], ranked.iloc[-1]
    national = 1e5 * table["cameras"].sum() / table["population"].sum()
    title = (f"{top['state']} has the most ALPR cameras per 100,000 people ({top['cameras_per_100k']:.0f}), "
             f"{bottom['state']} the fewest ({bottom['cameras_per_100k']:.1f}); {national:.0f} nationally")
    cams = geo.get("cameras") or {}
    none = sorted(table.loc[table["agencies"] == 0, "state"])
    subtitle = (f"Cameras of the world's agencies: {cams.get('mapped', 0):,} mapped in OpenStreetMap, "
                f"{cams.get('portal', 0):,} more from portal counts, {cams.get('filled', 0):,} filled by the scenario's "
                f"rule (world.flock.fill); people: Census population."
                + (f" No agency in the lists: {', '.join(none)}." if none else ""))
    source = source_line(res, f"{CREDIT} {OSM_CREDIT} Agencies: FlockHopper contributors (MIT).")
    frame(fig, title, subtitle, source, left=0.02, right=0.98, bottom_in=0.7)
    alt = ("Choropleth map of the United States: ALPR cameras per 100,000 people by state. Highest: "
           + ", ".join(f"{r.state} {r.cameras_per_100k:.1f}" for r in ranked.head(5).itertuples())
           + ". Lowest: " + ", ".join(f"{r.state} {r.cameras_per_100k:.1f}" for r in ranked.tail(5).itertuples())
           + (f". No agency in the lists: {', '.join(none)}" if none else "") + ". The CSV beside the image has every state.")
    return Chart("camera_map", title, subtitle, alt, source, table, fig)
