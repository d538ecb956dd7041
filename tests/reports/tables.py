"""Small fixed result tables in the runner's saved format, written by tests (never by the model).

Numbers are chosen by hand (with a seeded generator for day-to-day noise) so that tests can derive the
expected statistics themselves from these same tables.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import yaml

from sim.config import load_scenario
from sim.config.resolve import write_resolved
from sim.results import summary as summary_json
from sim.results.layout import point_dir
from sim.results.tables import SCHEMAS, sweep_columns, sweep_rows, to_csv_text

ROOT = Path(__file__).resolve().parents[2]
DAYS = 7
# Whole-run values per replication (3 replications).
WHOLE = {
    "requests.posted": [40, 44, 38],
    "requests.refused": [1, 0, 2],
    "requests.households_in_area": [5200, 5600, 5000],
    "requests.households_eligible": [2700, 2900, 2550],
    "requests.households_notified": [2500, 2700, 2400],
    "requests.with_submission": [20, 24, 19],
    "optin.rate": [0.034, 0.037, 0.031],
    "optin.submitting_households": [85, 100, 74],
    "footage.delivered_packages": [80, 96, 70],
    "packaging.utilization": [0.21, 0.24, 0.2],
    "packaging.wait_p95_s": [12.0, 15.5, 10.2],
    "packaging.wait_mean_s": [3.1, 3.6, 2.9],
    "search.utilization": [0.55, 0.6, 0.52],
    "search.wait_p95_s": [0.8, 1.1, 0.7],
    "ingest.utilization_peak": [0.71, 0.74, 0.69],
    "alpr.searches_federal_own": [30, 34, 27],
    "alpr.searches_federal_proxy": [55, 61, 50],
    "alpr.alerts_false": [400, 420, 390],
    "exposure.agencies_per_vehicle_mean": [14.2, 15.1, 13.8],
    "exposure.federal_units_per_vehicle_mean": [0.6, 0.7, 0.55],
    "exposure.vehicle_days_observed_share": [0.42, 0.44, 0.41],
    "search.reason.stolen_vehicle": [300, 320, 290],
    "search.reason.theft": [240, 250, 230],
    "search.reason.burglary": [120, 110, 130],
    "search.reason.immigration": [25, 28, 22],
}
# Daily levels per replication: (base per day, noise sd).
DAILY = {"footage.clips": (40.0, 6.0), "alpr.reads": (2.0e7, 1.5e6), "alpr.searches": (150.0, 15.0)}
FLOWS = [  # owner_type, searcher_type, relation, path, searches/day, records/day
    ("local_police", "local_police", "same_agency", "direct", 60, 300),
    ("local_police", "local_police", "in_state", "direct", 30, 120),
    ("local_police", "sheriff", "in_state", "direct", 15, 70),
    ("sheriff", "local_police", "in_state", "direct", 12, 50),
    ("local_police", "state_police", "in_state", "opted_in", 8, 40),
    ("local_police", "local_police", "out_of_state", "opted_in", 10, 25),
    ("local_police", "federal", "federal", "opted_in", 4, 18),
    ("sheriff", "federal", "federal", "proxy", 8, 30),
    ("state_police", "sheriff", "in_state", "direct", 5, 22),
]


def write_run(folder: Path, *, scale: float = 1.0, name: str = "small", reps: int = 3, seed: int = 1,
              overrides: list[str] | None = None, world: bool = True) -> Path:
    """A run folder in the runner's formats: resolved scenario, metrics and flows (parquet and csv), summary.json,
    world.json."""
    folder.mkdir(parents=True, exist_ok=True)
    scenario = load_scenario(ROOT / "scenarios" / "small.yaml", overrides or [])
    scenario.name = name
    write_resolved(scenario, folder / "resolved_scenario.yaml")
    rng = np.random.default_rng(seed)
    rows = []
    for rep in range(reps):
        for metric, values in WHOLE.items():
            rows.append((rep, np.nan, metric, values[rep % 3] * scale))
        for metric, (base, sd) in DAILY.items():
            daily = np.maximum(0, base * scale + rng.normal(0, sd, DAYS))
            rows += [(rep, day, metric, float(v)) for day, v in enumerate(daily)]
            rows.append((rep, np.nan, metric, float(daily.sum())))
        held = np.cumsum(np.full(DAYS, DAILY["alpr.reads"][0]))
        rows += [(rep, day, "storage.reads_held", float(v)) for day, v in enumerate(held)]
    df = pd.DataFrame(rows, columns=["replication", "day", "metric", "value"])
    df.insert(0, "scenario", name)
    df.insert(1, "design_point", 0)
    df.insert(3, "seed", 100 + df["replication"])
    write_table(folder, "metrics", df)
    whole = df[df["day"].isna()]
    values = {m: list(g.sort_values("replication")["value"]) for m, g in whole.groupby("metric")}
    (folder / "summary.json").write_text(json.dumps(summary_json.build(name, values, reps, 0)))
    flows = [(name, 0, rep, day, *f[:4], f[4] * scale, f[5] * scale * (1 + 0.1 * rep))
             for rep in range(reps) for day in range(DAYS) for f in FLOWS]
    write_table(folder, "flows", pd.DataFrame(flows, columns=SCHEMAS["flows"].names))
    if world:
        (folder / "world.json").write_text(json.dumps(world_summary()))
    return folder


def write_table(folder: Path, kind: str, df: pd.DataFrame) -> None:
    """`kind`.parquet and `kind`.csv in the runner's schema."""
    table = pa.Table.from_pandas(df[SCHEMAS[kind].names], preserve_index=False).cast(SCHEMAS[kind])
    table = table.replace_schema_metadata(None)
    pq.write_table(table, folder / f"{kind}.parquet")
    (folder / f"{kind}.csv").write_text(to_csv_text(table, header=True))


