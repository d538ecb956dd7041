"""reports.maps: the projection, choropleths of any per-state table, one state's points; the report's camera map."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import PolyCollection
from matplotlib.colors import to_rgba

from reports.charts.geography import camera_map_chart
from reports.maps import NO_DATA, albers, choropleth, choropleth_figure, projected_states, state_points_figure
from reports.style import Chart, Skipped, new_figure, save
from reports.tables import load_results
from sim.geo.states import STATE_CODES


def test_albers_origin_and_orientation() -> None:
    x, y = albers(np.array([-96.0, -80.0, -96.0]), np.array([23.0, 23.0, 40.0]))
    assert abs(x[0]) < 1e-6 and abs(y[0]) < 1e-6
    assert x[1] > 1_000_000 and y[2] > 1_800_000  # east is right, north is up (metres)


def test_every_modelled_state_is_drawn_and_finite() -> None:
    states = projected_states()
    assert sorted(states) == sorted(STATE_CODES)  # Puerto Rico not drawn
    for rings in states.values():
        assert all(np.isfinite(r).all() and r.shape[1] == 2 for r in rings)
    # Alaska and Hawaii are moved below the lower 48, west of Texas
    tx = np.concatenate(states["TX"])
    for code in ("AK", "HI"):
        pts = np.concatenate(states[code])
        assert pts[:, 1].max() < np.concatenate(states["WA"])[:, 1].min() and pts[:, 0].max() < tx[:, 0].max()


def test_choropleth_colours_states_by_value_and_greys_missing() -> None:
    fig, ax = new_figure()
    choropleth(ax, {"NC": 10.0, "TX": 0.0, "CA": float("nan")}, cmap="viridis")
    coll = next(c for c in ax.collections if isinstance(c, PolyCollection))
    colors = [tuple(c) for c in coll.get_facecolors()]
    order = [code for code, rings in projected_states().items() for _ in rings]
    by_state = dict(zip(order, colors, strict=True))
    assert by_state["CA"] == to_rgba(NO_DATA) and by_state["VT"] == to_rgba(NO_DATA)
    assert by_state["NC"] != by_state["TX"] != to_rgba(NO_DATA)


def test_choropleth_figure_of_any_table_and_state_points() -> None:
    table = pd.DataFrame({"state": list(STATE_CODES), "people": np.arange(len(STATE_CODES), dtype=float)})
    fig, ax = choropleth_figure(table, "people", label="people")
    assert fig.axes[-1].get_xlabel() == "people"  # the colour bar
    fig, ax = state_points_figure("NC", (np.array([-78.6]), np.array([35.8])), (np.array([-80.8, -78.9]), np.array([35.2, 36.0])))
    assert [len(c.get_offsets()) for c in ax.collections[1:]] == [2, 1]
    with pytest.raises(ValueError, match="unknown state code 'XX'"):
        state_points_figure("XX", (np.zeros(0), np.zeros(0)), (np.zeros(0), np.zeros(0)))


def test_camera_map_chart_from_world_summary(run_dir, tmp_path) -> None:
    res = load_results(run_dir)
    chart = camera_map_chart(res)
    assert isinstance(chart, Chart)
    assert len(chart.data) == len(STATE_CODES) and "cameras_per_100k" in chart.data
    best = chart.data[chart.data["agencies"] > 0].sort_values("cameras_per_100k").iloc[-1]
    assert chart.title.startswith(f"{best['state']} has the most")
    assert "Highest:" in chart.alt and "No agency in the lists: AK" in chart.alt
    assert "OpenStreetMap contributors" in chart.source
    saved = save(chart, tmp_path)
    assert all(saved.files[k].stat().st_size > 1000 for k in ("png", "svg", "csv"))
    assert pd.read_csv(saved.files["csv"]).shape[0] == len(STATE_CODES)
    res.world["geography"]["per_state"] = [{"state": "NC"}]
    assert isinstance(camera_map_chart(res), Skipped)
    res.world = {k: v for k, v in res.world.items() if k != "geography"}
    assert camera_map_chart(res) is None  # a synthetic world: no map, no note


def test_caveat_says_what_is_real_in_a_flock_world(run_dir) -> None:
    from reports.report import world_caveat

    res = load_results(run_dir)
    assert world_caveat(res).startswith("The world is synthetic")
    res.scenario["world"]["source"] = "flock-2026"
    text = world_caveat(res)
    assert "Agencies and their positions are real" in text and "OpenStreetMap contributors, ODbL" in text
