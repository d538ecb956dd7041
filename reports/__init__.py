"""Charts and HTML briefs from saved fedsim results (see docs/reports.md).

`write_report(results_dir)` writes ``report.html`` beside the results; `write_compare(dirs, out_dir)` writes a
side-by-side brief of several results with differences and Welch 95% CIs. Both read saved tables only.
"""

from reports.compare import write_compare
from reports.report import write_report
from reports.tables import ReportInputError

__all__ = ["ReportInputError", "write_compare", "write_report"]
