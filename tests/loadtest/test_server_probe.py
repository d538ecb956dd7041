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


def test_a_probe_looks_back_no_further_than_the_services_retention(tmp_path: Path):
    """The probe searched the last 29 days whatever the retention: against a service seeded with
    policy.alpr_retention_days 7 every probe search was refused (422, since before the retention period), so the
    calibration's per-read cost was never measured there. It now searches the service's longest retention (the
    tokens file's rules), even with a plan whose behaviour says 30 days."""
    scenario = tmp_path / "r7.yaml"
    scenario.write_text(f"extends: {SCENARIOS / 'small.yaml'}\npolicy:\n  alpr_retention_days: 7\n")
    with Service(tmp_path, None, 1, str(scenario), rate_scale=0.0) as svc:
        svc.start()
        assert svc.probe_search(7, user_behavior()) is not None
        answers = {dict(labels).get("status"): v for (name, labels), v in svc.scrape().samples.items()
                   if name == "fedsim_http_responses_total" and ("route", "/v1/searches") in labels}
        assert answers == {"200": 15.0}
