"""The soak: capacity is the best settled step; the soak keeps that step's users and each class's share of its
requests, at 80%."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from loadtest.harness import HarnessError
from loadtest.shapes import Stage
from loadtest.soak import SETTLE_S, actor_of, capacity, soak_rates, users_at

HEAD = "Timestamp,User Count,Type,Name,Requests/s,Failures/s,50%,95%,99%,Total Request Count,Total Failure Count\n"


def _history(tmp_path: Path) -> list[Stage]:
    """Three 10 s steps making 100, 252 and 200 requests/s once settled (500/s while users start, which capacity
    leaves out); in each, portal visitors make 3 requests for every search. The "Requests/s" column is
    deliberately wrong (a lagging average, as Locust's is): capacity must come from the counts."""
    rows = []
    portal = search = 0
    for t in range(30):
        step = t // 10
        made = 500 if t % 10 < SETTLE_S else [100, 252, 200][step]
        portal += 3 * made // 4
        search += made // 4
        rows.append(f"{1000 + t},{2 * (step + 1)},,Aggregated,999,0,5,9,12,{portal + search},0\n")
        rows.append(f"{1000 + t},{2 * (step + 1)},GET,/v1/transparency/{{agency_id}},1,0,5,9,12,{portal},0\n")
        rows.append(f"{1000 + t},{2 * (step + 1)},POST,/v1/searches,1,0,5,9,12,{search},0\n")
    (tmp_path / "locust_stats_history.csv").write_text(HEAD + "".join(rows))
    return [Stage(10, 2, 10), Stage(20, 4, 10), Stage(30, 6, 10)]


def test_capacity_is_the_best_settled_step_with_each_class_share(tmp_path: Path) -> None:
    cap = capacity(tmp_path / "locust", _history(tmp_path))
    assert [s["rps"] for s in cap["steps"]] == pytest.approx([100.0, 252.0, 200.0])
    assert cap["rps"] == pytest.approx(252.0)
    assert cap["best"]["users"] == 4
    assert cap["best"]["shares"] == pytest.approx({"portal": 0.75, "agency": 0.25})


def test_the_soak_keeps_the_best_steps_users_and_mix_at_80_percent(tmp_path: Path) -> None:
    cap = capacity(tmp_path / "locust", _history(tmp_path))
    log = [{"t": 1000.5, "users": 2, "classes": {"PortalVisitor": 1, "AgencyUser": 1}},
           {"t": 1010.5, "users": 4, "classes": {"PortalVisitor": 1, "AgencyUser": 3, "CameraUser": 0}},
           {"t": 1020.5, "users": 6, "classes": {"PortalVisitor": 2, "AgencyUser": 4}}]  # fmt: skip
    (tmp_path / "locust_users.jsonl").write_text("".join(json.dumps(r) + "\n" for r in log))
    users = users_at(tmp_path, cap["best"]["to_t"])
    assert users == {"portal": 1, "agency": 3}
    rates = soak_rates(cap, users)
    assert rates == {"portal": (1, pytest.approx(151.2)), "agency": (3, pytest.approx(50.4))}
    assert sum(r for _, r in rates.values()) == pytest.approx(0.8 * cap["rps"])


def test_without_the_users_log_the_soak_says_so(tmp_path: Path) -> None:
    with pytest.raises(HarnessError, match="locust_users.jsonl is missing"):
        users_at(tmp_path, 1e12)


def test_endpoints_map_to_the_classes_that_make_them() -> None:
    assert actor_of("POST /v1/alpr/reads") == "camera"
    assert actor_of("GET /v1/feed") == "resident"
    assert actor_of("POST /v1/requests/{id}/submissions") == "resident"
    assert actor_of("GET /v1/transparency/{agency_id}") == "portal"
    assert actor_of("POST /v1/searches") == "agency"
    assert actor_of("Aggregated") is None and actor_of("CHECK accepted == sent") is None


def test_no_history_means_no_capacity(tmp_path: Path) -> None:
    assert capacity(tmp_path / "locust", [Stage(10, 2, 10)]) == {"rps": 0.0, "steps": []}
