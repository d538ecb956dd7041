"""`write_compare(dirs, out_dir)`: a side-by-side brief of several results folders against the first.

For each key metric: every scenario's mean with its t-based 95% CI, and each scenario's difference from the
first (the baseline) with a 95% CI: paired over replications when both were run from the same root seed
(common random numbers: replication r of each drew the same named streams), else Welch's (unequal
variances, Welch-Satterthwaite degrees of freedom). The ``method`` column says which. A difference whose
CI excludes zero is called clear; otherwise the brief says the runs cannot tell the two
apart. The brief also lists the parameters in which the scenarios differ, read from their resolved scenarios.
Outputs: ``compare.html`` (self-contained), ``compare.csv`` and ``charts/compare.{png,svg,csv}``. What folders can be
compared and the notes on what the numbers cover are `reports.compare_notes`'.
"""

from __future__ import annotations

import math
from collections.abc import Collection
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from reports import focus as focus_mod
from reports import html as H
from reports import readable
from reports.catalog import KEY_METRICS, fmt_estimate, info
from reports.compare_chart import difference_chart, lower_first
from reports.compare_notes import (
    RATE_ROWS,
    check_comparable,
    code_note,
    nothing_clear,
    portal_rate_note,
    retention_note,
    rule_logs_note,
    span_words,
    whole_world,
    world_note,
)
from reports.focus_rates import SEARCH_DRIVEN, rate_input_sentence, rate_setters
from reports.readable import bounded_diff, signed, signed_pct
from reports.sources import show, source_cell
from reports.style import save
from reports.tables import ReportInputError, Results, load_results
from sim.results import layout
from sim.results.plain_csv import CSV_DIGITS, write_csv
from sim.results.stats import Estimate, paired_diff, welch_diff


