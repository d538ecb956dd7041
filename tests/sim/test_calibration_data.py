"""The real figures behind the search rows: the Eugene audit log loader, portal quantiles, the lognormal fit,
and the shipped scenarios' fitted parameters against what the data give."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from sim.calibration.audit_logs import AuditLogError, read_audit_log, scope_of
from sim.calibration.fit import fit_lognormal
from sim.calibration.observed import (
    TYPES_DIFFER,
    observed,
    period_rates,
    portal_period,
    searches_fit,
    searches_fit_by_type,
)
from sim.calibration.portals import (
    federal_connections_2026,
    federal_grants_2024,
    portal_searches,
    portal_searches_by_type,
    portal_sheriffs,
    poststratified,
    sheriff_weights,
    weighted_quantile,
)
from sim.config import load_scenario
from tests.conftest import SCENARIOS

HEADER = '"id","userId","searchDate","cameraCount","reason"\n'


def test_eugene_log_as_published() -> None:
    log = read_audit_log()
    assert len(log) == 4294 and log.officers == 147 and not log.skipped
    assert log.per_30_days() == pytest.approx(767, abs=1)  # README: ~770 per 30 days
    shares = log.scope_shares()
    assert shares["local"] == pytest.approx(0.699, abs=0.001)
    assert shares["statewide"] == pytest.approx(0.291, abs=0.001)
    assert shares["national"] == pytest.approx(0.0105, abs=0.0005)
    assert log.cameras_quantile(0.5) == 135 and log.cameras_quantile(0.9) == 2734  # README figures


def test_scope_classes_sit_in_the_gaps() -> None:
    assert scope_of(np.array([0, 135, 499, 500, 2700, 19_999, 20_000, 87_008])).tolist() == [0, 0, 0, 1, 1, 1, 2, 2]


def test_loader_skips_bad_rows_and_names_missing_columns(tmp_path: Path) -> None:
    f = tmp_path / "log.csv"
    f.write_text(HEADER + '"a","u1","2025-06-18 00:02:04.789",94,"x"\n'
                 '"b","u2","not a date",94,"x"\n"c","u1","2025-06-19 00:02:04",-3,"x"\n"d","u2"\n'
                 '"e","u2","2025-06-20 00:02:04",2510,"y"\n')
    log = read_audit_log(f)
    assert len(log) == 2 and log.officers == 2
    assert log.skipped == {"fields": 1, "date": 1, "cameras": 1}
    assert log.span_days == pytest.approx(2.0, abs=1e-4)
    (tmp_path / "bad.csv").write_text('"id","userId","searchDate"\n')
    with pytest.raises(AuditLogError, match="cameraCount"):
        read_audit_log(tmp_path / "bad.csv")
    with pytest.raises(AuditLogError, match="not found"):
        read_audit_log(tmp_path / "none.csv")


def test_portal_quantiles_of_both_periods() -> None:
    s24, s26 = portal_searches("2024"), portal_searches("2026")
    assert len(s24) == 308 and np.median(s24) == 137 and s24.mean() == pytest.approx(238, abs=1)
    assert len(s26) == 906 and np.median(s26) == 62 and np.quantile(s26, 0.9) == pytest.approx(521.5)
    sources, grants = federal_grants_2024()
    assert sources == 224 and grants["USPIS"] == 110 and grants["FBI"] == 30  # 49% and 13% (docs/sources.md)
    conn = federal_connections_2026()
    assert conn["[Federal] US Postal Inspection Service"] == 154
    assert conn["[Federal] Federal Bureau of Investigation (FBI)"] == 88
    assert not [n for n in conn if "ICE" in n or "Customs" in n]


def test_fit_recovers_a_known_zero_inflated_lognormal() -> None:
    rng = np.random.default_rng(7)
    x = np.where(rng.uniform(size=200_000) < 0.1, 0.0, 50.0 * np.exp(1.3 * rng.normal(size=200_000)))
    fit = fit_lognormal(x)
    assert fit.zero_share == pytest.approx(0.1, abs=0.005)
    assert fit.median == pytest.approx(50.0, rel=0.02) and fit.sigma == pytest.approx(1.3, rel=0.02)
    with pytest.raises(ValueError, match="at least 10"):
        fit_lognormal(np.ones(3))


@pytest.mark.parametrize("period", ["2025", "2026"])
def test_fit_reproduces_the_portal_quantiles_within_the_rows_tolerance(period: str) -> None:
    fit, obs = searches_fit(period), observed(period)
    for q, level in (("p25", 0.25), ("median", 0.5), ("p75", 0.75), ("p90", 0.9)):
        assert fit.quantile(level) == pytest.approx(obs[f"searches_30d_{q}"].value, rel=0.25), q


def test_per_type_fit_reproduces_each_types_portal_quantiles_within_the_rows_tolerance() -> None:
    """The 2024 fit with one median per type keeps both types' quantiles within +-25% (the rows' tolerance) and the
    common log-sd between the two types' own fits; its medians order as the types' portals do."""
    by_type = portal_searches_by_type("2024")
    fit = searches_fit_by_type("2025")
    for t, x in by_type.items():
        for level in (0.25, 0.5, 0.75, 0.9):
            assert fit.of(t).quantile(level) == pytest.approx(float(np.quantile(x, level)), rel=0.25), (t, level)
    own = sorted(fit_lognormal(x).sigma for x in by_type.values())
    assert own[0] < fit.sigma < own[1]
    assert fit.median["sheriff"] > 1.5 * fit.median["local_police"]


@pytest.mark.parametrize(("name", "period"), [("baseline", "2025"), ("flock-2026", "2026"), ("flock-2024", "2024"),
                                            ("flock-2026-real-rules", "2026")])
def test_shipped_scenarios_carry_the_fitted_values(name: str, period: str) -> None:
    """Local police and sheriffs carry the period's portal fit: one median per type where the period's portals of
    the two types differ beyond noise (2024, for 2024 and 2025), the pooled fit where they do not (2026); state
    police and federal units, which publish no portal (none of the 906 of 2026 is either), keep the baseline's
    assumption, not the period's zero share."""
    path = SCENARIOS / f"{name}.yaml"
    if not path.is_file():
        pytest.skip(f"{path.name} not shipped yet")
    s = load_scenario(path).behavior.searches
    obs = observed(period)
    rates = period_rates(period)
    if TYPES_DIFFER[portal_period(period)]:
        assert rates["sheriff"][0] > 1.5 * rates["local_police"][0]
    else:
        assert rates["sheriff"] == rates["local_police"] == (searches_fit(period).median, searches_fit(period).sigma,
                                                             searches_fit(period).zero_share)
    for t in ("local_police", "sheriff"):  # the types that publish portals carry the fit
        median, sigma, zero = rates[t]
        assert s.per_agency_30d_median[t] == pytest.approx(median, rel=0.01), t
        assert s.per_agency_sigma[t] == pytest.approx(sigma, abs=0.01)
        assert s.per_agency_zero_share[t] == pytest.approx(zero, abs=0.001)
    base = load_scenario(SCENARIOS / "baseline.yaml").behavior.searches
    for t in ("state_police", "federal"):  # no portal of theirs: the baseline's assumption in every period
        assert s.per_agency_sigma[t] == base.per_agency_sigma[t]
        assert s.per_agency_zero_share[t] == base.per_agency_zero_share[t]
    for scope in ("local", "statewide", "national"):
        assert s.scope_mix["local_police"][scope] == pytest.approx(obs[f"eugene_scope_{scope}"].value, abs=0.001)
    # Okaloosa's bands of networks per search, one scope each: 1 local, 2-99 shared, 100-4,999 statewide (its
    # in-state reach), >= 5,000 national (a full lookup; docs/MODEL.md)
    sheriff = {k: v / sum(s.scope_mix["sheriff"].values()) for k, v in s.scope_mix["sheriff"].items()}
    share = {k: obs[f"okaloosa_networks_{k}"].value for k in ("over_1", "ge_100", "ge_5000")}
    assert 1 - sheriff["local"] == pytest.approx(share["over_1"], abs=0.001)
    assert sheriff["shared"] == pytest.approx(share["over_1"] - share["ge_100"], abs=0.001)
    assert sheriff["statewide"] == pytest.approx(share["ge_100"] - share["ge_5000"], abs=0.001)
    assert sheriff["national"] == pytest.approx(share["ge_5000"], abs=0.001)


