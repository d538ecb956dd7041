"""The report's "How much the answer depends on what we assumed" section, from a saved ``sensitivity.csv``.

`fedsim sensitivity` (`sim.sensitivity.analysis`) writes the table: per outcome metric and varied assumption,
Morris ``mu_star`` (mean absolute change of the metric when the assumption moves across its plausible range,
in the metric's unit, with a bootstrap 95% interval) or an LHS Spearman rank correlation (-1..1, with a
bootstrap interval). Tornado charts (one per headline metric: the assumptions that move it most, longest bar
on top) are drawn from that table alone and saved as PNG, SVG and CSV; a table lists, for every outcome
metric, the assumption that moves it most.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.ticker import FuncFormatter

from reports import html as H
from reports.catalog import KEY_METRICS, declared, fmt, info
from reports.style import OKABE_ITO, Chart, frame, new_figure, save
from sim.config.schema import field_words
from sim.results.layout import SENSITIVITY, SENSITIVITY_MANIFEST  # the files `fedsim sensitivity` writes
from sim.results.state_metric import label_unit
from sim.results.state_metric import parse as parse_state_metric

MAX_CHARTS = 4
MAX_BARS = 8
INDEX_WORDS = {"mu_star": "mean absolute effect across the range (Morris mu*)",
               "spearman": "rank correlation with the metric (LHS, Spearman)"}


def read(folder: Path) -> pd.DataFrame | None:
    path = folder / SENSITIVITY
    if not path.is_file():
        return None
    frame_ = pd.read_csv(path)
    return frame_ if not frame_.empty else None


def chart_metrics(table: pd.DataFrame, named: str | None = None) -> list[str]:
    """The metric `fedsim sensitivity --metric` named (`named`), then headline metrics (in KEY_METRICS order),
    then the others by their strongest index; at most 4."""
    present = list(dict.fromkeys(table["metric"]))
    key = [m for m in (named, *KEY_METRICS) if m in present]
    return list(dict.fromkeys(key + present))[:MAX_CHARTS]


def described(metric: str) -> tuple[str, str]:
    """(label, unit) of a metric of the table: a declared whole-run metric's, or one state's figure's (METRIC.ST,
    ``audit entries from proxy lookups in TX``); the name itself, a ``number``, otherwise."""
    found = parse_state_metric(metric) if declared(metric) is None else None
    if found is not None:
        return label_unit(found)
    d = info(metric)
    return d.label, d.unit


def assumption_label(path: str, width: int = 44) -> str:
    """A varied parameter in words for a bar (`sim.config.schema.field_words`), at most two lines of `width`;
    its dotted path where the scenario documents no such field."""
    words = field_words(path)
    if words is None:
        return path
    return "\n".join(textwrap.wrap(words, width, max_lines=2, placeholder="...", break_on_hyphens=False))


def tornado(table: pd.DataFrame, metric: str, out_dir: Path) -> Chart:
    rows = table[table["metric"] == metric].sort_values("rank").head(MAX_BARS)
    label, unit = described(metric)
    index = str(rows["index"].iloc[0])
    fig, ax = new_figure(8.0, 1.9 + 0.42 * len(rows))
    y = np.arange(len(rows))[::-1]
    values = rows["value"].to_numpy(float)
    lo, hi = rows["low"].to_numpy(float), rows["high"].to_numpy(float)
    colors = [OKABE_ITO["vermillion"] if v < 0 else OKABE_ITO["blue"] for v in values]
    ax.barh(y, values, color=colors, height=0.6)
    ax.errorbar(values, y, xerr=[np.maximum(values - lo, 0), np.maximum(hi - values, 0)], fmt="none",
                ecolor="#333333", capsize=3, lw=1)
    ax.set_yticks(y, [assumption_label(str(p)) for p in rows["parameter"]], fontsize=8)
    ax.axvline(0, color="#444444", lw=0.8)
    if index == "mu_star" and unit == "share":  # "share (mu*)" with ticks 0.00-0.07 read as a share of 0-7%
        ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: f"{x * 100:g}"))
        ax.set_xlabel("percentage points (mu*: mean absolute change of the share)")
    else:
        shown = "number" if unit == "amount" else unit  # a mean or rate: "amount" names a range, not a unit
        ax.set_xlabel(f"{shown} (mu*: mean absolute change)" if index == "mu_star" else "Spearman rank correlation")
    top = rows["parameter"].iloc[0]
    title = f"{label}: the assumption that moves it most is '{field_words(top) or top}'"
    subtitle = (f"{INDEX_WORDS.get(index, index)}, 95% bootstrap interval; each assumption varied over its "
                "declared plausible range (sim/sensitivity/ranges.py)")
    frame(fig, title, subtitle, f"Source: fedsim sensitivity (SALib), this folder's {SENSITIVITY}", left=0.42)
    safe = metric.replace(".", "_").replace("<", "").replace(">", "")
    return save(Chart(f"sensitivity_{safe}", title, subtitle,
                      f"Tornado chart for {label}: " + "; ".join(
                          f"{field_words(p) or p} ({p}) {v:.3g}" for p, v in zip(rows["parameter"], values, strict=True)),
                      "fedsim sensitivity", rows.reset_index(drop=True), fig), out_dir)


def _num(value: float, unit: str) -> str:
    return fmt(value, unit) if unit else f"{value:.2f}"


def section(folder: Path, charts_dir: Path) -> list[str]:
    """HTML of the section, or [] when the folder has no sensitivity table."""
    table = read(folder)
    if table is None:
        return []
    meta = {}
    if (folder / SENSITIVITY_MANIFEST).is_file():
        meta = json.loads((folder / SENSITIVITY_MANIFEST).read_text(encoding="utf-8"))
    charts = [tornado(table, metric, charts_dir) for metric in chart_metrics(table, meta.get("metric"))]
    rows = []
    for metric, group in table.groupby("metric", sort=True):
        best = group.sort_values("rank").iloc[0]
        label, unit = described(metric)
        unit = unit if best["index"] == "mu_star" else ""
        rows.append([label, best["parameter"], _num(best["value"], unit),
                     f"{_num(best['low'], unit)} to {_num(best['high'], unit)}"])
    n_params = len(meta.get("parameters", [])) or table["parameter"].nunique()
    intro = (f"<p>The confidence intervals elsewhere in this brief cover run-to-run noise only. Here {n_params} "
             f"assumptions were varied together over their plausible ranges in {meta.get('runs', '?')} runs "
             f"({H.esc(meta.get('method', table['method'].iloc[0]))}); a long bar means the answer depends on "
             "that assumption, so treat the metric with care until it is measured.</p>")
    return ["<h2>How much the answer depends on what we assumed</h2>", intro, *H.charts_section(charts),
            H.table(["Outcome", "Assumption that moves it most", "Index", "95% interval"], rows, numeric=(2,),
                    code=(1,)),
            H.files_line("Every parameter's index for every outcome", [H.file_link(folder / SENSITIVITY, charts_dir.parent)])]

