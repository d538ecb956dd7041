"""ALPR ingest through the reference service against raw SQLite inserts of the same schema, in the same run.

Targets (issue 7): at least 25,000 reads/s sustained with plates searchable (three times the national average
read stream of ~7,700/s: 20 billion scans a month, Flock), and at least 70% of raw SQLite inserts.

- Raw: `sqlite3` `executemany` of the same prepared rows into the service's own `reads` table (same indexes,
  WAL, ``synchronous=NORMAL``), one transaction per batch of `BATCH` reads: what the disk and SQLite can do.
- Service: `fedsim serve` (1 uvicorn worker, SQLite) in a child process on 127.0.0.1, seeded from
  scenarios/small.yaml; `CLIENTS` client threads POST pre-encoded JSON batches of `BATCH` reads (camera tokens)
  over keep-alive connections; each 202 means committed. Client and server are co-located on this machine, so
  the client's CPU comes out of the server's budget.
- Raw at the service's commit size: the same rows, committed in groups of the service's mean reads per
  transaction (the service group-commits concurrent batches): the service's own overhead, apart from batching.
- The two alternate: `PHASES` service phases of `PHASE_S` seconds, each followed by raw inserts of as many
  reads, so background load on a shared machine hits both sides alike.
- Searchable: afterwards `SEARCHES` plates from acknowledged batches are searched (the owning agency, local
  scope) and each must be found.
- PostgreSQL: the same ingest against `FEDSIM_TEST_POSTGRES_URL` (default the local test database, in a schema
  of its own, dropped afterwards) for `2 x PHASE_S`, when the server is reachable (COPY per batch).
Both sides insert the same number of reads into a table of the same starting size. On a shared machine the wall
rates swing with other load; the per-CPU-second rates (server process CPU; raw loop CPU) are printed beside them.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import orjson
import psutil

from benchmarks.common import postgres_url, record, with_schema
from loadtest.procs import free_port

ROOT = Path(__file__).resolve().parent.parent
BATCH = 2000
PHASES = 4
PHASE_S = 5.0
PEAK_RATE = 60_000  # reads/s the pre-built bodies of one phase can carry
CLIENTS = 6
CAMERAS = 16
SEARCHES = 20
PLATE_CHARS = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
COLORS = ("white", "black", "silver", "gray", "red", "blue")
MAKES = ("ford", "toyota", "honda", "chevrolet")
BODIES = ("sedan", "suv", "pickup", "van")
STARTUP_S = 120.0


def make_reads(rng: random.Random, n: int, t0: float) -> list[dict]:
    """Reads one millisecond apart; the first at confidence 0.9 (searchable), the rest 0.6-1.0."""
    return [
        {"plate": "".join(rng.choices(PLATE_CHARS, k=7)), "state": "NC",
         "ts": datetime.fromtimestamp(t0 + i * 1e-3, UTC).isoformat(),
         "confidence": 0.9 if i == 0 else round(rng.uniform(0.6, 1.0), 3),
         "color": rng.choice(COLORS), "make": rng.choice(MAKES), "body": rng.choice(BODIES)}
        for i in range(n)
    ]  # fmt: skip


class RawSink:
    """Plain `executemany` into a fresh database with the service's schema, one transaction per batch."""

    def __init__(self, path: str) -> None:
        from loadtest.service.storage.schema import READ_COLUMNS
        from loadtest.service.storage.sqlite import SqliteDatabase, connect

        db = SqliteDatabase(path)
        db.create_schema()
        db.close()
        self.conn = connect(path, "NORMAL")
        self.sql = f"INSERT INTO reads ({', '.join(READ_COLUMNS)}) VALUES ({', '.join('?' * len(READ_COLUMNS))})"

    def insert(self, batches: list[list[tuple]], per_commit: int = 1) -> tuple[float, float]:
        """(wall seconds, CPU seconds) to insert every batch, committing every `per_commit` batches."""
        t0, c0 = time.perf_counter(), time.process_time()
        for i in range(0, len(batches), per_commit):
            self.conn.execute("BEGIN IMMEDIATE")
            for rows in batches[i : i + per_commit]:
                self.conn.executemany(self.sql, rows)
            self.conn.execute("COMMIT")
        return time.perf_counter() - t0, time.process_time() - c0