@pytest.mark.parametrize("period", ["2024", "2026"])
def test_poststratified_portals_keep_the_figures_at_their_own_split_and_move_with_the_sheriffs(period: str) -> None:
    """The pooled rows' targets: the portals with their sheriffs weighted to a run's share of sheriffs. At the portals'
    own share they are the published quantiles and mean exactly; more sheriffs (who search more in 2024) raise them."""
    x, so = portal_searches(period), portal_sheriffs(period)
    assert len(so) == len(x) and so.sum() == {"2024": 29, "2026": 111}[period]
    same_x, same_w = poststratified(period, float(so.mean()))
    for q in (0.25, 0.5, 0.75, 0.9):
        assert weighted_quantile(same_x, same_w, q) == pytest.approx(float(np.quantile(x, q)), abs=1e-9)
    assert np.average(same_x, weights=same_w) == pytest.approx(x.mean())
    more_x, more_w = poststratified(period, 0.5)
    assert np.average(more_x, weights=more_w) > x.mean()
    if period == "2024":
        assert weighted_quantile(more_x, more_w, 0.5) > np.median(x)


def test_sheriff_weights_of_a_portal_set_without_one_group_are_finite_or_refused() -> None:
    """All sheriffs or none: the weights divided by a share of 0 (inf / NaN weights, an arbitrary target)."""
    none, every = np.zeros(4, dtype=bool), np.ones(4, dtype=bool)
    assert sheriff_weights(none, 0.0).tolist() == [1.0] * 4 and sheriff_weights(every, 1.0).tolist() == [1.0] * 4
    with pytest.raises(ValueError, match="sheriff share of 0.2: they hold no sheriffs' portal"):
        sheriff_weights(none, 0.2)
    with pytest.raises(ValueError, match="they hold no other agencies' portal"):
        sheriff_weights(every, 0.2)
    mixed = sheriff_weights(np.array([True, False, False, False]), 0.5)
    assert mixed.tolist() == pytest.approx([2.0, 2 / 3, 2 / 3, 2 / 3])
