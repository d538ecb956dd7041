"""The ALPR component run through `simulate` on a shortened small scenario: levers, streams, bookkeeping."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest

from sim.config import Scenario, load_scenario, with_overrides
from sim.model.alpr import AlprModel
from sim.model.alpr_reach import PATHS, RELATIONS
from sim.model.simulation import RunOutput, simulate
from sim.rng import replication_seed
from sim.world.build import build_world_cached
from sim.world.types import AGENCY_TYPES, OWNER_TYPES
from tests.conftest import PRE_2025_RULES, SCENARIOS

COMPONENT = (AlprModel,)
FAST = {"run.days": 3, "behavior.exposure.tracked_vehicles": 400}


def scenario(values: dict[str, Any] | None = None) -> Scenario:
    return with_overrides(load_scenario(SCENARIOS / "small.yaml"), FAST | (values or {}), "test")


_RUNS: dict[tuple[str, int], RunOutput] = {}


def run(values: dict[str, Any] | None = None, rep: int = 0) -> tuple[dict[str, float], RunOutput]:
    """Whole-run metrics and output of the ALPR component on the short small scenario (memoised)."""
    key = (json.dumps(values or {}, sort_keys=True), rep)
    if key not in _RUNS:
        sc = scenario(values)
        _RUNS[key] = simulate(sc, build_world_cached(sc), replication_seed(sc.run.seed, 0, rep), components=COMPONENT)
    out = _RUNS[key]
    return {name: v for day, name, v in out.metrics if day is None}, out


def daily(out: RunOutput, name: str) -> np.ndarray:
    return np.array([v for day, n, v in out.metrics if n == name and day is not None])


def test_core_metrics_exist_and_daily_counts_sum_to_totals() -> None:
    tot, out = run()
    for name in ("alpr.reads", "alpr.misreads", "alpr.hotlist_hits", "alpr.alerts_false", "alpr.stops",
                 "alpr.searches", "alpr.searches_federal_own", "alpr.searches_federal_proxy",
                 "search.networks_touched_mean", "search.cameras_touched_p95", "search.reads_scanned_mean",
                 "search.results", "search.wait_mean_s", "search.wait_p95_s", "search.utilization",
                 "search.queue_mean", "search.arrival_rate_per_s", "audit.records", "storage.reads_held",
                 "exposure.agencies_per_vehicle_mean", "exposure.federal_units_per_vehicle_mean",
                 "exposure.vehicle_days_observed_share", "ingest.utilization_peak", "search.reason.immigration"):
        assert name in tot, name
    for name in ("alpr.reads", "alpr.searches", "audit.records", "search.results"):
        assert len(daily(out, name)) == 3
        assert daily(out, name).sum() == tot[name]
    assert tot["audit.records"] == tot["alpr.searches"] > 0
    assert tot["alpr.hotlist_hits"] > tot["alpr.alerts_false"] > 0
    assert tot["alpr.hotlist_hits"] - tot["alpr.alerts_false"] > tot["alpr.stops"] > 0
    reasons = sum(v for k, v in tot.items() if k.startswith("search.reason."))
    assert reasons == tot["alpr.searches"]
    assert np.isclose(tot["storage.reads_held"], daily(out, "storage.reads_held").mean())
    assert 0 < tot["search.utilization"] < 1 and 0 < tot["ingest.utilization_peak"] < 1


def test_same_seed_same_results_and_replications_differ() -> None:
    sc = scenario()
    world = build_world_cached(sc)
    a = simulate(sc, world, replication_seed(sc.run.seed, 0, 0), components=COMPONENT)
    b = simulate(sc, world, replication_seed(sc.run.seed, 0, 0), components=COMPONENT)
    assert a.metrics == b.metrics and a.flows == b.flows and a.events == b.events
    assert dict(run(rep=1)[0])["alpr.reads"] != run(rep=0)[0]["alpr.reads"]


def test_events_only_for_days_and_searches() -> None:
    sc = scenario()
    idle = simulate(sc, build_world_cached(sc), replication_seed(sc.run.seed, 0, 0), components=()).events
    tot, out = run()
    days, searches = sc.run.warmup_days + sc.run.days, tot["alpr.searches"]
    # A daily step (process start + one timeout a day), a driver process a day (its start and its end),
    # and per search at most one arrival and one completion event: reads, alerts and audits are never events.
    assert searches <= out.events - idle <= 1 + days + 2 * days + 2 * searches


def test_streams_by_name_firewall_leaves_reads_and_search_draws_identical() -> None:
    pre = PRE_2025_RULES | {"behavior.searches.proxy_agency_share": 0.3}
    base, out_b = run(pre)
    fw, out_f = run(pre | {"policy.federal_firewall": True})
    for name in ("alpr.reads", "alpr.hotlist_hits", "alpr.stops", "storage.reads_held"):
        assert np.array_equal(daily(out_b, name), daily(out_f, name)), name
    assert base["alpr.searches"] - base["alpr.searches_federal_proxy"] == fw["alpr.searches"] - fw["alpr.searches_federal_proxy"]
    assert fw["exposure.federal_units_per_vehicle_mean"] < base["exposure.federal_units_per_vehicle_mean"]
    assert fw["alpr.searches_federal_proxy"] < base["alpr.searches_federal_proxy"]


def test_shorter_retention_fewer_reads_held_and_less_exposure() -> None:
    days = {"run.days": 8}
    long_, _ = run(days)
    short, _ = run(days | {"policy.alpr_retention_days": 3})
    assert short["alpr.reads"] == long_["alpr.reads"]
    assert short["storage.reads_held"] < 0.2 * long_["storage.reads_held"]
    assert short["exposure.agencies_per_vehicle_mean"] < long_["exposure.agencies_per_vehicle_mean"]
    assert short["exposure.history_days_mean"] <= 3 < long_["exposure.history_days_mean"]
    assert short["exposure.reads_held_mean"] < 0.5 * long_["exposure.reads_held_mean"]
    assert short["search.reads_scanned_mean"] < long_["search.reads_scanned_mean"]


def test_no_national_lookup_fewer_networks_touched() -> None:
    on, _ = run()
    off, _ = run({"policy.national_lookup": False})
    assert off["search.networks_touched_mean"] < on["search.networks_touched_mean"]
    assert off["search.networks_touched_national_mean"] < 0.8 * on["search.networks_touched_national_mean"]


def test_flows_use_known_labels_and_records_match_results() -> None:
    tot, out = run({"behavior.searches.proxy_agency_share": 0.3})
    assert out.flows
    paths = set(PATHS) | {"proxy"}
    records = 0.0
    for day, owner, searcher, relation, path, searches, recs in out.flows:
        assert 0 <= day < 3 and owner in OWNER_TYPES and searcher in AGENCY_TYPES
        assert relation in RELATIONS and path in paths and searches > 0
        assert (relation == "federal") == (searcher == "federal")
        assert path != "opted_in" or relation != "same_agency"
        records += recs
    assert np.isclose(records, tot["search.results"], rtol=1e-9)
    assert any(f[4] == "proxy" for f in out.flows)


def test_warmup_is_not_recorded() -> None:
    tot, out = run({"run.warmup_days": 2})
    base, _ = run()
    assert len(daily(out, "alpr.reads")) == 3
    per_day = tot["alpr.reads"] / 3
    assert abs(per_day - base["alpr.reads"] / 3) < 0.05 * per_day
    assert tot["search.jobs"] == tot["alpr.searches"]


def test_unique_basis_scales_reads_but_not_hotlist_hits_per_camera() -> None:
    raw, _ = run()
    uniq, _ = run({"behavior.alpr.reads_basis": "unique"})
    assert 0.04 < uniq["alpr.reads"] / raw["alpr.reads"] < 0.09
    assert 0.6 < uniq["alpr.hotlist_hits"] / raw["alpr.hotlist_hits"] < 1.6


def test_quantile_metrics_are_the_quantiles_of_what_owners_and_searches_saw() -> None:
    tot, out = run()
    sc = scenario()
    cams = np.asarray(build_world_cached(sc).agencies.cameras) > 0
    received = out.by_agency["audit.records_received"][cams]  # what each owner's audit holds
    assert tot["audit.records_per_owner_p50"] == pytest.approx(np.percentile(received, 50), rel=1e-9)
    assert tot["audit.records_per_owner_p90"] == pytest.approx(np.percentile(received, 90), rel=1e-9)
    assert tot["audit.records_per_owner_p50"] <= tot["audit.records_per_owner_p90"] <= tot["audit.records_per_owner_max"]
    # most searches stay in the searcher's own network (one network); a tenth reach many more
    assert tot["search.networks_touched_p50"] == 1
    assert tot["search.networks_touched_p50"] < tot["search.networks_touched_p90"] <= tot["search.networks_touched_p95"]


def test_search_types_cost_the_queue_their_relative_service_demand() -> None:
    """With a fixed base time and no per-read term, busy time is base x sum over searches of their type's cost."""
    fixed = {"platform.search.service_time": {"dist": "fixed", "mean_s": 0.05}, "platform.search.per_million_reads_s": 0.0}
    flat, _ = run(fixed | {"platform.search.type_cost": {}})
    costs = {"lookup": 1.0, "search": 3.0, "freeform": 7.0, "visual": 7.0, "multigeo": 2.0, "convoy": 20.0}
    costly, _ = run(fixed | {"platform.search.type_cost": costs})
    assert costly["alpr.searches"] == flat["alpr.searches"]  # the same searches (common random numbers)
    n = {t: flat[f"search.type.{t}"] for t in costs}
    expected = sum(n[t] * c for t, c in costs.items()) / sum(n.values())
    assert expected > 1.3  # partial-plate searches are a fifth of all: the test can tell
    assert costly["search.utilization"] / flat["search.utilization"] == pytest.approx(expected, rel=0.01)


