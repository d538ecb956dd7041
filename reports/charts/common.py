"""Pieces every chart uses: the source line and direct labels at line ends."""

from __future__ import annotations

from matplotlib.axes import Axes

from reports.tables import Results


def source_line(res: Results, what: str = "") -> str:
    """``Source: fedsim 0.1.0 simulation, scenario baseline (hash 1a2b3c4d), 5 replications x 30 days. <what>``."""
    meta = res.meta
    version = meta.get("fedsim_version", "unknown version")
    digest = str(meta.get("content_hash") or "")[:8]
    days = res.param("run.days")
    reps = res.replications
    parts = [f"Source: fedsim {version} simulation, scenario '{res.name}'"]
    if digest:
        parts[-1] += f" (hash {digest})"
    if reps:
        parts.append(f"{reps} replication{'s' if reps != 1 else ''}" + (f" x {days} days" if days else ""))
    line = ", ".join(parts) + "."
    return f"{line} {what}".strip()


def label_line_end(ax: Axes, x: float, y: float, text: str, color: str) -> None:
    """A direct label just right of a line's last point (instead of a legend)."""
    ax.annotate(text, (x, y), xytext=(6, 0), textcoords="offset points", va="center", ha="left", fontsize=9,
                color=color, fontweight="bold", annotation_clip=False)
