"""Running Locust headless as a subprocess: the command line, the environment, a bounded wait.

``python -m locust -f loadtest/locustfile.py --headless --csv PREFIX --csv-full-history --html FILE
--json-file FILE`` with the harness's users, spawn rate and run time, `--processes N` to use several
cores, and the fedsim options (`--tokens`, `--traffic`) the locustfile adds. A shape file or the
scenario day is selected with env ``FEDSIM_SHAPE``. The wait is bounded by the run time plus
`GRACE_S`; past that the whole process group is killed and the harness reports an error.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from loadtest.procs import Monitor, start, stop
from loadtest.server import HarnessError

LOCUSTFILE = Path(__file__).resolve().parent / "locustfile.py"
GRACE_S = 60.0
STOP_TIMEOUT_S = 5


@dataclass
class LocustRun:
    host: str
    folder: Path
    tokens: Path
    traffic: Path
    run_time_s: float
    users: int | None = None
    spawn_rate: float | None = None
    processes: int = 1
    shape: str | None = None  # FEDSIM_SHAPE: a shape file, or "scenario"
    classes: tuple[str, ...] = ()

    @property
    def prefix(self) -> Path:
        return self.folder / "locust"

    def command(self) -> list[str]:
        cmd = [
            sys.executable,
            "-m",
            "locust",
            "-f",
            str(LOCUSTFILE),
            "--host",
            self.host,
            "--headless",
            "--csv",
            str(self.prefix),
            "--csv-full-history",
            "--html",
            str(self.folder / "locust.html"),
            "--json-file",
            str(self.folder / "locust"),
            "--only-summary",
            "--loglevel",
            "WARNING",
            "--stop-timeout",
            str(STOP_TIMEOUT_S),
            "--run-time",
            f"{max(1, round(self.run_time_s))}s",
            "--tokens",
            str(self.tokens),
            "--traffic",
            str(self.traffic),
            "--cpu-dir",
            str(self.folder),
        ]
        if self.users is not None and not self.shape:
            cmd += ["--users", str(self.users), "--spawn-rate", str(self.spawn_rate or self.users)]
        if self.processes != 1:
            cmd += ["--processes", str(self.processes)]
        return cmd + list(self.classes)

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("FEDSIM_")}
        if self.shape:
            env["FEDSIM_SHAPE"] = self.shape
        return env

    def run(self, monitor: Monitor | None = None) -> tuple[int, float, float]:
        """(Locust's exit status, wall seconds, CPU seconds of Locust and its worker processes)."""
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.monotonic()
        proc = start(self.command(), self.folder / "locust.log", env=self.env())
        if monitor is not None:
            monitor.watch("client", proc.pid)
        try:
            code = proc.wait(timeout=self.run_time_s + STOP_TIMEOUT_S + GRACE_S)
        except subprocess.TimeoutExpired:
            raise HarnessError(f"Locust did not finish within {self.run_time_s + GRACE_S:.0f} s; stopped it") from None
        finally:  # also on Ctrl-C or SIGTERM: Locust runs in its own session and would not get the signal
            stop(proc, grace_s=5)
        wall = time.monotonic() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        return code, wall, cpu
