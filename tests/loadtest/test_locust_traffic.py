"""Traffic plans: rates derived from a scenario, scaled; pacing that delivers them; the plan file round trip."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from loadtest.plan import Wait, closed_plan, from_dict, profile_multiplier, rate_plan, read_plan
from loadtest.traffic import (
    WEEKDAYS,
    action_profile,
    camera_pacing,
    platform_rates,
    posts_per_case,
    proxy_shares,
    scenario_plan,
)
from sim.config import Scenario, load_scenario
from sim.model.context import WEEKDAYS as MODEL_WEEKDAYS
from tests.conftest import SCENARIOS


@pytest.fixture(scope="module")
def baseline() -> Scenario:
    return load_scenario(SCENARIOS / "baseline.yaml")


def test_reads_per_second_follow_cameras_and_reads_per_day(baseline: Scenario) -> None:
    rates = platform_rates(baseline)
    expected = baseline.world.alpr.total * baseline.behavior.alpr.reads_per_camera_day / 86_400
    assert rates["reads"] == pytest.approx(expected)
    assert rates["read_alerts"] == pytest.approx(expected * baseline.behavior.alpr.hotlist_hit_share)


def test_plan_delivers_the_scaled_read_rate(baseline: Scenario) -> None:
    plan = scenario_plan(baseline, 0.01, 60.0)
    cam = plan.actors["camera"]
    delivered = cam.fixed_count * plan.batch_reads / cam.wait.a
    assert delivered == pytest.approx(platform_rates(baseline)["reads"] * 0.01, rel=1e-9)
    for actor in ("agency", "resident", "portal"):
        a = plan.actors[actor]
        assert a.fixed_count * a.wait.a == pytest.approx(sum(a.actions.values()))


def test_scale_is_linear(baseline: Scenario) -> None:
    a = scenario_plan(baseline, 0.01, 60.0).offered_per_s
    b = scenario_plan(baseline, 0.03, 60.0).offered_per_s
    for key in ("search_plate", "post_request", "submit_clips", "reads"):
        assert b[key] == pytest.approx(3 * a[key])


def test_routing_decides_who_posts_requests(baseline: Scenario) -> None:
    axon = platform_rates(baseline)["post_request"]
    flock = platform_rates(baseline.model_copy(update={"platform": baseline.platform.model_copy(update={"routing": "flock"})}))
    none = baseline.model_copy(update={"platform": baseline.platform.model_copy(update={"routing": "none"})})
    assert flock["post_request"] > axon > 0  # federal units post only outside Axon's route
    assert platform_rates(none)["post_request"] == 0
    assert "resident" not in scenario_plan(none, 0.01, 60.0).actors


def test_rare_actions_are_flagged(baseline: Scenario) -> None:
    notes = scenario_plan(baseline, 0.01, 20.0).notes
    assert any(n.startswith("post_request:") for n in notes)
    assert not any(n.startswith("post_reads:") for n in notes)


def test_camera_pacing_small_rates_slow_the_pace() -> None:
    users, batch, interval = camera_pacing(0.5, tokens=10)
    assert (users, batch) == (1, 1) and interval == pytest.approx(2.0)
    users, batch, interval = camera_pacing(30_000, tokens=10)
    assert users == 10 and users * batch / interval == pytest.approx(30_000)


def test_profile_multiplier_has_mean_one(baseline: Scenario) -> None:
    prof = baseline.behavior.alpr.hourly_profile
    assert sum(profile_multiplier(prof, h) for h in range(24)) / 24 == pytest.approx(1.0)
    assert profile_multiplier(None, 5) == 1.0


def test_plan_file_round_trip(tmp_path: Path, baseline: Scenario) -> None:
    for plan in (closed_plan(0.5), rate_plan({"agency": (4, 40.0), "portal": (1, 90.0)}), scenario_plan(baseline, 0.02, 30.0)):
        again = read_plan(plan.write(tmp_path / "plan.json"))
        assert again == plan
    with pytest.raises(ValueError, match="unknown actors"):
        from_dict({"mode": "closed", "actors": {"robot": {"wait": {"kind": "between", "a": 0}, "actions": {}}}})
    old = json.loads(closed_plan().to_json())
    del old["behavior"]["lookup_share"], old["behavior"]["unit_reasons"]  # a plan of an older fedsim
    with pytest.raises(ValueError, match=r"behavior lacks \['lookup_share', 'unit_reasons'\]"):
        from_dict(old)


def test_rate_plan_holds_each_class_at_its_rate_split_over_its_users() -> None:
    plan = rate_plan({"agency": (4, 40.0), "portal": (1, 90.0), "camera": (0, 5.0)})
    assert plan.mode == "rate" and plan.users() == 5
    assert plan.actors["agency"].fixed_count == 4 and plan.actors["agency"].wait == Wait("throughput", 10.0)
    assert plan.actors["portal"].wait == Wait("throughput", 90.0)
    assert plan.actors["camera"].fixed_count == plan.actors["camera"].weight == 0  # no users: takes no part
    assert plan.actors["resident"].weight == 0
    assert plan.offered_per_s == {"agency": 40.0, "portal": 90.0}
    with pytest.raises(ValueError, match="unknown actors"):
        rate_plan({"robot": (1, 1.0)})
    with pytest.raises(ValueError, match="no class"):
        rate_plan({"agency": (0, 1.0)})


def test_officers_are_planned_per_agency_type(baseline: Scenario) -> None:
    """Each agency type's actions at the model's rates: a federal unit posts no request on Axon's route, searches at
    its units' own rates, and by full plate as often as it runs national lookups (0.8 > the lookup share 0.757:
    a national lookup is by plate); the officers' type shares are the types' shares of the class's rate. Under
    `routing: flock` the model's federal units post; a service seeded from an Axon world refuses them: left out,
    with a note."""
    plan = scenario_plan(baseline, 0.01, 60.0)
    a = plan.actors["agency"]
    assert a.types is not None and a.type_shares is not None
    for action, rate in a.actions.items():
        assert sum(m.get(action, 0.0) for m in a.types.values()) == pytest.approx(rate)
    assert sum(a.type_shares.values()) == pytest.approx(1.0)
    for t, mix in a.types.items():
        assert a.type_shares[t] == pytest.approx(sum(mix.values()) / sum(a.actions.values()))
    fed, s = a.types["federal"], baseline.behavior.searches
    assert "post_request" not in fed and "check_packages" not in fed
    # a federal unit owns no network and grants nobody (sim.world.sharing): no sharing changes, in any plan
    assert "change_sharing" not in fed and "change_sharing" in a.types["sheriff"]
    assert "change_sharing" not in closed_plan().actors["agency"].types["federal"]
    units = sum(s.federal_units[u].per_30d for u in baseline.world.agencies.federal_units)
    assert fed["search_plate"] + fed["search_vehicle"] == pytest.approx(units / (30 * 86_400) * 0.01)
    assert fed["search_plate"] / (fed["search_plate"] + fed["search_vehicle"]) == pytest.approx(0.8)
    local = a.types["local_police"]  # its own searches at the lookup share, and its proxy lookups by plate
    own, proxy = s.mean_30d("local_police"), s.proxy_mean_30d()
    plate = (own * s.lookup_share + proxy) / (own + proxy)
    assert local["search_plate"] / (local["search_plate"] + local["search_vehicle"]) == pytest.approx(plate)
    assert plate > s.lookup_share
    flock = baseline.model_copy(update={"platform": baseline.platform.model_copy(update={"routing": "flock"})})
    fplan = scenario_plan(flock, 0.01, 60.0)  # a service seeded with the same routing takes federal posts
    assert fplan.actors["agency"].types["federal"]["post_request"] > 0
    assert fplan.offered_per_s["post_request"] > plan.offered_per_s["post_request"]
    seeded_axon = scenario_plan(flock, 0.01, 60.0, routing="axon")  # one seeded from an Axon world refuses them
    assert "post_request" not in seeded_axon.actors["agency"].types["federal"]
    assert seeded_axon.offered_per_s["post_request"] == pytest.approx(plan.offered_per_s["post_request"])
    assert any(n.startswith("requests of federal") and "routing axon" in n for n in seeded_axon.notes)


def test_officers_follow_their_actions_hourly_profiles(baseline: Scenario) -> None:
    """97% of the officers' planned actions are alert reads, which come with plate reads (alpr.hourly_profile), and
    searches follow searches.hourly_profile; the class followed the incidents' profile, so at 07:00 it sent 0.74 of
    its mean rate where the model's alerts run at 1.70 of theirs. The class profile is now its actions' profiles
    weighted by their rates: at every hour the class's rate is the sum of its actions' rates at that hour."""
    plan = scenario_plan(baseline, 0.01, 60.0)
    a = plan.actors["agency"]
    b = baseline.behavior
    total = sum(a.actions.values())
    mult = {h: profile_multiplier(a.profile, h) for h in range(24)}
    for h in (3, 7, 12, 18):
        expected = sum(rate / total * profile_multiplier(action_profile(baseline, name), h) for name, rate in a.actions.items())
        assert mult[h] == pytest.approx(expected)
    assert a.actions["read_alerts"] / total > 0.9
    assert abs(mult[7] - profile_multiplier(b.alpr.hourly_profile, 7)) < 0.1  # dominated by the alerts
    assert abs(mult[7] - profile_multiplier(b.incidents.hourly_profile, 7)) > 0.5
    assert action_profile(baseline, "search_plate") == b.searches.hourly_profile


def test_posts_per_case_follow_the_models_chain(baseline: Scenario) -> None:
    """The model posts a case again with chance second_post_share after each post, up to policy.posts_per_case
    (sim.model.requests_incidents); the rate took 1 + second_post_share whatever the cap: with share 0.5 and
    3 posts a case, 1.5 posts per case instead of 1.75. Equal at the baseline's cap of 2."""
    base = platform_rates(baseline)["post_request"]
    assert posts_per_case(baseline) == pytest.approx(1 + baseline.behavior.requests.second_post_share)
    changed = load_scenario(SCENARIOS / "baseline.yaml", ["policy.posts_per_case=3", "behavior.requests.second_post_share=0.5"])
    assert posts_per_case(changed) == pytest.approx(1.75)
    assert platform_rates(changed)["post_request"] == pytest.approx(base / posts_per_case(baseline) * 1.75)


