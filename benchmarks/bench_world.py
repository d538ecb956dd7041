"""World builder at national scale: build time and peak memory, access table, spatial queries.

Targets (issue 3): the national baseline builds in under 5 s and under 1 GiB; the access table in well
under 2 s; a spatial query in well under 1 ms. The build runs in a fresh child process so that its
peak RSS is its own (imports included), not that of earlier benchmarks. CPU seconds are printed beside
wall seconds: on a shared 2-core box the wall figures swing with other load.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

SCENARIO = Path(__file__).resolve().parent.parent / "scenarios" / "baseline.yaml"
QUERIES = 5000


def child() -> dict[str, float]:
    import numpy as np

    from benchmarks.common import peak_rss_mib
    from sim.config import load_scenario
    from sim.model.access import AccessTable
    from sim.model.policy_effects import policy_effects
    from sim.rng import Streams, root_seed
    from sim.world import build_world
    from sim.world.request_areas import households_per_request, request_areas
    from sim.world.spatial import camera_index, household_index, households_in_area

    scenario = load_scenario(SCENARIO)
    t0, c0 = time.perf_counter(), time.process_time()
    world = build_world(scenario)
    build_s, build_cpu = time.perf_counter() - t0, time.process_time() - c0
    build_rss = peak_rss_mib()
    t0, c0 = time.perf_counter(), time.process_time()
    table = AccessTable(world, policy_effects(world, scenario.policy))
    access_s, access_cpu = time.perf_counter() - t0, time.process_time() - c0
    t0 = time.perf_counter()
    hh, cams = household_index(world), camera_index(world)
    index_s = time.perf_counter() - t0
    rng = Streams(root_seed(1)).get("bench.world")
    req = scenario.behavior.requests
    who = rng.integers(0, len(world.agencies) - len(scenario.world.agencies.federal_units), QUERIES)
    x, y, area = request_areas(world, who, rng, req.area_sq_mi_min, req.area_sq_mi_max)
    t0 = time.perf_counter()
    for i in range(QUERIES):
        households_in_area(hh, x[i], y[i], area[i])
    hh_us = (time.perf_counter() - t0) / QUERIES * 1e6
    t0 = time.perf_counter()
    for i in range(QUERIES):
        cams.within(x[i], y[i], 5000.0)
    cam_us = (time.perf_counter() - t0) / QUERIES * 1e6
    notified = households_per_request(world, rng, req.area_sq_mi_min, req.area_sq_mi_max, 20000, hh)
    return {
        "build_s": build_s,
        "build_cpu_s": build_cpu,
        "build_peak_rss_mib": build_rss,
        "access_table_s": access_s,
        "access_table_cpu_s": access_cpu,
        "national_scope_nnz_millions": table.matrix["national"].nnz / 1e6,
        "national_scope_mib": sum(a.nbytes for a in (table.matrix["national"].indices, table.matrix["national"].indptr,
                                                    table.matrix["national"].data)) / 2**20,
        "spatial_index_build_s": index_s,
        "households_in_area_query_us": hh_us,
        "cameras_within_5km_query_us": cam_us,
        "households_per_request_mean": float(np.mean(notified)),
        "total_peak_rss_mib": peak_rss_mib(),
    }


def main() -> None:
    from benchmarks.common import record

    out = subprocess.run([sys.executable, "-m", "benchmarks.bench_world", "--child"], capture_output=True, text=True,
                         check=True, timeout=600)
    figures = json.loads(out.stdout.strip().splitlines()[-1])
    record("world", figures, {
        "build_s": ("<=", 5.0),
        "build_peak_rss_mib": ("<=", 1024.0),
        "access_table_s": ("<=", 2.0),
        "households_in_area_query_us": ("<=", 1000.0),
        "cameras_within_5km_query_us": ("<=", 1000.0),
    })


if __name__ == "__main__":
    if sys.argv[1:] == ["--child"]:
        print(json.dumps(child()))
    else:
        main()