def test_moderation_blocks_immigration_purposes_under_free_text_and_sees_none_under_the_drop_down() -> None:
    blocked = {"policy.moderation": {"blocked": ["immigration"], "warned": []}}
    free, _ = run(blocked)
    offense, _ = run(blocked | {"policy.reason_mode": "offense_type"})
    assert free["search.purpose.immigration"] == offense["search.purpose.immigration"] > 0  # the same searches
    assert free["search.moderation.blocked"] == free["search.purpose.immigration"]
    assert free["search.moderation.unseen_blocked"] == 0
    assert offense["search.moderation.blocked"] == 0 and offense["search.reason.immigration"] == 0
    assert offense["search.moderation.unseen_blocked"] == offense["search.purpose.immigration"]


def test_searches_follow_the_weekly_profile_from_simulated_day_0_a_monday() -> None:
    """Day of week counts from the first simulated day, warm-up included (as the incidents' weekly profile): with one
    warm-up day, recorded day 0 is a Tuesday, so a Tuesday-only profile records searches on recorded days 0 only."""
    tuesday = [0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0]
    tot, out = run({"run.warmup_days": 1, "behavior.searches.weekly_profile": tuesday})
    searches = daily(out, "alpr.searches")
    assert searches[0] > 0 and not searches[1:].any()
    assert tot["search.weekday_share.local_police.tue"] == 1.0
    assert tot["search.weekday_share.local_police.mon"] == 0.0


def test_federal_category_reaches_what_paused_reaches_and_only_labels() -> None:
    """docs/MODEL.md: no figure separates the two levers, so they differ in the audit label alone (a scenario warning
    says so): every other metric and by_agency column is the same draw for draw."""
    paused, p_out = run({"policy.federal_access": "paused"})
    labelled, l_out = run({"policy.federal_access": "federal_category"})
    assert paused["alpr.searches_federal_own"] > 0 and paused["alpr.searches_federal_labelled"] == 0
    assert labelled["alpr.searches_federal_labelled"] == labelled["alpr.searches_federal_own"]
    timing = ("wall", "_s_per_", "cpu")
    same = [k for k in paused if k != "alpr.searches_federal_labelled" and not any(t in k for t in timing)]
    assert {k: paused[k] for k in same} == {k: labelled[k] for k in same}
    assert p_out.by_agency.keys() == l_out.by_agency.keys()
    for column, values in p_out.by_agency.items():
        assert np.array_equal(values, l_out.by_agency[column]), column
    opened, _ = run({"policy.federal_access": "open"})  # the bracket MODEL.md points to does move federal reach
    assert opened["exposure.federal_units_per_vehicle_mean"] > paused["exposure.federal_units_per_vehicle_mean"]