def flatten(data: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(data, dict):
        out: dict[str, Any] = {}
        for k, v in data.items():
            out.update(flatten(v, f"{prefix}.{k}" if prefix else str(k)))
        return out
    return {prefix: data}


# what a saved scenario says about itself rather than a parameter: provenance, its name and words, its period (which
# the portal-rate note gives beside the rates, `compare_notes.portal_rate_note`)
ABOUT = ("meta", "name", "description", "period")
# Run-control fields added after results folders were already written: an older folder's resolved scenario lacks
# them and ran as their value here, so it differs from a newer folder only where a newer one changed it.
ADDED_FIELDS: dict[str, Any] = {"run.world_per_replication": False}


def parameter_differences(results: list[Results]) -> list[list[str]]:
    """One row per parameter whose resolved value differs between the scenarios, values as a reader writes them
    (``CA, IL`` rather than ``['CA', 'IL']``; yes/no; ``not set``)."""
    flat = [flatten({k: v for k, v in (r.scenario or {}).items() if k not in ABOUT}) for r in results]
    keys = sorted(set().union(*flat))
    rows = []
    for key in keys:
        values = [f.get(key, ADDED_FIELDS.get(key)) for f in flat]
        if any(v != values[0] for v in values[1:]) and not key.startswith("run.output_dir"):
            rows.append([key, *("not set" if v is None else show(v, key) for v in values)])
    return rows


def paired(a: Results, b: Results) -> bool:
    """Both runs come from the same root seed, so replication r of each shares its random streams."""
    seed = a.meta.get("seed")
    return seed is not None and seed == b.meta.get("seed")


def difference(base_run: Results, run: Results, metric: str, est: Estimate,
               base: Estimate | None) -> tuple[Estimate, str, float]:
    """The difference run - baseline, how its CI was computed ("paired", "welch" or "none"), and the baseline's
    value it is measured from: paired, its mean over the replications both runs share (a 2-replication run against
    a 3-replication baseline is a change from replications 0 and 1, not from the mean of three); else its mean."""
    if base is None or not base.n:
        return Estimate(math.nan, math.nan, math.nan, 0), "none", math.nan
    if paired(base_run, run):
        mine, theirs = run.whole_run_by_rep(metric), base_run.whole_run_by_rep(metric)
        common = sorted(set(mine) & set(theirs))
        shared_base = float(np.mean([theirs[r] for r in common])) if common else math.nan
        est_p = paired_diff(mine, theirs)
        if est_p is not None:
            return est_p, "paired", shared_base
        if len(common) == 1:  # 1 replication against 3: that replication's difference, not the 3-replication mean's
            r = common[0]
            return Estimate(mine[r] - theirs[r], math.nan, math.nan, 1), "paired", shared_base
    return welch_diff(est, base), "welch", base.mean


# What federal searches reach, beside the key numbers: the count of federal searches run does not move under a
# firewall or a state law (they are still run), what they reach does (baseline vs federal-firewall, national,
# 7 days: 61.3 -> 6.3 audit records per camera owner from federal units' own searches).
FEDERAL_REACH = ("audit.records_per_owner_mean.federal_own", "audit.records_per_owner_mean.federal_proxy")
# What a retention limit changes, beside them: none of the key numbers moves with it (retention-7d against the
# baseline, national, 5 days: 'No key number differs clearly') while reads held fell from 31.4 to 7.32 billion
# and search results from 44.2 to 21.2 million; a car's history held, in days, is what it shortens for a tracked car.
RETENTION_REACH = ("storage.reads_held", "search.results", "exposure.history_days_mean")


def comparison_table(results: list[Results]) -> pd.DataFrame:
    """Long table: metric, scenario, mean, ci_low, ci_high, n, diff, diff_ci_low, diff_ci_high, method (vs the first),
    baseline_mean: the baseline's value each diff is measured from (over the shared replications when paired;
    what its percentage and its cut to the metric's range use)."""
    from reports.answer import lever_outcomes  # reports.answer imports this module

    names = set().union(*(r.metric_names() for r in results))
    # what the levers the scenarios set do (moderation, the offense-type drop-down, redaction...)
    lever_metrics = [m for outs in lever_outcomes(*(r.scenario for r in results)) for m in outs]
    # the rates themselves, beside the totals they move: flock-2025 against flock-2026 gave searches -15.5% and no
    # word that police agencies' median fell from 109 to 62 searches a month (portals: 137 in 2024, 62 in 2026)
    if rate_setters([(r.name, r.scenario) for r in results]):
        lever_metrics += [f"alpr.searches_per_agency_30d_{q}" for q in RATE_ROWS]
    metrics = list(dict.fromkeys([m for m in (*KEY_METRICS, *FEDERAL_REACH, *RETENTION_REACH, *lever_metrics)
                                  if m in names]
               # searches run for a purpose beside the reason entered: under the offense-type drop-down 'immigration'
               # entered falls to 0 (flock-2025 against flock-2026: 7,097 -> 0, '-100%') while 6,023 were still run for it
               + sorted(m for m in names if m.startswith(("search.purpose.", "search.reason.")))))
    rows = []
    for metric in metrics:
        base = results[0].estimate(metric)
        for r in results:
            est = r.estimate(metric)
            if est is None or est.n == 0:
                continue
            diff, method, base_value = difference(results[0], r, metric, est, base)
            rows.append({"metric": metric, "kind": readable.kind_of(metric), "scenario": r.name, "mean": est.mean,
                         "ci_low": est.low, "ci_high": est.high, "n": est.n, "diff": diff.mean, "diff_ci_low": diff.low,
                         "diff_ci_high": diff.high, "method": method, "baseline_mean": base_value})
    table = pd.DataFrame(rows)
    return ranked(table, results[0].name) if len(table) else table


def ranked(table: pd.DataFrame, baseline: str) -> pd.DataFrame:
    """Rows by relevance: outcomes, then load, then undeclared metrics, input echoes last; within a kind, metrics
    with a clear difference first, then by the largest relative change. ``unchanged`` marks a metric whose value
    is the same in every scenario (folded into one line in the brief)."""
    others = table[table["scenario"] != baseline]
    rel = (others["diff"] / others["baseline_mean"].abs().replace(0, np.nan)).abs().fillna(0.0)
    clear = (others["diff_ci_low"] > 0) | (others["diff_ci_high"] < 0)
    by = pd.DataFrame({"metric": others["metric"], "rel": rel, "clear": clear, "same": others["diff"] == 0.0})
    agg = by.groupby("metric").agg(rel=("rel", "max"), clear=("clear", "any"), same=("same", "all"))
    order = pd.DataFrame({"metric": list(dict.fromkeys(table["metric"]))})
    order = order.join(agg, on="metric").fillna({"rel": 0.0, "clear": False, "same": True})
    order["rank"] = order["metric"].map(readable.kind_rank)
    order = order.sort_values(["rank", "clear", "rel"], ascending=[True, False, False], kind="stable")
    position = {m: i for i, m in enumerate(order["metric"])}
    unchanged = set(order.loc[order["same"].astype(bool), "metric"])
    out = table.assign(unchanged=table["metric"].isin(unchanged), _pos=table["metric"].map(position))
    return out.sort_values("_pos", kind="stable").drop(columns="_pos").reset_index(drop=True)


def verdict(row: pd.Series, unit: str) -> str:
    """``−1,204 (−12.0%); 95% CI −1,500 to −900``, and whether the runs can tell it from the baseline."""
    if not math.isfinite(row["diff"]):
        return "n/a"
    text = signed(row["diff"], unit)
    if math.isfinite(row["baseline_mean"]) and row["baseline_mean"]:
        text += f" ({signed_pct(row['diff'] / abs(row['baseline_mean']) * 100)})"
    if not (math.isfinite(row["diff_ci_low"]) and math.isfinite(row["diff_ci_high"])):
        return text + "; no CI"
    low, high = bounded_diff(row["diff_ci_low"], row["diff_ci_high"], row["baseline_mean"], unit)
    text += f"; 95% CI {signed(low, unit)} to {signed(high, unit)}"
    clear = row["diff_ci_low"] > 0 or row["diff_ci_high"] < 0
    return text + ("" if clear else "; not distinguishable from the baseline")


def headlines(table: pd.DataFrame, limit: int = 6, rates_set: Collection[str] = ()) -> list[str]:
    """The clear differences (CI excludes zero) in words, most relevant first: outcomes before load, each kind by
    the largest relative change. Input echoes (a model input read back) are never headlines. A count of searches
    or of what they write, in a scenario of `rates_set` (it sets search rates apart), says that its change mixes
    those rates with any rule: flock-2026's headline 'searches run for immigration enforcement -15.0%' came from
    the 2026 portal rates alone (every search count fell ~15.5%), its moderation blocking nothing."""
    if not len(table):
        return []
    clear = table[((table["diff_ci_low"] > 0) | (table["diff_ci_high"] < 0)) & (table["baseline_mean"] != 0)
                  & (table["kind"] != "input_echo")]
    clear = clear.assign(rel=(clear["diff"] / clear["baseline_mean"].abs()).abs(), rank=clear["metric"].map(readable.kind_rank))
    clear = clear.sort_values(["rank", "rel"], ascending=[True, False], kind="stable")
    out = []
    for _, r in clear.head(limit).iterrows():
        unit = info(r["metric"]).unit
        mixed = r["scenario"] in rates_set and str(r["metric"]).startswith(SEARCH_DRIVEN)
        out.append(f"{r['scenario']}: {lower_first(info(r['metric']).label)} {verdict(r, unit)}"
                   + (" (search rates set apart: not a rule's effect alone)" if mixed else ""))
    return out


def side_by_side(table: pd.DataFrame, names: list[str]) -> list[str]:
    """The ranked table of changed metrics, then one line for every metric the same in all scenarios.

    Means' intervals are cut to the metric's range (`reports.readable.bounded`); the difference columns say
    whether the runs can tell each scenario from the baseline.
    """
    rows, same = [], []
    for metric, g in table.groupby("metric", sort=False):
        unit = info(metric).unit
        if bool(g["unchanged"].iloc[0]):
            same.append(info(metric).label)
            continue
        by = {r.scenario: r for _, r in g.iterrows()}
        cells = [info(metric).label, readable.KIND_WORDS.get(readable.kind_of(metric), "")]
        for name in names:
            r = by.get(name)
            cells.append("n/a" if r is None else fmt_estimate(
                Estimate(r["mean"], r["ci_low"], r["ci_high"], int(r["n"])), unit))
        for name in names[1:]:
            cells.append("n/a" if name not in by else verdict(by[name], unit))
        rows.append(cells)
    out = [H.table(["Measure", "Kind", *names, *(f"{n} − {names[0]}" for n in names[1:])], rows)] if rows else []
    if same:
        counted = "1 metric has" if len(same) == 1 else f"{len(same)} metrics have"
        out.append(f'<details class="unchanged"><summary>Unchanged: {counted} the same value in every scenario'
                   "</summary>" + H.bullets(same) + "</details>")
    return out


def data_links(results: list[Results], page_dir: Path) -> list[H.Safe]:
    """Each run's metrics table, linked relative to the page."""
    out = []
    for r in results:
        path = r.folder / layout.METRICS_CSV
        if path.is_file():
            out.append(H.file_link(path, page_dir, f"{r.name}: {layout.METRICS_CSV}"))
    return out


def distinct_names(results: list[Results]) -> None:
    """Same-named scenarios (e.g. one run with --set overrides) are told apart by folder, else by position."""
    names = [r.name for r in results]
    if len(set(names)) == len(names):
        return
    folders = [r.folder.name for r in results]
    unique = len(set(folders)) == len(folders)
    for i, r in enumerate(results):
        r.alias = folders[i] if unique else f"{i + 1}. {r.name}"


def write_compare(dirs: list[str | Path], out_dir: str | Path, focus: str | None = None,
                  focus_agency: str | None = None) -> Path:
    """Write ``compare.html`` into `out_dir`; the first folder is the baseline. Return the page's path.

    With `focus` (a state code) or `focus_agency`, the brief opens with what each scenario changes in that state
    and in the rest of the country (`reports.focus`)."""
    if len(dirs) < 2:
        raise ReportInputError(f"compare needs at least two results folders, got {len(dirs)}")
    results = [load_results(d) for d in dirs]
    check_comparable(results)
    distinct_names(results)
    spot = focus_mod.resolve(results[0], focus, focus_agency)
    # before anything is written: it refuses (exit 2) an agency another folder's world lacks
    focus_blocks = focus_mod.compare_focus(results, spot) if spot is not None else []
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    table = comparison_table(results)
    write_csv(table, out / "compare.csv", digits=CSV_DIGITS)
    names = [r.name for r in results]
    code = code_note(results)
    # a focused brief says it in its own opening (reports.focus.compare_focus)
    rates = "" if spot else rate_input_sentence([(r.name, r.scenario) for r in results])
    diffs = parameter_differences(results)
    worlds = world_note(diffs)  # before any number: a comparison of different worlds says so first
    body = [f"<h1>{H.esc(' vs '.join(names))}" + (f" in {H.esc(spot.place)}" if spot else "") + "</h1>",
            *([f'<p class="warning">{H.esc(worlds)}</p>'] if worlds else []),
            *([f'<p class="warning">{H.esc(code)}</p>'] if code else []), *focus_blocks,
            f'<p class="lede">Each scenario against the baseline &lsquo;{H.esc(names[0])}&rsquo;: means with 95% CIs '
            "across replications, and differences with 95% CIs (paired when runs share a root seed, else Welch). "
            f"{H.esc(span_words(results[0]))}" + (f" {H.esc(rates)}" if rates else "") + "</p>"]
    body.append("<h2>How the scenarios differ</h2>")
    body.append(H.table(["Parameter", *names], diffs, code=(0,)) if diffs else "<p>The resolved scenarios set the same "
                "parameters (only names, seeds or outputs differ), or a resolved_scenario.yaml is missing.</p>")
    brief = headlines(table, rates_set=rate_setters([(r.name, r.scenario) for r in results]))
    # a brief focused on one state opens with it; what follows is every state modelled together (GA's 'gain' read
    # '-100%' for federal audit entries in Georgia, then a chart titled '... by -4.5%' with no word of where)
    where = whole_world(spot)
    of_worlds = ": differences between worlds, not effects of rules" if worlds else ""
    body += [f"<h2>In brief{of_worlds}{'; ' if worlds and where else ': ' if where else ''}{H.esc(where.lower())}</h2>",
             H.bullets(brief) if brief else f"<p>{H.esc(nothing_clear(results))}</p>"]
    body += [f'<p class="note">{H.esc(n)}</p>' for n in [*retention_note(results), rule_logs_note(results)] if n]
    chart = difference_chart(table, results, where) if len(table) else None
    if chart is not None:
        body.append(H.figure(save(chart, out / "charts")))
    body.append("<h2>Key numbers side by side</h2>")
    if len(table):
        shown = side_by_side(table, names)  # the table, then its unchanged metrics folded
        rates_vs_portals = portal_rate_note(results)  # below the table's rows of searches per agency
        body += [*shown[:1], *([f'<p class="note">{H.esc(rates_vs_portals)}</p>'] if rates_vs_portals else []), *shown[1:]]
    else:
        body.append('<p class="skipped">None of the folders has metrics or summary.json: nothing to compare.</p>')
    body.append(H.files_line("The tables behind this page", [H.link("compare.csv", "compare.csv"), *data_links(results, out)]))
    cited = [[key, source_cell(key)] for key, *_ in diffs if not key.startswith("run.")]
    if cited:
        body += ["<h2>Where the differing parameters come from</h2>",
                 "<p>The source of the national baseline's figure for each parameter the scenarios set differently; "
                 "links go to the web address docs/sources.md gives (often the site, not the page).</p>",
                 H.table(["Parameter", "Source of the baseline figure"], cited, code=(0,))]
    seeds = {r.meta.get("seed") for r in results}
    if len(seeds) == 1 and None not in seeds:
        body.append(f'<p class="meta">All runs share root seed {H.esc(seeds.pop())}, so replication r of each drew the '
                    "same named random streams (common random numbers): differences are paired by replication, "
                    "which removes the noise the runs share. A metric no random stream of the changed policy touches "
                    "comes out identical, with a zero-width interval.</p>")
        if worlds:  # synthetic against real geography, or other states
            body.append('<p class="meta">The worlds differ (the world.* rows above): the same streams drive other '
                        "agencies and cameras, so pairing removes little noise, and a difference is one of how each "
                        "world is built (its agencies, cameras and sharing lists), not the effect of a rule.</p>")
    body.append('<p class="meta">' + H.esc("Folders: " + "; ".join(f"{r.name}: {r.folder}" for r in results)) + "</p>")
    path = out / "compare.html"
    path.write_text(H.page("fedsim comparison: " + " vs ".join(names), body), encoding="utf-8")
    return path
