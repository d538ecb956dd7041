"""Calibration rows for search behaviour and federal grants: portal quantiles, audit logs, sharing lists.

The figures come from `sim.calibration.observed` for the run's period (``--period``; by default the scenario's
``period``, 2025 when it declares none): searches per agency per 30 days (portal p25/median/p75/p90, fitted; mean,
a check; the sheriffs' and the local police's portal medians, fitted per type where they differ beyond noise; in a
real-geography run whose portals search
at their own counts, ``world.flock.portal_searches``, the rows say they are no independent evidence: those agencies
match the figures by construction); the Eugene OR PD log's scope shares (fitted:
they set ``behavior.searches.scope_mix.local_police``) and cameras per statewide lookup (Oregon's local police in
the model: a check) and national lookup (fitted with the private networks and the fleet,
`sim.calibration.fit_private`, with the networks a full lookup reaches: EFF); the Okaloosa County SO log's share of
searches reaching more than one network and >= 5,000 networks (fitted: ``scope_mix.sheriff``'s local and national
shares, a full national lookup reaching ~6,700 networks), >= 100 and >= 1,000 networks (checks: >= 1,000 holds the
sheriff's in-state reach of 1,000-4,999 networks, docs/MODEL.md), and its median networks per search (1; a check
against the median over all the model's searches, +-0.5: the counts are whole networks), and its share of searches
looking back beyond 30 days (fitted: ``lookback_beyond_share``, +-1 point); the share of agencies
granting each federal organisation 1:1 (fitted: ``world.sharing.federal_grant_share``, read off world.json; found by
the unit's identity, not its name, and read over the portals in a real-data world); the
Eugene log's reason categories, four-hour blocks and days of week (fitted: ``behavior.searches.reasons``,
``hourly_profile``, ``weekly_profile``; the log's day-of-week shares move by 0.9-1.6 points, one standard error,
when its 25 weeks are resampled, so +-3 points is about two).
Tolerances: portal quantiles and mean +-25% (the lognormal family misses the 2024 portals' median by ~20%,
docs/MODEL.md); shares +-3 points where fitted, +-5 points for checks; cameras +-50% statewide (one city's lookups
against a state's agencies' median), +-25% national.
"""

from __future__ import annotations

from collections.abc import Callable

from sim.calibration.log_reasons import LOG_CATEGORIES
from sim.calibration.observed import observed, portal_period
from sim.calibration.target import NAN, Estimate, Reading, Saved, Target
from sim.calibration.target import metric as _metric
from sim.model.alpr_search_stats import HOUR_BLOCKS
from sim.model.context import WEEKDAYS


def _obs(key: str) -> Callable[[Saved], float]:
    """The real figure `key` of the run's period (`sim.calibration.observed`); NaN where the period has none."""

    def get(s: Saved) -> float:
        fig = observed(s.period).get(key)
        return fig.value if fig is not None else NAN

    return get


def _source(key: str) -> str:
    return observed("2025")[key].source if key in observed("2025") else ""


def _grant_share(unit: str) -> Callable[[Saved], Reading]:
    """Agencies granting the configured federal unit `unit` 1:1 in their sharing lists (whether or not a law then
    closes them), found by its identity (world.json ``federal_reach[...]["unit"]``, `Agencies.unit`), not its
    display name: over the world's portals in a real-data world (the 2026 target is connections over the 906
    portals; a federal unit, having no portal, is seen only in portals' lists), else over all non-federal agencies."""
    def get(s: Saved) -> Reading:
        if s.world is None:
            return None
        reach = s.world.get("federal_reach", {})
        if reach and not any("unit" in r for r in reach.values()):
            return "world.json names federal units without their identity (older fedsim): run `fedsim world` again"
        row = next((r for r in reach.values() if r.get("unit") == unit), None)
        if row is None:
            return f"the world has no federal unit {unit} (world.agencies.federal_units)"
        portals = (s.world.get("sharing", {}).get("portals") or {}).get("count", 0)
        if portals:
            return row["granted_portals"] / portals, NAN, NAN
        agencies = s.world.get("agencies", {})
        owners = agencies.get("total", 0) - agencies.get("federal", 0)
        return (row["granted"] / owners, NAN, NAN) if owners > 0 else "the world has no agency to grant it"

    return get


def _state_or_all(name: str, state: str, fallback: str) -> Callable[[Saved], Estimate | None]:
    """Metric `name`.`state` (the log's own state), or `fallback` (every state's) in a world without that state."""
    def get(s: Saved) -> Estimate | None:
        got = s.metric(f"{name}.{state}")
        return got if got is not None else s.metric(fallback)

    return get


