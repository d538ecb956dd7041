"""The custom look-back share is the Okaloosa figure over the searches that are not lookups."""

from __future__ import annotations

import pytest

from sim.calibration.fit_lookback import fit_lookback_beyond, fitted_default
from sim.calibration.observed import observed
from sim.config.behavior_alpr import Searches


def test_the_default_is_the_fit_of_the_okaloosa_figure() -> None:
    assert observed("2025")["okaloosa_lookback_over_30"].value == pytest.approx(463 / 7273)
    assert Searches().lookback_beyond_share == fitted_default() == 0.261
    # over all searches (lookups take presets only) the fit gives back the figure, within its rounding
    assert Searches().lookback_beyond_share * (1 - Searches().lookup_share) == pytest.approx(463 / 7273, abs=3e-4)


def test_a_share_beyond_the_search_tool_searches_is_refused() -> None:
    assert fit_lookback_beyond(0.1, 0.5) == 0.2
    with pytest.raises(ValueError, match="only 0.100 are Search-tool searches"):
        fit_lookback_beyond(0.2, 0.9)
