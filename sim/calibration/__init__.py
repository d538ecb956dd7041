"""Calibration: a scenario's outputs beside the published figures they should reproduce, with the gap.

    from sim.calibration import calibration_table
    calibration_table("out/baseline")   # pandas DataFrame, one row per figure (reads saved files only)

`sim.calibration.targets` lists the figures and their sources; `sim.calibration.table` builds, formats and
writes the table (calibration_report.csv / .md). `fedsim calibration-report SCENARIO` runs a scenario and
writes both beside its results (``--json``: the rows on stdout). The real figures: `sim.calibration.observed`
(computed from data/private_eyes, data/flock_2026 and the audit log in data/audit_logs, read by
`sim.calibration.portals` and `sim.calibration.audit_logs`); the lognormal fit of searches per agency:
`sim.calibration.fit`; the searches' reasons and hours fitted to the Eugene log: `sim.calibration.fit_searches`
(with `log_reasons`, the free text as model reasons, and `log_timing`, local hours); the spread of read rates
between agencies and cameras fitted to the portals' vehicles per camera-day: `sim.calibration.fit_rate_spread`.
See docs/MODEL.md
("Calibration").
"""

from sim.calibration.table import (
    COLUMNS,
    CalibrationError,
    calibration_table,
    format_text,
    to_json,
    to_markdown,
    write_calibration,
)
from sim.calibration.target import Target
from sim.calibration.targets import TARGETS, targets_for

__all__ = [
    "COLUMNS",
    "TARGETS",
    "targets_for",
    "CalibrationError",
    "Target",
    "calibration_table",
    "format_text",
    "to_json",
    "to_markdown",
    "write_calibration",
]