SEARCH_INPUTS = ("behavior.searches.per_agency_30d_median", "behavior.searches.per_agency_sigma",
                 "behavior.searches.per_agency_zero_share")
PORTALS = "Flock portals of the period: 2024-04 (data/private_eyes) for 2024 and 2025, 2026-04 (data/flock_2026)"


def portals_search_own_counts(s: Saved) -> bool:
    """Whether the run's portal agencies search at their own published April 2026 counts
    (``world.flock.portal_searches`` in the real-geography world): its portal rows then match by construction."""
    return bool(s.param("world.flock.portal_searches")) and (s.world or {}).get("source") == "flock-2026"


def _own_counts_note(note: str) -> Callable[[Saved], str]:
    """`note`, or, in a run whose portals search at their own published counts (``world.flock.portal_searches``), a
    note saying that those agencies match the figure by construction: the row is then no independent evidence."""
    def get(s: Saved) -> str:
        if not portals_search_own_counts(s):
            return note
        portals = ((s.world or {}).get("sharing", {}).get("portals") or {}).get("count")
        which = f"its {portals:,} portals" if portals else "its portals"
        return (f"not independent evidence: {which} search at their own April 2026 counts "
                "(world.flock.portal_searches), the figures this row's target is taken from, so they match it by "
                "construction (up to Poisson noise and the 2026 portals outside the world); the other agencies' rates "
                "are drawn from the lognormal fitted to those same portals (assumption: they search like portals); "
                f"over all non-federal agencies. {note[0].upper()}{note[1:]}")

    return get


def run_sheriff_share(s: Saved) -> float | None:
    """Sheriffs among the run's police agencies (local police, sheriffs, state police: those the searches-per-agency
    metrics cover): world.json's counts, else the scenario's ``world.agencies``; None when neither says."""
    counts = (s.world or {}).get("agencies") or s.param("world.agencies") or {}
    try:
        police = sum(float(counts[t]) for t in ("local_police", "sheriff", "state_police"))
        return float(counts["sheriff"]) / police if police > 0 else None
    except (KeyError, TypeError, ValueError):
        return None


def _pooled(stat: str) -> Callable[[Saved], float]:
    """The period's portals' `stat` (``p25`` ... ``p90``, ``mean``) with the sheriffs' portals weighted to the run's
    share of sheriffs (`sim.calibration.portals.poststratified`): the model pools its types as its world holds them,
    and the portals hold fewer sheriffs (2024: 29 of 308) than the world (baseline: 800 of 4,950) or the sharing lists
    (18-20%); unweighted when the run does not say its split."""
    def get(s: Saved) -> float:
        share = run_sheriff_share(s)
        if share is None:
            return _obs(f"searches_30d_{stat}")(s)
        import numpy as np  # noqa: PLC0415 - kept local, as in sim.calibration.observed: the CLI imports the rows

        from sim.calibration.portals import poststratified, weighted_quantile  # noqa: PLC0415 - same

        x, w = poststratified(portal_period(s.period), share)
        return float(np.average(x, weights=w)) if stat == "mean" else weighted_quantile(x, w, LEVELS[stat])

    return get


LEVELS = {"p25": 0.25, "median": 0.5, "p75": 0.75, "p90": 0.9}


