"""The community-requests component run through `simulate` on the small scenario: policy levers and bookkeeping."""

from __future__ import annotations

from typing import Any

import pytest

from sim.config import Scenario, load_scenario, with_overrides
from sim.model.requests import DAILY_COUNTS, RequestsModel
from sim.model.simulation import RunOutput, simulate
from sim.rng import replication_seed
from sim.world.build import build_world_cached
from tests.conftest import SCENARIOS

COMPONENT = (RequestsModel,)


def small(values: dict[str, Any] | None = None) -> Scenario:
    return with_overrides(load_scenario(SCENARIOS / "small.yaml"), values or {}, "test")


def run_requests(values: dict[str, Any] | None = None, rep: int = 0) -> tuple[dict[str, float], RunOutput]:
    """Whole-run metrics of the requests component alone on the small scenario with `values` set."""
    sc = small(values)
    out = simulate(sc, build_world_cached(sc), replication_seed(sc.run.seed, 0, rep), components=COMPONENT)
    return {name: v for day, name, v in out.metrics if day is None}, out


def idle_events() -> int:
    """Events of a run with no component: the clock's own day stops."""
    sc = small()
    return simulate(sc, build_world_cached(sc), replication_seed(sc.run.seed, 0, 0), components=()).events


def test_funnel_is_nested_and_daily_series_sum_to_totals() -> None:
    tot, out = run_requests()
    assert tot["requests.posted"] > 20
    assert tot["requests.households_in_area"] >= tot["requests.households_notified"] >= tot["requests.households_eligible"]
    assert tot["requests.households_eligible"] > tot["optin.submitting_households"] > 0
    assert tot["optin.rate"] == pytest.approx(tot["optin.submitting_households"] / tot["requests.households_notified"])
    assert tot["footage.clips"] >= tot["footage.submissions"] == tot["packaging.jobs"]
    days = {}
    for day, name, v in out.metrics:
        if day is not None:
            days.setdefault(name, []).append(v)
    assert set(DAILY_COUNTS) <= set(days)
    for name in DAILY_COUNTS:
        assert len(days[name]) == 7
        assert sum(days[name]) == pytest.approx(tot[name])


def test_same_seed_same_metrics_other_replication_differs() -> None:
    a, out_a = run_requests()
    b, out_b = run_requests()
    c, _ = run_requests(rep=1)
    assert out_a.metrics == out_b.metrics and out_a.events == out_b.events
    assert a != c


def test_case_number_refusal() -> None:
    required, _ = run_requests({"behavior.requests.case_number_share": 0.0})
    assert required["requests.posted"] == 0 and required["requests.refused"] > 0
    assert required["footage.submissions"] == 0 and required["packaging.jobs"] == 0
    free, _ = run_requests({"behavior.requests.case_number_share": 0.0, "policy.case_number_required": False})
    assert free["requests.refused"] == 0
    assert free["requests.repeat_posts"] > 0
    assert free["requests.posted"] - free["requests.repeat_posts"] == required["requests.refused"]  # same cases


def test_routing_axon_refuses_federal_flock_accepts_none_has_no_requests() -> None:
    many_federal = {"behavior.incidents.per_agency_per_day": {"local_police": 0.5, "sheriff": 0.5, "federal": 30.0}}
    axon, _ = run_requests({**many_federal, "platform.routing": "axon"})
    flock, _ = run_requests({**many_federal, "platform.routing": "flock"})
    none, out = run_requests({**many_federal, "platform.routing": "none"})
    assert axon["requests.refused_routing"] > 10 and flock["requests.refused_routing"] == 0
    cases = axon["requests.posted"] - axon["requests.repeat_posts"] + axon["requests.refused"] + axon["requests.refused_routing"]
    assert flock["requests.posted"] - flock["requests.repeat_posts"] + flock["requests.refused"] == cases
    assert flock["requests.repeat_posts"] > axon["requests.repeat_posts"]  # federal cases' second posts
    assert axon["footage.delivered_bytes_axon"] > 0 and axon["footage.delivered_bytes_flock"] == 0
    assert flock["footage.delivered_bytes_flock"] > 0 and flock["footage.delivered_bytes_axon"] == 0
    assert none["incidents.reported"] == axon["incidents.reported"] > 0
    zero = [n for n, v in none.items() if n != "incidents.reported" and v != 0]
    assert zero == []
    assert out.events - idle_events() <= 7 + 1  # one process ticking once a day, nothing else


