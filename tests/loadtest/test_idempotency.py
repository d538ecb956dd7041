"""Idempotency-Key on both backends: same key and body -> same answer and one write; other body -> 409."""

from __future__ import annotations

import threading

from loadtest.service import idempotency
from tests.loadtest.helpers import read, request_body
from tests.loadtest.worlds import OAKLAND, RALEIGH


def rows(service, table: str) -> int:
    return service.client.get("/v1/admin/stats", headers=service.h("admin")).json()["rows"][table]


def test_same_key_same_body_same_answer(service):
    h = service.h("agencies", RALEIGH, **{"Idempotency-Key": "post-1"})
    body = request_body()
    first = service.client.post("/v1/requests", json=body, headers=h)
    again = service.client.post("/v1/requests", json=body, headers=h)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert rows(service, "requests") == 1


def test_same_key_other_body_conflicts(service):
    h = service.h("agencies", RALEIGH, **{"Idempotency-Key": "post-2"})
    assert service.client.post("/v1/requests", json=request_body("A-1"), headers=h).status_code == 201
    r = service.client.post("/v1/requests", json=request_body("A-2"), headers=h)
    assert r.status_code == 409 and r.json()["error"] == "idempotency_conflict"
    assert rows(service, "requests") == 1


def test_keys_belong_to_one_actor(service):
    body = request_body()
    for agency in (RALEIGH, OAKLAND):
        r = service.client.post("/v1/requests", json=body, headers=service.h("agencies", agency, **{"Idempotency-Key": "shared"}))
        assert r.status_code == 201
    assert rows(service, "requests") == 2


def test_retried_batch_is_ingested_once(service):
    h = service.h("cameras", 0, **{"Idempotency-Key": "batch-7"})
    batch = {"reads": [read(f"IDEM{i}") for i in range(20)]}
    for _ in range(3):
        r = service.client.post("/v1/alpr/reads", json=batch, headers=h)
        assert r.status_code == 202 and r.json() == {"accepted": 20}
    assert rows(service, "reads") == 20
    metrics = service.client.get("/metrics").text
    assert "fedsim_alpr_reads_ingested_total 20" in metrics


def test_concurrent_same_key_writes_once(db):
    """Racing transactions with one key: one write, every caller gets its answer."""
    answers: list[tuple] = []

    def op(tx):
        new = tx.insert("INSERT INTO hotlists (agency, name, created) VALUES (0, 'race', 0) RETURNING id")
        return 201, {"id": new}

    def worker():
        answers.append(idempotency.write(db, "race", op, actor="agency:0", key="k", body_hash="h"))

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert len(answers) == 6
    assert len({a[1]["id"] for a in answers}) == 1
    assert sum(1 for a in answers if not a[2]) == 1
    with db.read() as tx:
        assert tx.scalar("SELECT count(*) FROM hotlists") == 1
