"""Calibration: a scenario's outputs beside the published figures they should reproduce, with the gap.

    from sim.calibration import calibration_table
    calibration_table("out/baseline")   # pandas DataFrame, one row per figure (reads saved files only)

`sim.calibration.targets` lists the figures and their sources; `sim.calibration.table` builds, formats and
writes the table (calibration_report.csv / .md). `fedsim calibration-report SCENARIO` runs a scenario and
writes both beside its results. See docs/MODEL.md ("Calibration").
"""

from sim.calibration.table import (
    COLUMNS,
    CalibrationError,
    calibration_table,
    format_text,
    to_markdown,
    write_calibration,
)
from sim.calibration.targets import TARGETS, Target

__all__ = [
    "COLUMNS",
    "TARGETS",
    "CalibrationError",
    "Target",
    "calibration_table",
    "format_text",
    "to_markdown",
    "write_calibration",
]
