"""`write_report(results_dir)`: one self-contained ``report.html`` from a results folder's saved tables.

The page gives, in order: what the scenario is; the key numbers with 95% CIs across replications; the charts
(each also saved as PNG, SVG and CSV under ``charts/``), with a note for each chart whose inputs are missing;
what the scenario assumed, with sources; caveats; provenance. Reports read tables only, never live
simulation objects, so a report can be rebuilt at any time from a results folder.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
import sys
from pathlib import Path

from reports import answer, sweep_curves
from reports import focus as focus_mod
from reports import html as H
from reports import sensitivity as sensitivity_section
from reports.catalog import KEY_METRICS, fmt, fmt_ci, info
from reports.charts import NETWORK_CHARTS, SECTIONS, ChartFn
from reports.focus_charts import focus_network
from reports.readable import KIND_WORDS
from reports.sources import assumptions
from reports.style import Chart, Skipped, closed_on_error, save
from reports.tables import ReportInputError, Results, load_results, read_json
from sim.config.checks import resolved_warnings
from sim.forking import fork_is_safe
from sim.model.overload import overload_warnings
from sim.results import layout
from sim.results.layout import LOADTEST
from sim.results.read import read_loadtest
from sim.results.stats import t_quantile
from sim.results.sweep import check_same_scenario, point_folders, require_sweep

NETWORK_SECTION = next(h for h, fns in SECTIONS if NETWORK_CHARTS[0] in fns)
CHART_ERRORS = (ValueError, KeyError, TypeError, IndexError, ZeroDivisionError)
MAX_WORKERS = 4
# Relative drawing cost of the charts that cost most (measured on the national baseline), for the pool's order.
COST = {"state_graph_chart": 4, "camera_map_chart": 4, "state_sharing_chart": 4, "platform_chart": 2, "reach_chart": 2}


def attach_sweep(res: Results, sweep: str | Path) -> None:
    """Draw the sweep in `sweep` into this report: refused unless it ran on the report's scenario."""
    tables = require_sweep(Path(sweep))
    check_same_scenario(res.scenario, res.folder, tables)
    res.sweep = tables


def attach_world(res: Results, world: str | Path) -> None:
    data = read_json(Path(world))
    if data is None:
        raise ReportInputError(f"{world}: no such world summary (write one with `fedsim world SCENARIO --json > FILE`)")
    res.world = data


def attach_loadtest(res: Results, loadtest: str | Path) -> None:
    """The load test in `loadtest` (a `fedsim loadtest` folder or its loadtest.json) for the latency chart."""
    data, path = read_loadtest(Path(loadtest))
    if data is None:
        raise ReportInputError(f"{loadtest}: no load test there (a `fedsim loadtest -o DIR` folder holds {LOADTEST})")
    res.loadtest, res.loadtest_path = data, path


def _per_run(res: Results) -> tuple[Results, str | None]:
    """For a sweep folder without its own tables, the per-run charts use its first design point."""
    if res.metrics is not None or res.summary is not None or res.sweep is None:
        return res, None
    for dp, folder in point_folders(res.sweep)[:1]:
        point = load_results(folder)
        point.sweep, point.loadtest, point.loadtest_path = res.sweep, res.loadtest, res.loadtest_path
        point.world = point.world or res.world
        return point, f"This folder is a sweep; per-run numbers and charts show design point {dp}."
    return res, None


def _draw_one(res: Results, fn: ChartFn, charts_dir: Path) -> Chart | Skipped | None:
    """One chart drawn and saved (PNG, SVG, CSV), or the reason it was skipped, or None where it does not apply
    (a map of a world without geography); the figure is closed, also when drawing failed half-way."""
    try:
        with closed_on_error():
            item = fn(res)
    except CHART_ERRORS as exc:
        name = fn.__name__.removesuffix("_chart")
        print(f"fedsim report: chart {name} skipped: {exc!r}", file=sys.stderr)
        return Skipped(name, name.replace("_", " "), f"could not be drawn from these tables: {exc!r}")
    if isinstance(item, Chart):
        item = save(item, charts_dir)
        item.fig = None  # closed by save; not sent back from a worker process
    return item


# What a forked worker draws from: set by `draw` just before the pool forks, so the tables reach the workers
# through fork's copy of memory instead of being pickled.
_JOB: tuple[Results, list[ChartFn], Path] | None = None


