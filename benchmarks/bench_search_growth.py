"""How a search's cost on the reference service grows with its reads table, by kind (plate, description).

The load test's calibration measures a description search at 1.17 plate lookups on a 20,000-read table and
1.48 on a 300,000-read one (benchmarks/loadtest-notes.md), and writes neither into the model: the model's base
search time is a plate lookup's, its per-read term (``platform.search.per_million_reads_s``, per million reads
a search *scans*) an assumption. This benchmark measures the growth itself, away from the load test's noise:

- the service's database (SQLite, the load test's default) seeded from scenarios/small.yaml as `fedsim
  loadtest` seeds it (`python -m loadtest.service --bootstrap ... --bootstrap-limit 500`), then grown in place
  with the service's own prefill (`loadtest.service.prefill`: reads uniform over the last 29 days, plates from
  the load test's pool, the 480 colour x make x body classes uniform) to each size of `SIZES`;
- at each size, `SEARCHES` plate and `SEARCHES` description searches, alternated, run in-process by the
  service's own query (`loadtest.service.queries.search.run`, audit rows included) in a non-durable write
  transaction: the durable commit (an fsync, 3-15 ms on this shared disk and the same at every size) is left
  out, since it is what made the HTTP probe unreadable. Bodies are the load generator's own
  (`loadtest.payloads.search` for a local police agency: its scope mix per kind, its look-backs);
- per search: wall and CPU milliseconds (CPU of this process: steadier on a shared machine) and, for a
  description, the index entries it walks (the reads of its class in its window, every network: the network
  filter comes after the index).

Figures: per size, the median plate and description milliseconds and their ratio; a robust slope of each
kind's CPU time on the table size (ms per 100,000 reads; Theil-Sen, with its 95% interval); and the description
search's CPU microseconds per index entry walked (the slope of its CPU time on the entries walked), hence its
seconds per million reads in its window (every network's, over `CLASSES`). Rows go to results.md
(`search_growth`); no targets: this is a measurement for the model's feedback (lab note in README.md).
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from scipy import stats

from benchmarks.common import record
from loadtest.service.vehicles import BODIES, COLORS, MAKES

ROOT = Path(__file__).resolve().parent.parent
SIZES = (20_000, 50_000, 100_000, 200_000, 300_000, 400_000)
SEARCHES = 40  # of each kind per size
SEED_TIMEOUT_S = 300.0
CLASSES = len(COLORS) * len(MAKES) * len(BODIES)  # the load test's vehicle classes (480), uniform in its reads


def seed(path: Path) -> None:
    """Seed the service's database as `fedsim loadtest` does (no reads yet)."""
    cmd = [sys.executable, "-m", "loadtest.service", "--db", f"sqlite:///{path}", "--bootstrap",
           str(ROOT / "scenarios" / "small.yaml"), "--tokens", str(path.with_suffix(".tokens.json")),
           "--bootstrap-only", "--bootstrap-limit", "500", "--prefill-reads", "0"]
    subprocess.run(cmd, check=True, cwd=ROOT, timeout=SEED_TIMEOUT_S, capture_output=True)


def walked(db, body) -> int:  # noqa: ANN001 - the service's Database and SearchIn
    """Index entries a description search walks: its class's reads in its window, whatever their network."""
    v = body.vehicle
    with db.read() as tx:
        return int(tx.scalar("SELECT COUNT(*) FROM reads WHERE make = :m AND color = :c AND body = :b "
                             "AND ts >= :s AND ts <= :u",
                             {"m": v.make, "c": v.color, "b": v.body, "s": float(body.since), "u": time.time()}))


