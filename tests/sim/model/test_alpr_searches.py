"""Search draws: rates, attribute mixes, search types, proxies and the rules that stop them."""

from __future__ import annotations

import numpy as np

from sim.calibration.observed import observed
from sim.config import load_scenario, with_overrides
from sim.config.behavior_alpr import SEARCH_SCOPES, SEARCH_TYPES
from sim.config.policy import Policy
from sim.model.alpr_search_stats import SearchStats
from sim.model.alpr_searches import LOOKUP, NATIONAL, STATEWIDE, Bins, SearchGenerator
from sim.model.policy_effects import policy_effects
from sim.rng import Streams
from sim.world.build import build_world_cached
from sim.world.types import AGENCY_TYPES, FEDERAL
from tests.conftest import SCENARIOS


def gen(values: dict | None = None) -> tuple[SearchGenerator, object]:
    sc = with_overrides(load_scenario(SCENARIOS / "small.yaml"),
                        {"world.states": ["NC", "CA"], "world.agencies.local_police": 200} | (values or {}), "test")
    world = build_world_cached(sc)
    fx = policy_effects(world, sc.policy)
    return SearchGenerator(world, sc.behavior.searches, fx, Streams(np.random.SeedSequence(5))), world


def test_rates_mixes_and_search_types() -> None:
    g, world = gen()
    days = [g.day(d) for d in range(21)]  # three whole weeks: the weekly profile moves searches between days only
    n = sum(len(d) for d in days)
    run = g.proxy_rate_drawn[g.proxy_eligible].sum()  # the proxy lookups of agencies that refuse are dropped
    assert abs(n / 21 - (g.rate_per_day.sum() + run)) < 4 * np.sqrt(n) / 21
    b = days[0]
    assert np.all(np.diff(b.t) >= 0) and b.t.min() >= 0 and b.t.max() < 86_400
    own = ~np.concatenate([d.proxy for d in days])
    stype = np.concatenate([d.type for d in days])[own]
    scope = np.concatenate([d.scope for d in days])[own]
    kind = world.agencies.kind[np.concatenate([d.searcher for d in days])[own]]
    cfg = load_scenario(SCENARIOS / "small.yaml").behavior.searches
    mix = np.array([cfg.type_mix[t] for t in SEARCH_TYPES])
    shares = np.bincount(stype, minlength=len(SEARCH_TYPES)) / len(stype)
    assert np.abs(shares - mix / mix.sum()).max() < 0.02  # the overall mix, national lookups included
    assert (stype[scope == NATIONAL] == LOOKUP).all()  # national lookup needs a full plate
    assert (stype[scope != NATIONAL] != LOOKUP).any()
    local = kind == 0
    expected = np.array([cfg.scope_mix["local_police"][s] for s in SEARCH_SCOPES])
    got = np.bincount(scope[local], minlength=len(SEARCH_SCOPES)) / local.sum()
    assert np.abs(got - expected).max() < 0.02
    scope = np.concatenate([d.scope for d in days])
    window = np.concatenate([d.window for d in days])
    assert set(np.unique(window).tolist()) <= {1, 7, 14, 30, cfg.lookback_beyond_days}
    assert np.concatenate([d.case for d in days]).all()  # policy.case_number_required
    federal = world.agencies.kind[np.concatenate([d.searcher for d in days])] == FEDERAL
    assert not (scope[federal] == 0).any()  # federal units never search "local"


def test_a_share_of_agencies_runs_no_searches() -> None:
    g, world = gen({"behavior.searches.per_agency_zero_share": 0.3})
    zero = g.rate_per_day == 0
    assert abs(zero.mean() - 0.3) < 0.06
    base, _ = gen()
    assert np.array_equal(g.rate_per_day[~zero], base.rate_per_day[~zero])  # the others keep their rates