def world_summary() -> dict:
    nodes = [{"id": i, "kind": "local_police", "name": f"PD {i}", "national_lookup": i % 3 != 0} for i in range(12)]
    nodes += [{"id": 12, "kind": "sheriff", "name": "County SO", "national_lookup": True},
              {"id": 13, "kind": "state_police", "name": "SHP", "national_lookup": False},
              {"id": 14, "kind": "federal", "name": "ICE-HSI", "national_lookup": False}]
    edges = [[i, (i + 1) % 12, "grant"] for i in range(12)] + [[i, 12, "statewide"] for i in range(0, 12, 2)]
    edges += [[i, 13, "statewide"] for i in range(12)] + [[3, 14, "grant"], [7, 14, "grant"]]
    return {
        "agencies": {"local_police": 160, "sheriff": 40, "state_police": 1, "federal": 4},
        "households": 25000, "ring_cameras": 40000, "alpr_cameras": 2500,
        "sharing": {"out_degree": {"median": 38, "p25": 20, "p75": 61, "p90": 90, "max": 200},
                    "in_degree": {"median": 35, "p25": 22, "p75": 55, "p90": 80, "max": 160},
                    "national_lookup_share": 0.74},
        "federal_reach": {"ICE-HSI": {"direct": 3, "lookup_only": 120, "closed_by_law": 0},
                          "CBP": {"direct": 5, "lookup_only": 118, "closed_by_law": 0},
                          "USSS": {"direct": 1, "lookup_only": 119, "closed_by_law": 0}},
        "reach_by_hops": [{"hops": 1, "agencies": 38, "cameras": 480}, {"hops": 2, "agencies": 150, "cameras": 1900},
                          {"hops": 3, "agencies": 198, "cameras": 2480}],
        "state_graph": {"state": "NC", "agencies_in_state": 201, "sampled": True, "nodes": nodes, "edges": edges},
        "state_sharing": {"states": {"NC": {"agencies": 201, "cameras": 2500, "lookup_owners": 150}},
                          "federal_lookup": False,
                          "pairs": {"owner": ["NC", "NC"], "searcher": ["NC", "FED"], "links": [3000, 12],
                                    "open": [3000, 12]}},
        "geography": geography_summary(),
    }


