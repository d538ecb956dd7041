"""The bodies the simulated users send are valid under the service's own API models (its contract), and
every scenario value they carry comes from the plan's behaviour (the scenario), not from the load generator."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from datetime import datetime

import numpy as np
import pytest

from loadtest import payloads
from loadtest.plan import UserBehavior, user_behavior
from loadtest.service.limits import CONFIDENCE_MIN_RESULT
from loadtest.service.models.alpr import HotlistIn, ReadBatch, SearchIn
from loadtest.service.models.requests import RequestIn, SubmissionIn
from loadtest.service.vehicles import PLATE_POOL, plate_pool
from sim.config import load_scenario
from sim.config.base import AGENCY_TYPES
from sim.config.behavior_alpr import OFFENSE_TYPES, OTHER_REASON, SEARCH_TOOL_SCOPES
from tests.conftest import SCENARIOS


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(7)


@pytest.fixture
def behavior() -> UserBehavior:
    return user_behavior()


def test_plates_are_valid_and_repeat(rng: np.random.Generator) -> None:
    plates = [payloads.plate(rng) for _ in range(5000)]
    assert all(re.fullmatch(r"[A-Z0-9]{1,8}", p) for p in plates)
    assert len(set(plates)) < len(plates)  # a finite pool, so searches find earlier reads


def test_reads_search_hotlist_bodies_validate(rng: np.random.Generator, behavior: UserBehavior) -> None:
    batch = ReadBatch.model_validate(payloads.reads(rng, 50, "NC", behavior.misread_share))
    assert len(batch.reads) == 50
    for by_plate in (True, False):
        for kind in AGENCY_TYPES:
            for _ in range(50):
                body = payloads.search(rng, by_plate, behavior, kind, "CASE-1")
                SearchIn.model_validate(body)  # a description search at a Lookup-tool scope would be a 422
                assert by_plate or body["scope"] in SEARCH_TOOL_SCOPES  # the Search tool's reach
    HotlistIn.model_validate(payloads.hotlist(rng, "list 1", "NC", behavior))


def test_request_and_submission_bodies_validate(rng: np.random.Generator, behavior: UserBehavior) -> None:
    for _ in range(50):
        body = payloads.request(rng, "LT-1", 35.78, -78.64, behavior)
        req = RequestIn.model_validate(body)
        assert 0.025 <= req.area_sq_mi <= 0.5
        window = (body["window_start"], body["window_end"])
        sub = SubmissionIn.model_validate(payloads.submission(rng, "17", 64, window, behavior, clips=2))
        for clip in sub.clips:  # clips lie inside the request's window, as the service requires
            assert req.window_start <= clip.start < clip.end <= req.window_end


def test_the_behaviour_is_read_from_the_scenario() -> None:
    scenario = load_scenario(SCENARIOS / "baseline.yaml", ["policy.case_number_required=false"])
    b, searches = user_behavior(scenario), scenario.behavior.searches
    assert b.case_number_share == searches.case_number_share and b.search_reasons == searches.reasons
    assert b.audited_reasons == searches.reasons  # free text: the reasons themselves
    assert b.scope_mix == searches.scope_mix and b.lookback_days == {str(k): v for k, v in searches.lookback_days.items()}
    assert b.extra_clips_mean == scenario.behavior.clips.extra_clips_mean
    r = scenario.behavior.requests
    assert b.request_window_s == (r.window_hours_min * 3600, r.window_hours_max * 3600)
    required = load_scenario(SCENARIOS / "baseline.yaml", ["policy.case_number_required=true"])
    assert user_behavior(required).case_number_share == 1.0


def test_search_bodies_follow_the_behaviour(rng: np.random.Generator, behavior: UserBehavior) -> None:
    """Case-number share, reasons, scope by agency type and kind of search, and look-back are the behaviour's, not
    constants. Plate searches take the statewide and national lookups (the model's: Flock's Lookup tool, by full
    plate; the Search tool reaches only networks shared 1:1): with lookup share 0.9 and shares 0.1 shared, 0.1
    statewide, 0.8 national, a plate search is national with 0.8 / 0.9 and never shared, a description search is
    shared (before, every search drew national with 0.8 and a description one then went statewide; until the
    Search tool's reach, a description search could run statewide)."""
    b = replace(behavior, case_number_share=0.25, audited_reasons={"immigration": 1.0}, lookback_days={"7": 1.0},
                scope_mix={"federal": {"shared": 0.1, "statewide": 0.1, "national": 0.8}}, lookup_share=0.9,
                unit_audited_reasons={"ATF": {"firearms": 1.0}})
    bodies = [payloads.search(rng, True, b, "federal", "C-1") for _ in range(2000)]
    share = sum("case_number" in x for x in bodies) / len(bodies)
    assert 0.22 < share < 0.28
    assert {x["reason"] for x in bodies} == {"immigration"}
    scopes = Counter(x["scope"] for x in bodies)
    assert scopes["local"] == scopes["shared"] == 0 and abs(scopes["national"] / len(bodies) - 0.8 / 0.9) < 0.03
    described = Counter(payloads.search(rng, False, b, "federal", "C-1")["scope"] for _ in range(200))
    assert described == {"shared": 200}
    days = {round((datetime.now().astimezone() - datetime.fromisoformat(x["since"])).total_seconds() / 86_400) for x in bodies}
    assert days == {7}
    assert {payloads.search(rng, True, b, "sheriff", "C")["scope"] for _ in range(50)} == {"local"}  # type not listed
    # a named federal unit searches for its own reasons; an agency barred from national lookup searches statewide
    assert {payloads.search(rng, True, b, "federal", "C", "ATF")["reason"] for _ in range(50)} == {"firearms"}
    barred = {payloads.search(rng, True, b, "federal", "C", may_run_national_lookup=False)["scope"] for _ in range(200)}
    assert barred == {"statewide"}


def test_clips_follow_the_scenario(rng: np.random.Generator, behavior: UserBehavior) -> None:
    many = replace(behavior, extra_clips_mean=3.0, clip_length_s=(5.0, 8.0))
    counts = [payloads.clip_count(rng, many, 10) for _ in range(4000)]
    assert 3.8 < np.mean(counts) < 4.2 and max(counts) <= 10
    body = payloads.submission(rng, "1", 16, ("2026-01-01T00:00:00Z", "2026-01-01T06:00:00Z"), many, clips=200)
    lengths = [(datetime.fromisoformat(c["end"]) - datetime.fromisoformat(c["start"])).total_seconds() for c in body["clips"]]
    assert max(lengths) <= 8.0 and np.mean(lengths) < 5.0  # min(Exp(5), 8)


def test_under_offense_types_searches_carry_the_reason_the_model_audits() -> None:
    """flock-2026 (``policy.reason_mode: offense_type``): a reason that is no offense type goes as ``other``, with
    the shares the model's audited reasons have; the users follow the seeded world's rules, not their scenario's."""
    scenario = load_scenario(SCENARIOS / "flock-2026.yaml")
    reasons = scenario.behavior.searches.reasons
    b = user_behavior(scenario)
    assert set(b.audited_reasons) <= OFFENSE_TYPES and b.search_reasons == reasons
    hidden = sum(w for r, w in reasons.items() if r not in OFFENSE_TYPES)
    assert hidden > 0 and b.audited_reasons[OTHER_REASON] == pytest.approx(hidden)
    assert sum(b.audited_reasons.values()) == pytest.approx(sum(reasons.values()))
    free = load_scenario(SCENARIOS / "small.yaml")
    assert user_behavior(free, scenario.policy).audited_reasons == b.audited_reasons
    assert user_behavior(scenario, free.policy).audited_reasons == reasons


def test_hotlists_keep_the_share_of_reads_on_a_hotlist_at_the_scenarios(rng: np.random.Generator, behavior: UserBehavior) -> None:
    """Cameras read the pool's plates alike, so the share of reads on a hotlist is the share of the pool the
    hotlists hold. Drawn from the whole pool, every hotlist added about 20 plates (0.1% of reads): 16 hotlists of a
    60 s closed run of small.yaml gave 0.51% of reads a hotlist hit in its last 20 s, rising; the model's is
    behavior.alpr.hotlist_hit_share (0.18%). Now hotlists draw from the pool's first hotlist_hit_share x 20,000
    plates, distinct within a list, so however many are uploaded the share stays at most the scenario's."""
    lists = [payloads.hotlist(rng, f"l{i}", "NC", behavior) for i in range(300)]
    for body in lists:
        HotlistIn.model_validate(body)
        assert len({p["plate"] for p in body["plates"]}) == len(body["plates"])
    hot = {p["plate"] for body in lists for p in body["plates"]}
    assert len(hot) == payloads.hot_plates(behavior) == round(behavior.hotlist_hit_share * PLATE_POOL)
    reads = payloads.reads(rng, 200_000, "NC", behavior.misread_share)["reads"]
    share = sum(r["plate"] in hot for r in reads) / len(reads)
    expected = behavior.hotlist_hit_share
    assert abs(share - expected) <= 4 * (expected / len(reads)) ** 0.5
    few = replace(behavior, hotlist_hit_share=1e-6)  # at least one plate, and a list no longer than the hot plates
    assert [p["plate"] for p in payloads.hotlist(rng, "x", "NC", few)["plates"]] == [plate_pool()[0]]


@pytest.mark.parametrize("share", [0.03, 0.1, 0.0])
def test_reads_below_the_results_threshold_are_the_scenarios_misreads(rng: np.random.Generator, share: float) -> None:
    """The service shows a read in search results only at >= 0.75 confidence (Orange PD); the share of reads the
    generator sends below it is the scenario's behavior.alpr.misread_share (0.03 at the baseline; 37.5% before,
    uniform 0.6-1.0), within 4 standard deviations of Binomial(n, share); the rest reach the results."""
    n = 100_000
    conf = np.array([r["confidence"] for r in payloads.reads(rng, n, "NC", share)["reads"]])
    low = int((conf < CONFIDENCE_MIN_RESULT).sum())
    assert abs(low - share * n) <= 4 * (share * (1 - share) * n) ** 0.5
    assert conf.min() >= 0.6 and conf.max() <= 1.0
    assert np.all(np.round(conf, 3) == conf)  # 3 decimals, none rounded across the threshold


def test_the_plans_behaviour_carries_the_scenarios_misread_share() -> None:
    scenario = load_scenario(SCENARIOS / "small.yaml")
    varied = scenario.model_copy(deep=True)
    varied.behavior.alpr.misread_share = 0.08
    assert user_behavior(scenario).misread_share == scenario.behavior.alpr.misread_share
    assert user_behavior(varied).misread_share == 0.08


def test_description_searches_take_the_custom_range_plate_searches_the_presets(rng: np.random.Generator,
                                                                             behavior: UserBehavior) -> None:
    """A plate search (the Lookup tool) looks back a preset window; a description search (the Search tool) the
    custom range `lookback_beyond_days` with probability `lookback_beyond_share`, as the model's searches that are
    not lookups, whatever the retention (no longer cut to `retention_days_max`)."""
    b = replace(behavior, lookback_days={"30": 1.0}, lookback_beyond_share=0.4, lookback_beyond_days=120,
                retention_days_max=7)

    def days(by_plate: bool) -> list[int]:
        out = []
        for _ in range(1000):
            since = datetime.fromisoformat(payloads.search(rng, by_plate, b, "sheriff", "C")["since"])
            out.append(round((datetime.now(since.tzinfo) - since).total_seconds() / 86_400))
        return out

    assert set(days(True)) == {30}
    described = days(False)
    assert set(described) == {30, 120} and abs(described.count(120) / 1000 - 0.4) < 0.05
    scenario = load_scenario(SCENARIOS / "baseline.yaml")
    s = scenario.behavior.searches
    got = user_behavior(scenario)
    assert (got.lookback_beyond_share, got.lookback_beyond_days) == (s.lookback_beyond_share, s.lookback_beyond_days)
