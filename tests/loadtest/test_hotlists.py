"""Hotlists on both backends (issue 17, findings 1 and 6): deduplicated per agency, capped, matched by a fixed
number of statements per batch; a hit on another agency's camera is audited for that agency; alerts go with
their reads at the retention purge."""

from __future__ import annotations

import time

from loadtest.service.bootstrap import seed
from loadtest.service.limits import HOTLIST_ENTRIES_PER_AGENCY_MAX
from loadtest.service.purge import purge
from loadtest.service.queries import alpr
from loadtest.service.storage.schema import READ_COLUMNS
from tests.loadtest.helpers import read
from tests.loadtest.test_alpr import CAM, ingest
from tests.loadtest.worlds import DURHAM, OAKLAND, RALEIGH, tiny_policy, tiny_world

DAY = 86400.0


def hotlist(service, agency: int, plates: list[str], reason: str = "stolen vehicle"):
    body = {"name": "watch", "plates": [{"plate": p, "state": "NC", "reason": reason} for p in plates]}
    return service.client.post("/v1/hotlists", json=body, headers=service.h("agencies", agency))


def count(service, table: str) -> int:
    return service.client.get("/v1/admin/stats", headers=service.h("admin")).json()["rows"][table]


def test_repeated_plates_are_stored_once_and_alert_once_per_read(service):
    r = hotlist(service, RALEIGH, ["DUP123"] * 10_000)
    assert r.status_code == 201, r.text
    assert r.json()["entries"] == 1 and r.json()["duplicates"] == 9_999
    again = hotlist(service, RALEIGH, ["DUP123", "NEW123"])  # one already on a hotlist of this agency
    assert again.json()["entries"] == 1 and again.json()["duplicates"] == 1
    assert count(service, "hotlist_entries") == 2
    ingest(service, DURHAM, [read("DUP123") for _ in range(50)])
    assert count(service, "alerts") == 50  # not 50 x 10,000


def test_an_agency_holds_a_bounded_number_of_hotlisted_plates(service):
    per_post = 10_000
    plates = [f"Q{i:06d}" for i in range(HOTLIST_ENTRIES_PER_AGENCY_MAX + 1)]
    for start in range(0, HOTLIST_ENTRIES_PER_AGENCY_MAX, per_post):
        assert hotlist(service, RALEIGH, plates[start : start + per_post]).status_code == 201
    over = hotlist(service, RALEIGH, plates[-1:])
    assert over.status_code == 422 and over.json()["detail"][0]["field"] == "plates"
    assert str(HOTLIST_ENTRIES_PER_AGENCY_MAX) in over.json()["message"]
    assert count(service, "hotlist_entries") == HOTLIST_ENTRIES_PER_AGENCY_MAX  # the refused list stored nothing
    assert hotlist(service, DURHAM, plates[-1:]).status_code == 201  # another agency has its own allowance


class CountingTx:
    """A transaction that counts the statements run through it."""

    def __init__(self, tx) -> None:
        self.tx, self.statements = tx, 0

    def __getattr__(self, name):
        attr = getattr(self.tx, name)
        if name in ("execute", "executemany", "bulk_insert"):
            def counted(*args, **kwargs):
                self.statements += 1
                return attr(*args, **kwargs)

            return counted
        return attr

    def all(self, sql, params=()):
        return self.execute(sql, params).fetchall()

    def one(self, sql, params=()):
        return self.execute(sql, params).fetchone()

    def scalar(self, sql, params=()):
        row = self.one(sql, params)
        return None if row is None else row[0]


def test_alert_matching_is_set_based(db):
    """A batch's statements do not grow with its hits or the hotlists that match them."""
    seed(db, tiny_world(), tiny_policy())
    now = time.time()
    with db.write() as tx:
        for agency in (RALEIGH, DURHAM):
            tx.executemany(
                "INSERT INTO hotlist_entries (hotlist, agency, plate, state, reason) VALUES (1, ?, ?, 'NC', 'r')",
                [(agency, f"H{i:04d}") for i in range(300)],
            )
    statements = {}
    for hits in (1, 300):
        rows = [(CAM[DURHAM], DURHAM, f"H{i:04d}" if i < hits else f"M{i:04d}", "NC", now - 60, 0.9, "w", "m", "b")
                for i in range(300)]  # fmt: skip
        with db.write() as raw:
            tx = CountingTx(raw)
            alpr.ingest(tx, CAM[DURHAM], DURHAM, rows, {}, now)
        statements[hits] = tx.statements
    assert statements[1] == statements[300]
    with db.read() as tx:
        assert tx.scalar("SELECT count(*) FROM alerts") == 2 * 301  # both agencies see Durham's camera


def test_a_hit_on_another_agencys_camera_is_in_its_audit(service):
    assert hotlist(service, RALEIGH, ["SPY123"], reason="watching you").status_code == 201
    ingest(service, DURHAM, [read("SPY123"), read("SPY123")])  # Durham shares with Raleigh: alerts
    ingest(service, RALEIGH, [read("SPY123")])  # Raleigh's own camera: an alert, nothing to audit elsewhere
    alerts = service.client.get("/v1/alerts", headers=service.h("agencies", RALEIGH)).json()["items"]
    assert sorted(a["camera_agency_id"] for a in alerts) == [RALEIGH, DURHAM, DURHAM]
    durham = service.client.get("/v1/audit", headers=service.h("agencies", DURHAM)).json()["items"]
    assert [(e["agency_id"], e["kind"], e["reason"], e["results"]) for e in durham] == [(RALEIGH, "hotlist", "watching you", 2)]
    assert service.client.get("/v1/audit", headers=service.h("agencies", OAKLAND)).json()["items"] == []
    page = service.client.get(f"/v1/transparency/{RALEIGH}").json()
    assert page["searches_30d"] == 0  # audit records of hits are not counted as the agency's searches


def test_alerts_are_purged_with_their_reads(db):
    seed(db, tiny_world(), tiny_policy())
    now = time.time()
    with db.write() as tx:
        rows = [(CAM[DURHAM], DURHAM, "OLD123", "NC", now - 40 * DAY, 0.9, "w", "m", "b"),
                (CAM[DURHAM], DURHAM, "NEW123", "NC", now - 1 * DAY, 0.9, "w", "m", "b")]  # fmt: skip
        tx.bulk_insert("reads", READ_COLUMNS, rows)
        for plate, ts in (("OLD123", now - 40 * DAY), ("NEW123", now - DAY)):
            tx.execute(
                "INSERT INTO alerts (agency, hotlist, camera, camera_agency, plate, state, ts, reason, created) "
                "VALUES (:a, 1, :c, :o, :p, 'NC', :ts, 'r', :ts)",
                {"a": RALEIGH, "c": CAM[DURHAM], "o": DURHAM, "p": plate, "ts": ts},
            )
    done = purge(db, batch=10, now=now)
    assert done["reads"] == 1 and done["alerts"] == 1
    with db.read() as tx:
        assert [r[0] for r in tx.all("SELECT plate FROM alerts")] == ["NEW123"]
        assert [r[0] for r in tx.all("SELECT plate FROM reads")] == ["NEW123"]
