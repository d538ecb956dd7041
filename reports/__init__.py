"""Charts and HTML briefs from saved fedsim results (see docs/reports.md).

`write_report(results_dir)` writes ``report.html`` beside the results; `write_compare(dirs, out_dir)` writes a
side-by-side brief of several results with differences and Welch 95% CIs. Both read saved tables only.

They are imported on first use, so that loading the command line's entry points (``reports.cli``) does not
import matplotlib and pandas: `fedsim report` imports them itself, with the collector paused
(`sim.cli.common.long_lived_imports`), and `fedsim --help` not at all.
"""

from __future__ import annotations

from typing import Any

__all__ = ["ReportInputError", "write_compare", "write_report"]


def __getattr__(name: str) -> Any:
    if name == "write_report":
        from reports.report import write_report

        return write_report
    if name == "write_compare":
        from reports.compare import write_compare

        return write_compare
    if name == "ReportInputError":
        from reports.tables import ReportInputError

        return ReportInputError
    raise AttributeError(f"module 'reports' has no attribute {name!r}")
