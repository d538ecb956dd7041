"""End to end, as a user feels it: `fedsim run scenarios/baseline.yaml --set run.replications=1` with its report.

Targets (issue 16, item 8): the whole command, imports, world, run, results folder and report.html included,
in at most 12 s on a 2-core machine; `fedsim report` on that folder alone (imports included) in at most 3 s.
Each is timed as a fresh `fedsim` process, as a user types it; the run without its report (`--no-report`)
is timed too, so the report's share of the whole is visible.

The box this runs on is shared: each measurement is repeated (``FEDSIM_BENCH_REPEATS``, default 3) in the
order run, run --no-report, report, and the minimum and the median of each are recorded, with the 1-minute
load average before the first and after the last repetition. The minimum is the best estimate of the
command's own cost; the median shows what a user on a busy box sees. CPU seconds (user + system) are
recorded beside the wall figures: they move less with other load. They cover the whole process tree: this
process makes itself the subreaper of its descendants (Linux ``PR_SET_CHILD_SUBREAPER``), so processes that
outlive their parent (multiprocessing's forkserver and the pool workers it forked) are reaped here and counted;
before, a pool worker's CPU was lost and the run looked cheaper than it was.

A/B: ``python -m benchmarks.bench_end_to_end --against DIR`` alternates every command between this checkout
and the fedsim checkout in DIR (run with this interpreter, DIR first on ``PYTHONPATH``, on DIR's own
scenarios/baseline.yaml), so both see the same minutes of a shared box; the rows of DIR's figures are
recorded with ``(against)`` in the name. (``python -m benchmarks end_to_end`` takes no options.)
Each run writes a fresh folder.
"""

from __future__ import annotations

import argparse
import ctypes
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
REPEATS = int(os.environ.get("FEDSIM_BENCH_REPEATS", "3"))
TIMEOUT_S = 600
PR_SET_CHILD_SUBREAPER = 36  # linux/prctl.h


def fedsim() -> list[str]:
    """The `fedsim` console script beside this interpreter (what a user runs), else the module."""
    script = Path(sys.executable).parent / "fedsim"
    return [str(script)] if script.exists() else [sys.executable, "-m", "sim.cli.main"]


def become_subreaper() -> bool:
    """Adopt orphaned descendants (Linux), so their CPU time reaches this process's RUSAGE_CHILDREN."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        return ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def reap_orphans() -> None:
    """Wait for every adopted descendant still running (a forkserver exits once its parent has)."""
    while True:
        try:
            os.waitpid(-1, 0)
        except ChildProcessError:
            return


def children_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


class Checkout:
    """How to start `fedsim` from one checkout: this one (its console script) or another (``--against``)."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder
        # each checkout runs its own baseline: an older checkout refuses a newer scenario's renamed keys
        self.scenario = (folder or ROOT) / "scenarios" / "baseline.yaml"
        self.env = None
        if folder is not None:
            self.env = {**os.environ, "PYTHONPATH": str(folder)}

    def command(self) -> list[str]:
        return fedsim() if self.folder is None else [sys.executable, "-m", "sim.cli.main"]

    def timed(self, args: list[str]) -> tuple[float, float]:
        """Wall seconds and CPU seconds (user + system of the command's whole process tree)."""
        cpu0, t0 = children_cpu_s(), time.perf_counter()
        subprocess.run(self.command() + args, cwd=self.folder or ROOT, env=self.env, check=True, capture_output=True,
                       text=True, timeout=TIMEOUT_S)
        wall = time.perf_counter() - t0
        reap_orphans()
        return wall, children_cpu_s() - cpu0


def measure(tmp: Path, checkouts: dict[str, Checkout]) -> dict[str, dict[str, list[float]]]:
    times: dict[str, dict[str, list[float]]] = {name: {} for name in checkouts}
    def base(co: Checkout) -> list[str]:
        return ["run", str(co.scenario), "--set", "run.replications=1", "-q"]

    def add(who: str, name: str, wall_cpu: tuple[float, float]) -> None:
        times[who].setdefault(f"{name}_s", []).append(wall_cpu[0])
        times[who].setdefault(f"{name}_cpu_s", []).append(wall_cpu[1])

    for i in range(REPEATS):
        for who, co in checkouts.items():  # alternated: A and B see the same minutes of the box
            out = tmp / f"{who}-run{i}"
            add(who, "end_to_end", co.timed(base(co) + ["-o", str(out)]))
        for who, co in checkouts.items():
            bare = tmp / f"{who}-bare{i}"
            add(who, "run_no_report", co.timed(base(co) + ["-o", str(bare), "--no-report"]))
            shutil.rmtree(bare, ignore_errors=True)
        for who, co in checkouts.items():
            out = tmp / f"{who}-run{i}"
            add(who, "report", co.timed(["report", str(out), "-o", str(tmp / f"{who}-report{i}" / "report.html")]))
    return times


def figures_of(times: dict[str, list[float]]) -> dict[str, float]:
    figures: dict[str, float] = {}
    for name, values in times.items():
        stem = name.removesuffix("_s")
        figures[f"{stem}_min_s"] = min(values)
        figures[f"{stem}_median_s"] = statistics.median(values)
    return figures


def main(argv: list[str] | None = None) -> None:
    from benchmarks.common import record

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", type=Path, help="another fedsim checkout to alternate with (A/B)")
    args = parser.parse_args(argv if argv is not None else [])
    checkouts = {"this": Checkout()}
    if args.against is not None:
        checkouts["against"] = Checkout(args.against.resolve())
    tree = become_subreaper()
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="fedsim-e2e-") as tmp:
        times = measure(Path(tmp), checkouts)
    load_after = os.getloadavg()[0]
    context = {"repeats": float(REPEATS), "load_avg_1min_before": load_before, "load_avg_1min_after": load_after,
               "cpu_covers_process_tree": float(tree)}
    for who, values in times.items():
        print(f"{who}: all times (s): " + "; ".join(f"{k} " + ", ".join(f"{v:.2f}" for v in vs)
                                                  for k, vs in values.items()))
    targets = {"end_to_end_min_s": ("<=", 12.0), "report_min_s": ("<=", 3.0)}
    record("end_to_end", figures_of(times["this"]) | context, targets)
    if "against" in times:
        record(f"end_to_end (against {args.against})", figures_of(times["against"]), targets)


if __name__ == "__main__":
    main(sys.argv[1:])
