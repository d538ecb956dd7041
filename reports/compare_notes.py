"""What a comparison can and cannot say: the checks and notes around `reports.compare`'s numbers.

`check_comparable` refuses folders that cannot be compared (exit 2); the notes say what the numbers cover and what
could make a difference that is not the scenarios': the span of days their totals cover (`span_words`), folders written by
different fedsim code (`code_note`), why no difference is clear (`nothing_clear`), runs shorter than the retention
limits they compare (`retention_note`), how agencies' searches per 30 days compare with the portals their rates were
fitted to, within the calibration's tolerance or not (`portal_rate_note`), and, in a brief focused on one state, that
the national sections cover every state together (`whole_world`), and, first on the page, that the runs model
different worlds (`world_note`).
"""

from __future__ import annotations

import math

from reports import focus as focus_mod
from reports.catalog import big, fmt, info, pct
from reports.focus_rates import RATE_INPUTS, rate_setters
from reports.readable import signed_pct
from reports.tables import ReportInputError, Results
from sim.calibration.observed import period_rates, portal_period, searches_fit
from sim.calibration.table import table_from_saved
from sim.calibration.target import Saved
from sim.calibration.targets_search import portals_search_own_counts
from sim.geo.states import FEDERAL_STATE
from sim.results import layout

# Agencies' searches per 30 days a comparison of search rates shows (`reports.compare`), each the model figure of a
# calibration row (`sim.calibration.targets_search`: searches_30d_<q>, with its tolerance)
RATE_ROWS = ("median", "mean", "p90")


def check_comparable(results: list[Results]) -> None:
    """Refuse (`ReportInputError`, exit 2) what cannot be compared: a folder with no model results (a load test's,
    a sweep's: its points are run folders), and runs of different lengths, whose totals cover different periods
    (a 7-day run's 1,281 requests against a 30-day run's 5,500 reads as a policy effect)."""
    for r in results:
        if r.metrics is None and r.summary is None:
            what = (f"a sweep folder: compare its points' run folders, e.g. {r.folder / layout.POINTS / '0000'}"
                    if r.sweep is not None else "compare takes folders written by `fedsim run`")
            raise ReportInputError(f"{r.folder}: no model results to compare (no metrics.parquet, metrics.csv or "
                                   f"summary.json); {what}")
    days = {r.folder: r.param("run.days") for r in results}
    if len({d for d in days.values() if d is not None}) > 1:
        raise ReportInputError("run.days differs between the folders (" + ", ".join(
            f"{folder}: {d}" for folder, d in days.items()) + "): their totals cover different periods; compare runs "
            "of the same length (fedsim run ... --set run.days=N)")


def code_note(results: list[Results]) -> str:
    """A warning when the folders were written by different fedsim code (`meta.git_commit`, else `fedsim_version`):
    a difference between them may be a change of the model, not of the scenario. A GA-only 7-day retention run
    after two landed model changes, against a baseline run before them, showed 'audit entries from federal units'
    own searches elsewhere -1,026 (95% CI -1,070 to -981)', all of it a change in how they are counted; '' when
    every folder names the same code or none says."""
    for key in ("git_commit", "fedsim_version"):
        made = {r.name: r.meta.get(key) for r in results}
        if all(made.values()):
            if len(set(made.values())) == 1:
                return ""
            which = "; ".join(f"{name}: {str(v)[:12]}" for name, v in made.items())
            return (f"These folders were written by different fedsim code ({key.replace('_', ' ')}: {which}): a "
                    "difference below may come from a change in the model between them, not from the scenarios. Run "
                    "every scenario with one version before reading a difference as an effect.")
    return ""


def nothing_clear(results: list[Results]) -> str:
    """Why no difference is called clear: with a single replication there is no interval to tell one (the page
    said 'at these replication counts', which read as if the runs had been compared and found alike)."""
    single = [r.name for r in results if r.replications < 2]
    if single:
        return (f"No difference can be called clear: {', '.join(single)} ran 1 replication, so there is no "
                "confidence interval to tell a change from run-to-run noise; run 5 or more (run.replications).")
    return "No key number differs clearly from the baseline at these replication counts."


def retention_note(results: list[Results]) -> list[str]:
    """What runs shorter than the retention limits they compare can and cannot show. Storage starts full, at the
    steady state of a platform that has run for years (`sim.model.alpr_reads`), so reads held and what searches
    return show every limit in any run (5 days, national: 31.4 billion reads held at 30 days, 7.3 billion at 7);
    a tracked car's exposure counts only the run's own days, so exposure limits above the run's length look alike.
    The note said 'no run holds more than N days of reads', which the reads held contradict."""
    limits = {r.param("policy.alpr_retention_days") for r in results} - {None}
    days = {(r.param("run.days") or 0) + (r.param("run.warmup_days") or 0) for r in results}
    if len(limits) < 2 or not days or max(limits) <= min(days):
        return []
    held = [(r.name, r.estimate("storage.reads_held")) for r in results]
    shown = "; ".join(f"{name} {big(est.mean)}" for name, est in held if est is not None and est.n)
    return [f"The runs last {min(days):g} simulated days, shorter than the retention limits compared (up to "
            f"{max(limits):g} days). Stored reads start at a platform's steady state, so reads held and what "
            f"searches return show every limit" + (f" (reads held, mean of the daily levels: {shown})" if shown else "")
            + f"; a tracked car's exposure counts only the run's {min(days):g} days, so in the exposure measures limits "
            "above that look alike. Compare exposure with runs at least as long as the longest limit "
            "(--set run.days=N)."]


