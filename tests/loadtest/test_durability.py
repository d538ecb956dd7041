"""Durability: kill -9 the server mid-ingest several times; every acknowledged write is there afterwards and
the database passes its integrity check. Real `fedsim serve` processes on 127.0.0.1 and a free port."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx2 as httpx
import pytest

from loadtest.procs import free_port
from loadtest.service.bootstrap import seed
from loadtest.service.storage import open_database
from tests.loadtest.helpers import read, request_body
from tests.loadtest.worlds import RALEIGH, tiny_policy, tiny_world

ROOT = Path(__file__).resolve().parents[2]
ROUNDS = 3
BATCH = 200
ACKS_BEFORE_KILL = 5
START_TIMEOUT_S = 60.0
ROUND_TIMEOUT_S = 30.0
MAX_BATCHES_PER_ROUND = 2000

pytestmark = pytest.mark.slow


def b36(n: int, width: int) -> str:
    digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    out = ""
    for _ in range(width):
        n, d = divmod(n, 36)
        out = digits[d] + out
    return out


def start(url: str, port: int, log: Path) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "sim.cli.main", "serve", "--db", url, "--port", str(port), "--rate-scale", "0"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=log.open("ab"), stderr=subprocess.STDOUT)
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"the server exited: {log.read_text()[-2000:]}"
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1.0).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise AssertionError(f"the server did not answer within {START_TIMEOUT_S} s: {log.read_text()[-2000:]}")


class Writer(threading.Thread):
    """Sends read batches (and one request every 10 batches) until stopped; records what was acknowledged."""

    def __init__(self, base: str, headers: dict[str, dict[str, str]], tag: str) -> None:
        super().__init__(daemon=True)
        self.base, self.headers, self.tag = base, headers, tag
        self.plates: list[str] = []
        self.cases: list[str] = []
        self.stop = threading.Event()

    def run(self) -> None:
        with httpx.Client(base_url=self.base, timeout=5.0) as client:
            for n in range(MAX_BATCHES_PER_ROUND):
                if self.stop.is_set():
                    return
                plates = [f"{self.tag}{b36(n, 3)}{b36(i, 2)}" for i in range(BATCH)]
                try:
                    r = client.post("/v1/alpr/reads", json={"reads": [read(p) for p in plates]}, headers=self.headers["camera"])
                    if r.status_code == 202:
                        self.plates += plates
                    if n % 10 == 0:
                        case = f"D-{self.tag}-{n}"
                        r = client.post("/v1/requests", json=request_body(case), headers=self.headers["agency"])
                        if r.status_code == 201:
                            self.cases.append(case)
                except httpx.HTTPError:
                    return  # the server is gone


def test_acknowledged_writes_survive_kill_9(db_url, tmp_path):
    db = open_database(db_url)
    db.create_schema()
    tokens = seed(db, tiny_world(), tiny_policy())
    db.close()
    auth = {
        "camera": {"Authorization": f"Bearer {tokens['cameras']['0']['token']}"},
        "agency": {"Authorization": f"Bearer {tokens['agencies'][str(RALEIGH)]['token']}"},
    }
    plates: list[str] = []
    cases: list[str] = []
    for rnd in range(ROUNDS):
        port = free_port()
        proc = start(db_url, port, tmp_path / "server.log")
        writer = Writer(f"http://127.0.0.1:{port}", auth, f"K{rnd}")
        writer.start()
        deadline = time.monotonic() + ROUND_TIMEOUT_S
        while len(writer.plates) < ACKS_BEFORE_KILL * BATCH and time.monotonic() < deadline and writer.is_alive():
            time.sleep(0.01)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        writer.stop.set()
        writer.join(timeout=10)
        assert len(writer.plates) >= ACKS_BEFORE_KILL * BATCH, f"round {rnd}: only {len(writer.plates)} reads acknowledged"
        plates += writer.plates
        cases += writer.cases
    db = open_database(db_url)
    try:
        assert db.integrity_check() == "ok"
        with db.read() as tx:
            stored = {r[0] for r in tx.all("SELECT plate FROM reads")}
            stored_cases = {r[0] for r in tx.all("SELECT case_number FROM requests")}
    finally:
        db.close()
    missing = set(plates) - stored
    assert not missing, f"{len(missing)} of {len(plates)} acknowledged reads lost"
    assert set(cases) <= stored_cases
    assert len(set(plates)) == len(plates) >= ROUNDS * ACKS_BEFORE_KILL * BATCH
