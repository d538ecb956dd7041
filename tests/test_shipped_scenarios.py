"""Every shipped scenario runs end to end through the CLI (shortened to 2 days, 1 replication, no report), and
gives the same bytes in this process (the default for a single run) as in a pool worker process."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from sim.cli.main import main

SCENARIOS = sorted((Path(__file__).resolve().parent.parent / "scenarios").glob("*.yaml"))


@pytest.mark.slow
@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_shipped_scenario_runs(path: Path, tmp_path: Path) -> None:
    out = tmp_path / path.stem
    args = ["run", str(path), "-o", str(out), "--quiet", "--no-report", "--set", "run.days=2", "--set", "run.replications=1"]
    assert main(args) == 0
    metrics = pd.read_csv(out / "metrics.csv")
    whole = metrics[metrics["day"].isna()].set_index("metric")["value"]
    assert whole["alpr.reads"] > 0
    assert whole["alpr.searches"] > 0
    assert (out / "resolved_scenario.yaml").is_file()
    world = json.loads((out / "world.json").read_text())
    assert world["alpr_cameras"] > 0 and "federal_reach" in world
    pooled = tmp_path / f"{path.stem}-pool"
    assert main([*args[:3], str(pooled), *args[4:], "--executor", "process", "--workers", "1"]) == 0
    assert json.loads((out / "manifest.json").read_text())["batch"]["executor"]["kind"] == "inprocess"
    assert json.loads((pooled / "manifest.json").read_text())["batch"]["executor"]["kind"] == "process"
    names = sorted(str(p.relative_to(out)) for p in out.rglob("*")
                   if p.is_file() and p.name != "manifest.json" and "parts" not in p.relative_to(out).parts)
    assert "world.json" in names and "by_agency.parquet" in names
    assert [n for n in names if (out / n).read_bytes() != (pooled / n).read_bytes()] == []


def test_the_real_world_under_2026_rules_is_flock_2026_on_flock_2026_real() -> None:
    """flock-2026-real-rules repeats flock-2026's rules and search rates (extends takes one base): they stay equal,
    and its world is flock-2026-real's but for the portals' own April 2026 search counts (world.flock.portal_searches:
    on only on the 2026 side)."""
    from sim.config import load_scenario

    folder = SCENARIOS[0].parent
    rules, y26, real = (load_scenario(folder / f"{n}.yaml").model_dump(mode="json")
                        for n in ("flock-2026-real-rules", "flock-2026", "flock-2026-real"))
    assert rules["policy"] == y26["policy"] and rules["behavior"] == y26["behavior"]
    assert rules["world"]["flock"].pop("portal_searches") and not real["world"]["flock"].pop("portal_searches")
    assert rules["world"] == real["world"] and rules["platform"] == real["platform"]
    assert rules["policy"] != real["policy"]