def test_a_weekday_plays_that_days_searches_and_requests(baseline: Scenario) -> None:
    """--weekday wed: the baseline's searches at Wednesday's weight of behavior.searches.weekly_profile (1.475 at
    mean 1: the week's busiest) and requests at that of behavior.incidents.weekly_profile (1 of mean 7.3/7); reads
    have no weekly profile and stay; over the seven days the rates average to the plan of an average day."""
    avg = platform_rates(baseline)
    wed = platform_rates(baseline, "wed")
    searches, incidents = baseline.behavior.searches.weekly_profile, baseline.behavior.incidents.weekly_profile
    on_searches, on_incidents = searches[2] / (sum(searches) / 7), incidents[2] / (sum(incidents) / 7)
    assert on_searches == pytest.approx(1.475, abs=0.001)
    for action in ("search_plate", "search_vehicle"):
        assert wed[action] == pytest.approx(avg[action] * on_searches)
    for action in ("post_request", "submit_clips", "read_feed"):
        assert wed[action] == pytest.approx(avg[action] * on_incidents)
    for action in ("reads", "read_alerts", "upload_hotlist", "view_transparency"):
        assert wed[action] == avg[action]
    assert WEEKDAYS is MODEL_WEEKDAYS  # --weekday names the model's days, one definition (was a copy)
    week = [platform_rates(baseline, d) for d in WEEKDAYS]
    for action in ("search_plate", "post_request"):
        assert sum(w[action] for w in week) / 7 == pytest.approx(avg[action])
    plan = scenario_plan(baseline, 0.01, 60.0, weekday="wed")
    assert plan.offered_per_s["search_plate"] == pytest.approx(avg["search_plate"] * 0.01 * on_searches)
    assert any(n.startswith("a wed: searches x 1.48") for n in plan.notes)
    with pytest.raises(ValueError, match="weekday 'wednesday'"):
        platform_rates(baseline, "wednesday")


