"""Limits an abusive client meets (issue 17, findings 9-13): failed authentications throttled per address,
rate buckets evicted least recently used, Idempotency-Keys bound to their request, footage quotas, packages
built without holding every clip in memory, client disconnects counted as 499, a full disk answered 503, the
tokens file private, load shed beyond a queue depth, and a camera's retried batch replayed across processes."""

from __future__ import annotations

import asyncio
import os
import stat
import threading
import time
import tracemalloc

from loadtest.service import idempotency
from loadtest.service.admission import Admission
from loadtest.service.bootstrap import seed, write_tokens
from loadtest.service.ingest import Batch, IngestOps
from loadtest.service.limits import RateLimiter
from loadtest.service.metrics import Metrics
from loadtest.service.packaging import package_once
from loadtest.service.queries import footage
from loadtest.service.settings import Settings
from loadtest.service.writer import GroupWriter
from tests.loadtest.conftest import start_service
from tests.loadtest.helpers import clip, request_body
from tests.loadtest.worlds import RALEIGH, tiny_policy, tiny_world


def test_failed_authentication_is_throttled_per_address(tmp_path):
    # auth failures: 10/s, burst 20, scaled by 0.1: 1/s, burst 2
    for svc in start_service(f"sqlite:///{tmp_path}/auth.db", Settings(rate_scale=0.1, background=False)):
        t0 = time.monotonic()
        codes = [svc.client.get("/v1/alerts", headers={"Authorization": f"Bearer bogus{i}"}).status_code for i in range(40)]
        elapsed = time.monotonic() - t0
        assert codes[:2] == [401, 401] and set(codes) == {401, 429}
        assert codes.count(401) <= 2 + elapsed * 1.0 + 1  # the burst, then the refill rate
        r = svc.client.get("/v1/alerts", headers={"Authorization": "Bearer bogus"})
        assert r.status_code == 429 and int(r.headers["retry-after"]) >= 1


def test_rate_buckets_are_evicted_least_recently_used():
    limiter = RateLimiter(limits={"agency": (1.0, 1.0)}, max_buckets=3)
    assert limiter.allow("agency", "A", now=0.0)[0]
    assert not limiter.allow("agency", "A", now=0.0)[0]  # A's bucket is empty
    limiter.allow("agency", "B", now=0.0)
    limiter.allow("agency", "C", now=0.0)
    assert not limiter.allow("agency", "A", now=0.1)[0]  # A used again: the most recent
    limiter.allow("agency", "D", now=0.1)  # the fourth key evicts B, the least recently used
    assert not limiter.allow("agency", "A", now=0.2)[0], "A's empty bucket must survive new keys"


def test_an_idempotency_key_is_bound_to_its_path(service):
    h = service.h("agencies", RALEIGH)
    first, second = (service.client.post("/v1/requests", json=request_body(f"IK-{i}"), headers=h).json()["id"] for i in (1, 2))
    body = {"clips": [clip()]}
    resident = service.h("residents", 0, **{"Idempotency-Key": "same-key"})
    r1 = service.client.post(f"/v1/requests/{first}/submissions", json=body, headers=resident)
    assert r1.status_code == 202
    assert service.client.post(f"/v1/requests/{first}/submissions", json=body, headers=resident).json() == r1.json()
    r2 = service.client.post(f"/v1/requests/{second}/submissions", json=body, headers=resident)
    assert r2.status_code == 409 and r2.json()["error"] == "idempotency_conflict"
    shown = service.client.get(f"/v1/requests/{second}", headers=h).json()
    assert shown["counts"]["submissions"] == 0


def test_footage_quotas(service, monkeypatch):
    monkeypatch.setattr(footage, "RESIDENT_BYTES_PER_DAY", 100)
    monkeypatch.setattr(footage, "REQUEST_BYTES_MAX", 150)
    rid = service.client.post("/v1/requests", json=request_body(), headers=service.h("agencies", RALEIGH)).json()["id"]
    path = f"/v1/requests/{rid}/submissions"
    assert service.client.post(path, json={"clips": [clip(b"x" * 60)]}, headers=service.h("residents", 0)).status_code == 202
    r = service.client.post(path, json={"clips": [clip(b"x" * 60)]}, headers=service.h("residents", 0))
    assert r.status_code == 429 and r.json()["error"] == "quota_exceeded" and int(r.headers["retry-after"]) > 0
    assert service.client.post(path, json={"clips": [clip(b"y" * 60)]}, headers=service.h("residents", 1)).status_code == 202
    r = service.client.post(path, json={"clips": [clip(b"z" * 40)]}, headers=service.h("residents", 1))
    assert r.status_code == 409 and r.json()["error"] == "request_full"  # 60 + 60 + 40 > 150
    shown = service.client.get(f"/v1/requests/{rid}", headers=service.h("agencies", RALEIGH)).json()["counts"]
    assert shown["submissions"] == 2 and shown["bytes"] == 120  # refused uploads stored nothing