def test_zero_share_and_spread_are_per_agency_type() -> None:
    """A type's zero share and log-sd act on that type only: the others keep their rates draw for draw."""
    base, world = gen()
    g, _ = gen({"behavior.searches.per_agency_zero_share": {"local_police": 0.5},
                "behavior.searches.per_agency_sigma": {"local_police": 2.0}})
    kind = world.agencies.kind[:world.agencies.n_searchers]
    local = kind == AGENCY_TYPES.index("local_police")
    assert abs((g.rate_per_day[local] == 0).mean() - 0.5) < 0.08
    assert np.array_equal(g.rate_per_day[~local], base.rate_per_day[~local])
    on = local & (g.rate_per_day > 0) & (base.rate_per_day > 0)
    # same normal draw z per agency: log(rate / median) = sigma * z, so the log-ratio is the ratio of the sigmas
    cfg = load_scenario(SCENARIOS / "small.yaml").behavior.searches
    median, sigma = cfg.per_agency_30d_median["local_police"], cfg.per_agency_sigma["local_police"]
    assert np.allclose(np.log(g.rate_per_day[on] * 30 / median) / np.log(base.rate_per_day[on] * 30 / median),
                       2.0 / sigma)


def test_proxies_are_few_heavy_tailed_immigration_lookups_and_respect_laws_and_firewall() -> None:
    g, world = gen({"behavior.searches.proxy_agency_share": 0.3})
    a = world.agencies
    ns = a.n_searchers  # the generator's rows: agencies (private owners, after them, never search)
    assert ns < len(a) and len(g.proxy_eligible) == ns
    local = a.kind[:ns] != FEDERAL
    compliant = policy_effects(world, Policy()).law_compliant[:ns]  # the scenario's compliance share is the default
    ca = a.state[:ns] == a.state[list(a.name).index("CA PD 0001")]
    # California's platform rule closes its owners to federal searchers, not its officers to proxying: only SB 34,
    # where an agency complies, stops them (the platform cannot tell a proxy lookup from the officer's own)
    assert np.array_equal(g.proxy_eligible[ca], ~compliant[ca] & local[ca]) and g.proxy_eligible[ca].any()
    assert g.proxy_eligible[~ca & compliant & local].all()
    agent = g.proxy_rate_drawn > 0
    assert not agent[~local].any() and abs(agent[g.proxy_eligible].mean() - 0.3) < 0.1
    assert (agent & ~g.proxy_eligible).any()  # agents that refuse are drawn too (common random numbers) ...
    ran = np.concatenate([d.searcher[d.proxy] for d in (g.day(d) for d in range(10))])
    assert len(ran) and g.proxy_eligible[ran].all()  # ... and their lookups dropped
    drawn = g.proxy_rate_drawn[g.proxy_rate_drawn > 0]  # every agent's rate, refusing ones included
    assert drawn.max() > 5 * np.median(drawn)  # a heavy-tailed few (log-sd 1.5)
    state = a.state[:ns]
    for st in np.unique(state[local]):  # each state has its share of agents, rounded down or up
        n_s = int((local & (state == st)).sum())
        assert int((g.proxy_rate_drawn[state == st] > 0).sum()) in (int(np.floor(0.3 * n_s)), int(np.ceil(0.3 * n_s)))
    b = g.day(0)
    assert (b.reason[b.proxy] == g.proxy_reason).all()
    # a national lookup, run statewide by an agency whose state's rule bars national lookup (California's)
    barred = g.no_national[b.searcher[b.proxy]]
    assert barred.any() and np.array_equal(b.scope[b.proxy], np.where(barred, STATEWIDE, NATIONAL))
    fw, _ = gen({"policy.federal_firewall": True, "behavior.searches.proxy_agency_share": 0.3})
    assert np.array_equal(fw.proxy_eligible, ~compliant & local)
    g, _ = gen({"behavior.searches.proxy_agency_share": 0.3})  # from day one, as fw
    n_g = n_fw = 0
    for d in range(10):  # the firewall drops the refusing agencies' lookups and leaves the others' identical
        day_g, day_fw = g.day(d), fw.day(d)
        kept = fw.proxy_eligible[day_g.searcher[day_g.proxy]]
        assert np.array_equal(day_fw.searcher[day_fw.proxy], day_g.searcher[day_g.proxy][kept])
        assert np.array_equal(day_fw.t[day_fw.proxy], day_g.t[day_g.proxy][kept])
        n_g, n_fw = n_g + int(day_g.proxy.sum()), n_fw + int(day_fw.proxy.sum())
    assert 0 < n_fw < n_g  # only the agencies that comply with it stop (one heavy-tailed agent may run most)
    assert np.array_equal(fw.rate_per_day, g.rate_per_day)
    no_rule, _ = gen({"policy.state_rules": {"CA": {"may_run_national_lookup": True, "out_of_state_sharing": True}}})
    assert np.array_equal(no_rule.proxy_eligible, g.proxy_eligible)  # the platform rule changes no runner
    assert g.proxy_rate_drawn[ca & g.proxy_eligible].sum() > 0  # and California's free agents run lookups