def span_words(run: Results) -> str:
    """What span of days the numbers cover (`check_comparable` has made every run's the same): without it, "59.3 audit
    records per camera owner" or "62.1 million records returned" could be per day or per year."""
    days = f"the {run.days_text} simulated days each run records" if run.days_text else "each run's recorded days"
    return (f"Counts, including audit records per camera owner, are totals over {days} (after any warm-up); "
            "yearly figures need scaling.")


def whole_world(spot: focus_mod.Focus | None) -> str:
    """What a focused brief's national sections cover, for a world of several states; '' otherwise."""
    if spot is None or len(set(spot.by_state.state) - {FEDERAL_STATE}) < 2:
        return ""
    return "All states modelled together"


def world_keys(diffs: list[list[str]]) -> list[list[str]]:
    """The rows of `reports.compare.parameter_differences` that build another world (world.*: its states, agencies,
    cameras, sharing lists), leaving out the world.* settings that set only search rates (`RATE_INPUTS`)."""
    return [row for row in diffs if row[0].startswith("world.") and row[0] not in RATE_INPUTS]


def world_note(diffs: list[list[str]], shown: int = 3) -> str:
    """The warning that opens a comparison of different worlds; '' for runs of one world. A North Carolina-only
    small world against the national one read 'records -99.2%' as its first finding, with only a note at the page's
    foot that the worlds differ. Not refused: comparing worlds (synthetic against real geography) is a question users
    ask, so the page says first what its differences are."""
    rows = world_keys(diffs)
    if not rows:
        return ""
    said = "; ".join(f"{row[0]}: {' against '.join(row[1:])}" for row in rows[:shown])
    more = f"; {len(rows) - shown} more world.* rows below" if len(rows) > shown else ""
    return (f"These runs model different worlds ({said}{more}). Every difference below is first a difference in how "
            "each world is built (how many agencies, cameras and networks it holds, and who shares with whom), not "
            "the effect of a rule: counts such as searches or audit records move with the world's size. To measure a "
            "rule, compare runs of one world.")


# Figures from real logs over the 2025-26 rules (docs/sources.md) that the model does not reproduce (docs/MODEL.md,
# "Where the model and a real figure disagree"); a 2025-against-2026 brief gave neither beside its own numbers
COLONY = ("after the offense-type drop-down (Jan 2026) the partner agencies searching The Colony TX's cameras each "
          "month fell ~74% while search volume kept rising, and federal users' share of those searches rose from "
          "0.15% to 0.84%; the model keeps every agency's search rate and federal units' channels under the drop-down")
OKALOOSA = ("Okaloosa County FL SO's moderation column (Nov-Dec 2025, free-text reasons) reads allow 172, block 12, "
            "warn 2: 6.5% of its moderated searches blocked")

# the rows 'Searches giving reason ...' are marked input played back; under the drop-down they are not the input mix
# (flock-2026: 'investigation' 474,368 -> 0, '-100%', beside 'other' 0 -> 426,257)
DROPDOWN_REASONS = ("Under the offense-type drop-down the rows 'Searches giving reason ...' count what the audits "
                    "show, not the scenario's reason mix played back: a reason that is no offense type (investigation, "
                    "immigration) is filed under 'other'; 'Searches run for immigration enforcement' counts the purpose.")


def police_federal_share(results: list[Results]) -> str:
    """The model's figure nearest The Colony's: the share of the audit entries local police and sheriffs' networks
    receive that federal units' own searches write, mean over replications, per scenario (by_agency); '' without."""
    shares = []
    for r in results:
        rows = r.by_agency
        if rows is None or rows.empty:
            return ""
        police = rows[rows["type"].isin(["local_police", "sheriff"])].groupby("replication")
        entries = police["audit.records_received"].sum()
        if not (entries > 0).all():
            return ""
        shares.append(f"'{r.name}' {fmt((police['audit.records_received_federal_own'].sum() / entries).mean(), 'share')}")
    return ("; in the model, federal units' own searches write, of the audit entries local police and sheriffs' "
            "networks receive: " + ", ".join(shares))