def _default_signals() -> None:
    """In a forked drawing worker: SIGTERM kills (its default), Ctrl-C is the parent's to handle.

    A fork inherits the parent's Python signal handlers; a handler the parent installed (a CLI's
    "SIGTERM as SystemExit", a test runner's) must not decide how a drawing worker ends."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _draw_job(i: int) -> Chart | Skipped | None:
    assert _JOB is not None
    res, fns, charts_dir = _JOB
    return _draw_one(res, fns[i], charts_dir)


def _workers(n_charts: int) -> int:
    """Processes to draw with: forked workers where fork is safe (`sim.forking.fork_is_safe`: Linux, and no other
    Python thread alive that could hold a lock the child would inherit locked), one per core, never more than
    charts."""
    if not fork_is_safe():
        return 1
    return max(1, min(len(os.sched_getaffinity(0)), n_charts, MAX_WORKERS))


def draw(res: Results, charts_dir: Path, workers: int | None = None,
         leave_out: tuple[ChartFn, ...] = ()) -> list[tuple[str, list[Chart | Skipped]]]:
    """Every chart of every section, saved under `charts_dir`, or the reason it was skipped; charts that do not
    apply are left out, and so are sections left empty.

    Rendering (Agg for the PNG, then the SVG) is most of a report's time and each chart is independent, so
    charts are drawn in forked worker processes, one per core (2 cores: the report in ~half the time).
    Chart functions read only the tables, so a chart is the same whichever process draws it.
    """
    global _JOB
    sections = [(heading, [fn for fn in section if fn not in leave_out]) for heading, section in SECTIONS]
    fns = [fn for _, section in sections for fn in section]
    charts_dir.mkdir(parents=True, exist_ok=True)
    n = _workers(len(fns)) if workers is None else max(1, workers)
    if n == 1:
        items = [_draw_one(res, fn, charts_dir) for fn in fns]
    else:
        if res.replications >= 2:  # charts with CIs: Student's t (scipy.special, ~0.1 s to import) is loaded
            t_quantile(2)          # here, before the fork, once, not once in each worker (`t_quantile` imports it)
        _JOB = (res, fns, charts_dir)
        try:
            pool = mp.get_context("fork").Pool(n, initializer=_default_signals)
            try:
                # the costliest charts first, so no worker is left with a long one at the end
                order = sorted(range(len(fns)), key=lambda i: -COST.get(fns[i].__name__, 1))
                drawn = dict(zip(order, pool.map(_draw_job, order, chunksize=1), strict=True))
                # close + join: the workers take the end-of-work sentinel and exit on their own. Pool's
                # `with` block would terminate() them instead, and a worker that does not die on SIGTERM
                # then blocks that join forever (seen in CI: a pytest process whose SIGTERM handler the
                # workers had inherited).
                pool.close()
                pool.join()
            finally:
                pool.terminate()  # a no-op after join; on an error, stops the workers (SIGTERM, default action)
        finally:
            _JOB = None
        items = [drawn[i] for i in range(len(fns))]
    out, k = [], 0
    for heading, section in sections:
        shown = [i for i in items[k:k + len(section)] if i is not None]
        k += len(section)
        if shown:
            out.append((heading, shown))
    return out


def key_numbers(res: Results) -> list[list[str]]:
    rows = []
    names = set(res.metric_names())
    for metric in KEY_METRICS:
        if metric not in names:
            continue
        est = res.estimate(metric)
        if est is None or est.n == 0:
            continue
        meta = info(metric)
        rows.append([meta.label, KIND_WORDS.get(meta.kind, ""), fmt(est.mean, meta.unit),
                     fmt_ci(est, meta.unit), str(est.n)])
    return rows


DATA_FILES = (layout.METRICS_CSV, layout.SUMMARY, layout.BY_STATE_CSV, layout.BY_AGENCY_CSV, layout.FLOWS_CSV,
              layout.WORLD, layout.RESOLVED)


def data_links(res: Results, page_dir: Path) -> list[H.Safe]:
    """Links (relative to the page) to the tables of the results folder that exist."""
    return [H.file_link(res.folder / name, page_dir) for name in DATA_FILES if (res.folder / name).is_file()]


def caveats(res: Results, skipped: int) -> list[str]:
    items = [
        world_caveat(res),
        "Confidence intervals show only the run-to-run randomness of the simulation (t-based, across replications). "
        "They do not include uncertainty in the inputs; parameters marked 'Assumption' could be far off, and sweeps "
        "over them show how much that matters.",
        f"Totals cover {res.days_text or 'the'} simulated days (after any warm-up); yearly figures need scaling.",
        "Opt-in is calibrated to one city's response rate (Fort Lauderdale, 2018); other places and years may differ.",
        "Federal searches run by local officers on a federal unit's behalf (proxy) are modelled at an assumed rate; "
        "audits record the local officer, so real rates are not known.",
        queue_caveat(res),
    ]
    if 2 <= res.replications < 5:
        items.insert(0, f"Only {res.replications} replications: intervals are wide (the t quantile is large; those of "
                        "counts and shares are cut at zero); run more replications to narrow them.")
    if res.replications < 2:
        items.insert(0, f"Only {res.replications} replication: no confidence intervals can be given. "
                        "Run with run.replications of 5 or more.")
    if skipped:
        items.append(f"{skipped} chart(s) were not drawn because their inputs are not in this results folder (see notes).")
    return items


def world_caveat(res: Results) -> str:
    """What in the world is real and what is drawn."""
    if res.param("world.source") == "flock-2026":
        return ("Agencies and their positions are real (Flock's 2026 sharing lists, FlockHopper contributors), as are "
                "most camera positions (OpenStreetMap: Data © OpenStreetMap contributors, ODbL); cameras beyond the "
                "mapped and portal-stated ones, households and sharing links are drawn by stated rules (docs/world.md).")
    return ("The world is synthetic: agencies, households, cameras and sharing links are drawn from published aggregate "
            "figures, not real locations" + (" (sharing links here come from real Flock portal data)."
                                             if res.param("world.sharing.source") == "private_eyes" else "."))


def queue_caveat(res: Results) -> str:
    """Where the platform's queue waits (packaging, search) come from: assumed or load-test service times."""
    calibration = res.param("platform.calibration")
    per_million = res.param("platform.search.per_million_reads_s")
    if calibration:
        return (f"Queue waits (packaging, search) use service times measured by a load test of fedsim's reference "
                f"service ({calibration}), not of Flock's or Axon's systems, whose capacity is not public. A search's "
                f"growth with the reads it scans ({per_million} s per million) is the scenario's assumption, not a "
                "measurement, and for national lookups, which scan billions, it sets the search wait.")
    return ("Queue waits (packaging, search) come from assumed service times, not measurements: a search's time "
            f"grows by an assumed {per_million} s per million reads scanned, so national lookups, which scan "
            "billions, set the search wait. Treat the waits as illustrations of load, not of real delays; a load-test "
            "calibration (platform.calibration) replaces the base service times with measured ones (not this per-read "
            "term).")


