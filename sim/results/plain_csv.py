"""The one CSV writer of fedsim's tables: numbers as plain decimals, never scientific notation.

A CSV is read by people and spreadsheets as well as by `sim.results.read`; ``5.291005291005291e-05`` or
``1e+16`` is a number most readers misread or a spreadsheet takes for text. Two precisions:

- the tables of runs, sweeps and analyses (metrics, flows, by_state, by_agency, failures, sweep.csv,
  design_points.csv, sensitivity.csv, calibration_report.csv: `csv_text` without digits): every float at full
  precision, the shortest decimal that reads back as the same float (``float(text) == value``), written as
  pandas writes it (``62.0``, ``0.25``) except that a number pandas would write in scientific notation is
  spelled out (``0.00005291005291005291``, ``10000000000000000.0``);
- a brief's CSVs (each chart's, compare.csv: ``digits=CSV_DIGITS``): `CSV_DIGITS` significant digits for
  people (`csv_number`).

Not a number (NaN) is an empty cell; infinities are ``inf`` and ``-inf``.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

# Significant digits of a number in a CSV written for people (`csv_number`): a share as 0.0000190000 -> 0.000019, a
# count's mean as 4437.33; a larger number keeps its integer digits and one decimal (flock-2025's mean of 2 replications
# of 474,368.5 investigation searches read 474368 with 6 digits alone).
CSV_DIGITS = 6
# Python (and numpy, and so pandas) write a float in scientific notation below 1e-4 and from 1e16 on; a column with no
# number within a margin of those is written by pandas as it is
SMALL, LARGE = 1.1e-4, 0.9e16


def csv_number(value: float, digits: int = CSV_DIGITS) -> str:
    """A float as a plain decimal for a CSV people read: `digits` significant digits and at least one decimal place,
    never scientific notation (reasons.csv gave a share as 1.9e-05), trailing zeros dropped (62.0 -> 62). Not finite:
    ``inf``, ``-inf``, ``nan``."""
    if not math.isfinite(value):
        return str(value)
    if value == 0:
        return "0"
    decimals = max(1, digits - 1 - math.floor(math.log10(abs(value))))
    return f"{value:.{decimals}f}".rstrip("0").rstrip(".")


def exact_number(value: float) -> str:
    """A float as the shortest plain decimal that reads back as it (``float(text) == value``), in Python's spelling
    (``62.0``) where that is not scientific: 5.291005291005291e-05 -> ``0.00005291005291005291``."""
    text = repr(float(value))
    if "e" not in text or not math.isfinite(value):
        return text
    return np.format_float_positional(value, unique=True, trim="0")


def plain_columns(table: pd.DataFrame) -> pd.DataFrame:
    """`table` with each float column holding a number Python writes in scientific notation (below 1e-4 or from
    1e16 on) as its cells' text by `exact_number` (NaN kept, so written empty): what pandas writes for a float column
    (numpy's shortest digits) with the scientific cells spelled out. Other columns are left to pandas (speed)."""
    out = table.copy(deep=False)
    for name in table.columns:
        if table[name].dtype != np.float64:
            continue
        values = table[name].to_numpy()
        size = np.abs(values)
        if not ((size > 0) & ((size < SMALL) | ((size >= LARGE) & np.isfinite(size)))).any():
            continue
        digits = values.astype(str)
        text = digits.astype(object)
        sci = np.char.find(digits, "e") >= 0
        text[sci] = [exact_number(v) for v in values[sci]]
        text[np.isnan(values)] = None
        out[name] = text
    return out


def csv_text(table: pd.DataFrame, header: bool = True, digits: int | None = None) -> str:
    """`table` as CSV text (no index, ``\\n`` line ends): floats at full precision (`exact_number`), or with
    `digits` significant digits (`csv_number`)."""
    if digits is None:
        return plain_columns(table).to_csv(index=False, header=header, lineterminator="\n")
    return table.to_csv(index=False, header=header, lineterminator="\n", float_format=lambda v: csv_number(v, digits))


def write_csv(table: pd.DataFrame, path: Path, digits: int | None = None) -> None:
    """Write `table` to `path` as `csv_text` does."""
    Path(path).write_text(csv_text(table, digits=digits), encoding="utf-8")