def raw_batches(rng: random.Random, reads: int, t0: float) -> list[list[tuple]]:
    out = []
    for b in range(max(1, reads // BATCH)):
        rows = make_reads(rng, BATCH, t0 + b * 0.01)
        out.append([(b % CAMERAS, 0, r["plate"], r["state"], t0 + b * 0.01 + i * 1e-3, r["confidence"], r["color"],
                     r["make"], r["body"]) for i, r in enumerate(rows)])  # fmt: skip
    return out


def call(port: int, method: str, path: str, body: bytes | None, token: str) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        conn.request(method, path, body=body, headers=headers)
        r = conn.getresponse()
        return r.status, r.read()
    finally:
        conn.close()


class Client(threading.Thread):
    def __init__(self, port: int, bodies: list[tuple[str, bytes, list[str]]], stop_at: float) -> None:
        super().__init__(daemon=True)
        self.port, self.bodies, self.stop_at = port, bodies, stop_at
        self.acked = 0
        self.acked_plates: list[tuple[str, str]] = []  # (camera id, plate)
        self.latencies: list[float] = []
        self.errors = 0

    def run(self) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        i = 0
        while time.monotonic() < self.stop_at and i < len(self.bodies):
            cam, token, body, plates = self.bodies[i]
            i += 1
            t0 = time.perf_counter()
            conn.request(
                "POST",
                "/v1/alpr/reads",
                body=body,
                headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
            )
            r = conn.getresponse()
            r.read()
            self.latencies.append(time.perf_counter() - t0)
            if r.status == 202:
                self.acked += len(plates)
                self.acked_plates.append((cam, plates[0]))  # plates[0] is read at >= 75% confidence
            else:
                self.errors += 1
        conn.close()


class Server:
    """`fedsim serve` in a child process (SQLite in `tmp`, or `db`), seeded from the small scenario, killed on exit."""

    def __init__(self, tmp: str, db: str | None = None) -> None:
        self.tmp, self.port = tmp, free_port()
        tokens_path, db = f"{tmp}/tokens.json", db or f"sqlite:///{tmp}/service.db"
        serve = [sys.executable, "-m", "sim.cli.main", "serve", "--db", db, "--rate-scale", "0"]
        seed = ["--bootstrap", str(ROOT / "scenarios/small.yaml"), "--tokens", tokens_path, "--bootstrap-only"]
        subprocess.run([*serve, *seed, "--bootstrap-limit", str(CAMERAS)], check=True, cwd=ROOT, timeout=STARTUP_S)
        self.tokens = json.loads(Path(tokens_path).read_text())
        self.log = Path(f"{tmp}/server.log")
        self.proc = subprocess.Popen(
            [*serve, "--port", str(self.port)], cwd=ROOT, stdout=self.log.open("wb"), stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + STARTUP_S
        while True:
            try:
                if call(self.port, "GET", "/healthz", None, "")[0] == 200:
                    return
            except OSError:
                if time.monotonic() > deadline or self.proc.poll() is not None:
                    self.close()
                    raise RuntimeError(f"the service did not start: {self.log.read_text()[-1000:]}") from None
                time.sleep(0.2)

    def mean_commit_reads(self) -> float:
        """Mean reads per ingest transaction so far, from the service's own /metrics."""
        text = call(self.port, "GET", "/metrics", None, "")[1].decode()
        values = dict(line.rsplit(" ", 1) for line in text.splitlines() if line.startswith("fedsim_alpr_commit_reads_"))
        count = float(values.get("fedsim_alpr_commit_reads_count", 0))
        return float(values["fedsim_alpr_commit_reads_sum"]) / count if count else float(BATCH)

    def cpu_s(self) -> float:
        t = psutil.Process(self.proc.pid).cpu_times()
        return t.user + t.system

    def close(self) -> None:
        self.proc.kill()
        self.proc.wait(timeout=30)


def drive(srv: Server, bodies: list, seconds: float) -> list[Client]:
    stop_at = time.monotonic() + seconds
    clients = [Client(srv.port, bodies[i::CLIENTS], stop_at) for i in range(CLIENTS)]
    for c in clients:
        c.start()
    for c in clients:
        c.join(timeout=seconds + 120)
    return clients


def searchable(srv: Server, rng: random.Random, acked: list[tuple[str, str]]) -> float:
    found = 0
    sample = rng.sample(acked, min(SEARCHES, len(acked)))
    for cam, plate in sample:
        agency = str(srv.tokens["cameras"][cam]["agency"])
        body = orjson.dumps({"plate": plate, "reason": "benchmark", "case_number": "BENCH-1", "scope": "local"})
        status, out = call(srv.port, "POST", "/v1/searches", body, srv.tokens["agencies"][agency]["token"])
        found += status == 200 and any(h["plate"] == plate for h in json.loads(out)["results"])
    return found / max(1, len(sample))


def bodies_for(srv: Server, rng: random.Random, n: int, t0: float) -> list:
    cams = list(srv.tokens["cameras"].items())[:CAMERAS]
    out = []
    for b in range(n):
        cam, info = cams[b % len(cams)]
        reads = make_reads(rng, BATCH, t0 + b * 0.01)
        out.append((cam, info["token"], orjson.dumps({"reads": reads}), [r["plate"] for r in reads]))
    return out


def postgres(tmp: str, rng: random.Random) -> dict[str, float]:
    """The same ingest against PostgreSQL (COPY), when the server is reachable; {} otherwise."""
    import psycopg

    url = postgres_url("ingest")
    if url is None:
        return {}
    schema = f"bench_ingest_{os.getpid()}"
    srv = Server(tmp, with_schema(url, schema))
    try:
        bodies = bodies_for(srv, rng, int(PEAK_RATE * PHASE_S * 2 / BATCH), time.time() - 60)
        start = time.perf_counter()
        clients = drive(srv, bodies, PHASE_S * 2)
        rate = sum(c.acked for c in clients) / (time.perf_counter() - start)
        share = searchable(srv, rng, [p for c in clients for p in c.acked_plates])
    finally:
        srv.close()
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
    return {"postgres_service_reads_per_s": rate, "postgres_plates_searchable_share": share}


def main() -> None:
    """Alternate service and raw phases (the same reads each time) so background load hits both alike."""
    rng = random.Random(7)
    svc_reads = svc_s = svc_cpu = raw_reads = raw_s = raw_cpu = grouped_s = 0.0
    acked: list[tuple[str, str]] = []
    latencies: list[float] = []
    errors = 0
    with tempfile.TemporaryDirectory() as tmp:
        srv = Server(tmp)
        try:
            sink, grouped = RawSink(f"{tmp}/raw.db"), RawSink(f"{tmp}/raw-grouped.db")
            t0 = time.time() - 60
            per_phase = int(PEAK_RATE * PHASE_S / BATCH)
            for phase in range(PHASES):
                bodies = bodies_for(srv, rng, per_phase, t0 + phase * per_phase * 0.01)
                start, cpu0 = time.perf_counter(), srv.cpu_s()
                clients = drive(srv, bodies, PHASE_S)
                svc_s += time.perf_counter() - start
                svc_cpu += srv.cpu_s() - cpu0
                done = sum(c.acked for c in clients)
                svc_reads += done
                acked += [p for c in clients for p in c.acked_plates]
                latencies += [x for c in clients for x in c.latencies]
                errors += sum(c.errors for c in clients)
                batches = raw_batches(rng, done, t0)
                wall, cpu = sink.insert(batches)
                raw_s, raw_cpu = raw_s + wall, raw_cpu + cpu
                per_commit = max(1, round(srv.mean_commit_reads() / BATCH))
                grouped_s += grouped.insert(batches, per_commit)[0]
                raw_reads += sum(len(b) for b in batches)
            share = searchable(srv, rng, acked)
            commit_reads = srv.mean_commit_reads()
        finally:
            srv.close()
        pg = postgres(tmp, rng)
    lat = sorted(latencies)
    svc_rate, raw_rate = svc_reads / svc_s, raw_reads / raw_s
    record(
        "ingest",
        {
            "service_reads_per_s": svc_rate,
            "raw_sqlite_reads_per_s": raw_rate,
            "service_vs_raw": svc_rate / raw_rate,
            "service_reads_per_server_cpu_s": svc_reads / svc_cpu,
            "raw_reads_per_cpu_s": raw_reads / raw_cpu,
            "service_vs_raw_per_cpu_s": (svc_reads / svc_cpu) / (raw_reads / raw_cpu),
            "raw_sqlite_same_commit_size_reads_per_s": raw_reads / grouped_s,
            "service_vs_raw_same_commit_size": svc_rate / (raw_reads / grouped_s),
            "service_reads_per_commit": commit_reads,
            "plates_searchable_share": share,
            "batch_p50_ms": lat[len(lat) // 2] * 1e3,
            "batch_p95_ms": lat[int(len(lat) * 0.95)] * 1e3,
            "failed_batches": errors,
            **pg,
        },
        {"service_reads_per_s": (">=", 25_000), "service_vs_raw": (">=", 0.7), "plates_searchable_share": (">=", 1.0),
         "failed_batches": ("<=", 0), "postgres_plates_searchable_share": (">=", 1.0)},
    )  # fmt: skip
    print(f"ingest: {BATCH} reads per batch, {CLIENTS} client threads, {PHASES} x {PHASE_S:.0f} s alternating with raw "
          f"inserts of the same count; {svc_reads:.0f} reads; client and server co-located")  # fmt: skip


if __name__ == "__main__":
    main()
