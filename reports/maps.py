"""Maps of the United States from the shipped state polygons, drawn with matplotlib alone (no tiles, no network).

Polygons: data/flock_2026/states.geojson.gz (US Census cartographic boundaries; read by
`sim.world.flock_2026_data.read_states`). Projection: Albers equal-area conic, the US Census / USGS choice for
maps of the lower 48 (standard parallels 29.5 and 45.5 deg N, origin 23 N 96 W); Alaska and Hawaii are drawn
in their own Albers projections, scaled and moved below the lower 48 as in most national atlases (Alaska at
35% of its size, so its area on the map is not comparable). Puerto Rico is not drawn: fedsim models the 50
states and DC. Units on the map are metres of the projection (the axes are hidden).

- `choropleth(ax, values, ...)`: fill each state by a value from any per-state table (a mapping code -> value;
  states without a value are grey and listed by the caller);
- `choropleth_figure(table, column, ...)`: a finished figure for a per-state pandas table;
- `zoom_to(ax, codes)`: limit a map to some states;
- `state_centres()`: each state's published geographic centre (`sim.geo.states`) in map metres, for drawing
  links between states;
- `state_points_figure(code, agencies, cameras)`: one state's outline with agencies and cameras as points
  (longitude/latitude in degrees), in a local equirectangular projection.
"""

from __future__ import annotations

import math
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.cm import ScalarMappable
from matplotlib.collections import PolyCollection
from matplotlib.colors import Colormap, Normalize
from matplotlib.figure import Figure

from reports.style import new_figure
from sim.geo.states import STATES
from sim.world.flock_2026_data import SHIPPED, StateShapes, read_states

EARTH_RADIUS_M = 6_371_000.0
NO_DATA = "#d9d9d9"
EDGE = "#ffffff"
CREDIT = "State boundaries: US Census Bureau."
OSM_CREDIT = "Cameras: Data © OpenStreetMap contributors, ODbL."
# (lat0, lon0, parallel 1, parallel 2, scale, dx_m, dy_m): one Albers projection per region, then a move
ALBERS = {
    "lower48": (23.0, -96.0, 29.5, 45.5, 1.0, 0.0, 0.0),
    "AK": (50.0, -154.0, 55.0, 65.0, 0.35, -1_750_000.0, 180_000.0),
    "HI": (3.0, -157.0, 8.0, 18.0, 1.0, -1_000_000.0, -1_700_000.0),
}
SKIP = frozenset({"PR"})


def albers(lon: np.ndarray, lat: np.ndarray, region: str = "lower48") -> tuple[np.ndarray, np.ndarray]:
    """Albers equal-area conic (spherical Earth), then the region's scale and move; metres."""
    lat0, lon0, p1, p2, scale, dx, dy = ALBERS[region]
    phi, lam = np.radians(lat), np.radians(lon)
    phi0, lam0, phi1, phi2 = (math.radians(v) for v in (lat0, lon0, p1, p2))
    n = (math.sin(phi1) + math.sin(phi2)) / 2
    c = math.cos(phi1) ** 2 + 2 * n * math.sin(phi1)
    rho0 = EARTH_RADIUS_M * math.sqrt(c - 2 * n * math.sin(phi0)) / n
    rho = EARTH_RADIUS_M * np.sqrt(c - 2 * n * np.sin(phi)) / n
    theta = n * (lam - lam0)
    return scale * rho * np.sin(theta) + dx, scale * (rho0 - rho * np.cos(theta)) + dy


@lru_cache(maxsize=2)
def projected_states(folder: str = str(SHIPPED)) -> dict[str, list[np.ndarray]]:
    """Each drawn state's rings as (k, 2) arrays in map metres."""
    shapes: StateShapes = read_states(Path(folder))
    out: dict[str, list[np.ndarray]] = {}
    for code, rings in zip(shapes.code, shapes.rings, strict=True):
        if code in SKIP:
            continue
        region = code if code in ("AK", "HI") else "lower48"
        out[code] = [np.column_stack(albers(r[:, 0], r[:, 1], region)) for r in rings]
    return out


@lru_cache(maxsize=1)
def state_centres() -> dict[str, tuple[float, float]]:
    """Each state's geographic centre (`sim.geo.states`, degrees) projected like its polygons (metres)."""
    out = {}
    for st in STATES:
        region = st.code if st.code in ("AK", "HI") else "lower48"
        x, y = albers(np.array([st.lon]), np.array([st.lat]), region)
        out[st.code] = (float(x[0]), float(y[0]))
    return out