def rule_logs_note(results: list[Results]) -> str:
    """What real logs show over the rule changes the scenarios make (`policy.reason_mode`, `policy.moderation`) and
    the model does not reproduce, with the share of searches each scenario's moderation blocked; '' otherwise."""
    base = results[0]
    differs = {k: any(r.param(f"policy.{k}") != base.param(f"policy.{k}") for r in results[1:])
               for k in ("reason_mode", "moderation")}
    if not any(differs.values()):
        return ""
    parts = [COLONY + police_federal_share(results)] if differs["reason_mode"] else []
    if differs["moderation"]:
        shares = []
        for r in results:
            blocked, searches = r.estimate("search.moderation.blocked"), r.estimate("alpr.searches")
            if blocked is not None and searches is not None and searches.mean:
                shares.append(f"'{r.name}' {pct(blocked.mean / searches.mean)}")
        parts.append(OKALOOSA + ("; the model's moderation blocks, of all searches run: " + ", ".join(shares)
                                 if shares else ""))
    return ("Real logs over these rules (docs/sources.md) that the model does not reproduce (docs/MODEL.md, \"Where "
            "the model and a real figure disagree\"): " + "; ".join(parts) + "."
            + (" " + DROPDOWN_REASONS if differs["reason_mode"] else ""))


# said of a run whose saved scenario declares no period (every folder written before `period` existed)
NO_PERIOD = "its scenario declares no period"
INFERRED = f"{NO_PERIOD}, so it is inferred from its search rates"


def rates_period(run: Results) -> tuple[str | None, bool]:
    """The period whose portals the run's search rates stand for, and whether its scenario declared it: the saved
    scenario's ``period`` (`sim.config.scenario.PERIODS`); without one (a folder of an older fedsim, or a scenario
    that declares none) `fitted_period`, the period inferred from the rates."""
    declared = run.param("period")
    if declared is not None:
        return str(declared), True
    return fitted_period(run), False


def fitted_period(run: Results) -> str | None:
    """The calibration period whose portals the run's search rates were fitted to: its local police's and sheriffs'
    medians, sigma and zero share are, as the scenarios round them, the period's (`period_rates`: 2025 for the April
    2024 portals, one median per type, flock-2025: local police 108.6, sheriffs 196.0, 1.33, 0.023 against 108.60,
    195.98, 1.331, 0.0227; 2026 for April 2026's, pooled) or, for a folder written before the per-type medians, the
    period's pooled fit for both (`searches_fit`: 113, 1.38, 0.023 against 113.2, 1.385, 0.0227); None when neither."""
    got = [run.param(f"behavior.searches.per_agency_{k}") for k in ("30d_median", "sigma", "zero_share")]
    mine = {t: [g.get(t) if isinstance(g, dict) else None for g in got] for t in ("local_police", "sheriff")}
    if any(not isinstance(v, int | float) for vals in mine.values() for v in vals):
        return None
    for period in ("2025", "2026"):
        pooled = searches_fit(period)
        for fit in (period_rates(period), dict.fromkeys(mine, (pooled.median, pooled.sigma, pooled.zero_share))):
            if all(abs(mine[t][0] / fit[t][0] - 1) < 0.01 and abs(mine[t][1] - fit[t][1]) < 0.01
                   and abs(mine[t][2] - fit[t][2]) < 0.001 for t in mine):
                return period
    return None


def portal_rate_note(results: list[Results]) -> str:
    """In a comparison of search rates (`rate_setters`), each scenario's agencies' searches per 30 days against the
    portals of the period it declares (`rates_period`), with the calibration report's own rows (`sim.calibration.table`: target,
    tolerance, verdict), so a reader sees whether a gap is within what the calibration accepts: flock-2025's median of
    109 against the 2024 portals' 137 (-20%) was shown with no word that the calibration allows +-25%. '' otherwise."""
    if not rate_setters([(r.name, r.scenario) for r in results]):
        return ""
    parts = []
    unit = info("alpr.searches_per_agency_30d_median").unit
    for r in results:
        period, declared = rates_period(r)
        if period is None:
            parts.append(f"'{r.name}' none: {NO_PERIOD}, and its search rates match neither snapshot")
            continue
        metrics = {}
        for q in RATE_ROWS:
            est = r.estimate(f"alpr.searches_per_agency_30d_{q}")
            if est is not None and est.n:
                metrics[f"alpr.searches_per_agency_30d_{q}"] = {"mean": est.mean, "ci_low": est.low, "ci_high": est.high}
        saved = Saved(summary={"metrics": metrics}, world=r.world, scenario=r.scenario or {}, period=period)
        rows = table_from_saved(saved).set_index("key")
        said = []
        for q in RATE_ROWS:
            row = rows.loc[f"searches_30d_{q}"] if f"searches_30d_{q}" in rows.index else None
            if row is None or not math.isfinite(row["model"]):
                continue
            tolerance = str(row["tolerance"]).replace("+-", "±")
            said.append(f"{q} {fmt(row['model'], unit)} against {fmt(row['target'], unit)} "
                        f"({signed_pct(row['gap_rel'] * 100)}: {'within' if row['ok'] else 'outside'} {tolerance})")
        own = (" (its portals search at their own counts: no independent evidence)"
               if portals_search_own_counts(saved) else "")
        inferred = "" if declared else f" ({INFERRED})"
        if said:
            parts.append(f"'{r.name}' against the April {portal_period(period)} portals{own}{inferred}: "
                         + ", ".join(said))
    return ("Agencies' searches per 30 days against the portals of the period each scenario declares (or, where it "
            "declares none, the period its rates imply), with the calibration's tolerance (fedsim calibration-report; "
            "non-federal agencies): " + "; ".join(parts) + "."
            if parts else "")