def test_platform_rules_downgrade_moderate_and_map_reasons() -> None:
    g, world = gen({"policy.moderation": {"blocked": ["immigration"], "warned": ["fraud"]}})
    days = [g.day(d) for d in range(10)]
    cat = {f: np.concatenate([getattr(d, f) for d in days]) for f in ("searcher", "scope", "reason", "blocked", "warned",
                                                                      "downgraded", "proxy")}
    a = world.agencies
    ca = a.state[cat["searcher"]] == a.state[list(a.name).index("CA PD 0001")]
    assert not ((cat["scope"] == NATIONAL) & ca & ~cat["proxy"]).any()  # CA: no national lookup (Mar 2025)
    assert cat["downgraded"].any() and ca[cat["downgraded"]].all()
    immigration, fraud = g.reasons.index("immigration"), g.reasons.index("fraud")
    assert np.array_equal(cat["blocked"], cat["reason"] == immigration)
    assert np.array_equal(cat["warned"], cat["reason"] == fraud)
    fed = g.reasons.index("mail_theft")
    usps = list(a.name).index("USPIS")
    assert g.rate_per_day[usps] == 2800 / 30 and (cat["reason"][cat["searcher"] == usps] != immigration).all()
    assert (cat["reason"][a.kind[cat["searcher"]] != FEDERAL] != fed).all()  # mail theft is USPIS's own reason
    assert not np.concatenate([g.unseen(d)[0] for d in days]).any()  # free text: moderation sees every purpose
    offense, _ = gen({"policy.reason_mode": "offense_type", "policy.moderation": {"blocked": ["immigration"]}})
    d = offense.day(0)
    assert not d.blocked.any() and (d.reason[d.proxy] == offense.reasons.index("other")).all()
    # the drop-down hides the purpose: every immigration-purpose search runs, unseen by moderation
    unseen, _ = offense.unseen(d)
    assert unseen.any() and np.array_equal(unseen, d.purpose == offense.reasons.index("immigration"))
    assert d.proxy[unseen].mean() < 1  # not only proxies: the local reason share too


def test_case_numbers_optional_without_the_rule() -> None:
    g, _ = gen({"policy.case_number_required": False})
    case = np.concatenate([g.day(d).case for d in range(5)])
    assert abs(case.mean() - 0.6) < 0.05


def test_proxy_agents_keep_each_state_s_expected_share_even_in_a_small_world() -> None:
    """Stochastic rounding per state: the mean count is share x n exactly, and never 0 once share x n >= 1."""
    from sim.model.alpr_searches import proxy_agents

    state = np.repeat([3, 7], [201, 30])  # a North-Carolina-sized state and a small one
    local = np.ones(len(state), dtype=bool)
    counts = np.array([[int(proxy_agents(state, local, 0.02, np.random.default_rng(i))[state == s].sum()) for s in (3, 7)]
                       for i in range(2000)])
    assert set(counts[:, 0].tolist()) <= {4, 5} and set(counts[:, 1].tolist()) <= {0, 1}
    assert abs(counts[:, 0].mean() - 0.02 * 201) < 0.02 and abs(counts[:, 1].mean() - 0.02 * 30) < 0.05
    bigger = proxy_agents(state, local, 0.1, np.random.default_rng(0))
    assert (bigger >= proxy_agents(state, local, 0.02, np.random.default_rng(0))).all()  # nested as the share grows
    assert not proxy_agents(state, ~local, 0.5, np.random.default_rng(0)).any()  # federal units run none


