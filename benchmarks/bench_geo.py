"""The real-geography world (scenarios/flock-2026-real.yaml): build time and memory, and a national 30-day run on it.

Targets (issue 19): the world builds in at most 5 s and 1 GiB; a national 30-day run, one replication, world
build included, stays within the national benchmark's targets (20 s wall, 2 GiB peak RSS). Each part runs in a
fresh child process so its peak RSS is its own (imports included). CPU seconds are printed beside wall seconds
and the 1-minute load average is recorded with them: on a shared 2-core box the wall figures swing with load.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCENARIO = ROOT / "scenarios" / "flock-2026-real.yaml"


def build_child() -> dict[str, float]:
    from benchmarks.common import peak_rss_mib
    from sim.config import load_scenario
    from sim.world import build_world

    scenario = load_scenario(SCENARIO)
    load = os.getloadavg()[0]
    t0, c0 = time.perf_counter(), time.process_time()
    world = build_world(scenario)
    f = world.source_figures
    return {"build_s": time.perf_counter() - t0, "build_cpu_s": time.process_time() - c0,
            "build_peak_rss_mib": peak_rss_mib(), "load_avg_1min": load, "agencies": float(len(world.agencies)),
            "cameras": float(len(world.cameras)), "cameras_mapped": float(f["cameras"]["mapped"]),
            "sharing_edges": float(world.sharing.number_of_edges())}


def run_child() -> dict[str, float]:
    from benchmarks.common import peak_rss_mib
    from sim.config import load_scenario
    from sim.model.simulation import simulate
    from sim.rng import replication_seed
    from sim.world import build_world

    scenario = load_scenario(SCENARIO, ["run.days=30", "run.replications=1"])
    load = os.getloadavg()[0]
    t0, c0 = time.perf_counter(), time.process_time()
    world = build_world(scenario)
    out = simulate(scenario, world, replication_seed(scenario.run.seed, 0, 0))
    return {"national_wall_s": time.perf_counter() - t0, "national_cpu_s": time.process_time() - c0,
            "peak_rss_mib": peak_rss_mib(), "events": float(out.events), "load_avg_1min_run": load}


def _child(fn: str) -> dict[str, float]:
    proc = subprocess.run([sys.executable, "-c", f"import json, benchmarks.bench_geo as b; print(json.dumps(b.{fn}()))"],
                          capture_output=True, text=True, check=True, timeout=900, cwd=ROOT)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    from benchmarks.common import record

    figures = _child("build_child") | _child("run_child")
    record("geo", figures, {"build_s": ("<=", 5.0), "build_peak_rss_mib": ("<=", 1024.0),
                            "national_wall_s": ("<=", 20.0), "peak_rss_mib": ("<=", 2048.0)})


if __name__ == "__main__":
    main()