def test_proxy_lookups_are_planned_only_for_agencies_free_to_proxy(baseline: Scenario) -> None:
    """Only agencies whose token allows proxying (`PolicyEffects.proxy_refused`) send proxy lookups, so the plan
    counts them for those alone: a type's planned searches are n x (own + allowed share x proxy_mean_30d), and an
    officer of an allowed agency proxies with the type's proxy share over the allowed share, so that the type's
    proxy lookups sent equal the planned n x allowed x proxy_mean_30d. Before, every non-federal agency's proxies
    were planned, and the refusing ones sent them as their own searches."""
    allowed = proxy_shares({"0": {"type": "local", "proxy_lookups": True}, "1": {"type": "local"},
                            "2": {"type": "local", "proxy_lookups": False}, "3": {"type": "local", "proxy_lookups": True},
                            "4": {"type": "sheriff", "proxy_lookups": True}, "5": {"type": "federal"}})
    assert allowed == {"local_police": 0.5, "sheriff": 1.0, "federal": 0.0}
    scale, n, s = 0.01, baseline.world.agencies.local_police, baseline.behavior.searches
    plan = scenario_plan(baseline, scale, 60.0, proxy_allowed=allowed)
    local = plan.actors["agency"].types["local_police"]
    searches = local["search_plate"] + local["search_vehicle"]
    own, proxy = s.mean_30d("local_police"), s.proxy_mean_30d()
    assert searches == pytest.approx(scale * n * (own + 0.5 * proxy) / (30 * 86_400))
    sent = local["search_plate"] * 0.5 * plan.behavior.proxy_given_allowed("local_police")  # half the officers proxy
    assert sent == pytest.approx(scale * n * 0.5 * proxy / (30 * 86_400))
    every = scenario_plan(baseline, scale, 60.0).actors["agency"].types["local_police"]  # no tokens file: all may
    assert every["search_plate"] + every["search_vehicle"] == pytest.approx(scale * n * (own + proxy) / (30 * 86_400))
    assert from_dict(json.loads(plan.to_json())).behavior.proxy_allowed == allowed  # travels in traffic.json
