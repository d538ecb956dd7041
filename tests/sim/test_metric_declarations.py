"""Metrics declared once: the components' declarations, the catalog, the key-metric list and docs/metrics.md agree,
and a full run records exactly what its components declare."""

from __future__ import annotations

from sim.config import load_scenario, with_overrides
from sim.model.metrics import Declared
from sim.model.simulation import COMPONENTS, simulate
from sim.results import metrics_doc
from sim.results.catalog import DECLARED, KEY_METRICS
from sim.rng import replication_seed
from sim.world.build import build_world_cached
from tests.conftest import SCENARIOS


def test_catalog_is_the_components_declarations() -> None:
    assert list(Declared.of(COMPONENTS)) == list(DECLARED)


def test_a_full_run_records_every_declared_metric_and_nothing_else() -> None:
    sc = with_overrides(load_scenario(SCENARIOS / "small.yaml"), {"run.days": 2, "run.warmup_days": 0}, "test")
    out = simulate(sc, build_world_cached(sc), replication_seed(sc.run.seed, 0, 0))
    recorded = {m for _, m, _ in out.metrics}
    assert all(m in DECLARED for m in recorded)
    assert set(DECLARED.exact) <= recorded
    assert any(m.startswith("search.reason.") for m in recorded)


def test_key_metrics_are_declared_whole_run_values() -> None:
    assert len(set(KEY_METRICS)) == len(KEY_METRICS)
    assert all(m in DECLARED.exact for m in KEY_METRICS)


def test_kinds_are_honest_where_the_issue_names_them() -> None:
    assert DECLARED["search.reason.stolen_vehicle"].kind == "input_echo"
    assert {DECLARED[f"{q}.wait_p95_s"].kind for q in ("search", "packaging", "transfer")} == {"load"}
    assert DECLARED["exposure.agencies_per_vehicle_mean"].kind == "outcome"


def test_docs_metrics_tables_are_generated_from_the_declarations() -> None:
    text = metrics_doc.DOC.read_text(encoding="utf-8")
    assert metrics_doc.render(text) == text, "run `python -m sim.results.metrics_doc` to refresh docs/metrics.md"
    needed = {(g, m.series) for g, ms in metrics_doc.GROUPS.items() for m in ms}
    assert needed <= metrics_doc.covered(text)


def test_records_mean_plate_reads_and_audit_entries_are_named_as_such() -> None:
    """One word, one meaning: a 2025/2026 brief put 'Records returned by searches' (plate reads), 'Audit records per
    camera owner' (one per search and network reached) and 'Audit lines showing the searcher's identity' (the same
    entries) side by side, three words where a reader needs two things told apart."""
    labels = {m.name: m.label for m in [*DECLARED.exact.values(), *DECLARED.families]}
    owners = [n for n in labels if n.startswith(("audit.records_per_owner", "audit.owner_entries"))]
    assert owners and all(labels[n].startswith("Audit entries") for n in owners), [labels[n] for n in owners]
    assert all(labels[n].startswith("Plate reads returned") for n in ("search.results", "search.results_mean"))
    assert not [label for label in labels.values() if "Audit lines" in label or label.startswith("Records ")]
