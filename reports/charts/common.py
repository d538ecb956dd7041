"""Pieces every chart uses: the source line, direct labels at line ends, labels kept inside the axes."""

from __future__ import annotations

from matplotlib.axes import Axes
from matplotlib.text import Text

from reports.tables import Results


def source_line(res: Results, what: str = "") -> str:
    """``Source: fedsim 0.1.0 simulation, scenario baseline (hash 1a2b3c4d), 5 replications x 30 days. <what>``."""
    meta = res.meta
    version = meta.get("fedsim_version", "unknown version")
    digest = str(meta.get("content_hash") or "")[:8]
    reps = res.replications
    parts = [f"Source: fedsim {version} simulation, scenario '{res.name}'"]
    if digest:
        parts[-1] += f" (hash {digest})"
    if reps:
        parts.append(f"{reps} replication{'s' if reps != 1 else ''}" + (f" x {res.days_text} days" if res.days_text else ""))
    line = ", ".join(parts) + "."
    return f"{line} {what}".strip()


def label_line_end(ax: Axes, x: float, y: float, text: str, color: str) -> None:
    """A direct label just right of a line's last point (instead of a legend)."""
    ax.annotate(text, (x, y), xytext=(6, 0), textcoords="offset points", va="center", ha="left", fontsize=9,
                color=color, fontweight="bold", annotation_clip=False)


def keep_inside(ax: Axes, texts: list[Text], rounds: int = 4) -> None:
    """Widen the x axis (from the right) until every label drawn right of its bar ends inside the axes.

    Labels sit at a data x (a bar's end), so widening the axis moves them left as well; a few rounds settle
    it. Call after `frame` has fixed the axes' size.
    """
    if not texts:
        return
    renderer = ax.figure.canvas.get_renderer()
    for _ in range(rounds):
        box = ax.get_window_extent(renderer)
        right = max(t.get_window_extent(renderer).x1 for t in texts)
        if right <= box.x1 - 2:
            return
        lo, hi = ax.get_xlim()
        ax.set_xlim(lo, hi + (right - box.x1 + 6) * (hi - lo) / box.width * 1.15)
