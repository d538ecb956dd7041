"""House style of fedsim charts, and the one way a chart is framed and saved.

Conventions of good policy charts (after the Urban Institute and Financial Times style guides): a title that
states the takeaway, a subtitle with the statistic and its uncertainty, the Okabe-Ito colour-blind-safe
palette (Okabe & Ito 2008, "Color Universal Design"), direct labels instead of legends, units on every axis,
a source line, and alt text. Every chart is written three ways: PNG (embedded in the report), SVG (for print)
and the CSV of the numbers drawn, so nobody has to read values off a picture.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from sim.results.plain_csv import CSV_DIGITS, write_csv  # noqa: E402

# Okabe-Ito palette, by name.
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}
GREY = "#8C8C8C"
# Fixed colours per actor so every chart speaks the same language; federal is always vermillion.
ACTOR_COLORS = {
    "local_police": OKABE_ITO["blue"],
    "sheriff": OKABE_ITO["bluish_green"],
    "state_police": OKABE_ITO["orange"],
    "federal": OKABE_ITO["vermillion"],
    "federal_proxy": OKABE_ITO["reddish_purple"],
    "private": OKABE_ITO["sky_blue"],
}
ACTOR_LABELS = {
    "local_police": "Local police",
    "sheriff": "Sheriffs",
    "state_police": "State police",
    "federal": "Federal units",
    "federal_proxy": "Federal, via local proxy",
    "private": "Private networks (companies, HOAs)",
}
SERIES = [OKABE_ITO[k] for k in ("blue", "orange", "bluish_green", "vermillion", "reddish_purple", "sky_blue", "black")]

TITLE_WRAP = 70
SUBTITLE_WRAP = 100
DPI = 110

plt.rcParams.update(
    {
        "font.family": "DejaVu Sans",
        "font.size": 10,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.edgecolor": "#444444",
        "axes.labelcolor": "#222222",
        "xtick.color": "#333333",
        "ytick.color": "#333333",
        "axes.grid": False,
        "svg.fonttype": "none",
        "svg.hashsalt": "fedsim",
    }
)


@dataclass
class Chart:
    """A finished chart: the figure, the words around it and the numbers it draws."""

    name: str
    title: str
    subtitle: str
    alt: str
    source: str
    data: pd.DataFrame
    fig: Figure | None  # None once saved and closed
    files: dict[str, Path] = field(default_factory=dict)


@dataclass(frozen=True)
class Skipped:
    """A chart that could not be drawn honestly from the tables at hand, and why."""

    name: str
    title: str
    reason: str


def new_figure(width: float = 8.0, height: float = 4.8, **subplots: object) -> tuple[Figure, object]:
    """A figure with room above for the title block and below for the source line."""
    fig, axes = plt.subplots(figsize=(width, height), dpi=DPI, **subplots)
    return fig, axes


def frame(fig: Figure, title: str, subtitle: str, source: str, *, left: float = 0.1, right: float = 0.95,
          bottom_in: float = 0.8) -> None:
    """Put the takeaway title, the statistic subtitle and the source line on a figure.

    Space is reserved in inches (title lines, subtitle lines, then the plot; `bottom_in` below the plot for
    the x label and the source line), so a chart reads the same at any height.
    """
    title_text = "\n".join(textwrap.wrap(title, TITLE_WRAP))
    sub_text = "\n".join(textwrap.wrap(subtitle, SUBTITLE_WRAP))
    src_text = "\n".join(textwrap.wrap(source, 150))
    height = fig.get_figheight()
    n_title, n_sub = title_text.count("\n") + 1, sub_text.count("\n") + 1
    y = 1 - 0.12 / height
    fig.text(0.02, y, title_text, ha="left", va="top", fontsize=13, fontweight="bold", color="#111111")
    y -= (0.24 * n_title + 0.08) / height
    fig.text(0.02, y, sub_text, ha="left", va="top", fontsize=9.5, color="#444444")
    y -= (0.19 * n_sub + 0.3) / height
    fig.text(0.02, 0.06 / height, src_text, ha="left", va="bottom", fontsize=7.5, color="#555555")
    bottom_in += 0.13 * src_text.count("\n")
    fig.subplots_adjust(top=y, bottom=bottom_in / height, left=left, right=right)


def compact(value: float, _pos: object = None) -> str:
    """Tick labels: 1.5k, 20M, 3B."""
    a = abs(value)
    for div, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if a >= div:
            return f"{value / div:.3g}{suffix}"
    return f"{value:.3g}"


@contextmanager
def closed_on_error() -> Iterator[None]:
    """Close the figures opened inside the block when it raises: a chart that failed half-way never reaches
    `save`, which closes the finished ones."""
    opened = set(plt.get_fignums())
    try:
        yield
    except BaseException:
        for number in set(plt.get_fignums()) - opened:
            plt.close(number)
        raise


def save(chart: Chart, out_dir: Path) -> Chart:
    """Write ``<name>.png``, ``<name>.svg`` and ``<name>.csv`` into `out_dir`; close the figure."""
    out_dir.mkdir(parents=True, exist_ok=True)
    png, svg, csv = (out_dir / f"{chart.name}.{ext}" for ext in ("png", "svg", "csv"))
    chart.fig.savefig(png, dpi=DPI, metadata={"Title": chart.title, "Description": chart.alt})
    chart.fig.savefig(svg, metadata={"Title": chart.title, "Description": chart.alt, "Date": None})
    write_csv(chart.data, csv, digits=CSV_DIGITS)
    plt.close(chart.fig)
    chart.files = {"png": png, "svg": svg, "csv": csv}
    return chart