def _portal_rows() -> tuple[Target, ...]:
    weighted = ("the period's portals with their sheriffs' weighted to the run's share of sheriffs (2024: 29 of 308 "
                "portals, unweighted p25 / median / p75 / p90 / mean 36 / 137 / 273 / 617 / 238; 2026: 111 of 906, "
                "12 / 62 / 214 / 522 / 217)")
    fit = (f"non-federal agencies; target: {weighted}; one median per type where the period's sheriffs and local "
           "police differ (2024, sim.calibration.fit.fit_by_type); zero-inflated lognormal fitted to the portal "
           "quantiles")
    rows = [Target(f"searches_30d_{q}", f"searches per agency per 30 days, {q}", "searches",
                   _pooled(q), PORTALS, _metric(f"alpr.searches_per_agency_30d_{q}"),
                   (*SEARCH_INPUTS, "world.flock.portal_searches", "world.agencies"), fit, tolerance=0.25,
                   note_for=_own_counts_note(fit))
            for q in LEVELS]
    tail = f"not fitted: the lognormal's upper tail sets it; target: {weighted}"
    rows.append(Target("searches_30d_mean", "searches per agency per 30 days, mean", "searches",
                       _pooled("mean"), PORTALS, _metric("alpr.searches_per_agency_30d_mean"),
                       (*SEARCH_INPUTS, "world.flock.portal_searches", "world.agencies"), tail, tolerance=0.25,
                       fitted=False, note_for=_own_counts_note(tail)))
    # Per type: the medians of the period's sheriffs' and local police's portals. Fitted where they differ beyond
    # noise (2024, for 2024 and 2025: one median per type, a common log-sd and zero share); a check in 2026, where
    # both types take the pooled fit.
    for t, label in (("sheriff", "sheriffs"), ("local_police", "local police")):
        note = (f"{label}' agencies; per type where the period's portals differ beyond sampling noise (2024: one "
                "median per type, common log-sd and zero share, sim.calibration.fit.fit_by_type), else the pooled "
                "fit (2026: the types differ within noise; sim.calibration.shipped_by_type)")
        rows.append(Target(f"searches_30d_median_{t}", f"searches per agency per 30 days, {label}, median", "searches",
                           _obs(f"searches_30d_median.{t}"), PORTALS + "; typed by name (2024) or node type (2026)",
                           _metric(f"alpr.searches_per_agency_30d_by_type.{t}.median"),
                           (*SEARCH_INPUTS, "world.flock.portal_searches"), note, tolerance=0.25,
                           note_for=_own_counts_note(note)))
    return tuple(rows)


def _eugene_rows() -> tuple[Target, ...]:
    src = _source("eugene_scope_local")
    rows = [Target(f"eugene_scope_{sc}", f"local police searches, {sc} scope (Eugene OR PD)", "share",
                   _obs(f"eugene_scope_{sc}"), src, _metric(f"search.scope_share.local_police.{sc}"),
                   ("behavior.searches.scope_mix",), "scope of the log's searches read from their camera counts",
                   tolerance=0.03, absolute=True)
            for sc in ("local", "statewide", "national")]
    rows.append(Target("eugene_cameras_statewide", "cameras per statewide lookup, median (Eugene OR PD)", "cameras",
                       _obs("eugene_cameras_statewide_median"), src,
                       _state_or_all("search.cameras_median_statewide", "OR",
                                     "search.cameras_median.local_police.statewide"),
                       ("world.alpr.total", "world.sharing.national_lookup_share", "world.private"),
                       "Oregon's local police in the model (a statewide lookup reaches its state's networks); "
                       "every state's in a world without Oregon",
                       tolerance=0.5, fitted=False))
    rows.append(Target("eugene_cameras_national", "cameras per national lookup, median (Eugene OR PD)", "cameras",
                       _obs("eugene_cameras_national_median"), src, _metric("search.cameras_median.all.national"),
                       ("world.alpr.total", "world.sharing.national_lookup_share", "world.private"),
                       "opted-in cameras a national lookup covers (fitted: sim.calibration.fit_private)",
                       tolerance=0.25))
    return tuple(rows)


def _reason_share(category: str) -> Callable[[Saved], Estimate | None]:
    """The local police's share of searches in one of the log's categories: the sum of its model reasons' shares."""
    def get(s: Saved) -> Estimate | None:
        parts = [s.metric(f"search.purpose_share.local_police.{r}") for r in LOG_CATEGORIES[category]]
        if any(p is None for p in parts):
            return None
        return tuple(sum(p[i] for p in parts) for i in range(3))  # type: ignore[index, return-value]

    return get


def _eugene_timing_rows() -> tuple[Target, ...]:
    src = _source("eugene_scope_local")
    reasons = tuple(
        Target(f"eugene_reason_{c}", f"local police searches for {c.replace('_', ' ')} (Eugene OR PD)", "share",
               _obs(f"eugene_reason_{c}"), src, _reason_share(c), ("behavior.searches.reasons",),
               "the log's free-text reasons classed by sim.calibration.log_reasons, tests and unmapped left out; "
               "the model keeps 2% immigration the log lacks (its other shares are 0.98 of the log's)"
               + ("; model: theft + burglary + fraud" if c == "property_crime" else ""),
               tolerance=0.03, absolute=True)
        for c in LOG_CATEGORIES)
    hours = tuple(
        Target(f"eugene_hours_{b}", f"local police searches at {b[1:3]}:00-{b[4:6]}:00 (Eugene OR PD)", "share",
               _obs(f"eugene_hours_{b}"), src, _metric(f"search.hour_share.local_police.{b}"),
               ("behavior.searches.hourly_profile",), "the log's UTC times in Pacific time; the model's one clock",
               tolerance=0.03, absolute=True)
        for b in HOUR_BLOCKS)
    # +-3 points: the log's day-of-week shares rest on ~18 weeks' worth of searches (79% in July-September), and
    # resampling its 25 weeks moves a share by 0.9-1.6 points (one standard error), so 3 points is about two.
    weekdays = tuple(
        Target(f"eugene_weekday_{d}", f"local police searches on {d.title()} (Eugene OR PD)", "share",
               _obs(f"eugene_weekday_{d}"), src, _metric(f"search.weekday_share.local_police.{d}"),
               ("behavior.searches.weekly_profile",),
               "the log's Pacific dates; the model's share of an average week (each day of week per recorded day)",
               tolerance=0.03, absolute=True)
        for d in WEEKDAYS)
    return reasons + hours + weekdays


