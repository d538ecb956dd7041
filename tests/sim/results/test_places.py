"""by_state's share of a state's searches run by its busiest agency (`sim.results.places.state_values`)."""

from __future__ import annotations

import numpy as np

from sim.results.places import BUSIEST, PLACE_METRICS, state_values


def test_the_busiest_agencys_share_of_each_states_searches_where_it_ran_any() -> None:
    states = ["NC", "NC", "NC", "NC", "CA", "CA", ""]  # the last a federal unit (FED); NC's fourth row a private network
    searches = np.array([10.0, 30.0, 60.0, 0.0, 0.0, 0.0, 5.0])
    private = np.array([False, False, False, True, False, False, False])
    owner = np.array([True] * 6 + [False])
    out = state_values({"alpr.searches": searches}, states, owner, np.zeros(7), private)
    assert out[("NC", BUSIEST)] == 0.6  # 60 of 100
    assert out[("FED", BUSIEST)] == 1.0
    assert ("CA", BUSIEST) not in out  # its agencies ran none: no share, not 0
    assert out[("NC", "alpr.searches")] == 100.0  # the count itself is summed as before
    assert PLACE_METRICS[BUSIEST].unit == "share"