def measure(db, rules, moderation, tokens: dict, rng: np.random.Generator) -> dict[str, list]:  # noqa: ANN001
    """`SEARCHES` searches of each kind, alternated: per kind, wall ms, CPU ms (and index entries walked)."""
    from loadtest import payloads
    from loadtest.service.models.alpr import SearchIn
    from loadtest.service.queries import search
    from loadtest.user_behavior import user_behavior

    behavior = user_behavior().under(tokens.get("rules"))  # the seeded world's rules, as the generator's
    agencies = sorted(int(a) for a, t in tokens["agencies"].items() if t["type"] == "local")
    out: dict[str, list] = {"plate_wall": [], "plate_cpu": [], "vehicle_wall": [], "vehicle_cpu": [], "walked": []}
    for i in range(2 * SEARCHES):
        by_plate = i % 2 == 0
        body = SearchIn.model_validate(payloads.search(rng, by_plate, behavior, "local_police", "BENCH")
                                       | {"case_number": "BENCH"})
        agency = agencies[int(rng.integers(len(agencies)))]
        kind = "plate" if by_plate else "vehicle"
        w0, c0 = time.perf_counter(), time.process_time()
        with db.write(durable=False) as tx:
            search.run(tx, agency, body, rules, moderation, time.time())
        out[f"{kind}_wall"].append((time.perf_counter() - w0) * 1e3)
        out[f"{kind}_cpu"].append((time.process_time() - c0) * 1e3)
        if not by_plate:
            out["walked"].append(walked(db, body))
    return out


def slope(sizes: list[float], ms: list[float]) -> tuple[float, float, float]:
    """Theil-Sen ms per 100,000 reads with its 95% interval: the median of pairwise slopes, robust to the
    shared machine's stalls, which put a few searches at many times the rest."""
    res = stats.theilslopes(np.asarray(ms), np.asarray(sizes) / 1e5, alpha=0.95)
    return float(res.slope), float(res.low_slope), float(res.high_slope)


def main() -> None:
    from loadtest.service.prefill import prefill_reads
    from loadtest.service.rules import load_moderation, load_rules
    from loadtest.service.storage.sqlite import SqliteDatabase

    with tempfile.TemporaryDirectory(prefix="fedsim-bench-growth-") as tmp:
        path = Path(tmp) / "service.db"
        seed(path)
        db = SqliteDatabase(path)
        rules, moderation = load_rules(db), load_moderation(db)
        tokens = json.loads(path.with_suffix(".tokens.json").read_text())
        rng = np.random.Generator(np.random.PCG64(20261206))
        held, figures, points = 0, {}, {"plate": ([], []), "vehicle": ([], [])}
        walks: tuple[list, list] = ([], [])  # per description search: index entries walked, CPU ms
        for k, size in enumerate(SIZES):
            held += prefill_reads(db, size - held, seed=k, misread_share=0.03)
            m = measure(db, rules, moderation, tokens, rng)
            for kind in ("plate", "vehicle"):
                points[kind][0].extend([size] * len(m[f"{kind}_cpu"]))
                points[kind][1].extend(m[f"{kind}_cpu"])
            plate, vehicle = statistics.median(m["plate_wall"]), statistics.median(m["vehicle_wall"])
            walks[0].extend(m["walked"])
            walks[1].extend(m["vehicle_cpu"])
            print(f"search_growth: {size:>7,} reads: plate {plate:.2f} ms, description {vehicle:.2f} ms "
                  f"(x{vehicle / plate:.2f}), "
                  f"CPU {statistics.median(m['plate_cpu']):.2f} / {statistics.median(m['vehicle_cpu']):.2f} ms, "
                  f"index entries walked per description {statistics.mean(m['walked']):.0f}", flush=True)
            tag = f"{size // 1000}k"
            figures |= {f"plate_ms_{tag}": plate, f"description_ms_{tag}": vehicle,
                        f"description_over_plate_{tag}": vehicle / plate}
        db.close()
    for kind in ("plate", "vehicle"):
        b, lo, hi = slope(*points[kind])
        name = "plate" if kind == "plate" else "description"
        figures |= {f"{name}_cpu_ms_per_100k_reads": b, f"{name}_cpu_ms_per_100k_reads_lo95": lo,
                    f"{name}_cpu_ms_per_100k_reads_hi95": hi}
    per_entry, lo, hi = slope([w * 1e5 / 1e3 for w in walks[0]], walks[1])  # ms per 1,000 entries = us per entry
    figures |= {"description_cpu_us_per_entry_walked": per_entry, "description_cpu_us_per_entry_walked_lo95": lo,
                "description_cpu_us_per_entry_walked_hi95": hi,
                # the classes are uniform: a million reads in a window put 1e6 / CLASSES entries in one class's range
                "description_cpu_s_per_million_window_reads": per_entry * 1e-6 * 1e6 / CLASSES}
    record("search_growth", figures)


if __name__ == "__main__":
    main()
