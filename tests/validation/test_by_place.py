"""by_state and by_agency: they add up to the national metrics, and a one-state override stays in its state.

- Summing ``by_state`` over the states (federal units under FED) gives the national whole-run metric of the
  same name, replication by replication (reads, alerts, searches, federal searches by channel, requests,
  clips); the per-owner audit counts average to ``audit.records_per_owner_mean``.
- Metamorphic, under common random numbers (same world, same run seeds): an override limited to North
  Carolina that narrows its agencies' sharing (scope none, no federal grants, no national lookup) leaves every
  California row of ``by_state`` identical, and changes North Carolina's. An override that puts NC under a
  state law also stops NC agencies running proxy lookups; the proxies are drawn for every agent whatever the
  policy and the refusing agencies' dropped afterwards (`sim.model.alpr_searches`), so California's rows stay
  identical, its proxy lookups included, but for the audit records its owners got from NC's dropped lookups.
- A moderation override limited to NC blocks and warns NC's searches only: every other state's blocked and
  warned counts, and all its rows but the records NC's searches left in its audits, stay identical.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from sim.model.simulation import simulate
from sim.results.errors import ResultsError
from sim.results.places import BUSIEST, FEDERAL_STATE
from sim.runner import seeds
from sim.runner.places import place_tables
from sim.world.build import build_world_cached
from tests.validation.helpers import scenario

# proxy lookups are run by a few agencies (2% by default): 30% here so that two states have enough of them
TWO_STATES = {"world.states": ["NC", "CA"], "world.agencies.local_police": 120,
              "behavior.searches.proxy_agency_share": 0.3}
SUMMED = ("alpr.reads", "alpr.hotlist_hits", "alpr.searches", "alpr.searches_federal_own",
          "alpr.searches_federal_proxy", "search.moderation.blocked", "search.moderation.warned", "requests.posted",
          "footage.clips")


def run(values: dict[str, Any], rep: int = 0) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, float]]:
    sc = scenario(TWO_STATES | values)
    world = build_world_cached(sc, seed_seq=seeds.world_seed(sc.run.seed))
    out = simulate(sc, world, seeds.run_seed(sc.run.seed, 0, rep))
    tables = place_tables(world, out.by_agency, sc.name, 0, rep)
    totals = {m: v for d, m, v in out.metrics if d is None}
    return tables["by_state"].to_pandas(), tables["by_agency"].to_pandas(), totals


@pytest.mark.parametrize("rep", [0, 1])
def test_by_state_sums_to_the_national_metrics(rep: int) -> None:
    by_state, by_agency, totals = run({}, rep)
    assert set(by_state.state) == {"NC", "CA", FEDERAL_STATE}
    sums = by_state.groupby("metric").value.sum()
    for name in SUMMED:
        assert sums[name] == pytest.approx(totals[name], rel=1e-12, abs=1e-9), name
    assert totals["alpr.searches_federal_proxy"] > 0 and totals["requests.posted"] > 0
    has_cam = by_agency.cameras > 0
    assert by_agency.loc[has_cam, "audit.records_received"].mean() == pytest.approx(
        totals["audit.records_per_owner_mean"], rel=1e-9)
    assert (by_agency["audit.records_received_federal_own"] <= by_agency["audit.records_received"]).all()
    assert by_agency.loc[has_cam, "audit.records_received_out_of_state"].mean() == pytest.approx(
        totals["audit.records_per_owner_out_of_state_mean"], rel=1e-9)
    # an entry is a line in a camera network's audit: over owners, the national audit lines (a federal unit owns no
    # cameras, so its own searches write none on its row)
    assert by_agency["audit.records_received"].sum() == pytest.approx(totals["audit.owner_entries"], rel=1e-12)
    private = by_agency.type == "private"  # private networks: rows of their own, owners that never search
    assert private.any() and len(by_agency) == by_state[by_state.metric.isin(["agencies", "private_networks"])].value.sum()
    assert private.sum() == by_state[by_state.metric == "private_networks"].value.sum()
    assert (by_agency.loc[private, ["alpr.searches", "requests.posted"]] == 0).all().all()
    assert by_agency.loc[private, "audit.records_received"].sum() > 0
    # where the searches came from: over the searchers' states (FED: federal units) they add up per owner state
    source = by_state[by_state.metric.str.startswith("audit.records_received_from.")]
    assert {m.rsplit(".", 1)[1] for m in source.metric} >= {"NC", "CA", FEDERAL_STATE}
    received = by_state[by_state.metric == "audit.records_received"].set_index("state").value
    owners = source[source.state != FEDERAL_STATE]
    pd.testing.assert_series_equal(owners.groupby("state").value.sum(), received.drop(FEDERAL_STATE),
                                   check_names=False, rtol=1e-9)


def rows(by_state: pd.DataFrame, state: str) -> pd.Series:
    return by_state[by_state.state == state].set_index("metric").value


def test_each_states_busiest_agency_share_is_its_top_agencys_searches_over_the_states() -> None:
    by_state, by_agency, _ = run({})
    share = by_state[by_state.metric == BUSIEST].set_index("state").value
    runs = by_agency.groupby("state")["alpr.searches"]
    expected = (runs.max() / runs.sum())[runs.sum() > 0]
    assert set(share.index) == set(expected.index) == {"NC", "CA", FEDERAL_STATE}
    assert np.allclose(share.sort_index(), expected.sort_index())
    assert 1 / runs.size()["CA"] < share["CA"] < 1  # rates drawn per agency: not all alike, not one agency


def test_an_override_in_one_state_leaves_the_others_identical() -> None:
    base, _, _ = run({})
    narrowed, agencies, _ = run({"policy.overrides": [{"where": {"state": "NC"}, "set": {
        "sharing_scope": "none", "federal_grants": False, "national_lookup": False}}]})
    pd.testing.assert_series_equal(rows(base, "CA"), rows(narrowed, "CA"))
    nc_before, nc_after = rows(base, "NC"), rows(narrowed, "NC")
    assert nc_after["audit.records_received"] < nc_before["audit.records_received"]
    assert nc_after["federal.owners_direct"] == 0 and nc_before["federal.owners_direct"] > 0
    assert nc_after["alpr.reads"] == nc_before["alpr.reads"]  # the same reads: only who may search them changed


def test_a_state_law_in_one_state_leaves_the_others_identical_proxies_included() -> None:
    open_ca = {"policy.state_laws": [], "policy.state_rules": {}}  # California's agencies run proxies and admit NC's
    base, _, _ = run(open_ca)
    law, _, _ = run(open_ca | {"policy.overrides": [{"where": {"state": "NC"}, "set": {"state_law": True}}]})
    # NC's compliant agencies stop running proxy lookups; the proxies are drawn for every agent and the refusing
    # ones' dropped afterwards, so every California row is identical, draw for draw, its own proxy lookups
    # included, except the records its owners received from NC's dropped proxy lookups, which fall by one amount.
    ca_before, ca_after = rows(base, "CA"), rows(law, "CA")
    from_nc = ["audit.records_received", "audit.records_received_from.NC", "audit.records_received_out_of_state",
               "audit.records_received_proxy", "audit.owner_entries_identified"]  # (unredacted: all entries)
    pd.testing.assert_series_equal(ca_before.drop(from_nc), ca_after.drop(from_nc))
    assert ca_before["alpr.searches_federal_proxy"] > 0
    drop = ca_before[from_nc] - ca_after[from_nc]
    assert drop.iloc[0] > 0 and (drop == drop.iloc[0]).all(), drop
    assert rows(law, "NC")["alpr.searches_federal_proxy"] < rows(base, "NC")["alpr.searches_federal_proxy"]


def test_a_run_folder_holds_both_tables_and_they_add_up(tmp_path) -> None:  # noqa: ANN001
    from sim import run as run_batch
    from sim.results.read import read_by_agency, read_by_state, read_metrics

    res = run_batch(scenario(), output_dir=tmp_path / "x", replications=1, executor="inprocess", quiet=True)
    folder = res.output_dir
    for name in ("by_state", "by_agency", "audit_by_agency", "flows_by_state"):
        assert (folder / f"{name}.parquet").is_file() and len(res.table(name)) > 0
        # CSV too for the two issue 20 asks for; the two big detail tables as CSV only with run.csv
        assert (folder / f"{name}.csv").is_file() == (name in ("by_state", "by_agency"))
    with pytest.raises(ResultsError, match="by_agency, audit_by_agency"):
        res.table("by_county")
    audit = res.table("audit_by_agency").groupby("agency").searches.sum()
    received = res.table("by_agency").set_index("agency")["audit.records_received"]
    pd.testing.assert_series_equal(audit.reindex(received.index, fill_value=0.0), received, check_names=False)
    by_state, by_agency, metrics = read_by_state(folder), read_by_agency(folder), read_metrics(folder)
    national = metrics[metrics.day.isna()].set_index("metric").value
    sums = by_state.groupby("metric").value.sum()
    for name in SUMMED:
        assert sums[name] == pytest.approx(national[name], rel=1e-12, abs=1e-9), name
    assert len(by_agency) == len(set(by_agency.agency)) and set(by_agency.state) == {"NC", FEDERAL_STATE}


def test_a_moderation_override_in_one_state_moves_only_its_blocked_and_warned_counts() -> None:
    base, _, _ = run({})
    moderated, agencies, totals = run({"policy.overrides": [{"where": {"state": "NC"}, "set": {
        "moderation": {"blocked": ["theft"], "warned": ["traffic"]}}}]})
    counts = ("search.moderation.blocked", "search.moderation.warned")
    nc_before, nc_after = rows(base, "NC"), rows(moderated, "NC")
    for name in counts:
        assert nc_before[name] == 0 < nc_after[name]
        assert moderated[moderated.metric == name].value.sum() == totals[name]  # all of them run from NC
    # California's searchers are moderated as before; only NC's searches that now reach nothing leave its audits
    landed = [m for m in rows(base, "CA").index if m.startswith(("audit.records_received", "audit.owner_entries"))
              and m != "audit.records_received_from.CA"]
    pd.testing.assert_series_equal(rows(base, "CA").drop(landed), rows(moderated, "CA").drop(landed))
    pd.testing.assert_series_equal(rows(base, FEDERAL_STATE).drop(landed, errors="ignore"),
                                   rows(moderated, FEDERAL_STATE).drop(landed, errors="ignore"))
    # (California's platform rule keeps NC searches out of CA anyway); NC's own audits lose the blocked searches
    assert nc_after["audit.records_received_from.NC"] < nc_before["audit.records_received_from.NC"]
    assert nc_after["alpr.searches"] == nc_before["alpr.searches"]  # blocked searches are still run and audited


def test_out_of_state_entries_per_owner_stop_when_every_state_closes() -> None:
    """``audit.records_per_owner_out_of_state_mean``: with NC and CA both refusing out-of-state searchers (a
    platform state rule, no compliance draw), no owner receives an entry from another state's searches, proxy
    lookups included (an owner that refuses federal searchers runs none), while its own state's searches still
    write entries."""
    name = "audit.records_per_owner_out_of_state_mean"
    _, _, both_open = run({"policy.state_laws": [], "policy.state_rules": {}})
    closed = {s: {"out_of_state_sharing": False} for s in ("NC", "CA")}
    _, agencies, both_closed = run({"policy.state_rules": closed})
    assert both_open[name] > 0.05 * both_open["audit.records_per_owner_mean"]
    assert both_closed[name] == 0 and both_closed["audit.records_per_owner_mean"] > 0
    assert (agencies["audit.records_received_out_of_state"] == 0).all()


@pytest.mark.parametrize("redaction", [False, True])
def test_the_2026_rules_per_state_sum_to_their_national_counts(redaction: bool) -> None:
    """What moderation, the offense-type drop-down and audit redaction did, per state: searches blocked, warned and
    unseen by the searcher's state, identified audit entries by the owner's state, summing over the states (FED
    included) to the national counts. Under flock-2026's rules free text would have moderation block the
    immigration searches; the drop-down hides them instead (unseen), in the states whose officers ran them."""
    rules = {"policy.moderation": {"blocked": ["immigration"], "warned": ["traffic"]},
             "policy.reason_mode": "offense_type", "policy.audit_redaction": redaction}
    by_state, by_agency, totals = run(rules)
    sums = by_state.groupby("metric").value.sum()
    for name in ("search.moderation.blocked", "search.moderation.warned", "search.moderation.unseen_blocked",
                 "search.moderation.unseen_warned", "audit.owner_entries_identified"):
        assert sums[name] == pytest.approx(totals[name], rel=1e-12, abs=1e-9), name
    unseen = rows(by_state, "NC")["search.moderation.unseen_blocked"], rows(by_state, "CA")["search.moderation.unseen_blocked"]
    assert totals["search.moderation.unseen_blocked"] > 0 and sum(unseen) > 0
    identified = by_agency["audit.owner_entries_identified"]
    assert (identified <= by_agency["audit.records_received"] + 1e-9).all()
    if redaction:  # an owner sees its own officers' searches only: far fewer than every entry it received
        assert 0 < identified.sum() < 0.5 * by_agency["audit.records_received"].sum()
        assert (identified[by_agency.cameras == 0] == 0).all()
    else:
        assert identified.equals(by_agency["audit.records_received"])