def test_refusing_agencies_drop_their_proxies_and_leave_the_others_identical() -> None:
    """A state law in one state stops its proxies; every other agency's proxy lookups stay the same, draw for draw."""
    values = {"behavior.searches.proxy_agency_share": 0.3, "policy.state_rules": {}, "policy.state_laws": [],
              "policy.state_law_compliance": 1.0}
    g, world = gen(values)
    law, _ = gen(values | {"policy.state_laws": ["NC"]})
    nc = world.agencies.state == world.agencies.state[list(world.agencies.name).index("NC PD 0001")]
    for d in range(3):
        b, c = g.day(d), law.day(d)
        keep_b, keep_c = b.proxy & ~nc[b.searcher], c.proxy & ~nc[c.searcher]
        assert (b.proxy & nc[b.searcher]).any() and not (c.proxy & nc[c.searcher]).any()
        for f in ("searcher", "t", "window", "case"):
            assert np.array_equal(getattr(b, f)[keep_b], getattr(c, f)[keep_c]), f


def test_each_agency_type_draws_from_its_own_streams() -> None:
    """Tripling the state police's rate leaves every other type's searches identical, attribute by attribute (one
    stream for all types let it move the federal units' counts: Poisson draws use a varying number of uniforms)."""
    fields = ("searcher", "t", "scope", "type", "window", "reason", "case")
    low, world = gen({"behavior.searches.per_agency_30d_median.state_police": 300.0})
    high, _ = gen({"behavior.searches.per_agency_30d_median.state_police": 900.0})
    kind = world.agencies.kind
    state_police = AGENCY_TYPES.index("state_police")
    moved = 0
    for d in range(5):
        a, b = low.day(d), high.day(d)
        for i in range(len(AGENCY_TYPES)):
            in_a, in_b = (kind[a.searcher] == i) & ~a.proxy, (kind[b.searcher] == i) & ~b.proxy
            if i == state_police:
                moved += int(in_b.sum() - in_a.sum())
                continue
            for f in fields:
                assert np.array_equal(getattr(a, f)[in_a], getattr(b, f)[in_b]), (AGENCY_TYPES[i], f)
    assert moved > 0  # the state police did search more


def test_reasons_are_the_count_of_cumulative_shares_passed() -> None:
    """`_reasons` (a binary search per mix) gives each search the reason the pass-per-reason count gives."""
    g, _ = gen()
    rng = np.random.default_rng(11)
    u = np.concatenate([rng.uniform(size=5000), g.reason_cum[:, :-1].ravel()])  # bounds themselves included
    for mix in (np.zeros(len(u), dtype=np.int64), rng.integers(0, len(g.reason_cum), size=len(u))):
        want = np.zeros(len(u), dtype=np.int64)
        for j in range(len(g.reasons) - 1):
            want += u >= g.reason_cum[mix, j]
        got = g._reasons(u, mix)
        assert got.dtype == np.int64 and np.array_equal(got, want)
        every = np.arange(len(g.reason_cum))  # the mixes given (as a type's members' are), some taken by none
        assert np.array_equal(g._reasons(u, mix, every), want)
    federal = AGENCY_TYPES.index("federal")
    assert len(g.type_mixes[federal]) > 1 and all(len(m) == 1 for t, m in enumerate(g.type_mixes) if t != federal)
    assert len(g.reason_cum) > 1  # federal units' own mixes are exercised


def test_bins_count_as_the_binary_search_does() -> None:
    """`Bins.count` gives searchsorted's right position for every draw in [0, 1): random draws, each bound, its
    neighbours, 0 and the largest double below 1 (and values outside [0, 1), binary-searched); with bounds sharing a
    table cell, repeated, or none."""
    rng = np.random.default_rng(8)
    shares = rng.uniform(size=24)
    cases = [np.cumsum(shares / shares.sum()), np.array([0.25, 0.25, 0.25 + 1e-12, 0.5, 1.0]), np.zeros(0),
             np.array([0.0, 1.0])]
    for bounds in cases:
        near = np.concatenate([bounds, np.nextafter(bounds, 0.0), np.nextafter(bounds, 1.0)])
        u = np.concatenate([rng.uniform(size=20_000), near, [0.0, np.nextafter(1.0, 0.0), 1.0, 1.5, -0.2]])
        want = np.searchsorted(bounds, u, side="right")
        got = Bins(bounds).count(u)
        assert got.dtype == want.dtype and np.array_equal(got, want)


