"""capacity_steps.csv goes through the one CSV writer (`sim.results.plain_csv`): plain decimals and ``\\n`` line
ends, and its readers (the chart's `pandas.read_csv`, a `csv.DictReader`) get back what the old `csv.DictWriter`
file gave them."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pytest

from loadtest.capacity import COLUMNS, write_table


def rows() -> list[dict]:
    """Two steps as `loadtest.capacity.table` builds them: a tiny error share, unmeasured CPU and percentiles."""
    base = {"phase": "double", "users": 8, "offered_rps": 16.0, "held": True, "reason": None}
    return [
        base | {"step": 0, "endpoint": "all", "requests": 30000, "failures": 1, "achieved_rps": 15.873015873015873,
                "p50_ms": 12.0, "p90_ms": 40.0, "p95_ms": 61.0, "p99_ms": 250.0, "error_ratio": 1 / 30000,
                "server_cpu_share": 0.31234, "generator_cpu_share": 0.00004},
        base | {"step": 1, "endpoint": "GET /v1/feed", "requests": 0, "failures": 0, "achieved_rps": 0.0,
                "p50_ms": None, "p90_ms": None, "p95_ms": None, "p99_ms": None, "error_ratio": None,
                "server_cpu_share": None, "generator_cpu_share": None, "held": False,
                "reason": "p95 300 ms >= 250 ms"},
    ]


def old_text(table: list[dict]) -> str:
    """What `write_table` wrote before: Python's csv module."""
    f = io.StringIO(newline="")
    w = csv.DictWriter(f, fieldnames=COLUMNS)
    w.writeheader()
    w.writerows(table)
    return f.getvalue()


def test_capacity_steps_csv_is_plain_and_reads_back_as_the_old_file_did(tmp_path: Path) -> None:
    path = tmp_path / "capacity_steps.csv"
    write_table(rows(), path)
    raw = path.read_bytes()
    old = old_text(rows())
    assert b"\r" not in raw and "\r\n" in old
    assert b"e-05" not in raw and "3.3333333333333335e-05" in old and "4e-05" in old
    assert b",0.000033333333333333335," in raw and b",0.00004" in raw
    assert raw.decode().replace("0.000033333333333333335", "3.3333333333333335e-05").replace(
        "0.00004", "4e-05") == old.replace("\r\n", "\n")  # nothing else moved: whole numbers, None, True as before
    new_df, old_df = pd.read_csv(path), pd.read_csv(io.StringIO(old))
    pd.testing.assert_frame_equal(new_df, old_df)  # the chart's reader
    with path.open(newline="") as f:
        got = list(csv.DictReader(f))
    want = list(csv.DictReader(io.StringIO(old)))
    assert [{k: float(v) if k.endswith(("ratio", "share")) and v else v for k, v in r.items()} for r in got] == [
        {k: float(v) if k.endswith(("ratio", "share")) and v else v for k, v in r.items()} for r in want]


def test_a_row_with_a_column_capacity_steps_does_not_hold_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="not in COLUMNS: \\['wrong'\\]"):
        write_table([rows()[0] | {"wrong": 1}], tmp_path / "capacity_steps.csv")