def test_packaging_holds_one_clip_not_all(db):
    seed(db, tiny_world(), tiny_policy())
    n, size = 12, 1 << 20
    now = time.time()
    with db.write() as tx:
        tx.execute(
            "INSERT INTO requests (id, agency, case_number, incident_type, lat, lon, area_sq_mi, radius_m, window_start, "
            "window_end, description, status, created, open_until) VALUES (1, 0, 'c', 'theft', 0, 0, 0.1, 1, 0, 1, '', "
            "'open', :t, :t)",
            {"t": now},
        )
        sub = tx.insert(
            "INSERT INTO submissions (request, household, created, clips, bytes) VALUES (1, 0, :t, :n, :b) RETURNING id",
            {"t": now, "n": n, "b": n * size},
        )
        for _ in range(n):
            tx.execute(
                "INSERT INTO clips (submission, camera_id, t_start, t_end, sha256, size, content, created) "
                "VALUES (:s, 'c', 0, 1, 'x', :z, :b, :t)",
                {"s": sub, "z": size, "b": os.urandom(size), "t": now},
            )
    tracemalloc.start()
    try:
        pid = package_once(db)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert pid is not None
    with db.read() as tx:
        stored = int(tx.scalar("SELECT bytes FROM packages WHERE id = :i", {"i": pid}))
    assert stored > n * size
    assert peak < 1.5 * stored, f"peak {peak / 2**20:.1f} MiB for a {stored / 2**20:.1f} MiB archive"


def test_a_client_that_disconnects_is_counted_as_499(service, caplog):
    app = service.client.app
    sent: list[dict] = []
    messages = [{"type": "http.request", "body": b'{"plate": ', "more_body": True}, {"type": "http.disconnect"}]

    async def receive():
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)

    token = service.tokens["agencies"][str(RALEIGH)]["token"]
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "scheme": "http",
        "path": "/v1/searches", "raw_path": b"/v1/searches", "query_string": b"", "root_path": "",
        "headers": [(b"authorization", f"Bearer {token}".encode()), (b"content-type", b"application/json"),
                    (b"content-length", b"100")],
        "client": ("127.0.0.1", 5000), "server": ("127.0.0.1", 8000), "state": {},
    }  # fmt: skip
    service.client.portal.call(app, scope, receive, send)
    metrics = service.client.get("/metrics").text
    assert 'fedsim_http_responses_total{method="POST",route="/v1/searches",status="499"} 1' in metrics
    assert 'status="500"' not in metrics
    assert not [r for r in caplog.records if r.levelname == "ERROR"], "no stack trace for a client that left"


def test_a_full_disk_is_503_and_loses_nothing(tmp_path):
    for svc in start_service(f"sqlite:///{tmp_path}/full.db", Settings(rate_scale=0, background=False)):
        h = svc.h("agencies", RALEIGH)
        assert svc.client.post("/v1/requests", json=request_body("FULL-1"), headers=h).status_code == 201
        db = svc.client.app.state.ctx.db
        pages = db._writer.execute("PRAGMA page_count").fetchone()[0]
        db._writer.execute(f"PRAGMA max_page_count = {pages}")  # SQLite now reports SQLITE_FULL on growth
        codes = set()
        for i in range(40):  # enough rows to need a new page
            r = svc.client.post("/v1/requests", json=request_body(f"FULL-{i + 2}", description="d" * 1500), headers=h)
            codes.add(r.status_code)
            if r.status_code == 503:
                assert int(r.headers["retry-after"]) >= 1
                break
        assert 503 in codes and 500 not in codes, codes
        db._writer.execute("PRAGMA max_page_count = 1073741823")
        assert svc.client.get("/v1/requests/1", headers=h).json()["case_number"] == "FULL-1"
        assert db.integrity_check() == "ok"


def test_tokens_file_becomes_private_over_an_existing_file(tmp_path):
    path = tmp_path / "tokens.json"
    path.write_text("{}")
    path.chmod(0o644)
    write_tokens({"admin": "t"}, path)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert path.read_text() == '{"admin": "t"}'


def test_requests_beyond_the_queue_depth_are_shed():
    release = asyncio.Event()

    async def slow(scope, receive, send):
        await release.wait()
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    gate = Admission(slow, limit=2)

    async def one() -> tuple[int, dict]:
        got: list[dict] = []

        async def send(message):
            got.append(message)

        await gate({"type": "http", "path": "/v1/feed"}, None, send)
        return got[0]["status"], dict(got[0]["headers"])

    async def main():
        tasks = [asyncio.create_task(one()) for _ in range(3)]
        await asyncio.sleep(0.05)
        assert gate.in_flight == 2
        release.set()
        return await asyncio.gather(*tasks)

    answers = asyncio.run(main())
    assert sorted(status for status, _ in answers) == [200, 200, 503]
    shed = next(headers for status, headers in answers if status == 503)
    assert shed[b"retry-after"] == b"1" and gate.in_flight == 0


def test_a_batch_key_taken_by_another_process_is_replayed(db):
    """Two worker processes ingest the same camera batch: the second waits for the first's commit, then replays."""
    seed(db, tiny_world(), tiny_policy())
    rows = [(0, RALEIGH, "SAME01", "NC", time.time() - 60, 0.9, "w", "m", "b")]
    stored = threading.Event()
    release = threading.Event()

    def other_process() -> None:
        with db.write(durable=False) as tx:
            tx.bulk_insert("reads", ["camera", "agency", "plate", "state", "ts", "confidence", "color", "make", "body"], rows)
            idempotency.save(tx, "camera:0", "k1", "fp", 202, {"accepted": 1})
            stored.set()
            release.wait(timeout=30)

    t = threading.Thread(target=other_process)
    t.start()
    assert stored.wait(timeout=30)
    writer = GroupWriter(db, IngestOps({}, Metrics()))
    try:
        future = writer.submit(Batch(0, RALEIGH, rows, "camera:0", "k1", "fp", time.time()))
        time.sleep(0.3)  # PostgreSQL: the insert of the key waits for the other transaction; SQLite: the write lock
        release.set()
        t.join(timeout=30)
        assert future.result(timeout=30) == (202, {"accepted": 1}, True)
    finally:
        release.set()
        writer.close()
    with db.read() as tx:
        assert tx.scalar("SELECT count(*) FROM reads") == 1
