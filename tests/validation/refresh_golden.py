"""Golden baselines of `scenarios/small.yaml`: compute, compare, and refresh (`make baseline`).

The golden file ``tests/validation/golden/small.json`` pins, per replication of the scenario as shipped
(its seed, its replications, the full model, the runner's seeds), every whole-run metric value and the
exact number of SimPy events processed. `tests/validation/test_golden.py` recomputes them and prints a
table metric / golden / now / relative change on any difference, so a model change that moves results
shows exactly what moved. When the change is intended:

    make baseline        # or: .venv/bin/python -m tests.validation.refresh_golden

rewrites the file (and prints the same table against the old one); commit it with the change.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path
from typing import Any

from sim.config import load_scenario
from sim.config.resolve import content_hash
from sim.model.simulation import simulate
from sim.runner import seeds
from sim.world.build import build_world_cached

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = ROOT / "scenarios" / "small.yaml"
GOLDEN = Path(__file__).resolve().parent / "golden" / "small.json"
REL_TOL = 1e-9  # identical up to floating-point summation order
ABS_TOL = 1e-12


def compute(path: Path = SCENARIO) -> dict[str, Any]:
    """Whole-run metrics and event counts of every replication of the scenario, as `fedsim run` computes them."""
    sc = load_scenario(path)
    world = build_world_cached(sc, seed_seq=seeds.world_seed(sc.run.seed))
    reps = []
    for rep in range(sc.run.replications):
        out = simulate(sc, world, seeds.run_seed(sc.run.seed, 0, rep))
        totals = {name: value for day, name, value in out.metrics if day is None}
        reps.append({"replication": rep, "events": out.events, "metrics": dict(sorted(totals.items()))})
    return {
        "scenario": sc.name,
        "file": str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path),
        "content_hash": content_hash(sc),
        "seed": sc.run.seed,
        "days": sc.run.days,
        "replications": reps,
    }


def dumps(data: dict[str, Any]) -> str:
    """Compact but diffable: one metric per line."""
    lines = ["{"]
    head = {k: v for k, v in data.items() if k != "replications"}
    lines += [f"  {json.dumps(k)}: {json.dumps(v)}," for k, v in head.items()]
    lines.append('  "replications": [')
    for i, rep in enumerate(data["replications"]):
        lines.append(f'    {{"replication": {rep["replication"]}, "events": {rep["events"]}, "metrics": {{')
        items = list(rep["metrics"].items())
        lines += [f"      {json.dumps(k)}: {json.dumps(v)}{',' if j < len(items) - 1 else ''}" for j, (k, v) in
                  enumerate(items)]
        lines.append("    }}" + ("," if i < len(data["replications"]) - 1 else ""))
    lines += ["  ]", "}"]
    return "\n".join(lines) + "\n"


def load(path: Path = GOLDEN) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=REL_TOL, abs_tol=ABS_TOL)


def _cell(x: float | None) -> str:
    return "missing" if x is None else f"{x:.10g}"


def _change(old: float | None, new: float | None) -> str:
    if old is None or new is None:
        return ""
    if old == 0:
        return "from 0"
    return f"{100 * (new - old) / abs(old):+.4g}%"


def differences(golden: dict[str, Any], now: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """Rows (what, golden, now, relative change) for everything that differs, replication by replication."""
    rows: list[tuple[str, str, str, str]] = []
    if golden.get("content_hash") != now.get("content_hash"):
        rows.append(("scenario content hash", str(golden.get("content_hash"))[:12], str(now.get("content_hash"))[:12],
                     "scenario file changed"))
    old_reps = {r["replication"]: r for r in golden.get("replications", [])}
    new_reps = {r["replication"]: r for r in now.get("replications", [])}
    for rep in sorted(set(old_reps) | set(new_reps)):
        old, new = old_reps.get(rep), new_reps.get(rep)
        if old is None or new is None:
            rows.append((f"[{rep}] replication", "present" if old else "missing", "present" if new else "missing", ""))
            continue
        if old["events"] != new["events"]:
            rows.append((f"[{rep}] events processed", str(old["events"]), str(new["events"]),
                         _change(old["events"], new["events"])))
        om, nm = old["metrics"], new["metrics"]
        for name in sorted(set(om) | set(nm)):
            a, b = om.get(name), nm.get(name)
            if not _same(a, b):
                rows.append((f"[{rep}] {name}", _cell(a), _cell(b), _change(a, b)))
    return rows


def table(rows: list[tuple[str, str, str, str]]) -> str:
    head = ("metric", "golden", "now", "relative change")
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(4)]
    out = ["  ".join(h.ljust(w) for h, w in zip(head, widths, strict=True)), "  ".join("-" * w for w in widths)]
    out += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    return "\n".join(out)


def main() -> int:
    now = compute()
    if GOLDEN.is_file():
        rows = differences(load(), now)
        print(f"{len(rows)} difference(s) from the previous golden file" + (":" if rows else ""))
        if rows:
            print(table(rows))
    GOLDEN.parent.mkdir(parents=True, exist_ok=True)
    GOLDEN.write_text(dumps(now), encoding="utf-8")
    events = ", ".join(str(r["events"]) for r in now["replications"])
    print(f"wrote {GOLDEN.relative_to(ROOT)}: {len(now['replications'])} replication(s), events {events}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
