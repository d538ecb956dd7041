"""The reference service as a child process of the load test: seed, start, probe, scrape, stop.

Runs the service as its own module (`python -m loadtest.service`, the options of `fedsim serve`) on
127.0.0.1 and a free port, with a temporary SQLite database under the run's folder unless a database URL
is given. Seeding is `python -m loadtest.service --bootstrap SCENARIO --tokens FILE --bootstrap-only` (at
most `BOOTSTRAP_LIMIT` households and cameras), then the server starts. Every wait is bounded;
`stop()` always runs (context manager), also on errors.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
import urllib.request
from datetime import timedelta
from pathlib import Path
from typing import Any

import numpy as np

from loadtest import payloads
from loadtest.plan import UserBehavior
from loadtest.procs import free_port, http_get, start, stop, wait_http
from loadtest.prom import Scrape, parse

START_TIMEOUT_S = 60.0
BOOTSTRAP_TIMEOUT_S = 300.0
BOOTSTRAP_LIMIT = 500  # households and cameras seeded (assumption: enough distinct tokens, quick to seed)
PROBE_SEARCHES = 15  # sequential searches per probe (before and after the run)
PROBE_WINDOW_DAYS = 29  # days a probe search looks back (within the default 30-day retention)


class HarnessError(RuntimeError):
    """The harness could not do its job (service did not start, Locust crashed): exit status 2."""


class Service:
    def __init__(
        self, folder: Path, db: str | None, workers: int, world: str, rate_scale: float = 1.0, prefill_reads: int = 0,
        module: str = "loadtest.service",
    ) -> None:
        self.module = module  # run as `python -m MODULE` (a test may run a deliberately slowed variant)
        self.rate_scale = rate_scale  # multiplies the service's per-token rate limits; 0 turns them off
        self.prefill_reads = prefill_reads
        self.folder = folder
        self.db = db or f"sqlite:///{(folder / 'service.db').resolve()}"
        self.workers = workers
        self.world = world
        self.tokens_path = folder / "tokens.json"
        self.log = folder / "service.log"
        self.port = 0
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _cmd(self, *extra: str) -> list[str]:
        return [sys.executable, "-m", self.module, "--db", self.db, *extra]

    def _serve_args(self) -> list[str]:
        args = ["--host", "127.0.0.1", "--port", str(self.port), "--workers", str(self.workers)]
        return args if self.rate_scale == 1.0 else [*args, "--rate-scale", repr(float(self.rate_scale))]

    def __enter__(self) -> Service:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> None:
        """Seed the database and tokens, then serve; raises `HarnessError` with the log's tail on failure."""
        seed = start(
            self._cmd(
                "--bootstrap",
                self.world,
                "--tokens",
                str(self.tokens_path),
                "--bootstrap-only",
                "--bootstrap-limit",
                str(BOOTSTRAP_LIMIT),
                "--prefill-reads",
                str(self.prefill_reads),
            ),
            self.log,
        )
        try:
            code = seed.wait(timeout=BOOTSTRAP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            msg = f"python -m loadtest.service --bootstrap took over {BOOTSTRAP_TIMEOUT_S:.0f} s; stopped it"
            raise HarnessError(msg + self.tail()) from None
        finally:  # also on Ctrl-C: the child runs in its own session
            stop(seed)
        if code != 0 or not self.tokens_path.exists():
            raise HarnessError(f"python -m loadtest.service --bootstrap failed (exit {code}){self.tail()}")
        for _ in range(3):  # a free port can be taken between asking and binding: try another
            self.port = free_port()
            self.proc = start(self._cmd(*self._serve_args()), self.log)
            if wait_http(f"{self.url}/healthz", START_TIMEOUT_S, self.proc):
                return
            stop(self.proc)
        raise HarnessError(f"the service did not answer /healthz within {START_TIMEOUT_S:.0f} s{self.tail()}")

    def stop(self) -> None:
        stop(self.proc)
        self.proc = None

    def tail(self, lines: int = 15) -> str:
        try:
            text = self.log.read_text(errors="replace").splitlines()[-lines:]
        except OSError:
            return ""
        return "\n  service log (" + str(self.log) + "):\n  " + "\n  ".join(text) if text else ""

    def tokens(self) -> dict[str, Any]:
        return json.loads(self.tokens_path.read_text())

    def scrape(self) -> Scrape:
        status, body = http_get(f"{self.url}/metrics", timeout_s=10.0)
        if status != 200:
            raise HarnessError(f"GET /metrics answered {status}")
        return parse(body.decode("utf-8", errors="replace"))

    def probe_search(self, seed: int, behavior: UserBehavior) -> float | None:
        """Median milliseconds of `PROBE_SEARCHES` sequential statewide plate searches over 29 days, or the service's
        longest retention when shorter (older reads are gone: a longer window runs too, but the probe times the query
        over held reads alike whatever the retention), under the rules of the tokens file (searches the agency's
        moderation blocks are left out)."""
        agencies = self.tokens().get("agencies", {})
        if not agencies:
            return None
        # the probe token (its searches are audited as probes, out of transparency counts); an older file: an agency's
        token = (self.tokens().get("probe") or next(iter(agencies.values())))["token"]
        behavior = behavior.under(self.tokens().get("rules"))
        window = timedelta(days=min(PROBE_WINDOW_DAYS, behavior.retention_days_max)) - timedelta(minutes=1)
        rng = np.random.Generator(np.random.PCG64(seed))
        times = []
        for _ in range(PROBE_SEARCHES):
            body = payloads.search(rng, True, behavior, "state_police", "PROBE") | {"scope": "statewide"}
            body["since"] = payloads.iso(payloads.now() - window)
            req = urllib.request.Request(
                f"{self.url}/v1/searches",
                data=json.dumps(body).encode(),
                method="POST",
                headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
            )
            t0 = time.perf_counter()
            try:
                with urllib.request.urlopen(req, timeout=30) as resp:
                    # a search that moderation blocks reaches nothing: it says nothing of the cost per read
                    ok = resp.status == 200 and json.loads(resp.read()).get("moderation") != "blocked"
            except (OSError, ValueError):
                ok = False
            if ok:
                times.append((time.perf_counter() - t0) * 1000)
        return statistics.median(times) if times else None