def geography_summary() -> dict:
    """A real-geography section: every state but Alaska has agencies; cameras grow with the state's index."""
    from sim.geo.states import BY_CODE, STATE_CODES

    rows = []
    for i, code in enumerate(STATE_CODES):
        pop = int(BY_CODE[code].population_m * 1e6)
        cams = 0 if code == "AK" else 50 + 40 * i
        rows.append({"state": code, "agencies": 0 if code == "AK" else 10 + i, "cameras": cams, "cameras_operator": cams // 4,
                     "cameras_nearest": cams // 2, "cameras_portal": cams // 8, "cameras_filled": cams - cams // 4
                     - cams // 2 - cams // 8, "population": pop, "cameras_per_100k": round(1e5 * cams / pop, 3),
                     "households": 100, "deflock_camera_count": cams})
    total = sum(r["cameras"] for r in rows)
    return {"source": "flock-2026", "states": 50, "per_state": rows, "households": 5100,
            "cameras": {"total": total, "mapped": 3 * total // 4, "portal": total // 8, "filled": total // 8}}


def write_sweep(folder: Path, retention: tuple[int, ...] = (7, 30, 90, 365), failed: tuple[int, ...] = ()) -> Path:
    """A sweep over policy.alpr_retention_days in the runner's layout: exposure rises with retention (by
    construction here); the points in `failed` have no results (all their runs failed)."""
    folder.mkdir(parents=True, exist_ok=True)
    write_resolved(load_scenario(ROOT / "scenarios" / "small.yaml"), folder / "resolved_scenario.yaml")
    param = "policy.alpr_retention_days"
    pd.DataFrame({"design_point": range(len(retention)), param: list(retention)}).to_csv(
        folder / "design_points.csv", index=False)
    rows = []
    for dp, days in enumerate(retention):
        if dp in failed:
            continue
        point = write_run(point_dir(folder, dp), scale=float(np.log1p(days)) / np.log1p(30), world=False,
                          overrides=[f"{param}={days}"])
        rows += sweep_rows(dp, {param: days}, json.loads((point / "summary.json").read_text()))
    pd.DataFrame(rows, columns=sweep_columns([param])).to_csv(folder / "sweep.csv", index=False)
    return folder


def write_loadtest(folder: Path) -> Path:
    """A load-test folder's loadtest.json shaped like loadtest/summary.py's: per-second Locust rows under over_time."""
    folder.mkdir(parents=True, exist_ok=True)
    rows = [{"t": 0, "users": 0, "rps": 0.0, "fails_per_s": 0.0, "p50": None, "p95": None, "p99": None}]
    for step, users in enumerate((10, 20, 40, 80)):
        for k in range(3):
            rows.append({"t": 1 + step * 30 + k * 10, "users": users, "rps": users * 9.5, "fails_per_s": 0.0,
                         "p50": 4 + users * 0.05 + k, "p95": 9 + users * 0.2 + k, "p99": 15 + users * 0.45 + k})
    data = {"duration_s": 120, "label": "client and server co-located",
            "endpoints": {"Aggregated": {"count": 1000, "p50": 5, "p90": 12, "p95": 17, "p99": 40, "max": 90}},
            "over_time": {"locust": rows, "resources": []}}
    (folder / "loadtest.json").write_text(json.dumps(data))
    return folder


def changed_copy(src: Path, dst: Path, factors: dict[str, float], values: dict[str, list[float]] | None = None) -> Path:
    """A copy of the run `src` (same root seed) with some metrics scaled, or whole-run values replaced per replication."""
    shutil.copytree(src, dst)
    for name in ("metrics.csv", "metrics.parquet"):
        path = dst / name
        df = pd.read_csv(path) if name.endswith(".csv") else pd.read_parquet(path)
        whole = df["day"].isna()
        for metric, factor in factors.items():
            df.loc[df["metric"].eq(metric), "value"] *= factor
        for metric, per_rep in (values or {}).items():
            for rep, v in enumerate(per_rep):
                df.loc[whole & df["metric"].eq(metric) & df["replication"].eq(rep), "value"] = v
        df.to_csv(path, index=False) if name.endswith(".csv") else df.to_parquet(path, index=False)
    return dst


def with_search_median(folder: Path, copy: Path, median: float) -> Path:
    """A copy of the run `folder` at `copy`, named after it, whose resolved scenario sets local police's median
    searches per agency to `median` (a comparison with search rates set apart; the tables are the original's)."""
    shutil.copytree(folder, copy)
    path = copy / "resolved_scenario.yaml"
    scenario = yaml.safe_load(path.read_text())
    scenario["name"] = copy.name
    scenario["behavior"]["searches"]["per_agency_30d_median"]["local_police"] = median
    path.write_text(yaml.safe_dump(scenario))
    return copy
