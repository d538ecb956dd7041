"""Post-run hooks: what other packages do with a results folder after `fedsim run` or `fedsim sweep`.

`sim` writes the results folder and knows nothing of the brief. A package that wants to act on a fresh
folder registers a function under the entry-point group ``fedsim.after_run`` (pyproject.toml); `reports`
registers ``report`` (writes report.html). Each hook is called with the results folder and returns a short
text (the file it wrote); its line is printed as ``<name>: <text>``. A failing hook is reported and the
results stay written (exit status 1). `--no-report` and ``run.report: false`` skip the hooks.
"""

from __future__ import annotations

from importlib.metadata import entry_points
from pathlib import Path

GROUP = "fedsim.after_run"


def run_hooks(out: Path) -> list[tuple[str, bool]]:
    """Call every registered hook on `out`; return (line to print, whether it worked) per hook."""
    eps = sorted(entry_points(group=GROUP), key=lambda ep: ep.name)
    if not eps:
        return [("report: not written: no report writer is installed (the reports package registers one "
                 f"under {GROUP!r}; run `make install`)", True)]
    lines = []
    for ep in eps:
        try:
            hook = ep.load()
        except ImportError as exc:
            lines.append((f"{ep.name}: not written: cannot import {ep.value} ({exc})", False))
            continue
        try:
            lines.append((f"{ep.name}: {hook(out)}", True))
        except Exception as exc:  # the results are written; say plainly that only this step failed
            lines.append((f"{ep.name}: failed: {type(exc).__name__}: {exc}", False))
    return lines
