"""The harness's search probe (`loadtest.server.Service.probe_search`, the per-read cost of calibration) leaves out
searches the agency's moderation blocks: they reach nothing, so their time says nothing of the cost per read."""

from __future__ import annotations

from pathlib import Path

from loadtest.plan import user_behavior
from loadtest.server import Service
from tests.conftest import SCENARIOS


def test_a_probe_whose_searches_are_all_blocked_measures_nothing(tmp_path: Path):
    behavior = user_behavior()
    scenario = tmp_path / "blocked.yaml"
    blocked = ", ".join(sorted(behavior.search_reasons))
    scenario.write_text(f"extends: {SCENARIOS / 'small.yaml'}\npolicy:\n  moderation:\n    blocked: [{blocked}]\n")
    with Service(tmp_path, None, 1, str(scenario), rate_scale=0.0) as svc:
        svc.start()
        assert svc.probe_search(7, behavior) is None  # every probe was blocked: no time to report
        searches = svc.scrape().family("fedsim_http_server_duration_seconds")
        assert sum(h.count for labels, h in searches.items() if ("route", "/v1/searches") in labels) > 0
