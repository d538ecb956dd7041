"""Processes the load-test harness starts: bounded start and stop, free ports, CPU and memory sampling.

Every child runs in its own session (process group) so stopping it stops its workers too: SIGTERM, a
bounded wait, then SIGKILL. `Monitor` samples each watched process tree once per `interval_s` with psutil:
CPU seconds used (user + system, all processes of the tree) and resident memory (bytes).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import psutil


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(cmd: list[str], log: Path, env: dict[str, str] | None = None, cwd: Path | None = None) -> subprocess.Popen:
    with open(log, "ab") as fh:  # the child has its own copy of the descriptor
        return subprocess.Popen(cmd, stdout=fh, stderr=subprocess.STDOUT, env=env, cwd=cwd, start_new_session=True)


def stop(proc: subprocess.Popen | None, grace_s: float = 10.0) -> int | None:
    """Stop a child and its process group; returns its exit status (None if it had to be killed)."""
    if proc is None:
        return None
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            proc.wait(timeout=grace_s)
        except subprocess.TimeoutExpired:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.wait(timeout=grace_s)
    else:
        try:  # the leader exited; make sure no worker of its group lingers
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
    return proc.returncode


def http_get(url: str, timeout_s: float = 5.0, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    req = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=timeout_s) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def wait_http(url: str, timeout_s: float, proc: subprocess.Popen | None = None) -> bool:
    """Poll `url` until it answers 200, the process dies, or `timeout_s` passes."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            return False
        try:
            if http_get(url, timeout_s=2.0)[0] == 200:
                return True
        except OSError:
            pass
        time.sleep(0.1)
    return False


def tree(pid: int) -> list[psutil.Process]:
    try:
        root = psutil.Process(pid)
        return [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


def tree_usage(pid: int) -> tuple[float, int]:
    """(CPU seconds, resident bytes) of a process and its descendants, now."""
    cpu, rss = 0.0, 0
    for p in tree(pid):
        try:
            t = p.cpu_times()
            cpu += t.user + t.system
            rss += p.memory_info().rss
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return cpu, rss


@dataclass
class Monitor:
    """Samples named process trees every `interval_s` in a background thread."""

    interval_s: float = 1.0
    pids: dict[str, int] = field(default_factory=dict)
    samples: list[dict[str, float]] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None
    _done: dict[str, float] = field(default_factory=dict)  # CPU of trees' processes that already exited

    def watch(self, name: str, pid: int) -> None:
        self.pids[name] = pid

    def sample(self) -> dict[str, float]:
        row: dict[str, float] = {"t": time.time()}
        for name, pid in self.pids.items():
            cpu, rss = tree_usage(pid)
            row[f"{name}_cpu_s"] = max(cpu, self._done.get(name, 0.0))
            self._done[name] = row[f"{name}_cpu_s"]
            row[f"{name}_rss_bytes"] = float(rss)
        self.samples.append(row)
        return row

    def _run(self) -> None:
        while not self._stop.wait(self.interval_s):
            self.sample()

    def start(self) -> None:
        self.sample()
        self._thread = threading.Thread(target=self._run, name="fedsim-monitor", daemon=True)
        self._thread.start()

    def stop(self) -> list[dict[str, float]]:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self.sample()
        return self.samples