def provenance(res: Results) -> str:
    meta = res.meta
    parts = [f"fedsim {meta.get('fedsim_version', 'unknown')}"]
    if meta.get("git_commit"):
        parts.append(f"commit {str(meta['git_commit'])[:12]}")
    if meta.get("seed") is not None:
        parts.append(f"root seed {meta['seed']}")
    if meta.get("content_hash"):
        parts.append(f"scenario hash {str(meta['content_hash'])[:16]}")
    if res.param("run.world_per_replication"):  # else every replication ran on the seed's one world
        parts.append("a world drawn for each replication (run.world_per_replication: the CIs include the world's "
                     "spread; world.json and its charts show replication 0's)")
    parts.append(f"results folder {res.folder}")
    return "; ".join(parts) + "."


def write_report(results_dir: str | Path, output: str | Path | None = None, *, sweep: str | Path | None = None,
                 loadtest: str | Path | None = None, world: str | Path | None = None, focus: str | None = None,
                 focus_agency: str | None = None) -> Path:
    """Write ``report.html`` (default ``RESULTS_DIR/report.html``) and its charts; return the page's path.

    `focus` (a state code) or `focus_agency` (an agency name) makes the brief lead with that state
    (`reports.focus`); without either, a focus saved by ``fedsim run --focus`` (focus.json) applies."""
    top = load_results(results_dir)
    if sweep is not None:
        attach_sweep(top, sweep)
    if loadtest is not None:
        attach_loadtest(top, loadtest)
    if world is not None:
        attach_world(top, world)
    res, note = _per_run(top)
    spot = focus_mod.resolve(res, *focus_mod.asked(res.folder, focus, focus_agency))
    out = Path(output) if output else Path(results_dir) / "report.html"
    out.parent.mkdir(parents=True, exist_ok=True)
    # with a focus, the sharing drawings are the focus state's, in the focus section
    sections = draw(res, out.parent / "charts", leave_out=NETWORK_CHARTS if spot is not None else ())
    n_skipped = sum(isinstance(i, Skipped) for _, items in sections for i in items)
    # an agency's brief is headed by the agency (Savannah GA PD's was headed 'in Georgia', its row after the caveats)
    where = ("" if spot is None else f" at {H.esc(spot.agency)} ({H.esc(spot.place)})" if spot.agency
             else f" in {H.esc(spot.place)}")
    opening, detail = focus_mod.report_focus(res, spot, out.parent / "charts") if spot is not None else ([], [])
    body = [
        f"<h1>What the &lsquo;{H.esc(res.name)}&rsquo; scenario shows{where}</h1>",
        *opening,  # with a focus: the state's sentence; with an agency: its own answer and row, then its state's
        *answer.block(res, top.sweep, None),  # the question, the change, the answer, what this is and is not
        "<h2>Caveats</h2>",
        H.bullets(caveats(res, n_skipped), "caveats"),
        *detail,  # with a focus: the state beside the nation, its map
        f'<p class="meta">{H.esc(note)}</p>' if note else "",
    ]
    summ = res.summary or {}  # the runner's warnings (with the platform); else judged by busy shares alone
    overloaded = summ.get("warnings") or overload_warnings(summ.get("metrics") or {})
    if overloaded:  # first: these queues' waits are not results
        body += ["<h2>Warning: overloaded queues</h2>", H.bullets(overloaded, "warnings")]
    # valid input the run took as given that likely was not meant; a sweep's folder has no summary.json: its scenario's
    advice = summ.get("scenario_warnings") or (resolved_warnings(top.scenario) if top.summary is None else [])
    if advice:
        body += ["<h2>Warning: the scenario</h2>", H.bullets(advice, "scenario-warnings")]
    drawn = [i for _, items in sections for i in items if isinstance(i, Chart)]
    if drawn:
        body += ["<h2>In brief</h2>", H.bullets(f"{c.title}." for c in drawn)]
    body += [
        "<h2>Key numbers</h2>",
        f"<p>Whole-run totals (over {H.esc(res.days_text or 'the')} simulated days) or averages per replication; mean across "
        "replications with a t-based 95% "
        "confidence interval. <em>Input played back</em> marks a number that restates a scenario input (such as "
        "the search rates or the read rate per camera): a check on the model, not a finding.</p>",
    ]
    rows = key_numbers(res)
    body.append(H.files_line("The tables behind this page", data_links(res, out.parent)))
    body.append(H.table(["Measure", "Kind", "Mean", "95% CI", "Replications"], rows, numeric=(2, 4)) if rows
                else '<p class="skipped">No metrics or summary.json in this folder: no key numbers.</p>')
    for heading, items in sections:
        body.append(f"<h2>{H.esc(heading)}</h2>")
        body.extend(H.charts_section(items))
        if spot is not None and heading == NETWORK_SECTION:  # the focus state's sharing where the network would be
            body += focus_network(res, spot, out.parent / "charts")
    if spot is not None and NETWORK_SECTION not in [h for h, _ in sections]:
        body += focus_network(res, spot, out.parent / "charts")
    if top.sweep is not None:  # any swept parameter's response curves (fedsim sweep's folder or --sweep)
        body += sweep_curves.section(top.sweep, out.parent / "charts")
    body += sensitivity_section.section(Path(results_dir), out.parent / "charts")  # fedsim sensitivity's folder
    body += [
        "<h2>What the scenario assumed</h2>",
        "<p>Key parameters of this run beside the source of the national baseline's figure; a scenario that sets "
        "another value (a smaller world, a policy variant) departs from it on purpose. Links go to the web address "
        "docs/sources.md gives for a source (often the site, not the page).</p>" if res.scenario else "",
        H.table(["Parameter", "Value in this run", "Source of the baseline figure"], assumptions(res)) if res.scenario
        else '<p class="skipped">resolved_scenario.yaml is missing: the assumptions cannot be listed.</p>',
        f'<p class="meta">Provenance: {H.esc(provenance(res))}</p>',
    ]
    out.write_text(H.page(f"fedsim report: {res.name}", [b for b in body if b]), encoding="utf-8")
    return out
