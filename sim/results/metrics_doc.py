"""The metric tables of docs/metrics.md, generated from the declarations (`python -m sim.results.metrics_doc`).

docs/metrics.md keeps its prose by hand; each table sits between ``<!-- metrics: GROUP -->`` and
``<!-- end metrics -->`` and is rewritten from `sim.results.catalog.DECLARED`. GROUP is
``<component>.<series>`` (``requests.count``, ``alpr.level``, ...). A test fails when the committed file
differs from what this module writes, and when a declared metric is in no table.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from sim.model import alpr_metrics, requests_metrics
from sim.model.metrics import Metric
from sim.results import places

DOC = Path(__file__).resolve().parents[2] / "docs" / "metrics.md"
GROUPS: dict[str, tuple[Metric, ...]] = {"requests": requests_metrics.METRICS, "alpr": alpr_metrics.METRICS,
                                         "places": places.AGENCY_COLUMNS + places.STATE_EXTRA}
BLOCK = re.compile(r"(<!-- metrics: (\w+)\.(\w+) -->\n)(.*?)(<!-- end metrics -->)", re.S)
KIND_WORDS = {"outcome": "outcome", "input_echo": "input echo", "load": "load"}


def table(metrics: tuple[Metric, ...], series: str) -> str:
    rows = [m for m in metrics if m.series == series]
    level = series == "level"
    head = "| metric | unit | kind | meaning |" + (" whole-run value |" if level else "")
    lines = [head, "|---|---|---|---|" + ("---|" if level else "")]
    for m in rows:
        cells = [f"`{m.name}`", m.unit, KIND_WORDS[m.kind], m.meaning.replace("|", "/")]
        if level:
            cells.append(m.whole_run)
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def render(text: str) -> str:
    def block(match: re.Match[str]) -> str:
        group, series = match.group(2), match.group(3)
        if group not in GROUPS:
            raise ValueError(f"docs/metrics.md: unknown metrics group {group!r}; known: {', '.join(GROUPS)}")
        return match.group(1) + table(GROUPS[group], series) + match.group(5)

    return BLOCK.sub(block, text)


def covered(text: str) -> set[tuple[str, str]]:
    """The (group, series) pairs the document has a table for."""
    return {(m.group(2), m.group(3)) for m in BLOCK.finditer(text)}


def main() -> int:
    text = DOC.read_text(encoding="utf-8")
    new = render(text)
    if new != text:
        DOC.write_text(new, encoding="utf-8")
        print(f"rewrote the metric tables of {DOC}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