def zoom_to(ax: Axes, codes: list[str], pad: float = 0.08) -> None:
    """Limit the map to the states `codes` (a regional world reads larger); Alaska and Hawaii only if listed."""
    states = projected_states()
    rings = [r for c in codes for r in states.get(c, [])]
    if not rings:
        return
    pts = np.concatenate(rings)
    (x0, y0), (x1, y1) = pts.min(axis=0), pts.max(axis=0)
    d = pad * max(x1 - x0, y1 - y0)
    ax.set_xlim(x0 - d, x1 + d)
    ax.set_ylim(y0 - d, y1 + d)


def choropleth(ax: Axes, values: dict[str, float], cmap: str | Colormap = "viridis", norm: Normalize | None = None
               ) -> ScalarMappable:
    """Fill every state by `values[code]` (grey where missing or not finite); return the colour mapping."""
    states = projected_states()
    finite = [v for v in values.values() if v is not None and np.isfinite(v)]
    norm = norm or Normalize(vmin=min(finite, default=0.0), vmax=max(finite, default=1.0))
    mapping = ScalarMappable(norm=norm, cmap=cmap)
    polys, colors = [], []
    for code, rings in states.items():
        v = values.get(code)
        color = mapping.to_rgba(v) if v is not None and np.isfinite(v) else NO_DATA
        for ring in rings:  # holes (rare at this simplification) are drawn filled: fine for a choropleth
            polys.append(ring)
            colors.append(color)
    ax.add_collection(PolyCollection(polys, facecolors=colors, edgecolors=EDGE, linewidths=0.4))
    allpts = np.concatenate([r for rings in states.values() for r in rings])
    pad = 0.02 * (allpts[:, 0].max() - allpts[:, 0].min())
    ax.set_xlim(allpts[:, 0].min() - pad, allpts[:, 0].max() + pad)
    ax.set_ylim(allpts[:, 1].min() - pad, allpts[:, 1].max() + pad)
    ax.set_aspect("equal")
    ax.axis("off")
    return mapping


def choropleth_figure(table: pd.DataFrame, column: str, *, state_column: str = "state", label: str = "",
                      cmap: str = "viridis", width: float = 9.0, height: float = 5.6) -> tuple[Figure, Axes]:
    """A map of `table[column]` by state (one row per state code) with a horizontal colour bar."""
    values = {str(s): float(v) for s, v in zip(table[state_column], table[column], strict=True) if pd.notna(v)}
    fig, ax = new_figure(width, height)
    mapping = choropleth(ax, values, cmap=cmap)
    bar = fig.colorbar(mapping, ax=ax, orientation="horizontal", fraction=0.04, pad=0.02, aspect=40)
    bar.set_label(label or column, fontsize=9)
    bar.ax.tick_params(labelsize=8)
    return fig, ax


def state_points_figure(code: str, agencies: tuple[np.ndarray, np.ndarray], cameras: tuple[np.ndarray, np.ndarray],
                        *, width: float = 7.0, height: float = 6.0) -> tuple[Figure, Axes]:
    """One state: outline, cameras (small dots) and agencies (larger marks); points given as (lon, lat) arrays."""
    shapes = read_states(SHIPPED)
    idx = shapes.index()
    if code not in idx:
        raise ValueError(f"unknown state code {code!r}; use one of {sorted(idx)}")
    rings = shapes.rings[idx[code]]
    lat_mid = float(np.mean(np.concatenate([r[:, 1] for r in rings])))
    k = math.cos(math.radians(lat_mid))  # local equirectangular: x scaled by cos(latitude)
    fig, ax = new_figure(width, height)
    ax.add_collection(PolyCollection([np.column_stack([r[:, 0] * k, r[:, 1]]) for r in rings], facecolors="#f2f2f2",
                                     edgecolors="#666666", linewidths=0.6))
    (clon, clat), (alon, alat) = cameras, agencies
    ax.scatter(np.asarray(clon) * k, clat, s=2, color="#0072B2", alpha=0.5, linewidths=0, label=f"ALPR cameras ({len(clon):,})")
    ax.scatter(np.asarray(alon) * k, alat, s=14, color="#D55E00", marker="^", linewidths=0, label=f"agencies ({len(alon):,})")
    allpts = np.concatenate(rings)
    ax.set_xlim(allpts[:, 0].min() * k - 0.1, allpts[:, 0].max() * k + 0.1)
    ax.set_ylim(allpts[:, 1].min() - 0.1, allpts[:, 1].max() + 0.1)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.legend(loc="lower left", frameon=False, fontsize=8, markerscale=2)
    return fig, ax
