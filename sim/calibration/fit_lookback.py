"""Fit the share of searches with a custom look-back beyond 30 days: ``python -m sim.calibration.fit_lookback``.

Figure: Okaloosa County FL SO's audit log (2025-11-01 to 12-08; docs/sources.md) holds 463 of 7,273 searches (6.37%)
that looked back further than its 30-day retention. Flock's Lookup tool offers only the preset windows 1, 7, 14
and 30 days, while the Search tool takes a custom time range (haveibeenflocked.com, "Search Types"), so such a
search is a Search-tool search, any type but ``lookup``. The model draws the custom range for those only, with
probability ``behavior.searches.lookback_beyond_share``; the fit is therefore the figure over the share of
searches that are not lookups, 1 - 0.756 for the same log's type mix (`behavior.searches.type_mix`, normalised:
its shares sum to 1.0015; the sheriffs' searches play it back, their statewide + national share, 44%, all lookups,
being below the lookup share: `sim.model.alpr_searches`), rounded to 3 decimals: 0.0637 / 0.2441 = 0.261. The
custom range's length is not in the figure (``lookback_beyond_days``: assumption).
"""

from __future__ import annotations

from sim.calibration.observed import observed
from sim.config.behavior_alpr import Searches


def fit_lookback_beyond(over_30_share: float, lookup_share: float) -> float:
    """P(custom range beyond 30 days | a Search-tool search) giving `over_30_share` of all searches, when a share
    `lookup_share` of them are lookups (presets only), rounded to 3 decimals."""
    if not 0.0 <= over_30_share <= 1.0 - lookup_share:
        raise ValueError(f"a share {over_30_share} of searches cannot look back beyond 30 days when only "
                         f"{1.0 - lookup_share:.3f} are Search-tool searches (not lookups)")
    return round(over_30_share / (1.0 - lookup_share), 3)


def fitted_default() -> float:
    """The fit for the default type mix and the Okaloosa figure (`behavior.searches.lookback_beyond_share`)."""
    return fit_lookback_beyond(observed("2025")["okaloosa_lookback_over_30"].value, Searches().lookup_share)


def main() -> None:
    fig = observed("2025")["okaloosa_lookback_over_30"]
    print(f"searches looking back beyond 30 days: {fig.value:.4f} ({fig.source})")
    print(f"lookup share of searches: {Searches().lookup_share:.4f}")
    print(f"behavior.searches.lookback_beyond_share: {fitted_default()}")


if __name__ == "__main__":
    main()