def test_expiry_drops_late_submissions() -> None:
    long, _ = run_requests({"behavior.requests.expiry_days": 30.0})
    short, _ = run_requests({"behavior.requests.expiry_days": 0.1})  # 2.4 h against a 10 h mean delay
    assert long["optin.expired_submissions"] == 0
    assert short["optin.expired_submissions"] > short["optin.submitting_households"] > 0
    decided = long["optin.submitting_households"]
    assert short["optin.submitting_households"] + short["optin.expired_submissions"] == decided
    assert short["footage.submissions"] < long["footage.submissions"]


def test_repeat_posts_follow_share_and_cap() -> None:
    base = {"behavior.requests.lag_hours_mean": 0.0, "behavior.requests.case_number_share": 1.0,
            "behavior.incidents.per_agency_per_day": {"local_police": 0.5, "sheriff": 0.5}}
    one, _ = run_requests({**base, "behavior.requests.second_post_share": 1.0, "policy.posts_per_case": 1})
    three, _ = run_requests({**base, "behavior.requests.second_post_share": 1.0, "policy.posts_per_case": 3})
    assert one["requests.repeat_posts"] == 0
    assert three["requests.repeat_posts"] == 2 * one["requests.posted"] > 0
    assert three["requests.posted"] == 3 * one["requests.posted"]


def test_area_cap_shrinks_requests() -> None:
    wide, _ = run_requests()
    capped, _ = run_requests({"policy.request_area_cap_sq_mi": 0.025})
    assert capped["requests.posted"] == wide["requests.posted"]
    assert capped["requests.notified_per_request"] < 0.6 * wide["requests.notified_per_request"]


def test_retention_cap_removes_eligibility_for_old_windows() -> None:
    slow = {"behavior.requests.lag_hours_mean": 72.0}
    kept, _ = run_requests(slow)
    capped, _ = run_requests({**slow, "policy.ring_retention_days_max": 1})
    assert capped["requests.households_notified"] == kept["requests.households_notified"]
    assert capped["requests.households_eligible"] < 0.6 * kept["requests.households_eligible"]


def test_warmup_is_not_recorded() -> None:
    tot, out = run_requests({"run.warmup_days": 3, "run.days": 4})
    assert {day for day, _, _ in out.metrics if day is not None} == {0, 1, 2, 3}
    assert tot["packaging.jobs"] == tot["footage.submissions"] > 0
    assert tot["requests.per_agency_year"] == pytest.approx(tot["requests.posted"] * 365 / (4 * 208))


def test_no_event_per_household() -> None:
    tot, out = run_requests({"behavior.optin.base_rate": 0.5})
    posts = tot["requests.posted"] + 2 * (tot["requests.refused"] + tot["requests.refused_routing"])  # 2 posts per case
    bound = idle_events() + 1 + 7 + posts + 3 * tot["footage.submissions"]
    assert out.events <= bound < tot["requests.households_notified"] + posts


def test_packaging_calibrated_service_time_is_used() -> None:
    slow, _ = run_requests({"behavior.optin.base_rate": 0.5, "platform.packaging.workers": 1,
                            "platform.packaging.service_time": {"dist": "fixed", "mean_s": 600.0}})
    assert slow["packaging.utilization"] == pytest.approx(slow["packaging.jobs"] * 600 / (7 * 86_400), rel=0.02)
    assert slow["footage.delivery_latency_mean_s"] >= 600
    assert slow["packaging.wait_p95_s"] > slow["packaging.wait_mean_s"] > 0


def test_deciding_a_day_ahead_gives_the_run_deciding_at_each_post(monkeypatch: pytest.MonkeyPatch) -> None:
    """A day's posts are decided at the day's start (a speed trick, `RequestsModel._decide_until`). With the
    day-start batches switched off, every post is decided at its own event (the fallback: the posts due by then,
    in practice itself alone), as before the trick: the two runs must be the same, metric for metric, with
    warm-up and posts running past midnight into the next day's (second posts follow a day later)."""
    values = {"run.warmup_days": 2, "run.days": 5, "platform.routing": "flock", "policy.case_number_required": False,
              "behavior.requests.second_post_share": 0.6, "policy.posts_per_case": 3}
    ahead = run_requests(values)[1]
    decide_until = RequestsModel._decide_until
    calls: list[bool] = []

    def at_posts_only(self: RequestsModel, limit: float, inclusive: bool) -> None:
        calls.append(inclusive)
        if inclusive:
            decide_until(self, limit, inclusive)

    monkeypatch.setattr(RequestsModel, "_decide_until", at_posts_only)
    at_post = run_requests(values)[1]
    assert sum(calls) > 50  # posts decided at their events
    assert ahead.metrics == at_post.metrics and ahead.events == at_post.events
    assert all(ahead.by_agency[k].tobytes() == at_post.by_agency[k].tobytes() for k in ahead.by_agency)
