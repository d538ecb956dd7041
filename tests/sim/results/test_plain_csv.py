"""sim.results.plain_csv: CSV numbers as plain decimals, at full precision for run tables, six digits for briefs."""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import pandas as pd

from sim.results.plain_csv import csv_number, csv_text, exact_number
from sim.results.read import read_table
from sim.results.tables import metrics_table, to_csv_text

PLAIN = re.compile(r"-?\d+\.\d+|inf|-inf|")


def test_numbers_are_plain_decimals_with_six_significant_digits_and_one_decimal() -> None:
    assert csv_number(1.9e-05) == "0.000019"
    assert csv_number(0.0189873417721519) == "0.0189873"
    assert csv_number(62.0) == "62" and csv_number(296.5) == "296.5" and csv_number(0.0) == "0"
    assert csv_number(474368.5) == "474368.5" and csv_number(2006396.43) == "2006396.4"  # a count's digits are kept
    assert csv_number(-4124275.27) == "-4124275.3" and csv_number(-0.000123456789) == "-0.000123457"
    assert csv_number(float("inf")) == "inf"


def test_exact_numbers_spell_out_what_python_writes_in_scientific_notation_and_read_back_equal() -> None:
    assert exact_number(5.291005291005291e-05) == "0.00005291005291005291"
    assert exact_number(1e16) == "10000000000000000.0" and exact_number(-2.5e-7) == "-0.00000025"
    assert exact_number(62.0) == "62.0" and exact_number(0.1) == "0.1" and exact_number(-0.0) == "-0.0"
    assert exact_number(math.inf) == "inf" and exact_number(-math.inf) == "-inf"
    rng = np.random.default_rng(7)
    values = np.concatenate([rng.lognormal(0.0, 15.0, 20_000) * rng.choice([-1.0, 1.0], 20_000),
                             10.0 ** rng.uniform(-30.0, 30.0, 20_000)])
    texts = [exact_number(v) for v in values]
    assert not any("e" in t for t in texts)
    assert all(float(t) == v for t, v in zip(texts, values, strict=True))


def test_a_tables_csv_is_what_pandas_writes_but_for_scientific_cells() -> None:
    table = pd.DataFrame({"name": ["a", "b", "c", "d", "e"], "n": pd.array([1, None, 3, 4, 5], dtype="Int64"),
                          "value": [0.25, 5.291005291005291e-05, math.nan, 3e16, 62.0]})
    rows = csv_text(table).splitlines()
    assert rows[0] == "name,n,value"
    assert rows[1:] == ["a,1,0.25", "b,,0.00005291005291005291", "c,3,", "d,4,30000000000000000.0", "e,5,62.0"]
    plain = table.assign(value=[0.25, 0.5, math.nan, 3e15, 62.0])
    assert csv_text(plain) == plain.to_csv(index=False, lineterminator="\n")
    assert csv_text(table, digits=6).splitlines()[2] == "b,,0.0000529101"


def test_a_run_tables_csv_reads_back_every_value_exactly(tmp_path: Path) -> None:
    """metrics.csv wrote optin.rate-sized shares as 5.29e-05; written plain, the reader gets the same floats."""
    rng = np.random.default_rng(3)
    values = list(10.0 ** rng.uniform(-12.0, 20.0, 500)) + [0.0, -1.5e-9, 62.0, math.inf]
    table = metrics_table([(i % 7, f"m{i:03d}", v) for i, v in enumerate(values)], "s", 0, 0, 1)
    text = to_csv_text(table, header=True)
    assert not re.search(r"\d[eE][+-]?\d", text)
    assert all(PLAIN.fullmatch(line.rsplit(",", 1)[1]) for line in text.splitlines()[1:])
    (tmp_path / "metrics.csv").write_text(text, encoding="utf-8")
    read = read_table(tmp_path, "metrics")
    assert read is not None and read["value"].tolist() == table.column("value").to_pylist()


def test_numbers_at_the_edges_of_scientific_notation_are_written_plain_alone_in_their_column() -> None:
    for value in (9.999999999999999e-05, 0.0001, 9999999999999998.0, 1e16, -1e16, 5e-324, 1.7976931348623157e308):
        text = csv_text(pd.DataFrame({"v": [value, 1.0]})).splitlines()[1]
        assert "e" not in text and float(text) == value
