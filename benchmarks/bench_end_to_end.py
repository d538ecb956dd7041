"""End to end, as a user feels it: `fedsim run scenarios/baseline.yaml --set run.replications=1` with its report.

Targets (issue 16, item 8): the whole command, imports, world, run, results folder and report.html included,
in at most 12 s on a 2-core machine; `fedsim report` on that folder alone (imports included) in at most 3 s.
Each is timed as a fresh `fedsim` process, as a user types it; the run without its report (`--no-report`)
is timed too, so the report's share of the whole is visible.

The box this runs on is shared: each measurement is repeated (``FEDSIM_BENCH_REPEATS``, default 3) in the
order run, run --no-report, report, and the minimum and the median of each are recorded, with the 1-minute
load average before the first and after the last repetition. The minimum is the best estimate of the
command's own cost; the median shows what a user on a busy box sees. CPU seconds (user + system of the
command and the worker processes it waited for) are recorded beside the wall figures: they move less with
other load. Each run writes a fresh folder.
"""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCENARIO = ROOT / "scenarios" / "baseline.yaml"
REPEATS = int(os.environ.get("FEDSIM_BENCH_REPEATS", "3"))
TIMEOUT_S = 600


def fedsim() -> list[str]:
    """The `fedsim` console script beside this interpreter (what a user runs), else the module."""
    script = Path(sys.executable).parent / "fedsim"
    return [str(script)] if script.exists() else [sys.executable, "-m", "sim.cli.main"]


def children_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(args: list[str]) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system of the command and the processes it waited for)."""
    cpu0, t0 = children_cpu_s(), time.perf_counter()
    subprocess.run(fedsim() + args, cwd=ROOT, check=True, capture_output=True, text=True, timeout=TIMEOUT_S)
    return time.perf_counter() - t0, children_cpu_s() - cpu0


def measure(tmp: Path) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {}
    base = ["run", str(SCENARIO), "--set", "run.replications=1", "-q"]

    def add(name: str, wall_cpu: tuple[float, float]) -> None:
        times.setdefault(f"{name}_s", []).append(wall_cpu[0])
        times.setdefault(f"{name}_cpu_s", []).append(wall_cpu[1])

    for i in range(REPEATS):
        out = tmp / f"run{i}"
        add("end_to_end", timed(base + ["-o", str(out)]))
        bare = tmp / f"bare{i}"
        add("run_no_report", timed(base + ["-o", str(bare), "--no-report"]))
        shutil.rmtree(bare, ignore_errors=True)
        add("report", timed(["report", str(out), "-o", str(tmp / f"report{i}" / "report.html")]))
    return times


def main() -> None:
    from benchmarks.common import record

    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="fedsim-e2e-") as tmp:
        times = measure(Path(tmp))
    load_after = os.getloadavg()[0]
    figures: dict[str, float] = {}
    for name, values in times.items():
        stem = name.removesuffix("_s")
        figures[f"{stem}_min_s"] = min(values)
        if not stem.endswith("_cpu"):
            figures[f"{stem}_median_s"] = statistics.median(values)
    figures |= {"repeats": float(REPEATS), "load_avg_1min_before": load_before, "load_avg_1min_after": load_after}
    print("all times (s): " + "; ".join(f"{k} " + ", ".join(f"{v:.2f}" for v in vs) for k, vs in times.items()))
    record("end_to_end", figures, {"end_to_end_min_s": ("<=", 12.0), "report_min_s": ("<=", 3.0)})


if __name__ == "__main__":
    main()