def test_scope_and_type_are_the_cumulative_shares_their_draw_passes() -> None:
    """Per agency type, a search's scope (and, for a non-national one, its type) is the number of that type's
    cumulative shares, all but the last, that its uniform draw is >= to: at every bound, its neighbours and at
    random. Across the mixes a type may have: the scenario's, and one with a share of 0 (repeated bounds)."""
    rng = np.random.default_rng(3)
    nothing_shared = {t: {"local": 0.5, "shared": 0.0, "statewide": 0.3, "national": 0.2} for t in AGENCY_TYPES}
    zero, _ = gen({"behavior.searches.scope_mix": nothing_shared})
    assert np.allclose(zero.scope_bins[0].bounds, [0.5, 0.5, 0.8])  # local police: "shared" repeats a bound
    for g in (gen()[0], zero):
        assert len(g.scope_bins) == len(g.type_bins) == len(AGENCY_TYPES)
        for t in range(len(AGENCY_TYPES)):
            for bins, n in ((g.scope_bins[t], len(SEARCH_SCOPES)), (g.type_bins[t], len(SEARCH_TYPES))):
                bounds = bins.bounds
                assert len(bounds) == n - 1 and np.all(np.diff(bounds) >= 0)
                near = np.concatenate([bounds, np.nextafter(bounds, 0.0), np.nextafter(bounds, 1.0)])
                u = np.concatenate([rng.uniform(size=5_000), near, [0.0, np.nextafter(1.0, 0.0)]])
                assert np.array_equal(bins.count(u), (u[:, None] >= bounds[None, :]).sum(axis=1))


def test_sheriff_searches_fall_in_okaloosas_bands_of_networks_per_search() -> None:
    """With the default mix, one scope per band of Okaloosa County SO's networks per search (docs/sources.md): given each
    scope's reach as in its log (own network 1, shared 2-99, its in-state reach 100-4,999, a full national lookup
    >= 5,000), sheriffs' searches reproduce the bands the calibration fits (> 1, >= 100, >= 5,000 networks)."""
    g, world = gen({"world.states": ["NC"], "world.agencies.sheriff": 120})  # one state: no California rule
    days = [g.day(d) for d in range(30)]
    own = ~np.concatenate([d.proxy for d in days])
    scope = np.concatenate([d.scope for d in days])[own]
    kind = world.agencies.kind[np.concatenate([d.searcher for d in days])[own]]
    for statewide, national in ((150, 5000), (999, 6709), (4999, 6700)):  # whatever the counts inside each band
        networks = np.array([1.0, 50.0, statewide, national])[scope]
        stats = SearchStats(["unspecified"])
        zeros = np.zeros(len(scope), dtype=np.int64)
        stats.add(kind, scope, networks, networks, zeros.astype(bool), zeros, zeros)
        out = stats.totals(world.agencies.kind, np.zeros(len(world.agencies)), 30)
        obs = observed("2025")
        for band in ("over_1", "ge_100", "ge_5000"):
            assert abs(out[f"search.networks_share.sheriff.{band}"] - obs[f"okaloosa_networks_{band}"].value) < 0.015


def test_weekly_profile_weights_each_days_rates_and_keeps_the_weeks_total() -> None:
    """A day's rate is the agency's weekly mean times its day of week's weight (normalised to mean 1, Monday first,
    proxies too): a Monday-only profile draws searches on days 0, 7, 14 only; the default moves searches between
    days (Wednesday ~1.5 times Sunday's 2.6) and over whole weeks draws as many as a flat week."""
    monday, _ = gen({"behavior.searches.weekly_profile": [3.0, 0, 0, 0, 0, 0, 0]})
    assert monday.weekly.tolist() == [7.0, 0, 0, 0, 0, 0, 0]
    counts = [len(monday.day(d)) for d in range(15)]
    assert all(counts[d] > 0 for d in (0, 7, 14)) and not any(counts[d] for d in range(15) if d % 7)
    g, _ = gen()
    assert g.weekly.mean() == 1.0
    per_day = g.rate_per_day.sum() + g.proxy_rate_drawn[g.proxy_eligible].sum()  # a week's mean day
    weeks = 4
    days = np.array([len(g.day(d)) for d in range(7 * weeks)]).reshape(weeks, 7).sum(axis=0)
    n = days.sum()
    assert abs(n / (7 * weeks) - per_day) < 4 * np.sqrt(n) / (7 * weeks)  # redistributed, not added
    expected = g.weekly * per_day * weeks
    assert np.all(np.abs(days - expected) < 4 * np.sqrt(expected))
    assert days[2] > 2 * days[6]  # Wednesday against Sunday (1.475 / 0.558)


