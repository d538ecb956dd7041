"""The report's charts, in reading order. Each takes a `Results` and returns a `Chart` or a `Skipped` (or None where
the chart does not apply: the camera map of a world without real geography)."""

from __future__ import annotations

from collections.abc import Callable

from reports.charts.alpr import reasons_chart, retention_chart
from reports.charts.flows import flows_chart
from reports.charts.geography import camera_map_chart
from reports.charts.load import latency_chart, platform_chart
from reports.charts.reach import reach_chart, state_graph_chart
from reports.charts.requests import funnel, over_time
from reports.charts.sharing_map import state_sharing_chart
from reports.style import Chart, Skipped
from reports.tables import Results

ChartFn = Callable[[Results], Chart | Skipped | None]
# The sharing drawings: a world of several states gets the map of sharing between states, a world of one state
# its agencies' graph; a report with a focus draws its state's in the focus section instead (reports.focus).
NETWORK_CHARTS: tuple[ChartFn, ...] = (state_sharing_chart, state_graph_chart)

SECTIONS: list[tuple[str, list[ChartFn]]] = [
    ("Community footage requests", [funnel, over_time]),
    ("Plate reads and who searches them", [flows_chart, reasons_chart, reach_chart, state_sharing_chart,
                                           state_graph_chart]),
    ("Where the cameras are", [camera_map_chart]),
    ("Retention", [retention_chart]),
    ("Platform load", [platform_chart, latency_chart]),
]

__all__ = ["NETWORK_CHARTS", "SECTIONS", "ChartFn"]