def _okaloosa_rows() -> tuple[Target, ...]:
    src = _source("okaloosa_networks_over_1")
    labels = {"over_1": "> 1", "ge_100": ">= 100", "ge_1000": ">= 1,000", "ge_5000": ">= 5,000"}
    median = Target("okaloosa_networks_median", "networks per search, median (Okaloosa County SO)", "networks",
                    _obs("okaloosa_networks_median"), src, _metric("search.networks_touched_p50"),
                    ("behavior.searches.scope_mix",),
                    "model: over every searcher's searches (a search in its own network touches 1); the log: one "
                    "sheriff's own searches", tolerance=0.5, absolute=True, fitted=False)
    world = ("world.agencies", "world.sharing", "world.businesses", "world.hoas")  # owners: private networks too
    # (inputs, note, fitted) per threshold; a fitted share gets +-3 points, a check +-5
    rows = {
        "over_1": (("behavior.searches.scope_mix",), "fitted: 1 - the sheriffs' local share", True),
        "ge_100": (world, "a check of the world's network counts (statewide reach >= 100 networks)", False),
        "ge_1000": (world, "a check: the log's 1,000-4,999 band is the sheriff's in-state reach (statewide scope); "
                           "only the largest states' statewide reach passes 1,000 networks in the model (docs/MODEL.md)", False),
        "ge_5000": (("behavior.searches.scope_mix", "world.businesses", "world.hoas", "world.alpr.total"),
                    "fitted: the sheriffs' national share (a full national lookup reaches ~6,700 networks)", True),
    }
    # +-1 point: 463 of 7,273 has a binomial standard error of 0.29 points; one agency's searches come in runs (an
    # officer's repeated searches of one case), so allow a design effect of ~3 (0.5 points) and two of those
    lookback = Target("okaloosa_lookback_over_30", "sheriff searches looking back beyond 30 days (Okaloosa County SO)",
                      "share", _obs("okaloosa_lookback_over_30"), src, _metric("search.lookback_share.sheriff.over_30"),
                      ("behavior.searches.lookback_beyond_share", "behavior.searches.type_mix"),
                      "fitted: lookback_beyond_share = the figure / the share of searches that are not lookups (only "
                      "the Search tool takes a custom range; sim.calibration.fit_lookback)", tolerance=0.01,
                      absolute=True)
    return (median,) + tuple(
        Target(f"okaloosa_networks_{k}", f"sheriff searches reaching {label} networks (Okaloosa County SO)", "share",
               _obs(f"okaloosa_networks_{k}"), src, _metric(f"search.networks_share.sheriff.{k}"), rows[k][0],
               rows[k][1], tolerance=0.03 if rows[k][2] else 0.05, absolute=True, fitted=rows[k][2])
        for k, label in labels.items()) + (lookback,)


def _grant_rows() -> tuple[Target, ...]:
    return tuple(
        Target(f"federal_grant_share_{unit}", f"agencies granting {unit} 1:1", "share",
               _obs(f"federal_grant_share_{unit}"), "2024: N&O sharing lists; 2025-26: 2026 lists (data/flock_2026)",
               _grant_share(unit), ("world.sharing.federal_grant_share", "world.flock.keep_2024_edges"),
               "synthetic world: owners whose sharing list grants the unit over all non-federal agencies (fitted: "
               "world.sharing.federal_grant_share); real-data world: portals granting it over its portals (the 2026 "
               "lists give only the unit's connection count, and the world draws its grants from portals to that count "
               "and the 2024 grants kept: a check of that construction, not of the lists' edges)",
               tolerance=0.03, absolute=True)
        for unit in ("USPIS", "FBI"))


SEARCH_TARGETS: tuple[Target, ...] = (_portal_rows() + _eugene_rows() + _eugene_timing_rows() + _okaloosa_rows()
                                      + _grant_rows())