def test_an_agency_with_its_own_figure_searches_at_it_and_the_others_keep_their_draws() -> None:
    import copy

    base, world = gen()
    w = copy.deepcopy(world)
    own = np.full(len(w.agencies), np.nan)
    rows = np.array([0, 3, 7, int(np.flatnonzero(w.agencies.kind == FEDERAL)[0])])
    own[rows] = [0.0, 30.0, 600.0, 90.0]  # a published 0 is a real 0; a federal row's own figure beats its unit's
    w.agencies.own_searches_30d = own
    g = SearchGenerator(w, load_scenario(SCENARIOS / "small.yaml").behavior.searches,
                        policy_effects(w, with_overrides(load_scenario(SCENARIOS / "small.yaml"),
                                                         {"world.states": ["NC", "CA"],
                                                          "world.agencies.local_police": 200}, "t").policy),
                        Streams(np.random.SeedSequence(5)))
    assert g.rate_per_day[rows].tolist() == [0.0, 1.0, 20.0, 3.0]
    assert base.rate_per_day[rows[0]] > 0  # the draw it replaces was not already 0
    others = np.setdiff1d(np.arange(len(g.rate_per_day)), rows)
    assert np.array_equal(g.rate_per_day[others], base.rate_per_day[others])
    assert g.own_rate[rows].all() and not g.own_rate[others].any()
    assert (g.rate_source[rows] == "portal").all() and g.reason_mix[rows[3]] == base.reason_mix[rows[3]] > 0
    days = [g.day(d) for d in range(14)]
    searcher = np.concatenate([d.searcher[~d.proxy] for d in days])
    assert not (searcher == rows[0]).any()
    assert abs((searcher == rows[2]).sum() / 14 - 20.0) < 4 * np.sqrt(20.0 * 14) / 14


def test_search_tool_searches_take_a_custom_range_beyond_the_presets() -> None:
    """A share `lookback_beyond_share` of the searches that are not lookups (Flock's Search tool: a custom range; the
    Lookup tool offers only 1, 7, 14, 30 days) looks back `lookback_beyond_days`; lookups and proxy lookups never.
    Overall that is the Okaloosa County SO log's 6.4% of searches (the old model capped every look-back at 30)."""
    g, _ = gen({"behavior.searches.lookback_beyond_days": 120})
    days = [g.day(d) for d in range(14)]
    window, stype, proxy = (np.concatenate([getattr(d, f) for d in days]) for f in ("window", "type", "proxy"))
    beyond = window == 120
    assert set(np.unique(window[~beyond]).tolist()) <= {1, 7, 14, 30}
    assert not beyond[stype == LOOKUP].any() and not beyond[proxy].any()
    tool = stype != LOOKUP
    p = 0.261
    assert abs(beyond[tool].mean() - p) < 4 * np.sqrt(p * (1 - p) / tool.sum())
    own = ~proxy
    assert abs(beyond[own].mean() - observed("2025")["okaloosa_lookback_over_30"].value) < 0.01


def test_no_custom_range_leaves_every_other_draw_as_it_was() -> None:
    """The custom range comes from a stream of its own: a share of 0 gives the presets only, and the searches that
    keep a preset keep the same one under the default share (common random numbers)."""
    base, _ = gen()
    none, _ = gen({"behavior.searches.lookback_beyond_share": 0.0})
    assert none.windows == [1, 7, 14, 30] and base.windows == [1, 7, 14, 30, 90]
    for d in range(3):
        a, b = base.day(d), none.day(d)
        for f in ("searcher", "t", "scope", "type", "reason", "case", "proxy"):
            assert np.array_equal(getattr(a, f), getattr(b, f)), f
        moved = a.window != b.window
        assert moved.any() and (a.window[moved] == 90).all()
        assert set(np.unique(b.window).tolist()) <= {1, 7, 14, 30}
